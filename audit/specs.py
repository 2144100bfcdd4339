"""What each audit chain covers: the one list that the models, the backfill migrations and ``verify_audit`` share.

``fields`` are hashed as they are (identifiers, states, times, staff ids); ``personal`` fields may hold a
person's data (free text, names, paths with search terms) and are covered through a salted digest instead, so
that a later anonymisation can blank them, and the salt with them, without breaking the chain (see
docs/data-protection.md, "Tamper-evident audit"). Changing a tuple here changes the hash of every row: add a
new spec version instead.

A new chained table inherits ``audit.chain.ChainedRow`` and adds its entry here, in the same migration that
creates its table; nothing else needs to know about it. The anonymisation record (``privacy.Anonymisation``) is
one: it is what vouches for the rows whose personal fields an anonymisation blanked (``ANONYMISATION``).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    """One chain: its name in reports, the model it is kept on, its plain and its personal fields."""

    name: str
    label: str  # app_label.model_name, lower case
    fields: tuple[str, ...]
    personal: tuple[str, ...] = ()

    @property
    def lock_key(self) -> int:
        """A stable 31-bit key for PostgreSQL's advisory lock of this chain."""
        from zlib import crc32

        return crc32(self.name.encode()) & 0x7FFFFFFF


SPECS = (
    Spec(
        name="transitions",
        label="rjcases.casetransition",
        fields=("case_id", "name", "source", "target", "by_id", "at"),
        personal=("reason", "data"),
    ),
    Spec(
        name="read_access",
        label="rjcases.readaccess",
        fields=("user_id", "case_id", "what", "object_id", "at"),
        personal=("path",),
    ),
    Spec(
        name="anonymisations",
        label="privacy.anonymisation",
        fields=("case_id", "party_id", "scope", "by_id", "at", "review_id", "rule_id", "request_id", "rows"),
    ),
    Spec(
        name="security",
        label="accounts.securityevent",
        fields=("at", "actor_id", "action", "subject_user_id", "subject_type", "subject_id"),
        personal=("actor_name", "subject_name", "reason", "details"),
    ),
)
# The chain whose rows vouch for blanked personal fields: a row of another chain blanked by an anonymisation has
# the same case as one of its rows of scope "case" (verify_audit reads it by label, knowing no app above it).
ANONYMISATION = "privacy.anonymisation"
BLANKABLE = ("transitions",)  # the chains whose personal fields a case's anonymisation blanks
BY_LABEL = {spec.label: spec for spec in SPECS}
BY_NAME = {spec.name: spec for spec in SPECS}


def spec_for(model) -> Spec:
    return BY_LABEL[model._meta.label_lower]
