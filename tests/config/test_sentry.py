"""What would reach Sentry: the error and where, never a party's data, a cookie, a query string or who the user is."""

import copy
import json
import os
import subprocess
import sys

from django.conf import settings

from config.sentry import WITHHELD, scrub_breadcrumb, scrub_event

NAME, EMAIL, ADDRESS = "Zebedee Quillfeather", "zebedee@example.org", "7 Quill Lane"


def realistic_event() -> dict:
    """An event as sentry-sdk's Django integration builds it for a failed POST of a party's details."""
    return {
        "event_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "level": "error",
        "platform": "python",
        "message": "could not save the party",
        "request": {
            "method": "POST",
            "url": f"https://rj.example.org/cases/RJ-2026-00042/people/add/?q={NAME}",
            "query_string": f"q={NAME.replace(' ', '+')}",
            "data": {"first_name": "Zebedee", "last_name": "Quillfeather", "email": EMAIL, "address": ADDRESS},
            "cookies": {"sessionid": "abc123sessioncookie", "csrftoken": "csrf-secret"},
            "headers": {
                "Cookie": "sessionid=abc123sessioncookie",
                "Authorization": "Bearer rj_token_secret",
                "X-Forwarded-For": "203.0.113.9",
                "User-Agent": "Mozilla/5.0",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://rj.example.org/cases/?q={NAME}",
            },
            "env": {"REMOTE_ADDR": "203.0.113.9", "SERVER_NAME": "web-3.internal"},
        },
        "user": {"id": 17, "username": "fay.facilitator", "email": "fay@example.org", "ip_address": "203.0.113.9"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "module": "django.db.utils",
                    "value": f'duplicate key value violates unique constraint "party_name"\n'
                    f"DETAIL:  Key (first_name, last_name)=({NAME.replace(' ', ', ')}) already exists.",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "rjcases/services/casework.py",
                                "function": "add_party",
                                "lineno": 201,
                                "vars": {"first_name": "'Zebedee'", "fields": {"email": EMAIL, "address": ADDRESS}},
                            }
                        ]
                    },
                }
            ]
        },
        "threads": {"values": [{"stacktrace": {"frames": [{"function": "run", "vars": {"party": NAME}}]}}]},
        "breadcrumbs": {
            "values": [
                {
                    "category": "query",
                    "message": 'SELECT ... WHERE "last_name" = %s',
                    "data": {"params": ["Quillfeather"]},
                },
                {"category": "httplib", "data": {"url": f"https://maps.example/?address={ADDRESS}"}},
                {"type": "log", "category": "rjcases", "level": "warning", "message": f"no address for {NAME}"},
            ]
        },
        "extra": {"party_name": NAME},
    }


def test_the_scrubbed_event_holds_none_of_the_partys_data_or_the_users_identity():
    scrubbed = scrub_event(realistic_event(), {})
    text = json.dumps(scrubbed)
    for secret in ("Zebedee", "Quillfeather", EMAIL, ADDRESS, "abc123sessioncookie", "csrf-secret", "rj_token_secret"):
        assert secret not in text, secret
    for identity in ("fay.facilitator", "fay@example.org", "203.0.113.9", "web-3.internal"):
        assert identity not in text, identity


def test_the_scrubbed_event_still_says_what_failed_and_where():
    scrubbed = scrub_event(realistic_event(), {})
    assert scrubbed["request"] == {
        "method": "POST",
        "url": "https://rj.example.org/cases/RJ-2026-00042/people/add/",
        "headers": {"User-Agent": "Mozilla/5.0", "Content-Type": "application/x-www-form-urlencoded"},
    }
    assert scrubbed["user"] == {"id": 17}
    (exception,) = scrubbed["exception"]["values"]
    assert exception["type"] == "IntegrityError"
    assert exception["module"] == "django.db.utils"
    assert exception["value"] == WITHHELD
    assert exception["stacktrace"]["frames"] == [
        {"filename": "rjcases/services/casework.py", "function": "add_party", "lineno": 201}
    ]
    assert [crumb.get("message") for crumb in scrubbed["breadcrumbs"]["values"]] == [
        'SELECT ... WHERE "last_name" = %s',
        None,
        WITHHELD,
    ]
    assert [crumb.get("category") for crumb in scrubbed["breadcrumbs"]["values"]] == ["query", "httplib", "rjcases"]
    assert scrubbed["message"] == "could not save the party"


