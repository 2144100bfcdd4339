"""EMAIL_URL: the mailer each form of the address stands for, and the clear refusals."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.email import mailer

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_smtp_with_starttls_user_and_password():
    assert mailer("smtp://rj%40example.org:p%3Ass@mail.example.org:587?tls=1", debug=False) == {
        "BACKEND": SMTP,
        "OPTIONS": {
            "host": "mail.example.org",
            "port": 587,
            "username": "rj@example.org",
            "password": "p:ss",
            "use_tls": True,
            "use_ssl": False,
            "timeout": 10.0,
        },
    }


def test_smtps_is_tls_from_the_first_byte_on_465():
    options = mailer("smtps://mail.example.org?timeout=3", debug=False)["OPTIONS"]
    assert (options["port"], options["use_ssl"], options["use_tls"], options["timeout"]) == (465, True, False, 3.0)


def test_plain_smtp_defaults_to_port_25_without_credentials():
    options = mailer("smtp://127.0.0.1", debug=False)["OPTIONS"]
    assert (options["port"], options["username"], options["use_tls"]) == (25, "", False)


def test_console_and_locmem():
    assert mailer("console:", debug=False) == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    assert mailer("locmem:", debug=True) == {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}


def test_unset_is_the_console_in_development_and_a_refusing_backend_in_production():
    assert mailer("", debug=True)["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert mailer("", debug=False)["BACKEND"] == "notifications.backends.NotConfiguredBackend"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.org", "must start smtp://"),
        ("smtp://", "names no host"),
        ("smtps://mail.example.org?tls=1", "not both"),
        ("smtp://mail.example.org:notaport", "EMAIL_URL"),
    ],
)
def test_a_wrong_address_is_refused_with_what_to_do(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        mailer(url, debug=False)
