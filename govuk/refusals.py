"""The one way a page turns a service's refusal into a response.

A service refuses by raising: ``TransitionRefused`` (a move that cannot be made), ``ActionRefused`` (not this
user's to do), Django's ``ValidationError`` (input the service will not accept) or a ``Refused`` (for example
letters' ``LetterRefused``). ``refusals_to`` catches them around the service call:

- not the user's to do (``ActionRefused``, a ``TransitionRefused`` of code ``permission``): a 403;
- an error that names a field of the form: on that field;
- any other reason: on the form (on ``field`` if given, else form-wide) or, without a form, as an error message.

    with refusals_to(form) as refusal:
        services.add_note(case, request.user, body=form.cleaned_data["body"])
    if not refusal:
        return redirect(...)

The API has its own single translation of the same refusals into its error shape: ``api.errors``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from rjcases.exceptions import ActionRefused, Refused, TransitionRefused


@dataclass
class Refusal:
    """What ``refusals_to`` caught: false while the call went through."""

    refused: bool = False
    code: str = ""
    reasons: list[str] = dataclass_field(default_factory=list)

    def __bool__(self) -> bool:
        return self.refused


@contextmanager
def refusals_to(form=None, *, request=None, field: str | None = None) -> Iterator[Refusal]:
    """Run a service call; a refusal becomes a 403, errors on ``form``, or error messages on ``request``.

    With both a form and a request, errors naming a field of the form go on it and the other reasons become
    messages (the page then usually redirects). ``field`` names the form field a reason that names none is about.
    """
    refusal = Refusal()
    try:
        yield refusal
    except ActionRefused as exc:
        raise PermissionDenied(str(exc)) from exc
    except TransitionRefused as exc:
        if exc.code == "permission":
            raise PermissionDenied("; ".join(exc.reasons)) from exc
        _refuse(
            refusal,
            exc.code,
            form,
            request,
            field,
            named=exc.fields,
            others=[r for r in exc.reasons if r not in exc.fields.values()],
        )
    except ValidationError as exc:
        named = exc.message_dict if hasattr(exc, "error_dict") else {}
        _refuse(refusal, "invalid", form, request, field, named=named, others=[] if named else exc.messages)
    except Refused as exc:
        _refuse(refusal, "refused", form, request, field, named={}, others=[str(exc)])


def _refuse(refusal: Refusal, code: str, form, request, field, *, named: dict, others: list[str]) -> None:
    refusal.refused, refusal.code = True, code
    fields = form.fields if form is not None else {}
    for name, errors in named.items():
        for message in [errors] if isinstance(errors, str) else errors:
            refusal.reasons.append(message)
            if name in fields:
                form.add_error(name, message)
            else:
                others.append(message)
    for message in others:
        if message not in refusal.reasons:
            refusal.reasons.append(message)
        if request is not None:
            messages.error(request, message)
        elif form is not None:
            form.add_error(field if field in fields else None, message)
        else:
            raise ValueError("refusals_to needs a form or a request to report to") from None
