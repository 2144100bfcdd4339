"""Hooks after a transition: registered once, run inside the transition, and suspended only where asked (for
the demo seeder), in that thread only."""

import threading

import pytest

from rjcases import services
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen():
    calls = []

    def hook(case, user, row):
        calls.append((case.pk, row.name, threading.get_ident()))

    services.register_after_transition(hook)
    services.register_after_transition(hook)  # a second registration is ignored
    yield calls
    services._AFTER_TRANSITION.remove(hook)
    assert hook not in services._AFTER_TRANSITION


def test_a_hook_runs_once_per_transition(seen, police_referrer, manager, facilitator):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    assert [(pk, name) for pk, name, _ in seen] == [(case.pk, "accept")]


def test_suspended_hooks_do_not_run_and_come_back_after_the_block(seen, police_referrer, manager, facilitator):
    first, second = refer(police_referrer), refer(police_referrer)
    with services.transition_hooks_suspended():
        to_assessment(first, manager, facilitator)
    assert seen == []
    to_assessment(second, manager, facilitator)
    assert [(pk, name) for pk, name, _ in seen] == [(second.pk, "accept")]


def test_suspending_in_one_thread_leaves_other_threads_alone(seen):
    """The suspension is a context variable: a server thread taking a transition meanwhile still runs its hooks.
    (Checked on the variable each transition reads, so no second database connection is needed.)"""
    inside, other = threading.Event(), {}

    def other_thread():
        inside.wait(5)
        other["suspended"] = services._HOOKS_SUSPENDED.get()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with services.transition_hooks_suspended():
        assert services._HOOKS_SUSPENDED.get() is True
        inside.set()
        thread.join(5)
    assert other == {"suspended": False}
    assert services._HOOKS_SUSPENDED.get() is False
