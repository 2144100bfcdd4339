"""Logs as JSON lines: one object per line, for a log collector to read without guessing.

Each line has ``timestamp`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, and the request's
``request_id``, ``user_id`` and ``route`` (``config.request_context``; null outside a request). The access line
adds ``method``, ``status`` and ``duration_ms``. A line with an exception adds ``exception`` (its class) and
``stack`` (file, line and function of each frame), not the exception's text: a database error's text can quote
the values of the row (a name, an address). The error tracker, when there is one, has the rest
(``config.sentry``, scrubbed).

Nothing else of the record is written: not the request object Django attaches to its error lines, not any
``extra`` but the ``fields`` the access line passes. Messages are the services' own, which never carry a
party's personal data; Django's request lines keep their reason without the raw path ("Not Found"), and its
development server's lines (which quote the query string) are kept out.

``logging_config()`` is the ``LOGGING`` setting, and gunicorn's ``logconfig_dict`` (config/gunicorn.conf.py), so
the server's own lines (start, stop, a worker timing out) are JSON lines too.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime

from config import request_context

# The extra fields a line may carry (``extra={"fields": {...}}``); anything else passed as extra is dropped.
ALLOWED_FIELDS = frozenset({"method", "status", "duration_ms", "check", "checks", "task", "task_id", "count"})


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record),
            **request_context.current(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update({key: value for key, value in fields.items() if key in ALLOWED_FIELDS})
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__qualname__
            line["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(record.exc_info[2])
            ]
        return json.dumps(line, default=str, ensure_ascii=False)


def _message(record: logging.LogRecord) -> str:
    # Django's request lines ("Not Found: /cases/<what was typed>/") end in the raw path, which may hold anything a
    # person typed into the address bar: only the reason is kept ("Not Found"); the line's route says where.
    if record.msg == "%s: %s" and getattr(record, "request", None) is not None and isinstance(record.args, tuple):
        return str(record.args[0])
    try:
        return record.getMessage()
    except Exception:  # a badly formatted call must not lose the line
        return str(record.msg)


class TextFormatter(logging.Formatter):
    """For a developer's terminal (``RJ_LOG_FORMAT=text``): the same facts on one readable line."""

    def format(self, record: logging.LogRecord) -> str:
        context = request_context.current()
        when = datetime.fromtimestamp(record.created, UTC).strftime("%H:%M:%S")
        head = f"{when} {record.levelname} {record.name} [{context['request_id'] or '-'} user={context['user_id']}]"
        text = f"{head} {_message(record)}"
        if record.exc_info and record.exc_info[0] is not None:
            text += f" ({record.exc_info[0].__qualname__})"
        return text


def logging_config(
    *, level: str = "WARNING", log_format: str = "json", access_log: bool = True, tasks_level: str = "WARNING"
) -> dict:
    """The ``LOGGING`` dict: every line to standard output, as JSON lines unless ``log_format`` is ``text``."""
    formatter = "text" if log_format == "text" else "json"
    # Python's warnings (a library's, or WhiteNoise's "No directory at") as log lines too, not bare stderr text.
    logging.captureWarnings(True)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "config.logging_json.JsonLinesFormatter"},
            "text": {"()": "config.logging_json.TextFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": formatter}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own loggers write through ours only (its defaults add a plain stderr handler in debug, and
            # mail to ADMINS, which the service does not use: errors go to the log and to Sentry).
            "django": {"handlers": [], "level": level, "propagate": True},
            # One line per request, with the route and never the path's query string.
            "rj.access": {"level": "INFO" if access_log else "WARNING"},
            # The development server's own request lines quote the query string: ours replace them.
            "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
            # django.tasks says every state of every task at INFO and DEBUG: a failed letter file shows on its letter.
            "django.tasks": {"level": tasks_level},
            # gunicorn's own lines go through our handler only (it adds handlers of its own unless told).
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        },
    }
