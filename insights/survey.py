"""The reporting-centre satisfaction survey: fixed questions, versioned in code, in English, in easy read and in
Welsh.

A question set is one language's wording of one version. Every set asks the same questions under the same codes,
with the same answer codes, so a response stores its answers in the same columns whatever language it was given in,
and the analysis counts them together; the response records the language and version it was answered under.
Wording may change only by adding a new version; a new question needs a new column and a new version.
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


ENGLISH, EASY_READ, WELSH = "en", "easy_read", "cy"
LANGUAGES = ((ENGLISH, "English"), (EASY_READ, "Easy read"), (WELSH, "Cymraeg (Welsh)"))
HTML_LANG = {ENGLISH: "en-GB", EASY_READ: "en-GB", WELSH: "cy"}

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


@dataclass(frozen=True)
class QuestionSet:
    """One language's wording of one version: the questions (same codes and answer codes in every language), the
    comment box, and the words around the form."""

    language: str
    version: str
    questions: tuple[Question, ...]
    comments_text: str
    comments_hint: str
    intro: str
    submit: str

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.language]


def _worded(question: Question, text: str, answers: tuple[str, ...]) -> Question:
    """The same question (code, answer codes) in other words."""
    choices = tuple((code, label) for (code, _), label in zip(question.choices, answers, strict=True))
    return Question(question.code, text, choices, question.positive_label)


_EN = QUESTIONS["2026-1"]
QUESTION_SETS: dict[tuple[str, str], QuestionSet] = {
    (ENGLISH, "2026-1"): QuestionSet(
        ENGLISH,
        "2026-1",
        _EN,
        COMMENTS_TEXT,
        COMMENTS_HINT,
        "Four short questions help the centre do better. Your answers are anonymous: they are not linked to your "
        "report.",
        "Send your answers",
    ),
    (EASY_READ, "2026-1"): QuestionSet(
        EASY_READ,
        "2026-1",
        (
            _worded(
                _EN[0],
                "Were you happy with how the centre took your report?",
                ("Very happy", "Happy", "Not happy and not unhappy", "Unhappy", "Very unhappy"),
            ),
            _worded(_EN[1], "Were the staff kind and polite to you?", ("Yes", "A bit", "No")),
            _worded(_EN[2], "Did the staff tell you what happens next?", ("Yes", "A bit", "No")),
            _worded(_EN[3], "Would you tell a friend to report here?", ("Yes", "No", "I am not sure")),
        ),
        "Is there anything we could do better? You do not have to answer this.",
        "Please do not write any names, addresses or phone numbers.",
        "There are 4 short questions. Your answers help the centre get better. We do not put your name with your "
        "answers.",
        "Send my answers",
    ),
    (WELSH, "2026-1"): QuestionSet(
        WELSH,
        "2026-1",
        (
            _worded(
                _EN[0],
                "At ei gilydd, pa mor fodlon ydych chi â'r ffordd y cymerodd y ganolfan eich adroddiad?",
                ("Bodlon iawn", "Bodlon", "Ddim yn fodlon nac yn anfodlon", "Anfodlon", "Anfodlon iawn"),
            ),
            _worded(_EN[1], "A wnaeth y staff eich trin â pharch?", ("Do", "Yn rhannol", "Naddo")),
            _worded(
                _EN[2],
                "A gawsoch chi'r wybodaeth yr oedd ei hangen arnoch am yr hyn sy'n digwydd nesaf?",
                ("Do", "Yn rhannol", "Naddo"),
            ),
            _worded(
                _EN[3],
                "Fyddech chi'n dweud wrth rywun arall am roi gwybod am ddigwyddiad yn y ganolfan hon?",
                ("Byddwn", "Na fyddwn", "Ddim yn siŵr"),
            ),
        ),
        "A oes unrhyw beth y gallai'r ganolfan ei wneud yn well? (dewisol)",
        "Peidiwch â chynnwys enwau, cyfeiriadau na rhifau ffôn.",
        "Mae pedwar cwestiwn byr yn helpu'r ganolfan i wella. Mae eich atebion yn ddienw: nid ydynt yn gysylltiedig "
        "â'ch adroddiad.",
        "Anfon eich atebion",
    ),
}


def question_set(language: str = ENGLISH, version: str = CURRENT_VERSION) -> QuestionSet:
    """The wording of ``version`` in ``language`` (English for a language the survey is not offered in)."""
    return QUESTION_SETS.get((language, version)) or QUESTION_SETS[(ENGLISH, version)]


def language_or_english(language: str | None) -> str:
    return language if language in dict(LANGUAGES) else ENGLISH


def questions(version: str = CURRENT_VERSION) -> tuple[Question, ...]:
    return QUESTIONS[version]


def question_codes() -> tuple[str, ...]:
    return tuple(q.code for q in questions())


def page_context(language: str | None) -> dict:
    """What the survey page shows around the form in ``language``: the wording, the other languages it is offered
    in, and the BSL video explaining the survey when the partnership has set one (``letters.bsl``)."""
    from letters.bsl import bsl_video_url
    from letters.models import BslVideo

    chosen = language_or_english(language)
    return {
        "language": chosen,
        "language_name": dict(LANGUAGES)[chosen],
        "question_set": question_set(chosen),
        "languages": LANGUAGES,
        "bsl_video": bsl_video_url(BslVideo.CENTRE_SURVEY),
        "version": CURRENT_VERSION,
    }
