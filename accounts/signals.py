"""Role changes reach the security log however they are made.

A role is a group membership, and memberships change through the admin's user form, ``user.groups``,
``group.user_set`` and the services alike; the ``m2m_changed`` signal of that one relation is the only place all
of them pass, so the security log is written from it (the recording, like simple-history's, must not depend on
the caller remembering). Who acted comes from ``accounts.services.current_actor``.
"""

from django.contrib.auth.models import Group

from accounts.models import SecurityEvent, User

_ACTIONS = {"post_add": SecurityEvent.Action.ROLE_GRANTED, "post_remove": SecurityEvent.Action.ROLE_REMOVED}


def record_role_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    from accounts.services import current_actor, record_security_event

    if action == "pre_clear":
        # The cleared rows are gone by post_clear: note them now.
        if reverse:
            instance._security_cleared = list(instance.user_set.values_list("pk", flat=True))
        else:
            instance._security_cleared = list(instance.groups.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = set(getattr(instance, "_security_cleared", []))
        event = SecurityEvent.Action.ROLE_REMOVED
    elif action in _ACTIONS:
        event = _ACTIONS[action]
    else:
        return
    if not pk_set:
        return
    if reverse:
        pairs = [(user, instance) for user in User.objects.filter(pk__in=pk_set)]
    else:
        pairs = [(instance, group) for group in Group.objects.filter(pk__in=pk_set)]
    actor, reason = current_actor()
    for user, group in pairs:
        user.__dict__.pop("_role_names", None)
        record_security_event(actor, event, user, reason, role=group.name)
