from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RjcasesConfig(AppConfig):
    name = "rjcases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from rjcases.calendar import refresh_calendar_after_migrate

        # The working-day calendar follows the bank holiday data: checked (and rewritten if it changed) after
        # every migrate and every test database flush.
        post_migrate.connect(refresh_calendar_after_migrate, sender=self, dispatch_uid="rjcases.calendar")
