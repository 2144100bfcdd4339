"""The simulated clock of the demo: each case's story happens on the days its plan says, not all today.

The services read the time through ``django.utils.timezone.now`` (and ``localdate``, which calls it),
simple-history stamps its rows the same way, and a few fields default to ``timezone.now`` itself.
While ``simulated_time`` is active all of these read ``clock.at`` instead, so a case walked through the
real services gets a referral 11 months ago, a transition row 10 months ago and history rows to match.
``explicit_timestamps`` lets the bulk writer store the same created/updated times it computed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.apps import apps
from django.db import models
from django.utils import timezone

_APPS = ("rjcases", "conferences")


class SimulatedClock:
    def __init__(self, at: datetime | None = None):
        self.at = at

    def now(self) -> datetime:
        return self.at


def _fields_defaulting_to(function) -> list[models.Field]:
    return [
        f
        for app in _APPS
        for model in apps.get_app_config(app).get_models()
        for f in model._meta.concrete_fields
        if f.has_default() and f.default is function
    ]


@contextmanager
def simulated_time(clock: SimulatedClock) -> Iterator[SimulatedClock]:
    """Make ``timezone.now()`` (and the fields defaulting to it) answer ``clock.at`` until the block ends."""
    real_now = timezone.now
    patched = _fields_defaulting_to(real_now)
    saved = [(f, f.__dict__.get("_get_default")) for f in patched]
    timezone.now = clock.now
    for f in patched:
        f.__dict__["_get_default"] = clock.now  # Field._get_default is a cached_property
    try:
        yield clock
    finally:
        timezone.now = real_now
        for f, previous in saved:
            if previous is None:
                f.__dict__.pop("_get_default", None)
            else:
                f.__dict__["_get_default"] = previous


@contextmanager
def explicit_timestamps() -> Iterator[None]:
    """Let bulk inserts keep the created/updated times set on the objects (auto_now would overwrite them)."""
    fields = [
        f
        for app in _APPS
        for model in apps.get_app_config(app).get_models()
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
