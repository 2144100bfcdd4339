"""The sign-in backend: Django's model backend, except that demo accounts never sign in while debug is off, and the
session's user is read with what every page asks of them next, in the same query."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.aggregates import Row, json_list, listed

# Where the second factors read with the user wait for the session check of the same request, which takes them once
# (accounts.middleware.credentials_fingerprint): a later fingerprint (after enrolling) reads them afresh.
DEVICES_READ = "_rj_devices_read"


def with_session_facts(users: QuerySet) -> QuerySet:
    """The users with their roles, their partnerships (with the services' names) and their confirmed second factors,
    each as a JSON list in the user's own row (``keep_session_facts`` puts them where the user's properties and the
    session check look), instead of a query for all three after it."""
    user_model = users.model
    return users.annotate(
        listed_roles=json_list(user_model.groups.through.objects, "user", "group__name"),
        listed_partnerships=json_list(
            user_model.partnerships.through.objects, "user", Row("partnership_id", "partnership__service_name")
        ),
        listed_totp=json_list(TOTPDevice.objects.filter(confirmed=True), "user", "id"),
        listed_static=json_list(StaticDevice.objects.filter(confirmed=True), "user", "id"),
    )


def keep_session_facts(user) -> None:
    """Cache a ``with_session_facts`` user's roles and partnerships as ``User.role_names`` and
    ``User.partnership_ids`` read them, and hold the second factors for the session check."""
    facts = user.__dict__
    facts["_role_names"] = frozenset(listed(facts.pop("listed_roles")))
    facts["_partnership_ids"] = {int(pk): service_name for pk, service_name in listed(facts.pop("listed_partnerships"))}
    devices = [("totp", int(pk)) for pk in listed(facts.pop("listed_totp"))]
    devices += [("static", int(pk)) for pk in listed(facts.pop("listed_static"))]
    facts[DEVICES_READ] = sorted(devices)
    facts["_rj_has_confirmed_device"] = bool(devices)


class AccountBackend(ModelBackend):
    """Refuses any user flagged ``is_demo`` whenever ``DEBUG`` is off, at sign-in and for a session already open
    (``get_user`` asks the same question), so a demo password from the README never opens production."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        """The session's user with their organisation, which the header of every page names, and their roles,
        partnerships and second factors, which the session check and every page read next (one query, not three)."""
        users = with_session_facts(get_user_model()._default_manager.select_related("organisation"))
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        keep_session_facts(user)
        return user if self.user_can_authenticate(user) else None
