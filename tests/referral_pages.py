"""Sending a referral through its web pages, for tests: ``send_referral`` posts the answers page by page (the
section pages, each person's page, then check your answers), as a referrer would, and returns the first page that
refused (status 200, with its errors) or the redirect to the confirmation.

The answers are one dict of form data, as the pages name them: the case's fields by name (``summary``,
``occurred_on-day``, ...), the first person harmed's as ``harmed-<field>`` and the first person responsible's as
``responsible-<field>``; more people in ``more_people`` (role -> list of dicts of unprefixed fields).
"""

from __future__ import annotations

from django.urls import reverse

from rjcases.models import ReferralRoute
from rjcases.views.referral import FIELD_STEPS, PERSON_PREFIX, ROLES, steps_for


def _step_answers(data: dict, step: str) -> dict:
    return {
        key: value
        for key, value in data.items()
        if any(key == name or key.startswith(f"{name}-") for name in FIELD_STEPS[step])
    }


def _person_answers(data: dict, role: str) -> dict:
    start = f"{role}-"
    return {f"{PERSON_PREFIX}-{key[len(start) :]}": value for key, value in data.items() if key.startswith(start)}


def send_referral(client, route: str, data: dict, *, more_people: dict | None = None):
    steps = steps_for(ReferralRoute.objects.get(code=route))
    more_people = more_people or {}
    for step in steps:
        if step in ROLES:
            people = [_person_answers(data, step)] + [
                {f"{PERSON_PREFIX}-{k}": v for k, v in person.items()} for person in more_people.get(step, [])
            ]
            for index, person in enumerate(people, start=1):
                last = index == len(people)
                url = reverse("rjcases:refer_person", args=[route, step, index])
                response = client.post(url, {**person, "next": "continue" if last else "another"})
                if response.status_code != 302:
                    return response
        else:
            response = client.post(reverse("rjcases:refer_step", args=[route, step]), _step_answers(data, step))
            if response.status_code != 302:
                return response
    return client.post(reverse("rjcases:refer_check", args=[route]))
