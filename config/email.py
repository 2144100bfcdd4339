"""``EMAIL_URL``: one environment variable for Django's default mailer (``MAILERS["default"]``, Django 6.1's
replacement of the ``EMAIL_*`` settings), read by the settings.

- ``smtp://user:password@host:587?tls=1``: SMTP with STARTTLS (``tls=1``); ``smtps://user:password@host:465``:
  SMTP over TLS from the first byte. ``timeout=`` seconds (default 10). User and password are percent-encoded.
- ``console:``: each message printed to standard output (development).
- ``locmem:``: kept in ``django.core.mail.outbox`` (tests; Django's test runner sets it anyway).
- not set: console in development; in production a backend that refuses every message, so each is recorded
  failed ("email is not configured") and sent by ``retry_failed_messages`` once ``EMAIL_URL`` is set.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
NOT_CONFIGURED = "notifications.backends.NotConfiguredBackend"
TRUE = {"1", "true", "yes", "on"}


def mailer(url: str, *, debug: bool) -> dict:
    """The mailer (``{"BACKEND": ..., "OPTIONS": {...}}``) that ``url`` stands for."""
    url = (url or "").strip()
    if not url:
        return {"BACKEND": BACKENDS["console"] if debug else NOT_CONFIGURED}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ImproperlyConfigured("EMAIL_URL must start smtp://, smtps://, console: or locmem: (or not be set).")
    found: dict = {"BACKEND": BACKENDS[scheme]}
    if scheme not in ("smtp", "smtps"):
        return found
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL names no host: smtp://user:password@host:port.")
    options = {key.lower(): values[-1] for key, values in parse_qs(parts.query).items()}
    use_ssl = scheme == "smtps" or options.get("ssl", "").lower() in TRUE
    use_tls = options.get("tls", "").lower() in TRUE
    if use_ssl and use_tls:
        raise ImproperlyConfigured("EMAIL_URL: choose STARTTLS (smtp://...?tls=1) or TLS (smtps://), not both.")
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
        timeout = float(options.get("timeout", "10"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL: {exc}.") from exc
    found["OPTIONS"] = {
        "host": parts.hostname,
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": use_tls,
        "use_ssl": use_ssl,
        "timeout": timeout,
    }
    return found
