"""The named personas every test shares, as plain functions: ``tests/conftest.py``'s fixtures return them, and a
module that builds its data once (the URL walks, ``tests/urlwalk.py``) calls them inside its module-scoped
fixture. Who they are says what they may see. Calling one again returns a new user; the organisations are
found by name (``OrganisationFactory`` gets or creates), so every persona of a test shares them."""

from accounts import roles
from accounts.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory, partnership

ORGANISATIONS = {
    "rj_service": ("Test RJ Service", Organisation.Kind.RJ_SERVICE),
    "police_force": ("Test Police Trafford", Organisation.Kind.POLICE),
    "other_police_force": ("Test Police Elsewhere", Organisation.Kind.POLICE),
    "victim_service": ("Test Victim Service", Organisation.Kind.VICTIM_SERVICE),
    "reporting_centre": ("Test Reporting Centre", Organisation.Kind.REPORTING_CENTRE),
    "salford_service": ("Salford RJ Service", Organisation.Kind.RJ_SERVICE),
    "pcc_office": ("Test PCC Office", Organisation.Kind.OTHER),
}


def organisation(key: str) -> Organisation:
    name, kind = ORGANISATIONS[key]
    return OrganisationFactory(name=name, kind=kind)


def manager() -> User:
    return UserFactory(
        username="manager",
        first_name="Mona",
        last_name="Manager",
        organisation=organisation("rj_service"),
        role=roles.MANAGER,
    )


def facilitator() -> User:
    """A facilitator who will be allocated the case under test."""
    return UserFactory(
        username="facilitator",
        first_name="Fay",
        last_name="Facilitator",
        organisation=organisation("rj_service"),
        role=roles.FACILITATOR,
    )


def other_facilitator() -> User:
    """A facilitator with no case of their own."""
    return UserFactory(
        username="facilitator2",
        first_name="Otto",
        last_name="Otherfac",
        organisation=organisation("rj_service"),
        role=roles.FACILITATOR,
    )


def police_referrer() -> User:
    return UserFactory(
        username="police",
        first_name="Pat",
        last_name="Police",
        organisation=organisation("police_force"),
        role=roles.POLICE_REFERRER,
    )


def other_police_referrer() -> User:
    """A police referrer from another force: sees none of our force's referrals."""
    return UserFactory(
        username="police_other",
        first_name="Olly",
        last_name="Otherforce",
        organisation=organisation("other_police_force"),
        role=roles.POLICE_REFERRER,
    )


def caseworker() -> User:
    return UserFactory(
        username="caseworker",
        first_name="Cas",
        last_name="Caseworker",
        organisation=organisation("victim_service"),
        role=roles.CASEWORKER,
    )


def centre_staff() -> User:
    return UserFactory(
        username="centre",
        first_name="Cen",
        last_name="Centre",
        organisation=organisation("reporting_centre"),
        role=roles.CENTRE_STAFF,
    )


def administrator() -> User:
    return UserFactory(
        username="admin",
        first_name="Ada",
        last_name="Admin",
        organisation=organisation("rj_service"),
        role=roles.ADMINISTRATOR,
        is_staff=True,
    )


# A second partnership (issue 19): Salford, beside the default Trafford every persona above works for.


def salford_manager() -> User:
    return UserFactory(
        username="salford_manager",
        first_name="Sal",
        last_name="Manager",
        organisation=organisation("salford_service"),
        role=roles.MANAGER,
        partnerships=[partnership("salford")],
    )


def salford_facilitator() -> User:
    return UserFactory(
        username="salford_facilitator",
        first_name="Sef",
        last_name="Facilitator",
        organisation=organisation("salford_service"),
        role=roles.FACILITATOR,
        partnerships=[partnership("salford")],
    )


def salford_administrator() -> User:
    return UserFactory(
        username="salford_admin",
        first_name="Sad",
        last_name="Admin",
        organisation=organisation("salford_service"),
        role=roles.ADMINISTRATOR,
        is_staff=True,
        partnerships=[partnership("salford")],
    )


def regional_lead() -> User:
    return UserFactory(
        username="regional",
        first_name="Reg",
        last_name="Lead",
        organisation=organisation("pcc_office"),
        role=roles.REGIONAL_LEAD,
        partnerships=[],
    )
