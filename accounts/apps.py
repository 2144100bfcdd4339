from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from simple_history import register

        from accounts import roles
        from accounts.models import User

        register(User, app=self.label, excluded_fields=["password", "last_login"])
        # Roles are Groups whose permissions are (re)set after every migrate: idempotent.
        post_migrate.connect(roles.ensure_roles_after_migrate, dispatch_uid="accounts.ensure_roles")
