"""The reporting-centre satisfaction survey: fixed questions, versioned in code.

A response stores the version it was answered under. Wording may change only by adding a new version
(the answers keep their columns and codes, so responses under every version are counted together);
a new question needs a new column and a new version.
"""

from __future__ import annotations

from dataclasses import dataclass

CURRENT_VERSION = "2026-1"

SATISFACTION = (
    ("very_satisfied", "Very satisfied"),
    ("satisfied", "Satisfied"),
    ("neither", "Neither satisfied nor dissatisfied"),
    ("dissatisfied", "Dissatisfied"),
    ("very_dissatisfied", "Very dissatisfied"),
)
YES_PARTLY_NO = (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))
YES_NO_NOT_SURE = (("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure"))

# The answers that count as a positive response for each question, in the analysis.
POSITIVE = {
    "satisfaction": ("very_satisfied", "satisfied"),
    "treated_with_respect": ("yes",),
    "knew_what_next": ("yes",),
    "would_recommend": ("yes",),
}


@dataclass(frozen=True)
class Question:
    code: str  # the response's column
    text: str
    choices: tuple[tuple[str, str], ...]
    positive_label: str  # how the analysis names the share of positive answers


QUESTIONS: dict[str, tuple[Question, ...]] = {
    "2026-1": (
        Question(
            "satisfaction",
            "Overall, how satisfied are you with how the centre took your report?",
            SATISFACTION,
            "Satisfied or very satisfied",
        ),
        Question(
            "treated_with_respect", "Did the staff treat you with respect?", YES_PARTLY_NO, "Treated with respect"
        ),
        Question(
            "knew_what_next",
            "Did you get the information you needed about what happens next?",
            YES_PARTLY_NO,
            "Knew what happens next",
        ),
        Question(
            "would_recommend",
            "Would you tell someone else to report at this centre?",
            YES_NO_NOT_SURE,
            "Would recommend the centre",
        ),
    )
}
COMMENTS_TEXT = "Is there anything the centre could do better? (optional)"
COMMENTS_HINT = "Please do not include names, addresses or phone numbers."
COMMENTS_MAX_LENGTH = 1000


def questions(version: str = CURRENT_VERSION) -> tuple[Question, ...]:
    return QUESTIONS[version]


def question_codes() -> tuple[str, ...]:
    return tuple(q.code for q in questions())