def test_an_event_without_a_request_or_user_passes_through():
    event = {"message": "worker stopped", "level": "warning"}
    assert scrub_event(copy.deepcopy(event), None) == event


def test_a_breadcrumb_loses_its_data_before_it_is_kept():
    assert scrub_breadcrumb({"category": "query", "message": "SELECT 1", "data": {"params": [NAME]}}, {}) == {
        "category": "query",
        "message": "SELECT 1",
    }


def test_a_log_breadcrumb_loses_its_text_an_sql_one_keeps_its_statement():
    log = {"type": "log", "category": "django.request", "message": f"Bad request for {NAME}", "data": {"x": 1}}
    assert scrub_breadcrumb(log, {}) == {"type": "log", "category": "django.request", "message": WITHHELD}
    sql = {"category": "query", "message": 'UPDATE "rjcases_party" SET "last_name" = %s'}
    assert scrub_breadcrumb(copy.deepcopy(sql), {}) == sql


def test_a_log_event_keeps_its_template_not_its_arguments():
    event = {
        "level": "error",
        "logentry": {"message": "Could not write to %s", "params": [EMAIL], "formatted": f"Could not write to {EMAIL}"},
    }
    assert scrub_event(event, {}) == {
        "level": "error",
        "logentry": {"message": "Could not write to %s", "formatted": "Could not write to %s"},
    }


def test_what_sentry_sdk_would_send_for_a_database_error_quotes_no_row_value():
    """The real sentry-sdk, set up by config.sentry.init_sentry, with a transport that keeps the envelope here."""
    script = """
import json, logging, os, django, sentry_sdk
from sentry_sdk.transport import Transport
sent = []
class Keep(Transport):
    def capture_envelope(self, envelope):
        sent.extend(item.payload.json for item in envelope.items if item.payload.json)
init = sentry_sdk.init
sentry_sdk.init = lambda **options: init(transport=Keep(), **options)
django.setup()
from config.sentry import init_sentry
init_sentry("http://public@127.0.0.1:8109/1")
name = os.environ["PARTY_NAME"]  # not in the source lines that sentry-sdk sends with each frame
logging.getLogger("rjcases").warning("no address for %s", name)
surname = name.split()[-1]
try:
    raise ValueError(f"Key (last_name)=({surname}) already exists")
except ValueError:
    sentry_sdk.capture_exception()
sentry_sdk.flush()
print(json.dumps(sent))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", PARTY_NAME=NAME)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    events = [e for e in json.loads(result.stdout.strip().splitlines()[-1]) if e.get("exception")]
    (event,) = events
    assert "Quillfeather" not in json.dumps(event)
    assert "Zebedee" not in json.dumps(event)
    (exception,) = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("ValueError", WITHHELD)
    assert exception["stacktrace"]["frames"]
    assert [c["message"] for c in event["breadcrumbs"]["values"] if c.get("category") == "rjcases"] == [WITHHELD]


def test_sentry_is_set_up_without_personal_data_only_when_a_dsn_is_given():
    script = (
        "import django, json, sentry_sdk; django.setup(); client = sentry_sdk.get_client(); o = client.options;"
        "print(json.dumps([client.is_active(), o.get('send_default_pii'), o.get('include_local_variables'),"
        " o.get('max_request_body_size'), getattr(o.get('before_send'), '__name__', None),"
        " getattr(o.get('before_breadcrumb'), '__name__', None)]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "DATABASE_URL"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"

    def run(extra: dict) -> list:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            env={**env, **extra},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    # A DSN on this machine that nothing listens on: nothing is sent unless an error happens.
    assert run({"SENTRY_DSN": "http://public@127.0.0.1:8109/1"}) == [
        True,
        False,
        False,
        "never",
        "scrub_event",
        "scrub_breadcrumb",
    ]
    assert run({})[0] is False
