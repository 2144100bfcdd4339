"""config/gunicorn.conf.py reads its values from the environment; the log settings write JSON or text lines."""

import json
import logging
import runpy

from django.conf import settings

from config import request_context
from config.logging_json import JsonLinesFormatter, TextFormatter, logging_config

CONF = str(settings.BASE_DIR / "config" / "gunicorn.conf.py")


def load(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_BIND", "PORT", "HOST", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONF)


def test_the_defaults_are_threaded_workers_on_the_loopback_with_no_access_log_of_gunicorns(monkeypatch):
    conf = load(monkeypatch)
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["worker_class"] == "gthread"
    assert conf["threads"] == 4
    assert conf["workers"] >= 2
    assert (conf["timeout"], conf["graceful_timeout"]) == (30, 30)
    assert conf["accesslog"] is None
    assert conf["control_socket_disable"] is True
    assert "preload_app" not in conf
    assert conf["logconfig_dict"]["handlers"]["console"]["formatter"] == "json"


def test_the_environment_sets_where_it_listens_and_how_many_processes_and_threads(monkeypatch):
    conf = load(monkeypatch, PORT="8105", HOST="0.0.0.0", WEB_CONCURRENCY="3", GUNICORN_THREADS="8")  # noqa: S104
    assert conf["bind"] == ["0.0.0.0:8105"]
    assert (conf["workers"], conf["threads"]) == (3, 8)
    assert load(monkeypatch, GUNICORN_BIND="unix:/run/rj/web.sock", PORT="8105")["bind"] == ["unix:/run/rj/web.sock"]
    socket = load(monkeypatch, GUNICORN_CONTROL_SOCKET="/run/rj/gunicorn.ctl")
    assert socket["control_socket_disable"] is False
    assert socket["control_socket"] == "/run/rj/gunicorn.ctl"


def record(message="hello") -> logging.LogRecord:
    return logging.LogRecord("rjcases.test", logging.WARNING, __file__, 1, message, None, None)


def test_a_line_inside_a_request_carries_its_id_user_and_route():
    tokens = (
        request_context.request_id.set("abc123"),
        request_context.user_id.set(42),
        request_context.route.set("rjcases:detail"),
    )
    try:
        line = json.loads(JsonLinesFormatter().format(record()))
        text = TextFormatter().format(record())
    finally:
        request_context.request_id.reset(tokens[0])
        request_context.user_id.reset(tokens[1])
        request_context.route.reset(tokens[2])
    assert {k: line[k] for k in ("level", "logger", "message", "request_id", "user_id", "route")} == {
        "level": "WARNING",
        "logger": "rjcases.test",
        "message": "hello",
        "request_id": "abc123",
        "user_id": 42,
        "route": "rjcases:detail",
    }
    assert line["timestamp"].endswith("+00:00")
    assert text.endswith("WARNING rjcases.test [abc123 user=42] hello")


def test_only_the_known_extra_fields_are_written():
    entry = record()
    entry.fields = {"status": 200, "party_name": "Zebedee"}
    entry.party = "Zebedee"
    line = json.loads(JsonLinesFormatter().format(entry))
    assert line["status"] == 200
    assert "Zebedee" not in json.dumps(line)


def test_text_format_is_chosen_by_the_setting():
    assert logging_config(log_format="text")["handlers"]["console"]["formatter"] == "text"
    assert logging_config()["loggers"]["rj.access"]["level"] == "INFO"
    assert logging_config(access_log=False)["loggers"]["rj.access"]["level"] == "WARNING"
