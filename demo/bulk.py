"""Write case plans in bulk: the rows the walk through the services would make, without the per-row saves.

For large demo runs only. Each plan is replayed step by step into plain rows, mirroring what each
service writes (the fields it sets, the transition row with its data, and one history row per save,
with the same user, time and change reason); the rows are then inserted model by model as plain
values (``executemany`` on SQLite, ``COPY`` on PostgreSQL), and the history rows with them.

A transition writes what ``rjcases.services.transitions.move_effects`` says, the function
``take_transition`` applies too, so the two cannot disagree on a move's fields, its target state (from the
django-fsm declaration) or its transition data; tests/demo/test_bulk_moves.py checks each move both ways.
For the other steps the walk and this writer are kept in step by tests/demo/test_seed_demo.py, which seeds
the same plans both ways and compares the results.

The plain rows and their insertion are in ``demo.bulk_rows``; the steps of the restorative work (preparation
to wellbeing) in ``demo.bulk_work``.

The state of a case is written here only as a column of a new row, like a fixture: no existing case
changes state outside ``rjcases.services``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from audit.chain import seal_values
from demo.actors import Actors
from demo.bulk_rows import _M2M, MODELS, Row, _attnames, _insert_values, _Meta, _pk, _reserve_ids, _Story
from demo.bulk_work import RestorativeWorkSteps
from demo.plan import CasePlan, Step
from demo.walk import case_fields as planned_case_fields
from demo.walk import party_fields, referral_parties, safe_time_reason
from rjcases import clocks
from rjcases.models import Assessment, Case, CaseTransition, Consent, ContactAttempt, Incident, Note, Party
from rjcases.references import reserve_references
from rjcases.search import folded_name
from rjcases.services import intake
from rjcases.services.transitions import Facts, clean_inputs, move_effects


class BulkWriter(RestorativeWorkSteps):
    def __init__(self, actors: Actors):
        self.actors = actors
        self.meta = {model: _Meta(model) for model in MODELS}
        self._load_duplicate_index()

    # --- rows and their history -----------------------------------------------------------------

    def _new(
        self, story_rows: dict, model, at: datetime, user, reason: str | None, /, refs: dict | None = None, **given
    ) -> Row:
        if model is Party:  # what Party.save sets
            given["search_name"] = folded_name(given["first_name"], given.get("last_name", ""))
        row = Row(model, self.meta[model].values(given), refs or {})
        story_rows[model].append(row)
        self._snap(row, "+", at, user, reason)
        return row

    def _snap(self, row: Row, kind: str, at: datetime, user, reason: str | None) -> None:
        meta = self.meta[row.model]
        if meta.history_model is None:
            return
        m2m = {name: list(row.m2m.get(name, ())) for name in meta.history_m2m}
        row.history.append((kind, at, user.pk if user else None, reason, dict(row.values), m2m))

    def _change(self, row: Row, at: datetime, user, reason: str | None, /, **changes) -> None:
        row.values.update(changes)
        self._snap(row, "~", at, user, reason)

    def _set_m2m(self, row: Row, name: str, targets: list, at: datetime, user, reason: str | None) -> None:
        """Like ``related.set(targets)`` on a new row: the links, then (if any) simple-history's '~' row."""
        row.m2m[name] = list(targets)
        if targets and name in self.meta[row.model].history_m2m:
            self._snap(row, "~", at, user, reason)

    # --- a batch of plans --------------------------------------------------------------------------

    def write(self, plans: list[CasePlan]) -> None:
        self.store(self.build(plans))
        self.stored()

    def build(self, plans: list[CasePlan]) -> dict:
        """The rows of a batch of plans, by model (no query: ``store`` reserves their keys and inserts them).

        ``seed_demo`` builds the next batch while another thread stores this one; the batch before must have
        been stored (and ``stored`` called) before this batch is stored, since it may point at that batch's cases."""
        rows: dict = defaultdict(list)
        for plan in plans:
            story = _Story(plan)
            for step in plan.steps:
                getattr(self, f"_{step.kind}")(rows, story, step, self.actors.user(step.data["by"]))
            self._index_for_duplicates(story)
        return rows

    def store(self, rows: dict) -> None:
        """Insert a built batch in one transaction (on the calling thread's connection)."""
        self.link_ids: dict[tuple, int] = {}
        with transaction.atomic():
            connection = transaction.get_connection()
            if connection.vendor == "postgresql":
                # Demo data, rebuilt at will: a commit need not wait for its WAL to reach the disk.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            self._assign_references(rows[Case])
            for model in MODELS:
                self._insert(model, rows[model])
            for model in MODELS:
                self._insert_history(model, rows[model])

    def stored(self) -> None:
        """After a batch is stored: its rows' keys replace them in the duplicate index (call on the building thread)."""
        self._index_pks()

    def _assign_references(self, cases: list[Row]) -> None:
        years = defaultdict(list)
        for row in cases:
            years[row.values["received_on"].year].append(row)
        for year in sorted(years):
            for row, reference in zip(years[year], reserve_references(year, len(years[year])), strict=True):
                row.values["reference"] = reference
                for snapshot in row.history:
                    snapshot[4]["reference"] = reference

    def _insert(self, model, rows: list[Row]) -> None:
        meta = self.meta[model]
        for row, pk in zip(rows, _reserve_ids(model, len(rows)), strict=True):
            row.pk = row.values["id"] = pk
        for row in rows:
            for name, ref in row.refs.items():
                row.values[meta.seeded_fks[name]] = ref.pk if ref is not None else None
            if model is CaseTransition:
                row.values["data"] = {k: _pk(v) for k, v in row.values["data"].items()}
        _insert_values(model, seal_values(model, [row.values for row in rows]))  # audit chains: sealed in order
        for name in _M2M.get(model, ()):
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            links = [{source: row.pk, target: _pk(item)} for row in rows for item in row.m2m.get(name, ())]
            for link, pk in zip(links, _reserve_ids(through, len(links)), strict=True):
                link["id"] = pk
                # The history's copies of a link carry the link's own id.
                self.link_ids[(through, link[source], link[target])] = pk
            _insert_values(through, links)

    def _insert_history(self, model, rows: list[Row]) -> None:
        meta = self.meta[model]
        history_model = meta.history_model
        if history_model is None:
            return
        made = []
        for row in rows:
            identity = {attname: row.values[attname] for attname in meta.seeded_fks.values()}
            identity["id"] = row.pk
            for kind, at, user_id, reason, values, m2m in row.history:
                fields = {attname: values[attname] for attname in meta.tracked if attname not in identity}
                fields.update(
                    identity, history_date=at, history_type=kind, history_user_id=user_id, history_change_reason=reason
                )
                made.append((fields, row, m2m))
        for (fields, _row, _m2m), pk in zip(made, _reserve_ids(history_model, len(made)), strict=True):
            fields["history_id"] = pk
        _insert_values(history_model, [fields for fields, _row, _m2m in made])
        for name in meta.history_m2m:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            m2m_history = getattr(history_model, name).model
            copies = [
                {
                    "id": self.link_ids[(through, row.pk, _pk(item))],
                    source: row.pk,
                    target: _pk(item),
                    "history_id": fields["history_id"],
                }
                for fields, row, m2m in made
                for item in m2m.get(name, ())
            ]
            for copy, pk in zip(copies, _reserve_ids(m2m_history, len(copies)), strict=True):
                copy["m2m_history_id"] = pk
            _insert_values(m2m_history, copies)

    # --- possible duplicates, as services.find_possible_duplicates finds them ------------------------

    def _load_duplicate_index(self) -> None:
        self.by_crime_reference: dict[str, list] = defaultdict(list)
        self.by_name_and_day: dict[tuple, list] = defaultdict(list)
        day_of_case = {}
        for case_id, reference, occurred in Incident.objects.values_list("case_id", "crime_reference", "occurred_from"):
            if reference:
                self.by_crime_reference[reference.lower()].append(case_id)
            day_of_case[case_id] = timezone.localtime(occurred).date()
        for case_id, first, last in Party.objects.exclude(last_name="").values_list(
            "case_id", "first_name", "last_name"
        ):
            self.by_name_and_day[(first.lower(), last.lower(), day_of_case[case_id])].append(case_id)

    def _possible_duplicates(self, story: _Story, parties: list[Row]) -> list:
        incident = story.incident.values
        found = []
        if incident["crime_reference"]:
            found += self.by_crime_reference.get(incident["crime_reference"].lower(), [])
        day = timezone.localtime(incident["occurred_from"]).date()
        for party in parties:
            if party.values["last_name"]:
                key = (party.values["first_name"].lower(), party.values["last_name"].lower(), day)
                found += self.by_name_and_day.get(key, [])
        # A case of this batch is a Row (the same object wherever it was found); an earlier case is its key,
        # an int that may be a different object each time it was read.
        unique, seen = [], set()
        for item in found:
            key = ("row", id(item)) if isinstance(item, Row) else ("pk", item)
            if key not in seen:
                seen.add(key)
                unique.append(item)
        return unique

    def _index_for_duplicates(self, story: _Story) -> None:
        incident = story.incident.values
        if incident["crime_reference"]:
            self.by_crime_reference[incident["crime_reference"].lower()].append(story.case)
        day = timezone.localtime(incident["occurred_from"]).date()
        for party in story.parties.values():
            if party.values["last_name"]:
                key = (party.values["first_name"].lower(), party.values["last_name"].lower(), day)
                self.by_name_and_day[key].append(story.case)

    def _index_pks(self) -> None:
        """After a batch is written, keep plain keys in the index (the rows themselves can go)."""
        for index in (self.by_crime_reference, self.by_name_and_day):
            for key, items in index.items():
                # A row of a batch built but not yet stored has no key yet: it stays a row until it has.
                index[key] = [item.pk if isinstance(item, Row) and item.pk is not None else item for item in items]

    # --- the steps, as the services carry them out -------------------------------------------------

    def _refer(self, rows, s: _Story, step: Step, user) -> None:
        """What ``create_referral`` writes, its case fields and parties put through the same intake rules."""
        plan, actors, at = s.plan, self.actors, step.at
        route = actors.routes[plan.route]
        fields = intake._referral_fields(user, route, planned_case_fields(actors, plan))
        anonymous = route.code == intake.CENTRE_ROUTE and fields.get("report_kind") == "anonymous"
        parties = intake._clean_parties(user, anonymous, referral_parties(actors, plan))
        s.case = self._new(
            rows,
            Case,
            at,
            user,
            "referral received",
            reference=None,
            route_id=route.pk,
            partnership_id=actors.wards[plan.incident["ward"]].partnership_id,
            received_on=plan.received_on,
            referred_by_id=user.pk,
            rj_information_due_on=clocks.rj_information_due(plan.received_on, fields.get("enhanced_rights", False)),
            initial_contact_due_on=clocks.initial_contact_due(plan.received_on),
            state=Case.State.REFERRAL,
            state_changed_at=at,
            created_at=at,
            updated_at=at,
            **_attnames(Case, fields),
        )
        incident = dict(plan.incident)
        incident["ward_id"] = actors.wards[incident.pop("ward")].pk
        incident["crime_type_id"] = actors.crime_types[incident.pop("crime_type")].pk
        s.incident = self._new(rows, Incident, at, user, None, refs={"case": s.case}, **incident)
        self._set_m2m(s.incident, "strands", [actors.strands[code].pk for code in plan.strands], at, user, None)
        planned = [p for p in plan.parties if p.at_referral]
        if len(parties) != len(planned):
            raise ValueError(f"Case plan {plan.index}: intake added or dropped a party; the plan should name it.")
        for party, data in zip(planned, parties, strict=True):
            s.parties[party.key] = self._new(
                rows,
                Party,
                at,
                user,
                "party added",
                refs={"case": s.case},
                role=data.role,
                created_at=at,
                first_name=data.first_name,
                last_name=data.last_name,
                **_attnames(Party, data.extra),
            )
        s.case.m2m["possible_duplicate_of"] = self._possible_duplicates(s, list(s.parties.values()))
        self._new(
            rows,
            CaseTransition,
            at,
            user,
            None,
            refs={"case": s.case},
            name="refer",
            source="",
            target=Case.State.REFERRAL,
            by_id=user.pk,
            reason="Referral received",
            data={"route": plan.route},
            at=at,
        )

    def _allocate(self, rows, s: _Story, step: Step, user) -> None:
        facilitator_id = self.actors.user(step.data["facilitator"]).pk
        # As rjcases.services.allocate: a new facilitator's allocation time is when the case became new to them.
        new = {"allocated_at": step.at} if facilitator_id != s.case.values.get("facilitator_id") else {}
        self._change(
            s.case,
            step.at,
            user,
            "allocated",
            updated_at=step.at,
            facilitator_id=facilitator_id,
            co_facilitator_id=getattr(self.actors.user(step.data["co_facilitator"]), "pk", None),
            **new,
        )

    def _contact(self, rows, s: _Story, step: Step, user) -> None:
        d, at = step.data, step.at
        party = s.parties.get(d["party"]) if d["party"] else None
        self._new(
            rows,
            ContactAttempt,
            at,
            user,
            "contact logged",
            refs={"case": s.case, "party": party},
            at=at,
            method=d["method"],
            result=d["result"],
            rj_information_given=d["rj_information_given"],
            notes=d["notes"],
            by_id=user.pk,
            outside_safe_times_reason=safe_time_reason(party.values if party else None, at, d["method"]),
        )
        case, changed = s.case.values, {}
        day = timezone.localtime(at).date()
        if d["result"] == ContactAttempt.Result.REACHED and not case["initial_contact_on"]:
            changed["initial_contact_on"] = day
        if (
            d["rj_information_given"]
            and not case["rj_information_given_on"]
            and (party is None or party.values["role"] == Party.Role.HARMED)
        ):
            changed["rj_information_given_on"] = day
        if changed:
            self._change(s.case, at, user, "clock met", updated_at=at, **changed)

    def _note(self, rows, s: _Story, step: Step, user) -> None:
        self._new(
            rows,
            Note,
            step.at,
            user,
            "note added",
            refs={"case": s.case},
            author_id=user.pk,
            body=step.data["body"].strip(),
            created_at=step.at,
        )

    def _transition(self, rows, s: _Story, step: Step, user) -> None:
        """What ``take_transition`` writes, from the same ``move_effects``, applied to this story's rows."""
        at, case = step.at, s.case.values
        facts = Facts(
            activity=s.activity,
            activity_kind=s.activity.values["kind"] if s.activity else "",
            agreement=s.agreement,
            action_statuses=tuple(a.values["status"] for a in s.actions),
        )
        effects = move_effects(step.data["name"], case, clean_inputs(step.data["inputs"]), at, facts)
        if effects.activity:
            self._change(s.activity, at, user, None, **effects.activity)
        self._change(s.case, at, user, effects.change_reason, state=effects.target, updated_at=at, **effects.case)
        self._new(
            rows, CaseTransition, at, user, None, refs={"case": s.case}, by_id=user.pk, at=at, **effects.transition_row
        )

    def _add_party(self, rows, s: _Story, step: Step, user) -> None:
        planned = next(p for p in s.plan.parties if p.key == step.data["party"])
        refs = {"case": s.case, "supports": s.parties[planned.supports] if planned.supports else None}
        s.parties[planned.key] = self._new(
            rows,
            Party,
            step.at,
            user,
            "party added",
            refs=refs,
            role=planned.role,
            created_at=step.at,
            first_name=planned.fields["first_name"],
            last_name=planned.fields.get("last_name", ""),
            **_attnames(Party, party_fields(self.actors, planned)),
        )

    def _assess(self, rows, s: _Story, step: Step, user) -> None:
        key = step.data["party"]
        s.assessments[key] = self._new(
            rows,
            Assessment,
            step.at,
            user,
            "assessment recorded",
            refs={"party": s.parties[key]},
            assessor_id=user.pk,
            assessed_on=step.on,
            created_at=step.at,
            **step.data["fields"],
        )

    def _sign_off(self, rows, s: _Story, step: Step, user) -> None:
        self._change(
            s.assessments[step.data["party"]],
            step.at,
            user,
            "risk signed off",
            signed_off_by_id=user.pk,
            signed_off_at=step.at,
            sign_off_note=step.data["note"],
        )

    def _consent(self, rows, s: _Story, step: Step, user) -> None:
        d = step.data
        s.consents.append(
            self._new(
                rows,
                Consent,
                step.at,
                user,
                "consent recorded",
                refs={"party": s.parties[d["party"]]},
                purpose=d["purpose"],
                given_on=step.on,
                method=d["method"],
                recorded_by_id=user.pk,
                created_at=step.at,
            )
        )

    def _withdraw_consent(self, rows, s: _Story, step: Step, user) -> None:
        party = s.parties[step.data["party"]]
        active = [
            c
            for c in s.consents
            if c.refs["party"] is party
            and c.values["withdrawn_on"] is None
            and c.values["purpose"] == Consent.Purpose.PARTICIPATE
        ]
        if active:
            self._change(
                active[-1],
                step.at,
                user,
                "consent withdrawn",
                withdrawn_on=step.on,
                withdrawal_reason=step.data["reason"].strip(),
            )
