"""Sending: a refused or failed send is recorded failed (never with the address) and sent by
``retry_failed_messages``; a sent message is never sent twice; one path runs end to end through Django's SMTP
backend to a real SMTP server (aiosmtpd) on 127.0.0.1."""

import email as email_parser
import os
from datetime import timedelta
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications.delivery import deliver
from notifications.models import Message
from rjcases import services
from tests.notifications.conftest import party_values

pytestmark = pytest.mark.django_db

SMTP_PORT = 8131  # this worktree's ports are 8131-8139: one per xdist worker


class Inbox:
    """An aiosmtpd handler keeping what it receives; while ``refusing`` it refuses every recipient."""

    def __init__(self):
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refusing = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            return "550 5.7.1 Recipient refused for this test"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # gw0, gw1 ... under xdist
    port = SMTP_PORT + int(worker[2:])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


def retry() -> str:
    out = StringIO()
    call_command("retry_failed_messages", stdout=out)
    return out.getvalue()


def test_an_allocation_email_reaches_a_real_smtp_server_with_no_party_data(
    smtp_server, people_case, manager, facilitator, sent
):
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator)
    [(sender, to, raw)] = smtp_server.received
    assert to == [facilitator.email]
    assert "no-reply@localhost" in sender
    parsed = email_parser.message_from_bytes(raw)
    assert parsed["Subject"] == f"Case {people_case.reference} is allocated to you"
    bodies = [part.get_payload(decode=True).decode() for part in parsed.walk() if not part.is_multipart()]
    assert [part.get_content_type() for part in parsed.walk() if not part.is_multipart()] == ["text/plain", "text/html"]
    whole = raw.decode("utf-8", "replace") + "".join(bodies)
    for value in party_values():
        assert value.lower() not in whole.lower()
    message = Message.objects.get(case=people_case)
    assert (message.status, message.attempts, message.error) == (Message.Status.SENT, 1, "")


def test_a_refused_send_is_recorded_failed_and_the_retry_command_sends_it(
    smtp_server, people_case, manager, facilitator, sent
):
    smtp_server.refusing = True
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator)
    message = Message.objects.get(case=people_case)
    assert (message.status, message.attempts) == (Message.Status.FAILED, 1)
    assert "SMTPRecipientsRefused" in message.error
    assert "550" in message.error
    assert facilitator.email not in message.error  # the record names no address
    assert smtp_server.received == []

    smtp_server.refusing = False
    output = retry()
    assert f"message {message.pk}: sent" in output
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == (Message.Status.SENT, 2, "")
    assert [to for _, to, _ in smtp_server.received] == [[facilitator.email]]

    assert "0 tried" in retry()  # run twice: nothing is sent again
    assert len(smtp_server.received) == 1


def test_no_smtp_server_listening_is_a_failure_too(settings, people_case, manager, facilitator, sent):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": SMTP_PORT + 8, "timeout": 2},  # nothing listens there
        }
    }
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator)
    message = Message.objects.get(case=people_case)
    assert message.status == Message.Status.FAILED
    assert "ConnectionRefusedError" in message.error


def test_production_without_email_url_records_each_message_failed(settings, people_case, manager, facilitator, sent):
    settings.MAILERS = {"default": {"BACKEND": "notifications.backends.NotConfiguredBackend"}}
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator)
    message = Message.objects.get(case=people_case)
    assert message.status == Message.Status.FAILED
    assert message.error == "EmailNotConfigured: Email is not configured: set EMAIL_URL."
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    retry()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert [e.to for e in mail.outbox] == [[facilitator.email]]


def test_a_message_is_sent_once_however_often_its_task_runs(people_case, manager, facilitator, sent):
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator)
    message = Message.objects.get(case=people_case)
    assert deliver(message.pk) == "skipped"
    assert len(mail.outbox) == 1
    assert Message.objects.get(pk=message.pk).attempts == 1


def test_a_sender_stopped_mid_send_is_retried_after_a_while(
    people_case, manager, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        services.allocate(people_case, manager, facilitator=facilitator)
    message = Message.objects.get(case=people_case)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENDING, attempts=1, last_attempt_at=timezone.now()
    )
    assert "0 tried" in retry()  # still perhaps being sent by someone
    Message.objects.filter(pk=message.pk).update(last_attempt_at=timezone.now() - timedelta(minutes=20))
    assert f"message {message.pk}: sent" in retry()
    assert len(mail.outbox) == 1


def test_a_queued_message_whose_task_never_ran_is_sent_by_the_retry(
    people_case, manager, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        services.allocate(people_case, manager, facilitator=facilitator)
    message = Message.objects.get(case=people_case)
    assert "0 tried" in retry()
    Message.objects.filter(pk=message.pk).update(queued_at=timezone.now() - timedelta(minutes=20))
    assert f"message {message.pk}: sent" in retry()


def test_the_retry_gives_up_after_the_most_attempts(settings, people_case, manager, facilitator, sent):
    settings.RJ_EMAIL_MAX_ATTEMPTS = 2
    settings.MAILERS = {"default": {"BACKEND": "notifications.backends.NotConfiguredBackend"}}
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator)
    assert "1 tried, 0 sent" in retry()
    assert "0 tried" in retry()
    assert Message.objects.get(case=people_case).attempts == 2
