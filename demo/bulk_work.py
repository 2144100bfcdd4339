"""The bulk writer's steps of the restorative work: preparation, the activity, the agreement, follow-up,
feedback and wellbeing (the steps ``conferences.services`` performs one by one).

A mixin of ``demo.bulk.BulkWriter``: each step adds the rows the service would write, through the writer's
``_new``, ``_change`` and ``_set_m2m``, which keep the history rows too.
"""

from __future__ import annotations

from conferences.models import (
    Activity,
    Agreement,
    AgreementAction,
    Feedback,
    FollowUp,
    InterpreterBooking,
    PreparationContact,
    WellbeingMeasure,
)
from conferences.services import CURRENT_WELLBEING_VERSION, FEEDBACK_WORDING_VERSION
from demo.bulk_rows import _Story
from demo.plan import Step
from demo.walk import safe_time_reason
from rjcases.models import Party
from rjcases.needs import BSL, is_bsl


class RestorativeWorkSteps:
    """Steps after suitability; ``BulkWriter`` provides ``_new``, ``_change``, ``_set_m2m`` and ``actors``."""

    def _prep_contact(self, rows, s: _Story, step: Step, user) -> None:
        d = step.data
        self._new(
            rows,
            PreparationContact,
            step.at,
            user,
            "preparation contact recorded",
            refs={"case": s.case, "party": s.parties[d["party"]]},
            held_on=step.on,
            method=d["method"],
            attendees=d["attendees"].strip(),
            notes=d["notes"].strip(),
            interpreter_arranged=d["interpreter_arranged"],
            adjustments_arranged=d["adjustments_arranged"].strip(),
            by_id=user.pk,
            created_at=step.at,
            outside_safe_times_reason=safe_time_reason(s.parties[d["party"]].values, step.on, d["method"]),
        )

    def _plan_activity(self, rows, s: _Story, step: Step, user) -> None:
        d, at = step.data, step.at
        lead = self.actors.user(d["lead"]) if d["lead"] else None
        s.activity = self._new(
            rows,
            Activity,
            at,
            user,
            "activity planned",
            refs={"case": s.case, "supersedes": None},
            kind=d["kind"],
            scheduled_for=d["scheduled_for"],
            duration_minutes=d["duration_minutes"],
            venue=d["venue"].strip(),
            method=d["method"].strip(),
            lead_facilitator_id=lead.pk if lead else s.case.values["facilitator_id"],
            co_facilitator_id=getattr(self.actors.user(d["co"]), "pk", None),
            status=Activity.Status.PLANNED,
            interpreter_booked=d["interpreter_booked"],
            interpreter_language=d["interpreter_language"].strip(),
            created_at=at,
        )
        self._set_m2m(s.activity, "invited", [s.parties[k] for k in d["invited"]], at, user, "activity planned")

    def _book_interpreter(self, rows, s: _Story, step: Step, user) -> None:
        d = step.data
        language = d["language"]
        self._new(
            rows,
            InterpreterBooking,
            step.at,
            user,
            "interpreter booked and confirmed",
            refs={"activity": s.activity, "party": s.parties[d["party"]]},
            language=BSL if is_bsl(language) else " ".join(language.split()),
            provider=" ".join(d["provider"].split()),
            registration_number=d["registration_number"],
            cost_pence=d["cost_pence"],
            confirmed=True,
            confirmed_on=step.on,
            booked_by_id=user.pk,
            created_at=step.at,
        )

    def _hold_activity(self, rows, s: _Story, step: Step, user) -> None:
        d, at = step.data, step.at
        self._change(
            s.activity,
            at,
            user,
            "activity took place",
            status=Activity.Status.TOOK_PLACE,
            took_place_on=step.on,
            summary=d["summary"].strip(),
            agreement_reached=d["agreement_reached"],
            others_attended="",
        )
        self._set_m2m(s.activity, "attended", [s.parties[k] for k in d["attended"]], at, user, "activity took place")

    def _save_agreement(self, rows, s: _Story, step: Step, user) -> None:
        at = step.at
        s.agreement = self._new(
            rows,
            Agreement,
            at,
            user,
            "agreement recorded",
            refs={"case": s.case, "activity": s.activity},
            signed_on=step.on,
            notes=step.data["notes"].strip(),
            created_at=at,
        )
        self._set_m2m(
            s.agreement, "signatories", [s.parties[k] for k in step.data["signatories"]], at, user, "agreement recorded"
        )

    def _add_action(self, rows, s: _Story, step: Step, user) -> None:
        d = step.data
        s.actions.append(
            self._new(
                rows,
                AgreementAction,
                step.at,
                user,
                "action added",
                refs={"agreement": s.agreement, "responsible_party": s.parties[d["responsible"]]},
                kind=d["kind"],
                who="",
                what=d["what"].strip(),
                due_on=d["due_on"],
                how_checked=d["how_checked"].strip(),
            )
        )

    def _follow_up(self, rows, s: _Story, step: Step, user) -> None:
        d = step.data
        self._new(
            rows,
            FollowUp,
            step.at,
            user,
            "follow-up recorded",
            refs={"case": s.case, "party": s.parties[d["party"]], "action": s.actions[d["action"]]},
            at=step.at,
            method=d["method"],
            notes=d["notes"].strip(),
            by_id=user.pk,
            kind=FollowUp.Kind.MONITORING,
            outside_safe_times_reason=safe_time_reason(s.parties[d["party"]].values, step.at, d["method"]),
        )

    def _action_done(self, rows, s: _Story, step: Step, user) -> None:
        d = step.data
        action = s.actions[d["action"]]
        self._change(
            action,
            step.at,
            user,
            "action done",
            status=AgreementAction.Status.DONE,
            resolved_on=step.on,
            evidence_note=d["evidence_note"].strip(),
        )
        harmed = [p for p in s.parties.values() if p.values["role"] == Party.Role.HARMED and p.values["participating"]]
        for party in harmed:
            self._new(
                rows,
                FollowUp,
                step.at,
                user,
                "person harmed told an action is done",
                refs={"case": s.case, "party": party, "action": action},
                at=step.at,
                method=d["told_method"],
                kind=FollowUp.Kind.ACTION_DONE_NOTICE,
                by_id=user.pk,
                notes=f"Told the person harmed the action is done: {action.values['what']}",
            )

    def _action_missed(self, rows, s: _Story, step: Step, user) -> None:
        self._change(
            s.actions[step.data["action"]],
            step.at,
            user,
            "action missed",
            status=AgreementAction.Status.MISSED,
            resolved_on=step.on,
            evidence_note=step.data["evidence_note"].strip(),
        )

    def _feedback(self, rows, s: _Story, step: Step, user) -> None:
        d = step.data
        answers = {k: d.get(k) for k in ("satisfied", "would_recommend", "felt_safe", "felt_heard")}
        self._new(
            rows,
            Feedback,
            step.at,
            user,
            "feedback declined" if d["refused"] else "feedback recorded",
            refs={"case": s.case, "party": s.parties[d["party"]]},
            wording_version=FEEDBACK_WORDING_VERSION,
            refused=d["refused"],
            felt=d.get("felt", ""),
            comments=d.get("comments", "").strip(),
            recorded_on=step.on,
            recorded_by_id=user.pk,
            **answers,
        )

    def _wellbeing(self, rows, s: _Story, step: Step, user) -> None:
        d = step.data
        self._new(
            rows,
            WellbeingMeasure,
            step.at,
            user,
            f"wellbeing {d['stage']}",
            refs={"case": s.case, "party": s.parties[d["party"]]},
            stage=d["stage"],
            wording_version=CURRENT_WELLBEING_VERSION,
            answers={k: int(v) for k, v in d["answers"].items()},
            recorded_on=step.on,
            recorded_by_id=user.pk,
        )
