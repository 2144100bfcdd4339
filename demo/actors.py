"""The demo users, organisations and reference rows a plan names, looked up once per run."""

from __future__ import annotations

from django.core.management.base import CommandError

from accounts.models import Organisation, User
from demo.plan.partnerships import SALFORD_STAFF
from rjcases.models import CrimeType, HateStrand, ReferralRoute, Ward

DEMO_USERNAMES = (
    "manager",
    "facilitator",
    "facilitator2",
    "police",
    "police_other",
    "caseworker",
    "centre",
    "admin",
    *SALFORD_STAFF.values(),
    "regional",  # the regional lead (the PCC's office): reads insights across partnerships, seeds nothing
)


class Actors:
    """Users by username, the organisations plans refer to by role, and reference data by code."""

    def __init__(self):
        users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related("groups")}
        missing = [name for name in DEMO_USERNAMES if name not in users]
        if missing:
            raise CommandError(
                f"The demo users are missing ({', '.join(missing)}). Load them first: "
                "python manage.py loaddata reference demo_users (make demo does this)."
            )
        self.users = users
        self.wards = {w.code: w for w in Ward.objects.all()}
        self.strands = {s.code: s for s in HateStrand.objects.all()}
        self.crime_types = {c.code: c for c in CrimeType.objects.all()}
        self.routes = {r.code: r for r in ReferralRoute.objects.all()}
        if len(self.wards) < 21 or not (self.strands and self.crime_types and self.routes):
            raise CommandError(
                "The reference data (wards, hate strands, crime types, referral routes) is missing or incomplete. "
                "Load it first: python manage.py loaddata reference (make demo does this)."
            )
        from demo import plan

        needed = [
            (self.wards, plan.WARDS),
            (self.strands, plan.STRANDS),
            (self.crime_types, plan.CRIME_TYPES),
            (self.routes, plan.ROUTES),
        ]
        unknown = sorted(code for rows, codes in needed for code in codes if code not in rows)
        if unknown:
            raise CommandError(f"Reference data has no row for: {', '.join(unknown)}. Load fixtures/reference.json.")
        centre = users["centre"].organisation
        other_centre = (
            Organisation.objects.filter(kind=Organisation.Kind.REPORTING_CENTRE)
            .exclude(pk=centre.pk)
            .order_by("pk")
            .first()
        ) or centre
        self.organisations = {
            "centre_stretford": centre,
            "centre_altrincham": other_centre,
            "victim_service": users["caseworker"].organisation,
            "centre_eccles": users["salford_centre"].organisation,
        }

    def user(self, username: str | None):
        return self.users[username] if username else None

    def manager_of(self, partnership_id: int):
        """The demo manager of a partnership (Trafford's, or Salford's)."""
        salford = self.users[SALFORD_STAFF["manager"]]
        return salford if partnership_id in salford.partnership_ids else self.users["manager"]
