"""The refusals a service raises, shared by every app's services, views and the API.

A refusal changes nothing: the service raises before it writes, or inside the transaction it rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable


class TransitionRefused(Exception):
    """A transition that did not happen, with the reasons in words a user understands.

    ``code`` says which kind: ``state`` (not possible from the case's state), ``permission`` (not this
    user's to take), ``guard`` (something the move needs is missing), ``input`` (a required field is
    missing or wrong), ``concurrent`` (someone else changed the case first).
    """

    def __init__(self, code: str, reasons: Iterable[str], fields: dict[str, str] | None = None):
        self.code = code
        self.reasons = list(reasons)
        self.fields = fields or {}
        super().__init__("; ".join(self.reasons))


class ActionRefused(Exception):
    """A non-transition write this user may not make (the view turns it into a 404 or 403)."""


class Refused(Exception):
    """A write that cannot be made as asked, for a reason in words the user can act on (for example a letter the
    case is not ready for). Pages show the reason on the form or as a message; the API answers 422."""


class Conflict(Refused):
    """A write the record's current state rules out (the case is closed; it was already done). Pages show the reason
    like any other refusal; the API answers 409 with code ``state``, as for a move from the wrong state."""


CHANGED_BY_SOMEONE_ELSE = "This case was changed by someone else while you were working on it. Reload it and try again."
