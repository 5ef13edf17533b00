"""Django settings, derived from the typed Config (policeplan.config)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dj_database_url
from django.utils.csp import CSP

from policeplan.config import BASE_DIR, Config

config = Config()

SECRET_KEY = config.resolved_secret_key()
DEBUG = config.debug
ALLOWED_HOSTS = config.allowed_hosts
CSRF_TRUSTED_ORIGINS = config.csrf_trusted_origins

LOCAL_APPS = [
    "core",
    "plans",
    "consultations",
    "analysis",
    "scrutiny",
    "performance",
    "dashboards",
    "reports",
    "estates",
    "api",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    *[f"policeplan.{app}" for app in LOCAL_APPS],
    # After core, whose `db_worker` (the resilient worker) replaces the library's command.
    "django_tasks_db",
]

MIDDLEWARE = [
    # Request id, request counts and latencies; then health probes, answered before any
    # redirect to HTTPS or host check (a probe comes over plain HTTP to the machine's address).
    "policeplan.core.observability.ObservabilityMiddleware",
    "policeplan.core.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for browsers that ask (a measure page: 127 KB of HTML, about 20 KB
    # sent). Static files never reach it: WhiteNoise serves their compressed copies above.
    # Django pads each compressed page at random, against BREACH-style guessing.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "policeplan.urls"
WSGI_APPLICATION = "policeplan.wsgi.application"
ASGI_APPLICATION = "policeplan.asgi.application"

TEMPLATES = [
    {
        # Every page of ours: Jinja2 with the GOV.UK Frontend macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "policeplan" / app / "templates" for app in LOCAL_APPS],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "policeplan.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.messages.context_processors.messages",
                "policeplan.core.context_processors.office",
            ],
        },
    },
    {
        # Django's own templates, for the administrators' Django admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(config.resolved_database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    config.var_dir.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    # Tests use a file too (not Django's shared in-memory database, which fails concurrent
    # writers at once instead of making them wait), so concurrency tests mean something.
    DATABASES["default"]["TEST"] = {"NAME": str(config.var_dir / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" holds rendered pages, each process its own unless Redis is there to share them.
# "shared" holds what every process must agree on (rate limits): the database by default (the
# table policeplan_cache, made by migrate), Redis when REDIS_URL is set.
REDIS_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": config.redis_url,
}
CACHES = {
    "default": (
        REDIS_CACHE
        if config.redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    "shared": (
        REDIS_CACHE
        if config.redis_url
        else {
            "BACKEND": "policeplan.core.cache.DatabaseCache",
            "LOCATION": "policeplan_cache",
            # Culling past this many entries drops expired ones first; the default (300) could
            # also drop live counts.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    ),
}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:sign-in"
LOGIN_REDIRECT_URL = "plans:staff-home"

# Lockout after repeated failures (django-axes), per account and address together.
AXES_FAILURE_LIMIT = config.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=config.lockout_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "policeplan.core.views.auth.lockout_response"
AXES_VERBOSE = False

# Sessions expire after a period of inactivity and when the browser closes.
SESSION_COOKIE_AGE = config.session_idle_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The form-protection cookie lasts until the browser closes, like the session (not a year).
CSRF_COOKIE_AGE = None
# Flash messages (staff pages) live in the session staff already have, not a cookie of their
# own. Every cookie set is listed on /cookies/ (policeplan/core/cookies.py).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security headers. HSTS and secure cookies only make sense when served over HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = config.https
SESSION_COOKIE_SECURE = config.https
CSRF_COOKIE_SECURE = config.https
SECURE_HSTS_SECONDS = config.hsts_seconds if config.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.https
SECURE_HSTS_PRELOAD = config.https and config.hsts_preload
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if config.https else None
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = config.static_root or config.var_dir / "static"
# Where `make setup` puts the front end; the container image keeps only the collected copies
# in STATIC_ROOT and drops these folders, so only those present are named.
_GOVUK = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
_FRONTEND = BASE_DIR / "var" / "frontend"
STATICFILES_DIRS: list[Any] = [
    *([("govuk", _GOVUK)] if _GOVUK.exists() else []),
    *([_FRONTEND] if _FRONTEND.exists() else []),
]
# Files: a local folder (MEDIA_ROOT) by default; with S3_BUCKET, an S3-compatible object store
# (django-storages), which every web process and worker shares wherever it runs. Files are
# private: served only through permission-checked views, never by a public bucket URL.
S3_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": config.s3_bucket,
        "endpoint_url": config.s3_endpoint_url or None,
        "region_name": config.s3_region or None,
        "access_key": config.s3_access_key_id or None,
        "secret_key": config.s3_secret_access_key or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    },
}
STORAGES = {
    "default": (
        S3_STORAGE
        if config.s3_bucket
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "policeplan.core.staticfiles.StaticFilesStorage"},
}
# Static files are collected by `make setup`; WhiteNoise serves the collected, hashed copies.
WHITENOISE_USE_FINDERS = False
MEDIA_ROOT = config.media_root or config.var_dir / "media"
MEDIA_URL = "/media/"  # never served directly: documents go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads are counted as they arrive and stopped once past the view's limit (core.uploads).
# A view that takes files says how much (`core.uploads.upload_limit`); any other gets 1MB.
UPLOAD_MAX_BYTES = 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "policeplan.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": config.email_host,
                "port": config.email_port,
                "username": config.email_host_user,
                "password": config.email_host_password,
                "use_tls": True,
            },
        }
        if config.email_host
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = config.default_from_email

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "policeplan.core.observability.RequestIdFilter"}},
    "formatters": {
        # One JSON object a line (LOG_FORMAT=json), for a log collector; or plain text.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": config.log_format,
        }
    },
    "root": {"handlers": ["console"], "level": config.log_level},
    # WeasyPrint logs each step of every PDF at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
# Background jobs (imports now; recomputation, PDFs and analysis later) go through
# policeplan.core.jobs, on Django's tasks framework. The embedded default is a database queue
# worked by `policeplan db_worker`.
# With REDIS_URL set, the default is RQ on Redis instead (policeplan.core.rq), worked by
# `policeplan worker` like the database queue.
TASKS = {"default": {"BACKEND": config.resolved_tasks_backend()}}
if config.redis_url:
    INSTALLED_APPS.append("django_rq")
# JSON, not RQ's default pickle: whoever can write to Redis must not be able to run code in a
# worker or in the web process reading the queue for /metrics (jobs take only ids and text).
RQ_QUEUES = {
    "default": {
        "URL": config.redis_url or "redis://127.0.0.1:6379/0",
        "SERIALIZER": "rq.serializers.JSONSerializer",
    }
}
RQ = {"QUEUE_CLASS": "policeplan.core.rq.Queue", "JOB_CLASS": "policeplan.core.rq.Job"}
# Backups write times to the microsecond (core.backup).
SERIALIZATION_MODULES = {"policeplan-jsonl": "policeplan.core.serialize_exact"}
METRICS_TOKEN = config.metrics_token
SCHEDULED_DOWNLOADS = config.scheduled_downloads

WAREHOUSE_ROOT = config.warehouse_dir or config.var_dir / "warehouse"
# The warehouse in the file storage, each machine's WAREHOUSE_ROOT a synced cache of it
# (core.warehouse_sync): on by default with an object store.
WAREHOUSE_SYNC = (
    config.warehouse_sync if config.warehouse_sync is not None else bool(config.s3_bucket)
)
WAREHOUSE_SYNC_SECONDS = config.warehouse_sync_seconds
UPLOAD_ROOT = config.var_dir / "uploads"
GEOGRAPHY = config.geography
DISCLOSURE_MIN_COUNT = config.disclosure_min_count
SURVEY_MIN_BASE = config.survey_min_base
SCRUTINY_RESPONSE_DAYS = config.scrutiny_response_days
SCRUTINY_PLAN_REVIEW_DAYS = config.scrutiny_plan_review_days
SITE_URL = config.resolved_site_url()
ANALYSIS_ENGINE = config.analysis_engine
PAGE_STAMP_SECONDS = config.page_stamp_seconds
SUBMISSION_RATE_LIMIT = config.submission_rate_limit
REGISTRATION_LIMIT_PER_EMAIL = config.registration_limit_per_email
REGISTRATION_LIMIT_PER_CLIENT = config.registration_limit_per_client
EQUALITY_MIN_CELL = config.equality_min_cell
QUESTION_ANSWER_DAYS = config.question_answer_days
DECISION_REFERENCE_PREFIXES = [p.upper() for p in config.decision_reference_prefixes]

CSRF_FAILURE_VIEW = "policeplan.core.views.pages.csrf_failure"
