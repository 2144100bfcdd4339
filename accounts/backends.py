"""The sign-in backend: Django's model backend, except that demo accounts never sign in while debug is off."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Refuses any user flagged ``is_demo`` whenever ``DEBUG`` is off, at sign-in and for a session already open
    (``get_user`` asks the same question), so a demo password from the README never opens production."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        """The session's user with their organisation, which the header of every page names (one query, not two)."""
        try:
            user = get_user_model()._default_manager.select_related("organisation").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
