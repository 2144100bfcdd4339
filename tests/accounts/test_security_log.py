"""The security log: every role granted or removed (through the admin's user form, the services or the groups
relation itself), every privilege and organisation change, every unlock is recorded; nobody can change or
delete a row (admin, ORM instance, queryset, and on PostgreSQL a direct SQL UPDATE or DELETE)."""

import json

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import SecurityEvent, SecurityLogIsAppendOnly
from accounts.services import grant_role, record_security_event, remove_role, unlock_account
from tests.factories import UserFactory

Action = SecurityEvent.Action


@pytest.fixture
def admin_client(client, administrator, settings):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    client.force_login(administrator)
    return client


def user_form(user, **changes) -> dict:
    """What the admin's user change form posts for ``user``, with ``changes``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": timezone.localtime(user.date_joined).strftime("%Y-%m-%d"),
        "date_joined_1": timezone.localtime(user.date_joined).strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "organisation": user.organisation_id or "",
        "job_title": "",
        "_save": "Save",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def role_events(**filters):
    return SecurityEvent.objects.filter(action__in=[Action.ROLE_GRANTED, Action.ROLE_REMOVED], **filters)


# ---------------------------------------------------------------------------------------------------
# Role changes are recorded, by every route


@pytest.mark.django_db
def test_an_administrator_giving_themselves_a_case_role_in_the_admin_is_recorded(admin_client, administrator):
    manager_group = Group.objects.get(name=roles.MANAGER)
    groups = [g.pk for g in administrator.groups.all()] + [manager_group.pk]
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[administrator.pk]), user_form(administrator, groups=groups)
    )
    assert response.status_code == 302
    event = role_events(actor=administrator).get()
    assert (event.action, event.subject_user, event.details["role"]) == (
        Action.ROLE_GRANTED,
        administrator,
        roles.MANAGER,
    )
    assert event.actor_name == administrator.username
    # The user's history says which role changed, not an empty change.
    assert administrator.history.latest("history_date").history_change_reason == "roles: granted manager"


@pytest.mark.django_db
def test_removing_a_role_in_the_admin_is_recorded(admin_client, administrator, manager):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[manager.pk]), user_form(manager, groups=[])
    )
    assert response.status_code == 302
    assert not manager.groups.exists()
    event = role_events(actor=administrator).get()
    assert (event.action, event.subject_user, event.details["role"]) == (Action.ROLE_REMOVED, manager, roles.MANAGER)
    assert manager.history.latest("history_date").history_change_reason == "roles: removed manager"


@pytest.mark.django_db
def test_an_administrator_cannot_make_anyone_a_superuser_in_the_admin(admin_client, administrator, manager):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[administrator.pk]), user_form(administrator, is_superuser="on")
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.is_superuser is False
    assert not SecurityEvent.objects.filter(action=Action.SUPERUSER_CHANGED).exists()


@pytest.mark.django_db
def test_a_superuser_making_a_superuser_and_moving_a_user_is_recorded(client, settings, manager, other_police_force):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_user_change", args=[manager.pk]),
        user_form(manager, is_superuser="on", is_staff="on", organisation=other_police_force.pk),
    )
    assert response.status_code == 302
    events = {e.action: e for e in SecurityEvent.objects.filter(actor=root, subject_user=manager)}
    assert events[Action.SUPERUSER_CHANGED].details == {"is_superuser": True}
    assert events[Action.STAFF_CHANGED].details == {"is_staff": True}
    moved = events[Action.USER_ORGANISATION_CHANGED].details
    assert moved == {"organisation_before": "Test RJ Service", "organisation_after": other_police_force.name}


@pytest.mark.django_db
def test_a_role_granted_and_removed_through_the_service_is_recorded_with_the_reason(administrator, facilitator):
    grant_role(administrator, facilitator, roles.MANAGER, reason="Covering for Mona's leave")
    remove_role(administrator, facilitator, roles.MANAGER, reason="Leave over")
    rows = list(role_events(actor=administrator).order_by("id").values_list("action", "details__role", "reason"))
    assert rows == [
        (Action.ROLE_GRANTED, roles.MANAGER, "Covering for Mona's leave"),
        (Action.ROLE_REMOVED, roles.MANAGER, "Leave over"),
    ]
    assert roles.is_manager(facilitator) is False


@pytest.mark.django_db
def test_a_role_changed_straight_through_the_groups_relation_is_recorded(facilitator):
    manager_group = Group.objects.get(name=roles.MANAGER)
    facilitator.groups.add(manager_group)
    manager_group.user_set.remove(facilitator)
    facilitator.groups.clear()
    rows = list(role_events(subject_user=facilitator, actor=None).order_by("id").values_list("action", "details__role"))
    assert rows[-3:] == [
        (Action.ROLE_GRANTED, roles.MANAGER),
        (Action.ROLE_REMOVED, roles.MANAGER),
        (Action.ROLE_REMOVED, roles.FACILITATOR),
    ]


@pytest.mark.django_db
def test_changing_an_organisation_in_the_admin_is_recorded(admin_client, administrator, police_force):
    url = reverse("admin:accounts_organisation_change", args=[police_force.pk])
    response = admin_client.post(url, {"name": "Test Police Trafford North", "kind": "police", "is_active": "on"})
    assert response.status_code == 302
    event = SecurityEvent.objects.get(action=Action.ORGANISATION_CHANGED)
    assert (event.actor, event.subject_type, event.subject_id) == (
        administrator,
        "accounts.organisation",
        str(police_force.pk),
    )
    assert event.details["changed"] == ["name"]
    assert event.details["values"] == {"name": "Test Police Trafford North"}


@pytest.mark.django_db
def test_unlocking_an_account_in_the_admin_needs_a_reason_and_is_recorded(admin_client, administrator, manager):
    attempt = AccessAttempt.objects.create(
        username=manager.username,
        ip_address="203.0.113.9",
        user_agent="x",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    url = reverse("admin:axes_accessattempt_changelist")
    chosen = {"action": "unlock", "_selected_action": [attempt.pk]}
    assert admin_client.post(url, chosen).status_code == 200  # the page asking why
    assert admin_client.post(url, {**chosen, "confirm": "yes", "reason": ""}).status_code == 200
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert not SecurityEvent.objects.filter(action=Action.ACCOUNT_UNLOCKED).exists()

    response = admin_client.post(url, {**chosen, "confirm": "yes", "reason": "Called from her desk phone"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    event = SecurityEvent.objects.get(action=Action.ACCOUNT_UNLOCKED)
    assert (event.actor, event.subject_user, event.reason) == (administrator, manager, "Called from her desk phone")
    assert event.details["ip_address"] == "203.0.113.9"


@pytest.mark.django_db
def test_unlock_through_the_service_is_recorded(administrator):
    unlock_account(administrator, ip_address="198.51.100.7", reason="Shared office address, checked")
    event = SecurityEvent.objects.get(action=Action.ACCOUNT_UNLOCKED)
    assert (event.subject_user, event.subject_name, event.reason) == (
        None,
        "198.51.100.7",
        "Shared office address, checked",
    )


# ---------------------------------------------------------------------------------------------------
# Append-only


@pytest.fixture
def event(administrator, manager):
    return record_security_event(administrator, Action.SECOND_FACTOR_RESET, manager, "Lost phone", device="Phone")


@pytest.mark.django_db
def test_a_saved_row_cannot_be_changed_or_deleted_through_the_orm(event):
    event.reason = "Nothing happened"
    with pytest.raises(SecurityLogIsAppendOnly):
        event.save()
    with pytest.raises(SecurityLogIsAppendOnly):
        event.delete()
    with pytest.raises(SecurityLogIsAppendOnly):
        SecurityEvent.objects.filter(pk=event.pk).update(reason="Nothing happened")
    with pytest.raises(SecurityLogIsAppendOnly):
        SecurityEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(SecurityLogIsAppendOnly):
        SecurityEvent.objects.bulk_update([event], ["reason"])
    # A new object with an existing key is an insert, refused by the key, never an overwrite.
    with pytest.raises(IntegrityError), transaction.atomic():
        SecurityEvent(pk=event.pk, action=Action.ROLE_GRANTED, reason="Overwritten").save()
    assert SecurityEvent.objects.get(pk=event.pk).reason == "Lost phone"


@pytest.mark.django_db
def test_the_admin_offers_no_way_to_add_change_or_delete(client, settings, event, rf):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    model_admin = site._registry[SecurityEvent]
    request = rf.get("/")
    request.user = root
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.get_actions(request) == {}
    assert client.get(reverse("admin:accounts_securityevent_change", args=[event.pk])).status_code == 200
    response = client.post(reverse("admin:accounts_securityevent_change", args=[event.pk]), {"reason": "Changed"})
    assert response.status_code == 403
    response = client.post(reverse("admin:accounts_securityevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:accounts_securityevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert SecurityEvent.objects.get(pk=event.pk).reason == "Lost phone"
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement", ["UPDATE accounts_securityevent SET reason = 'Nothing happened'", "DELETE FROM accounts_securityevent"]
)
def test_postgresql_refuses_a_direct_update_or_delete(event, statement):
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger exists on PostgreSQL only")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert SecurityEvent.objects.get(pk=event.pk).reason == "Lost phone"


# ---------------------------------------------------------------------------------------------------
# Who reads it


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "administrator"])
def test_managers_and_administrators_read_the_security_log(client, settings, event, persona, request):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("security_log"))
    assert response.status_code == 200
    assert "Lost phone" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["facilitator", "police_referrer", "caseworker"])
def test_other_roles_cannot_read_the_security_log(client, settings, event, persona, request):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("security_log")).status_code == 403


@pytest.mark.django_db
def test_an_administrator_with_a_case_role_is_shown_on_the_managers_dashboard(client, settings, manager, administrator):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    client.force_login(manager)
    assert 'data-testid="administrators-with-case-roles"' not in client.get("/").content.decode()
    grant_role(administrator, administrator, roles.FACILITATOR)
    page = client.get("/").content.decode()
    assert 'data-testid="administrators-with-case-roles"' in page
    assert f"({administrator.username}): RJ facilitator" in page


@pytest.mark.django_db
def test_the_administrator_role_holds_no_case_data_permission():
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    case_apps = {"rjcases", "conferences", "letters", "insights"}
    reference = {
        "ward",
        "hatestrand",
        "crimetype",
        "referralroute",
        "reportingcentre",
        "trainedstaffmember",
        "letterhead",
    }
    case_data = [
        p
        for p in group.permissions.select_related("content_type")
        if p.content_type.app_label in case_apps and p.content_type.model not in reference
    ]
    assert case_data == []


def test_no_demo_user_is_a_superuser():
    """The demo administrator is an ordinary administrator: superusers are for break-glass only."""
    users = [
        row
        for row in json.loads((django_settings.BASE_DIR / "fixtures" / "demo_users.json").read_text())
        if row["model"] == "accounts.user"
    ]
    assert users
    assert [row["fields"]["username"] for row in users if row["fields"]["is_superuser"]] == []
    admins = [row for row in users if ["administrator"] in row["fields"]["groups"]]
    assert [row["fields"]["is_staff"] for row in admins] == [True]


@pytest.mark.django_db
def test_an_administrator_cannot_change_a_superusers_account(admin_client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "taken-over-Pa55word", "password2": "taken-over-Pa55word"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("correct-horse-battery-9")
    response = admin_client.post(reverse("admin:accounts_user_change", args=[root.pk]), user_form(root, groups=[]))
    assert response.status_code == 403
