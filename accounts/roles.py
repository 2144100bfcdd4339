"""Roles (kept as Groups) and the plain predicates that object-level rules use.

A predicate takes a user (and, for object rules, the object) and answers yes or no. Case-level rules
live beside the case model; these are the role facts they are built from.
"""

from django.contrib.auth.models import Group, Permission

FACILITATOR = "facilitator"
MANAGER = "manager"
POLICE_REFERRER = "police_referrer"
CASEWORKER = "victim_caseworker"
CENTRE_STAFF = "reporting_centre_staff"
ADMINISTRATOR = "administrator"
REGIONAL_LEAD = "regional_lead"

ROLE_LABELS = {
    FACILITATOR: "RJ facilitator",
    MANAGER: "RJ manager (case supervisor)",
    POLICE_REFERRER: "Police referrer",
    CASEWORKER: "Victim's caseworker",
    CENTRE_STAFF: "Reporting centre staff",
    ADMINISTRATOR: "Administrator",
    REGIONAL_LEAD: "Regional lead (police and crime commissioner's office)",
}

# Model-level permissions per role, as "app_label.codename". Object-level scoping is separate.
_CASE_WORK = [
    "rjcases.view_case",
    "rjcases.add_case",
    "rjcases.change_case",
    "rjcases.view_party",
    "rjcases.add_party",
    "rjcases.change_party",
    "rjcases.add_note",
    "rjcases.view_note",
    "rjcases.add_consent",
    "rjcases.change_consent",
    "rjcases.add_assessment",
    "rjcases.change_assessment",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    FACILITATOR: _CASE_WORK,
    MANAGER: _CASE_WORK
    + ["rjcases.allocate_case", "rjcases.sign_off_risk", "rjcases.view_readaccess", "accounts.view_securityevent"],
    POLICE_REFERRER: ["rjcases.add_case", "rjcases.view_case"],
    CASEWORKER: ["rjcases.view_case", "rjcases.add_consent", "rjcases.add_note"],
    CENTRE_STAFF: ["rjcases.add_case", "rjcases.view_case"],
    ADMINISTRATOR: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_organisation",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "accounts.view_partnership",
        "accounts.change_partnership",
        "api.view_apitoken",
        "api.add_apitoken",
        "api.change_apitoken",
        "letters.view_letterhead",
        "letters.change_letterhead",
        # Reference data; no case data, which administrators neither read nor change.
        *[
            f"rjcases.{action}_{model}"
            for model in ("ward", "hatestrand", "crimetype", "referralroute")
            for action in ("view", "add", "change")
        ],
        *[
            f"insights.{action}_{model}"
            for model in ("reportingcentre", "trainedstaffmember")
            for action in ("view", "add", "change")
        ],
        # The retention schedule (reference data, with history).
        *[f"privacy.{action}_retentionrule" for action in ("view", "add", "change")],
        "accounts.view_securityevent",
        "axes.view_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    ],
    # Figures across every partnership (insights), never a case: no case permission at all.
    REGIONAL_LEAD: [],
}


def ensure_roles() -> None:
    """Create every role group and set exactly its permissions; safe to run any number of times."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def ensure_roles_after_migrate(sender, **kwargs) -> None:
    """Set the roles up once every app's permissions exist: after the last app has migrated."""
    from django.apps import apps

    # post_migrate is sent only for apps with a models module.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        ensure_roles()


def has_role(user, role: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and role in user.role_names)


def is_manager(user) -> bool:
    return has_role(user, MANAGER)


def is_facilitator(user) -> bool:
    return has_role(user, FACILITATOR)


def is_police_referrer(user) -> bool:
    return has_role(user, POLICE_REFERRER)


def is_caseworker(user) -> bool:
    return has_role(user, CASEWORKER)


def is_centre_staff(user) -> bool:
    return has_role(user, CENTRE_STAFF)


def is_administrator(user) -> bool:
    return has_role(user, ADMINISTRATOR) or bool(user and user.is_authenticated and user.is_superuser)


def is_regional_lead(user) -> bool:
    return has_role(user, REGIONAL_LEAD)


def partnership_ids(user) -> frozenset[int]:
    """The partnerships this user belongs to (none for anyone not signed in)."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    return user.partnership_ids


def in_partnership(user, partnership_id) -> bool:
    """Whether the user belongs to this partnership (a case's, a ward's, a centre's)."""
    return partnership_id is not None and partnership_id in partnership_ids(user)


def is_referrer(user) -> bool:
    """Police referrers and reporting-centre staff: they see their organisation's referrals only."""
    return is_police_referrer(user) or is_centre_staff(user)


def primary_role(user) -> str | None:
    for role in (MANAGER, FACILITATOR, CASEWORKER, POLICE_REFERRER, CENTRE_STAFF, REGIONAL_LEAD, ADMINISTRATOR):
        if has_role(user, role):
            return role
    return None


def role_label(user) -> str:
    role = primary_role(user)
    return ROLE_LABELS.get(role, "No role") if role else "No role"


def may_manage_sign_in(actor, user) -> bool:
    """Whether ``actor`` may issue ``user`` an enrolment code or password-reset link, or reset their second
    factor: an administrator, for someone else (a stolen session cannot re-enrol its own account), and a
    superuser's account only by a superuser."""
    if not is_administrator(actor) or actor.pk == user.pk:
        return False
    return bool(actor.is_superuser or not user.is_superuser)
