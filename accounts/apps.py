from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from simple_history import register

        from accounts import roles
        from accounts.models import User

        register(User, app=self.label, excluded_fields=["password", "last_login", "dashboard_seen_at"])
        # Roles are Groups whose permissions are (re)set after every migrate: idempotent.
        post_migrate.connect(roles.ensure_roles_after_migrate, dispatch_uid="accounts.ensure_roles")
        # Every role granted or removed, by any route, goes into the security log.
        from accounts.signals import record_role_change

        m2m_changed.connect(record_role_change, sender=User.groups.through, dispatch_uid="accounts.role_change")
        # Signing out, by any route, clears what the browser holds for the site (accounts.caching).
        from django.contrib.auth.signals import user_logged_out

        from accounts.caching import mark_signed_out

        user_logged_out.connect(mark_signed_out, dispatch_uid="accounts.clear_site_data")
