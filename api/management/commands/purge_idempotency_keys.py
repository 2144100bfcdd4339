"""python manage.py purge_idempotency_keys

Deletes the answers remembered for Idempotency-Key retries once they are older than RJ_API_IDEMPOTENCY_HOURS
(24 by default): they are no longer replayed, and a copy of a response body need not be kept. Run it daily.
"""

from django.core.management.base import BaseCommand

from api.idempotency import expired_keys, retention


class Command(BaseCommand):
    help = "Delete the remembered Idempotency-Key answers older than RJ_API_IDEMPOTENCY_HOURS."

    def handle(self, *args, **options):
        deleted, _ = expired_keys().delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted} idempotency key(s) older than {retention().total_seconds() / 3600:g} hours."
            )
        )
