"""An email backend for a production deployment with no ``EMAIL_URL``: it refuses every message, so each is
recorded failed (and retried by ``retry_failed_messages`` once email is configured) instead of being printed to
a log or silently dropped."""

from django.core.mail.backends.base import BaseEmailBackend


class EmailNotConfigured(RuntimeError):
    pass


class NotConfiguredBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        raise EmailNotConfigured("Email is not configured: set EMAIL_URL.")
