"""Case plans: the synthetic story of each demo case, decided before anything is written.

A plan depends only on (seed, number of cases, the as-of date, its index), never on the database or on
how it is carried out, so the walk through the services and the bulk writer produce the same cases.
Each case gets its own random stream (``Random(f"{seed}:case:{index}")``); only the received dates and
the spread of final states are drawn for all cases at once, so that every state and outcome appears.

- ``records``: what a plan is made of (``CasePlan``, ``PartyPlan``, ``Step``).
- ``spread``: the borough's spread of incidents and the final scenario of every case (``Spread``).
- ``planner``: ``Planner``, which makes the plan of case ``index``.
- ``parts`` and ``story``: one case's story, its people and referral, then its steps through the workflow.
"""

from demo.plan.planner import Planner
from demo.plan.records import CasePlan, Identity, PartyPlan, Step
from demo.plan.spread import CRIME_TYPES, OUTCOMES, ROUTES, SCENARIOS, STRANDS, WARDS, Spread

__all__ = [
    "CRIME_TYPES",
    "OUTCOMES",
    "ROUTES",
    "SCENARIOS",
    "STRANDS",
    "WARDS",
    "CasePlan",
    "Identity",
    "PartyPlan",
    "Planner",
    "Spread",
    "Step",
]
