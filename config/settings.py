"""Settings for the RJ case management service, read from the environment.

Development needs nothing set: without ``DJANGO_SECRET_KEY`` the service runs in debug mode with a
development key and the embedded SQLite database. Production sets at least ``DJANGO_SECRET_KEY`` and
``DJANGO_ALLOWED_HOSTS`` (debug is then off unless ``DJANGO_DEBUG`` says otherwise); see README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.logging_json import logging_config
from config.sentry import init_sentry
from config.storages import letter_storage_from

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


_secret_from_env = os.environ.get("DJANGO_SECRET_KEY", "")
# Debug defaults on only where no real secret key is configured, i.e. on a developer's machine.
DEBUG = env_bool("DJANGO_DEBUG", default=not _secret_from_env)
if _secret_from_env:
    SECRET_KEY = _secret_from_env
elif DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"
else:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SERVICE_NAME = os.environ.get("RJ_SERVICE_NAME", "Trafford Restorative Justice Service")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_fsm",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "govuk",
    "audit",
    "accounts",
    "rjcases",
    "conferences",
    "letters",
    "recorded",
    "privacy",
    "insights",
    "api",
    "notifications",
    "jobs",
    "demo",
]

MIDDLEWARE = [
    # /healthz and /readyz, before everything (config.health: no host check, redirect, session or log).
    "config.health.HealthCheckMiddleware",
    # The request id of every log line, returned in X-Request-ID; the access line (config.request_context).
    "config.request_context.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that answers but WhiteNoise: every page, API answer, redirect and error is never cached.
    "accounts.caching.NoStoreMiddleware",
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before any API view reads it (a JSON 413).
    "api.body_limit.ApiBodyLimitMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user's id and the route of every later log line.
    "config.request_context.RequestUserRouteMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Widgets render through the project's template engine, so templates/django/forms/ can override Django's own:
# the select's options are drawn in one loop there, not one included template each (a ward list of 60 options
# was a tenth of the case list's time).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ]
        },
    }
]

# Databases: SQLite by default (WAL, immediate transactions), PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.AccountBackend",  # Django's ModelBackend; demo accounts refused while debug is off
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: told of every password change, it ends a lock on the username (accounts.signin_limits).
    {"NAME": "accounts.signin_limits.PasswordChangeEndsLock"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 30 idle minutes: a request pushes the expiry on by saving the session, at most once a minute
# (accounts.middleware.touch_session), so most requests write nothing.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# However active, a session ends this many hours after sign-in (accounts.middleware.SessionLimitsMiddleware).
RJ_SESSION_ABSOLUTE_HOURS = float(os.environ.get("RJ_SESSION_ABSOLUTE_HOURS", "10"))

# Two-factor sign-in (TOTP). Required for everyone unless switched off for development.
RJ_TWO_FACTOR_REQUIRED = env_bool("RJ_TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = SERVICE_NAME

# Sign-in lockout (django-axes): 5 failures per username and IP, 15 minutes' cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Behind a reverse proxy, DJANGO_PROXY_COUNT says how many trusted proxies stand in front of the service; the
# client address is then read from X-Forwarded-For (accounts.client_ip). django-ipware is not installed, so axes
# would ignore its AXES_IPWARE_* settings and lock everyone out by the proxy's address: it calls ours instead.
RJ_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT") or 0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip_address"
# Against password spraying (accounts.signin_limits, through AXES_HANDLER), besides the lock per username and IP:
# failures from one address whatever the usernames lock the address, and failures of one username from any
# addresses lock the username (its owner ends that lock by resetting the password). Counted in the database.
AXES_HANDLER = "accounts.signin_limits.SignInLimitsHandler"
RJ_SIGNIN_ADDRESS_LIMIT = int(os.environ.get("RJ_SIGNIN_ADDRESS_LIMIT", "20"))
RJ_SIGNIN_ADDRESS_WINDOW = timedelta(minutes=float(os.environ.get("RJ_SIGNIN_ADDRESS_MINUTES", "15")))
RJ_SIGNIN_USERNAME_LIMIT = int(os.environ.get("RJ_SIGNIN_USERNAME_LIMIT", "10"))
RJ_SIGNIN_USERNAME_WINDOW = timedelta(hours=float(os.environ.get("RJ_SIGNIN_USERNAME_HOURS", "24")))

# Content-Security-Policy (Django's built-in support): no inline script without the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Transport security: on whenever debug is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", not DEBUG) else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files: collected into STATIC_ROOT by `make serve` and served by WhiteNoise with hashed names
# (CompressedManifestStaticFilesStorage; each hashed file cached for a year, immutable). On by default with debug
# off; development and the tests use the plain storage (no collectstatic needed).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
RJ_STATIC_MANIFEST = env_bool("RJ_STATIC_MANIFEST", default=not DEBUG)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"  # documents are served only through permission-checked views
# Letter files (STORAGES["letters"]): the folder above unless RJ_STORAGE_URL names an S3-compatible bucket
# (s3://bucket/prefix?endpoint_url=...&region=...; config/storages.py), which several app servers share.
# Either way a letter is only ever read through the app: no URL of a stored file is handed out.
RJ_STORAGE_URL = os.environ.get("RJ_STORAGE_URL", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if RJ_STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    "letters": letter_storage_from(RJ_STORAGE_URL),
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Background tasks (django.tasks): letter files, emails and the scheduled jobs (docs/jobs.md). By default they are
# queued in the database itself by django-tasks-db (PostgreSQL, or SQLite in the embedded default: no broker to
# install) and run by `manage.py db_worker` (make worker; make run and make serve start one). "immediate" runs each
# task at once in the process that queued it: the tests use it, except those that start a real worker.
RJ_TASKS_BACKEND = os.environ.get("RJ_TASKS_BACKEND", "").strip().lower() or "database"
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if RJ_TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured("RJ_TASKS_BACKEND must be database or immediate (or not set: database).")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[RJ_TASKS_BACKEND]}}
# A task still "running" this many minutes after it started is taken to be lost with its worker (killed, or its
# machine stopped): `manage.py requeue_stalled_tasks` (scheduled) marks it failed and queues it again.
RJ_TASKS_STALLED_MINUTES = float(os.environ.get("RJ_TASKS_STALLED_MINUTES", "30"))
# False: letter files are not written after a move or a new letter (the task is not queued); the letters stay
# pending until `manage.py write_letter_files` or "Try again". The tests switch it off unless marked letter_files.
RJ_LETTER_FILES = env_bool("RJ_LETTER_FILES", default=True)

# Victims' Code Right 12: the partnership's complaint deadlines, in working days from the day a complaint arrives.
RJ_COMPLAINT_ACKNOWLEDGE_WORKING_DAYS = int(os.environ.get("RJ_COMPLAINT_ACKNOWLEDGE_WORKING_DAYS", "5"))
RJ_COMPLAINT_RESPONSE_WORKING_DAYS = int(os.environ.get("RJ_COMPLAINT_RESPONSE_WORKING_DAYS", "20"))

# The JSON API (api/): token authentication only, one error shape, a rate limit per token.
# The cache holds the API's rate-limit counts. One process needs nothing; several processes (or servers) must
# share one: RJ_CACHE_URL=redis://host:6379/0 (Django's Redis backend). The embedded default needs no Redis.
RJ_CACHE_URL = os.environ.get("RJ_CACHE_URL", "").strip()
if RJ_CACHE_URL and not RJ_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("RJ_CACHE_URL must be a redis://, rediss:// or unix:// address (or not set).")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": RJ_CACHE_URL,
        "KEY_PREFIX": "rjcases",
    }
    if RJ_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rjcases"}
}

# How long an API write's answer is replayed for a retry with the same Idempotency-Key.
RJ_API_IDEMPOTENCY_HOURS = float(os.environ.get("RJ_API_IDEMPOTENCY_HOURS", "24"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle", "api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("RJ_API_RATE", "300/minute"),
        "anonymous": os.environ.get("RJ_API_ANONYMOUS_RATE", "60/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SERVICE_NAME} API",
    "VERSION": "1",
    "DESCRIPTION": "Refer, follow and work restorative justice cases. See docs/api.md.",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_error_responses"],
    # Choice sets that share a field name get their own names in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ActivityKindEnum": "conferences.models.Activity.Kind",
        "ActionKindEnum": "conferences.models.AgreementAction.Kind",
        "FollowUpKindEnum": "conferences.models.FollowUp.Kind",
        "ConsentMethodEnum": "rjcases.models.Consent.Method",
        "ContactMethodEnum": "rjcases.models.ContactAttempt.Method",
        "PreparationMethodEnum": "conferences.models.PreparationContact.Method",
        "FollowUpMethodEnum": "conferences.models.FollowUp.Method",
    },
}


# ---------------------------------------------------------------------------------------------------
# Production runtime (issue 14, web server part): static files, logs, error tracker, database timeouts.
# docs/deploy.md lists every variable.

# Logs: JSON lines on standard output (config.logging_json), each with the request id, user id and route; one
# access line per request (RJ_ACCESS_LOG=0 turns it off). RJ_LOG_FORMAT=text for a readable terminal.
LOGGING = logging_config(
    level=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    log_format=os.environ.get("RJ_LOG_FORMAT", "json"),
    access_log=env_bool("RJ_ACCESS_LOG", default=True),
    tasks_level=os.environ.get("RJ_TASKS_LOG_LEVEL", "WARNING"),
)
# The audit chains' heads (publish_audit_heads, daily) are always logged: verify_audit checks against them.
LOGGING["loggers"]["rj.audit"] = {"level": "INFO"}

# Errors to Sentry when SENTRY_DSN is set, personal data scrubbed before sending (config.sentry).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
    )

# Persistent connections (DJANGO_CONN_MAX_AGE, seconds; docs/deploy.md recommends 60 under gunicorn) are checked
# before each request reuses them, so a database restart costs one reconnect, not failed requests.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = os.environ.get("DJANGO_CONN_HEALTH_CHECKS", "1") != "0"
# PostgreSQL: a server that does not answer fails a request (and /readyz) in seconds instead of hanging it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5"))
    )


# ---------------------------------------------------------------------------------------------------
# Email and notifications (notifications/): what the service sends, through Django's mailers (6.1's MAILERS).
# EMAIL_URL chooses the backend (config/email.py): smtp://user:password@host:587?tls=1, smtps://...:465, console:
# (development's default) or locmem:; not set in production, every message is recorded failed until it is.
from config.email import mailer  # noqa: E402

MAILERS = {"default": mailer(os.environ.get("EMAIL_URL", ""), debug=DEBUG)}
DEFAULT_FROM_EMAIL = os.environ.get("RJ_EMAIL_FROM", f"{SERVICE_NAME} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address the links in emails start with (no trailing slash): where users open the service.
RJ_SITE_URL = os.environ.get(
    "RJ_SITE_URL", "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0]}"
).rstrip("/")
# A message not delivered is tried again by `manage.py retry_failed_messages` up to this many attempts in all.
RJ_EMAIL_MAX_ATTEMPTS = int(os.environ.get("RJ_EMAIL_MAX_ATTEMPTS", "5"))
