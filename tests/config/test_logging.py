"""Logs are JSON lines with the request id, the user id and the route, and never a party's personal data."""

import io
import json
import logging

import pytest
from django.urls import reverse

from config.logging_json import JsonLinesFormatter
from rjcases.forms import ROUTE_DESCRIPTIONS
from rjcases.models import Case, CrimeType, HateStrand, ReferralRoute, Ward
from tests.factories import reference
from tests.referral_pages import send_referral
from tests.rjcases.test_views_referral import good_referral

FIELDS = {"timestamp", "level", "logger", "message", "request_id", "user_id", "route"}
PARTY_WORDS = ("Zebedee", "Quillfeather", "zebedee@example.org", "07700 900777", "7 Quill Lane")


@pytest.fixture
def log_output():
    """Everything logged during the test, as the service's JSON lines (the handler settings.LOGGING makes)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.fixture
def referral_data(db):
    for code in ROUTE_DESCRIPTIONS:
        reference(ReferralRoute, code)
    for code in ("race", "religion", "disability"):
        reference(HateStrand, code)
    reference(CrimeType, "public-order")
    reference(Ward, "TRF01")


def test_a_request_writes_one_json_access_line_with_its_id_user_and_route(client, manager, log_output):
    client.force_login(manager)
    response = client.get(reverse("rjcases:list"), {"state": "referral"})
    assert response.status_code == 200
    access = [line for line in lines(log_output) if line["logger"] == "rj.access"]
    assert len(access) == 1
    line = access[0]
    assert FIELDS <= set(line)
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == manager.pk
    assert line["route"] == "rjcases:list"
    assert (line["method"], line["status"]) == ("GET", 200)
    assert line["level"] == "INFO"
    assert "state=" not in json.dumps(line)


def test_no_log_line_holds_a_partys_personal_data_or_a_query_string(client, manager, referral_data, log_output):
    """A referral naming a distinctive person, the case page, a search for them, their page, a page that is not
    found with their name in the address and a refused form: nothing of them in any line."""
    client.force_login(manager)
    data = good_referral(
        **{
            "harmed-first_name": "Zebedee",
            "harmed-last_name": "Quillfeather",
            "harmed-email": "zebedee@example.org",
            "harmed-phone": "07700 900777",
            "harmed-address": "7 Quill Lane",
        }
    )
    response = send_referral(client, "police", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    party = case.parties.get(first_name="Zebedee")
    assert client.get(reverse("rjcases:detail", args=[case.reference])).status_code == 200
    assert client.get(reverse("rjcases:list"), {"q": "Quillfeather"}).status_code == 200
    assert client.get(reverse("rjcases:party_detail", args=[case.reference, party.pk])).status_code == 200
    assert client.get("/cases/Zebedee-Quillfeather/people/nobody/").status_code == 404
    refused = client.post(reverse("rjcases:refer_step", args=["police", "incident"]), {**data, "summary": ""})
    assert refused.status_code == 200

    output = log_output.getvalue()
    parsed = lines(log_output)
    assert len(parsed) >= 6
    for word in PARTY_WORDS:
        assert word not in output
    assert "q=" not in output
    for line in parsed:
        assert FIELDS <= set(line), line
    routes = [line["route"] for line in parsed if line["logger"] == "rj.access"]
    assert routes == [
        "rjcases:refer_step",  # the incident
        "rjcases:refer_step",  # the Victims' Code
        "rjcases:refer_person",  # the person harmed
        "rjcases:refer_person",  # the person responsible
        "rjcases:refer_step",  # who is referring
        "rjcases:refer_check",  # sent
        "rjcases:detail",
        "rjcases:list",
        "rjcases:party_detail",
        None,  # /cases/<anything>/people/<not a number>/ matches no pattern
        "rjcases:refer_step",
    ]
    assert {line["user_id"] for line in parsed if line["logger"] == "rj.access"} == {manager.pk}


def test_the_request_id_comes_from_the_proxy_only_when_a_proxy_is_trusted(client, settings, log_output):
    settings.RJ_PROXY_COUNT = 0
    untrusted = client.get("/accounts/login/", headers={"X-Request-ID": "from-the-client-1"})
    assert untrusted["X-Request-ID"] != "from-the-client-1"
    settings.RJ_PROXY_COUNT = 1
    trusted = client.get("/accounts/login/", headers={"X-Request-ID": "lb-7f3a-42"})
    assert trusted["X-Request-ID"] == "lb-7f3a-42"
    forged = client.get("/accounts/login/", headers={"X-Request-ID": 'x" "level": "ERROR'})
    assert forged["X-Request-ID"] != 'x" "level": "ERROR'
    ids = [line["request_id"] for line in lines(log_output) if line["logger"] == "rj.access"]
    assert ids == [untrusted["X-Request-ID"], "lb-7f3a-42", forged["X-Request-ID"]]
    assert len(set(ids)) == 3


def test_djangos_request_lines_keep_the_reason_not_the_path(client, manager, log_output):
    client.force_login(manager)
    assert client.get("/cases/RJ-2026-99999/people/123/", {"q": "x"}).status_code == 404
    warnings = [line for line in lines(log_output) if line["logger"] == "django.request"]
    assert [line["message"] for line in warnings] == ["Not Found"]
    assert warnings[0]["route"] == "rjcases:party_detail"
    assert warnings[0]["user_id"] == manager.pk


def test_an_exception_line_names_its_class_and_frames_not_its_text(log_output):
    try:
        raise ValueError("Key (email)=(zebedee@example.org) already exists.")
    except ValueError:
        logging.getLogger("rjcases.test").exception("could not save the party")
    (line,) = lines(log_output)
    assert line["exception"] == "ValueError"
    assert line["stack"]
    assert "test_logging.py" in line["stack"][0]
    assert "zebedee" not in log_output.getvalue()
    assert line["request_id"] is None
    assert line["route"] is None
