from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        from letters.services import ensure_default_templates_after_migrate

        # The shipped wording exists before the first move (a move never creates it under a lock): after every
        # migrate, idempotently. A template missing later (a flushed test database) is still made on first use.
        post_migrate.connect(ensure_default_templates_after_migrate, sender=self, dispatch_uid="letters.templates")
