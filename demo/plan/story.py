"""One case's plan: the referral, then the steps of its story through the workflow up to its final scenario."""

from __future__ import annotations

from datetime import timedelta
from random import Random

from demo import people, texts
from demo.plan.parts import StoryParts
from demo.plan.records import CasePlan, PartyPlan, Step, local_time
from demo.plan.spread import REACHES, SECOND_STRAND, STRANDS, weighted
from rjcases import clocks


class CaseStory(StoryParts):
    """Writes one case's plan: the referral, then the steps of its story up to its final scenario."""

    # --- the plan --------------------------------------------------------------------------------

    def build(self) -> CasePlan:
        rng, planner = self.rng, self.planner
        duplicate_of = None
        if self.scenario in ("referral", "referral_declined") and self.index >= 1 and rng.random() < 0.15:
            duplicate_of = self.index - rng.randint(1, min(self.index, 25))
        ident = planner.identity(duplicate_of if duplicate_of is not None else self.index)
        self.route = ident.route if duplicate_of is None else _other_route(rng, ident.route)
        self.ward = ident.ward
        strands = [weighted(rng, STRANDS)]
        if strands[0] in SECOND_STRAND and rng.random() < 0.1:
            strands.append(SECOND_STRAND[strands[0]])
        self.strands = strands
        incident = self.incident(ident, strands)
        case_fields, referrer = self.referral_source()
        if rng.random() < 0.3:
            case_fields["enhanced_rights"] = True
            case_fields["enhanced_rights_reason"] = rng.choice(
                ("Persistently targeted", "Vulnerable or intimidated victim", "Victim of a serious crime")
            )

        origins = {o.code: o for o in people.ORIGINS}
        anonymous = case_fields.get("report_kind") == "anonymous"
        harmed = [
            self.person("harmed", "h1", origins[ident.harmed_origin], ident.harmed_first, ident.harmed_last, strands)
        ]
        if anonymous:
            harmed[0].fields = {
                "first_name": "Anonymous",
                "last_name": "",
                "preferred_contact_method": "",
                "language": "English",
            }
        elif rng.random() < 0.1:
            harmed.append(self.person("harmed", "h2", strands=strands))
        responsible = [self.person("responsible", "r1")]
        if rng.random() < 0.1:
            responsible.append(self.person("responsible", "r2"))
        for party in harmed:
            if not anonymous and (self.route == "victim-service" or rng.random() < 0.2):
                party.caseworker = True
                if rng.random() < 0.3:
                    party.fields["preferred_contact_method"] = "via_caseworker"
        parties = harmed + responsible
        if len(responsible) > 1 and rng.random() < 0.3:
            responsible[1].fields["participating"] = False
        self.parties = parties
        self.plan = CasePlan(
            self.index,
            self.scenario,
            self.received_on,
            self.route,
            referrer,
            case_fields,
            incident,
            strands,
            parties,
            duplicate_of=duplicate_of,
        )
        self.story()
        self._fix_times()
        self.plan.steps = self.steps
        return self.plan

    # --- the story -------------------------------------------------------------------------------

    def story(self) -> None:
        rng, scenario = self.rng, self.scenario
        self.add("refer", by=self.plan.referrer)
        self.facilitator = "facilitator" if rng.random() < 0.7 else "facilitator2"
        other = "facilitator2" if self.facilitator == "facilitator" else "facilitator"
        self.co_facilitator = other if rng.random() < 0.2 else None
        self.allocated = False
        self.harmed = [p for p in self.parties if p.role == "harmed"]
        self.participants = [p for p in self.parties if p.role != "supporter" and p.fields.get("participating", True)]
        reaches = REACHES.get(scenario)
        withdraw_at = None
        if scenario == "withdrawn":
            withdraw_at = rng.choices(range(5), [25, 35, 20, 12, 8])[0]
            reaches = withdraw_at
        self.first_contact(open_referral=scenario == "referral")
        if reaches == 0:
            if scenario == "referral":
                if rng.random() < 0.5 and self.age > 2:
                    self.wait(0.5, 5)
                    self.allocate()
                if rng.random() < 0.3:
                    self.note("manager")
            elif scenario == "referral_declined":
                self.wait(1, 8)
                reasons = texts.DECLINE_REASONS
                reason = reasons[1] if self.plan.duplicate_of is not None else rng.choice(reasons)
                self.add("transition", name="decline", by="manager", inputs={"reason": reason})
            else:
                self.withdraw(stage=0)
            return
        self.wait(0.5, 6)
        self.allocate()
        self.wait(0, 2)
        self.add("transition", name="accept", by="manager", inputs={"note": ""})
        self.assessment(final=reaches == 1 and scenario != "withdrawn")
        if scenario == "not_suitable":
            self.wait(1, 7)
            self.add(
                "transition", name="find_unsuitable", by=self.facilitator, inputs={"reason": self.unsuitable_reason}
            )
            self.closure(had_activity=False)
            return
        if withdraw_at == 1:
            self.withdraw(stage=1)
            return
        if reaches == 1:
            return
        self.wait(1, 7)
        self.add("transition", name="find_suitable", by=self.facilitator, inputs={"note": ""})
        self.preparation(final=reaches == 2)
        if withdraw_at == 2:
            self.withdraw(stage=2)
            return
        if reaches == 2:
            return
        took_place = scenario != "conferencing" or rng.random() < 0.3
        self.conferencing(take_place=took_place and withdraw_at != 3)
        if withdraw_at == 3:
            self.withdraw(stage=3)
            return
        if scenario == "conferencing":
            if took_place:
                self.draft_agreement()
            return
        if scenario in ("no_agreement_needed", "no_agreement_reached"):
            self.wait(0, 5)
            self.add(
                "transition",
                name="conclude",
                by=self.facilitator,
                inputs={"outcome": scenario, "summary": "Activity held; closed without an agreement."},
            )
            self.closure(had_activity=True)
            return
        self.draft_agreement()
        self.wait(0, 3)
        self.add("transition", name="record_agreement", by=self.facilitator, inputs={"note": ""})
        self.monitoring()
        if withdraw_at == 4:
            self.withdraw(stage=4)
            return
        if scenario == "agreement":
            return
        self.wait(1, 10)
        self.add(
            "transition",
            name="complete",
            by=self.facilitator,
            inputs={"summary": "Monitoring finished; the actions were followed up."},
        )
        self.closure(had_activity=True)

    def first_contact(self, open_referral: bool) -> None:
        """Telling the person harmed about RJ: usually within the Victims' Code time, sometimes late or not yet."""
        rng = self.rng
        target = next((p for p in self.harmed if p.fields.get("first_name") != "Anonymous"), None)
        if target is None or (open_referral and rng.random() < (0.6 if self.age < 4 else 0.25)):
            return
        due = clocks.rj_information_due(self.received_on, self.plan.case_fields.get("enhanced_rights", False))
        due_days = max(1, (due - self.received_on).days)
        on_time = rng.random() < 0.7
        start = self.day
        if rng.random() < 0.35:
            self.day = start + rng.uniform(0.05, 0.5 * due_days)
            result = "no_answer" if target.fields.get("no_messages") else rng.choice(("no_answer", "message_left"))
            self.add(
                "contact",
                by="manager",
                party=target.key,
                method="phone",
                result=result,
                rj_information_given=False,
                notes="",
            )
        low = self.day - start
        self.day = start + (rng.uniform(low, 0.9 * due_days) if on_time else due_days + rng.uniform(1, 10))
        self.add(
            "contact",
            by="manager",
            party=target.key,
            method="via_caseworker" if target.caseworker and rng.random() < 0.5 else "phone",
            result="reached",
            rj_information_given=True,
            notes="Explained restorative justice and sent the leaflet.",
        )
        self.day = start

    def allocate(self) -> None:
        self.add("allocate", by="manager", facilitator=self.facilitator, co_facilitator=self.co_facilitator)
        self.allocated = True

    def note(self, author: str) -> None:
        self.add("note", by=author, body=self.rng.choice(texts.NOTE_BODIES))

    def assessment(self, final: bool) -> None:
        rng, fac = self.rng, self.facilitator
        self.unsuitable_reason = rng.choice(texts.UNSUITABLE_REASONS)
        for party in self.participants:
            if party.role == "responsible":
                self.wait(0.5, 5)
                self.add(
                    "contact",
                    by=fac,
                    party=party.key,
                    method=rng.choice(("phone", "letter", "visit")),
                    result="reached",
                    rj_information_given=True,
                    notes="First contact with the person responsible.",
                )
        if rng.random() < 0.2:
            self.wait(0, 3)
            supported = rng.choice(self.participants)
            supporter = self.person("supporter", "s1")
            supporter.supports, supporter.at_referral = supported.key, False
            self.parties.append(supporter)
            self.add("add_party", by=fac, party="s1")
        reopen = self.scenario not in ("not_suitable", "withdrawn") and rng.random() < 0.04
        to_assess = list(self.participants)
        if final:
            to_assess = to_assess[: rng.randint(0, len(to_assess))]
        high = rng.random() < 0.1
        for n, party in enumerate(to_assess):
            self.wait(1, 8)
            self.assess(party, high_risk=high and n == 0)
            if party.role == "harmed" and rng.random() < 0.5:
                self.add("wellbeing", by=fac, party=party.key, stage="before", answers=_answers(rng, 2.6))
            if n == 0 and reopen:
                self.reopen_after_withdrawal(party)
        if high and to_assess and not (final and rng.random() < 0.5):
            self.wait(0.5, 3)
            self.add("sign_off", by="manager", party=to_assess[0].key, note="Mitigations agreed; safe to proceed.")
        if rng.random() < 0.5:
            self.wait(0, 3)
            self.note(fac)
        if any(p.caseworker for p in self.harmed) and rng.random() < 0.3:
            self.note("caseworker")

    def assess(self, party: PartyPlan, high_risk: bool) -> None:
        rng, fac = self.rng, self.facilitator
        unsuitable = self.scenario == "not_suitable" and party.role == "responsible"
        risk = "high" if high_risk else rng.choices(["low", "medium"], [65, 35])[0]
        fields = {
            "risk_level": risk,
            "willing": not (unsuitable and "willing" in self.unsuitable_reason),
            "risk_factors": rng.choice(texts.RISK_FACTORS) if risk != "low" else "",
            "mitigations": rng.choice(texts.MITIGATIONS) if risk != "low" else "",
        }
        if party.role == "responsible":
            denies = unsuitable and "denies" in self.unsuitable_reason
            fields["acknowledges_facts"] = not denies
            fields["accepts_responsibility"] = not denies
        self.add("assess", by=fac, party=party.key, fields=fields)
        if unsuitable:
            return
        self.wait(0, 4)
        by = "caseworker" if party.caseworker and rng.random() < 0.4 else fac
        self.add(
            "consent",
            by=by,
            party=party.key,
            purpose="participate",
            method=rng.choice(("signed_form", "signed_form", "email", "recorded_verbal", "online")),
        )
        if party.role == "harmed" and rng.random() < 0.4:
            self.add("consent", by=by, party=party.key, purpose="feedback", method="signed_form")

    def reopen_after_withdrawal(self, party: PartyPlan) -> None:
        """The person harmed pulls out, then asks to carry on: withdrawal, reopening and fresh consent."""
        rng = self.rng
        self.wait(1, 5)
        self.add("withdraw_consent", by=self.facilitator, party=party.key, reason="Felt it was too soon.")
        self.add(
            "transition",
            name="withdraw",
            by=self.facilitator,
            inputs={"withdrawn_by": "person harmed", "reason": "Felt it was too soon."},
        )
        self.wait(5, 20)
        self.add(
            "transition",
            name="reopen",
            by="manager",
            inputs={"reason": "The person harmed asked to carry on with restorative justice."},
        )
        self.wait(0, 3)
        self.add(
            "consent",
            by=self.facilitator,
            party=party.key,
            purpose="participate",
            method=rng.choice(("signed_form", "recorded_verbal")),
        )

    def preparation(self, final: bool) -> None:
        rng, fac = self.rng, self.facilitator
        for party in self.participants:
            for _ in range(rng.randint(1, 2)):
                self.wait(1, 7)
                self.add(
                    "prep_contact",
                    by=fac,
                    party=party.key,
                    method=rng.choice(("in_person", "in_person", "phone", "video")),
                    attendees="The facilitator and the person"
                    + (" with their supporter" if rng.random() < 0.3 else ""),
                    notes="Talked through what will happen and what they want to say.",
                    interpreter_arranged=bool(party.fields.get("interpreter_needed")),
                    adjustments_arranged=party.fields.get("other_adjustments", ""),
                )
        if rng.random() < 0.4:
            self.note(fac)
        if final and rng.random() < 0.5:
            self.wait(1, 5)
            self.plan_activity(future=True)

    def plan_activity(self, future: bool) -> Step:
        rng = self.rng
        kind = rng.choices(
            ["direct_conference", "shuttle", "letter", "recorded_message", "community_conference"], [45, 25, 15, 5, 10]
        )[0]
        face_to_face = kind in ("direct_conference", "community_conference")
        town = people.DISTRICTS[people.WARD_DISTRICT[self.ward]]
        interpreters = [
            p.fields["interpreter_language"] for p in self.participants if p.fields.get("interpreter_needed")
        ]
        step = self.add(
            "plan_activity",
            by=self.facilitator,
            kind=kind,
            duration_minutes=rng.choice((60, 90, 120)) if face_to_face else None,
            venue=rng.choice(texts.VENUES).format(town=town) if face_to_face else "",
            method=""
            if face_to_face
            else {
                "shuttle": "Shuttle by phone through the facilitator",
                "letter": "Letter passed on by the facilitator",
                "recorded_message": "Recorded video message",
            }[kind],
            lead=self.facilitator,
            co=self.co_facilitator,
            invited=[p.key for p in self.participants],
            interpreter_booked=bool(interpreters),
            interpreter_language=interpreters[0] if interpreters else "",
        )
        # Everyone invited who needs an interpreter has one booked and confirmed before the activity is.
        for party in self.participants:
            if party.fields.get("interpreter_needed"):
                language = party.fields["interpreter_language"]
                self.add(
                    "book_interpreter",
                    by=self.facilitator,
                    party=party.key,
                    language=language,
                    provider=rng.choice(texts.INTERPRETER_AGENCIES),
                    registration_number=f"{rng.randint(1000000, 9999999)}" if "Sign" in language else "",
                    cost_pence=rng.choice((9000, 12000, 15000, 18000)),
                )
        hour = rng.choice((10, 11, 14, 15, 17))
        if future:
            ahead = rng.randint(3, 30)
            self.later.append(
                lambda: step.data.__setitem__(
                    "scheduled_for", local_time(self.planner.as_of + timedelta(days=ahead), hour * 60)
                )
            )
        else:
            step.data["scheduled_for"] = None  # set from the day it took place (or was cancelled)
            step.data["_hour"] = hour
        return step

    def conferencing(self, take_place: bool) -> None:
        rng, fac = self.rng, self.facilitator
        planned = self.plan_activity(future=not take_place)
        self.wait(0, 2)
        self.add("transition", name="schedule_activity", by=fac, inputs={"note": ""})
        if rng.random() < 0.08:
            self.wait(1, 10)
            cancel = self.add(
                "transition", name="cancel_activity", by=fac, inputs={"reason": rng.choice(texts.CANCEL_REASONS)}
            )
            self._schedule_on(planned, cancel)
            self.wait(1, 7)
            planned = self.plan_activity(future=not take_place)
            self.wait(0, 2)
            self.add("transition", name="schedule_activity", by=fac, inputs={"note": ""})
        if not take_place:
            return
        self.wait(3, 21)
        held = self.add(
            "hold_activity",
            by=fac,
            attended=[p.key for p in self.participants],
            summary=rng.choice(
                (
                    "Both parties spoke and listened.",
                    "The person responsible explained and apologised.",
                    "Messages were passed both ways through the facilitator.",
                )
            ),
            agreement_reached=self.scenario not in ("no_agreement_needed", "no_agreement_reached"),
        )
        self._schedule_on(planned, held)

    def _schedule_on(self, planned: Step, event: Step) -> None:
        """An activity's date is the day it took place (or was due before it was cancelled)."""
        if planned.data.get("scheduled_for", 0) is None:
            hour = planned.data.pop("_hour")
            self.later.append(
                lambda: planned.data.__setitem__(
                    "scheduled_for",
                    local_time(event.on, hour * 60)
                    if event.kind == "hold_activity"
                    else local_time(event.on + timedelta(days=2), hour * 60),
                )
            )

    def draft_agreement(self) -> None:
        rng = self.rng
        self.wait(0, 1)
        signatories = [p.key for p in self.participants]
        saved = self.add("save_agreement", by=self.facilitator, signatories=signatories, notes="")
        scenario = self.scenario
        count = rng.randint(2 if scenario == "agreement_partly_fulfilled" else 1, 4)
        responsible = [p for p in self.participants if p.role == "responsible"]
        self.actions = []
        for n in range(count):
            kind = "apology" if n == 0 else rng.choice(("reparation", "education", "behaviour", "community_work"))
            step = self.add(
                "add_action",
                by=self.facilitator,
                kind=kind,
                what=rng.choice(texts.ACTION_TEXTS[kind]),
                how_checked=rng.choice(texts.ACTION_CHECKS),
                responsible=rng.choice(responsible).key,
                due_on=None,
            )
            self._due_after(step, saved, rng.randint(14, 60))
            self.actions.append(step)

    def _due_after(self, action: Step, saved: Step, days: int) -> None:
        self.later.append(lambda: action.data.__setitem__("due_on", saved.on + timedelta(days=days)))

    def monitoring(self) -> None:
        rng, fac, scenario = self.rng, self.facilitator, self.scenario
        count = len(self.actions)
        if scenario == "agreement_fulfilled":
            statuses = ["done"] * count
        elif scenario == "agreement_partly_fulfilled":
            statuses = ["done"] + ["missed"] + [rng.choice(("done", "missed")) for _ in range(count - 2)]
        elif scenario == "agreement_breached":
            statuses = ["missed"] * count
        else:
            statuses = [rng.choice(("done", "missed", None, None)) for _ in range(count)]
            statuses[-1] = None
        for n, status in enumerate(statuses):
            if rng.random() < 0.5:
                self.wait(3, 14)
                who = rng.choice(self.participants)
                # No email to someone who must not be left messages: the service refuses it.
                methods = ("phone", "in_person", "via_caseworker")
                if not who.fields.get("no_messages"):
                    methods += ("email",)
                self.add(
                    "follow_up",
                    by=fac,
                    party=who.key,
                    action=n,
                    method=rng.choice(methods),
                    notes="Checked progress with the person; on track.",
                )
            if status is None:
                continue
            self.wait(5, 25)
            if status == "done":
                self.add(
                    "action_done",
                    by=fac,
                    action=n,
                    evidence_note="Confirmed by the facilitator.",
                    told_method=rng.choice(("phone", "letter", "via_caseworker")),
                )
            else:
                self.add(
                    "action_missed",
                    by=fac,
                    action=n,
                    evidence_note="Not done by the date agreed; the person responsible did not reply.",
                )

    def closure(self, had_activity: bool) -> None:
        rng = self.rng
        if not had_activity:
            return
        for party in self.participants:
            chance = 0.75 if party.role == "harmed" else 0.45
            if rng.random() > chance:
                continue
            self.wait(0, 6)
            by = "caseworker" if party.caseworker and rng.random() < 0.5 else self.facilitator
            if rng.random() < 0.1:
                self.add("feedback", by=by, party=party.key, refused=True)
            else:
                satisfied = rng.random() < 0.85
                self.add(
                    "feedback",
                    by=by,
                    party=party.key,
                    refused=False,
                    satisfied=satisfied,
                    would_recommend=satisfied and rng.random() < 0.92,
                    felt=rng.choices(["better", "same", "worse"], [62, 36, 2])[0],
                    felt_safe=rng.random() < 0.85,
                    felt_heard=rng.random() < 0.9,
                    comments=rng.choice(
                        ("", "", "It helped to be listened to.", "Glad it is over.", "I wish it had happened sooner.")
                    ),
                )
            if party.role == "harmed" and rng.random() < 0.6:
                self.add("wellbeing", by=by, party=party.key, stage="after", answers=_answers(rng, 3.6))

    def withdraw(self, stage: int) -> None:
        rng = self.rng
        who, reason = rng.choice(texts.WITHDRAW_REASONS[:4])
        if stage == 0:
            if self.plan.referrer in ("police", "police_other", "centre") and rng.random() < 0.5:
                by = self.plan.referrer
                who, reason = texts.WITHDRAW_REASONS[4]
            else:
                by = "manager"
        else:
            options = [self.facilitator] * 7 + ["manager"] * 2
            if any(p.caseworker for p in self.harmed) and who == "person harmed":
                options += ["caseworker"] * 2
            by = rng.choice(options)
            party = next((p for p in self.participants if (p.role == "harmed") == (who == "person harmed")), None)
            if party is not None and rng.random() < 0.6:
                self.wait(0.5, 5)
                self.add(
                    "withdraw_consent",
                    by=self.facilitator if by != "caseworker" else "caseworker",
                    party=party.key,
                    reason=reason,
                )
        self.wait(0.5, 6)
        self.add("transition", name="withdraw", by=by, inputs={"withdrawn_by": who, "reason": reason})


def _answers(rng: Random, centre: float) -> dict[str, int]:
    return {
        key: max(1, min(5, round(rng.gauss(centre, 0.9))))
        for key in ("safe", "daily_life", "calm", "supported", "hopeful")
    }


def _other_route(rng: Random, route: str) -> str:
    return rng.choice([r for r in ("police", "victim-service", "reporting-centre") if r != route])
