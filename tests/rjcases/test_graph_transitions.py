"""`manage.py graph_transitions rjcases` draws the case state machine (django-fsm with graphviz)."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from rjcases.models import Case
from rjcases.services import TRANSITIONS


def test_the_drawing_has_every_state_and_transition():
    out = StringIO()
    call_command("graph_transitions", "rjcases", stdout=out)
    dot = out.getvalue()
    assert dot.startswith("digraph")
    for state in Case.State:
        assert f'"rjcases.case.state.{state.value}" [label={state.label}' in dot
    for name in TRANSITIONS:
        assert f"[label={name}]" in dot
    assert dot.count('-> "rjcases.case.state.closed" [label=withdraw]') == 5  # from every open state


def test_the_drawing_in_the_docs_is_up_to_date():
    out = StringIO()
    call_command("graph_transitions", "rjcases.Case", stdout=out)
    drawn = Path(__file__).resolve().parents[2] / "docs" / "state-machine.dot"
    # Line order follows Python's hashing; compare the lines, not their order.
    assert sorted(out.getvalue().splitlines()) == sorted(drawn.read_text().splitlines())
