"""OneStop settings: one module, every value from the environment (see README, "Configuration")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from onestop.core.env import env_bool, env_int, env_list, env_str, parse_email_url, public_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("ONESTOP_DATA_DIR", str(BASE_DIR / "data"))).resolve()

DEBUG = env_bool("DEBUG", default=False)
# In DEBUG (the demo) a fixed development key is acceptable; anywhere else it must be set.
_DEV_SECRET = "onestop-insecure-development-key-do-not-use-in-production-0123456789"  # noqa: S105 (DEBUG only)
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README).")

# Key(s) for personal data at rest (national ID numbers). Comma-separated: the first encrypts,
# all decrypt, so keys can be rotated. Losing it makes stored ID numbers unreadable: back it up.
_DEV_DATA_KEY = "onestop-development-data-key-not-for-production"
ONESTOP_DATA_KEYS = env_list("ONESTOP_DATA_KEY", [_DEV_DATA_KEY] if DEBUG else [])
if not ONESTOP_DATA_KEYS:
    raise ImproperlyConfigured("ONESTOP_DATA_KEY must be set when DEBUG is off (see README).")
# Encrypts `manage.py backup` archives (onestop.core.backup); keep it apart from the backups.
ONESTOP_BACKUP_KEY = env_str("ONESTOP_BACKUP_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Public base URL used in QR codes and e-mails (no trailing slash); unset, http://$HOST:$PORT.
ONESTOP_PUBLIC_URL = public_url()

INSTALLED_APPS = [
    # Django's admin behind the second factor (TOTP) for every operator.
    "onestop.accounts.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Ours, lowest layer first: each app depends only on those above it.
    "onestop.core",
    "onestop.organisations",
    "onestop.catalog",
    "onestop.cases",
    "onestop.documents",
    "onestop.notifications",
    "onestop.reports",
    "onestop.portal",
    "onestop.tracking",
    "onestop.eservice",
    "onestop.api",
    "ninja",  # its Swagger UI assets (static), served offline for the staff API docs
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "onestop.core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML, JSON and CSV compressed when the browser accepts gzip, with Django's BREACH
    # mitigation (random bytes in the gzip header; CSRF tokens are masked per response). After
    # WhiteNoise, which serves its own precompressed static files (onestop.core.compression).
    "onestop.core.compression.GZipMiddleware",
    # NUL characters, body size and unreadable forms are refused before the session is read
    # and before CSRF reads the body (onestop.core.ingress).
    "onestop.core.ingress.IngressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "onestop.core.errorpages.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
            "builtins": ["onestop.core.templatetags.thai"],
            "libraries": {"onestop_forms": "onestop.core.templatetags.onestop_forms"},
        },
    }
]

# Database: SQLite file in the data directory unless DATABASE_URL says otherwise.
DATA_DIR.mkdir(parents=True, exist_ok=True)
_default_db = f"sqlite:///{DATA_DIR / 'onestop.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue (busy timeout) instead of failing with "database is locked" mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
# An optional PostgreSQL read replica for the pages that may show slightly stale figures
# (onestop.core.replica): off unless DATABASE_REPLICA_URL is set.
DATABASE_ROUTERS = ["onestop.core.replica.ReplicaRouter"]
ONESTOP_READ_REPLICA = ""
if _replica_url := env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    ONESTOP_READ_REPLICA = "replica"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# No process-local state: sessions, cache (and so rate limits) live in the database.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "onestop_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": env_str("ONESTOP_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: throttle, never lock out for good
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The client's address as every other limit reads it (behind our proxies: from X-Forwarded-For),
# so that one attacker locks their own address and the attacked account, not everyone.
AXES_CLIENT_IP_CALLABLE = "onestop.core.net.client_ip"

# Thai first, with a complete English catalogue.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are private: stored through the storage API, served only by access-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Files in an S3-compatible object store (AWS S3, MinIO, Ceph, a cloud's S3 API) instead of
# MEDIA_ROOT, for several app servers: set ONESTOP_S3_BUCKET. Objects stay private (no ACL, no
# public URL): every file is streamed through the access-checked views, as on disk.
if _s3_bucket := env_str("ONESTOP_S3_BUCKET", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            "endpoint_url": env_str("ONESTOP_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("ONESTOP_S3_REGION", "") or None,
            "access_key": env_str("ONESTOP_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("ONESTOP_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("ONESTOP_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env_bool("ONESTOP_S3_SSE", default=False)
            else {},
        },
    }

_EMAIL_URL = env_str("EMAIL_URL", "console://")
# Password-reset links and staff notifications printed to a log nobody reads would be lost in
# silence (and personal data would be written to the log): production needs a real mailer.
if (
    not DEBUG
    and _EMAIL_URL.startswith("console:")
    and not env_bool("ONESTOP_ALLOW_CONSOLE_EMAIL", default=False)
):
    raise ImproperlyConfigured(
        "EMAIL_URL is console:// (the default when unset): e-mails would only be printed. "
        "Set EMAIL_URL=smtp://… (see README), or ONESTOP_ALLOW_CONSOLE_EMAIL=1 if that is "
        "really intended."
    )
_mailer, _sender = parse_email_url(_EMAIL_URL)
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = _sender or "OneStop <no-reply@localhost>"
# Notifications (outbox): attempts at a temporary failure before a message is marked failed.
ONESTOP_NOTIFY_MAX_ATTEMPTS = env_int("ONESTOP_NOTIFY_MAX_ATTEMPTS", 8)
# The LINE Messaging API (organisations configure their own account in the admin); the tests
# point it at a local server.
ONESTOP_LINE_API_URL = env_str("ONESTOP_LINE_API_URL", "https://api.line.me").rstrip("/")
ONESTOP_LINE_TIMEOUT = env_int("ONESTOP_LINE_TIMEOUT", 10)

# Security headers; HTTPS-only settings follow ONESTOP_HTTPS so the demo works on plain HTTP.
_HTTPS = env_bool("ONESTOP_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = 31536000 if _HTTPS else 0
# Only this host's own subdomains (e.g. *.oss.example.go.th), not the organisation's domain.
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
# The preload list takes whole registrable domains (example.go.th): the domain's owner decides,
# not one application on it; W021 ("not preloaded") is then expected.
SECURE_HSTS_PRELOAD = env_bool("ONESTOP_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Only behind a reverse proxy you configure: the header it sets with the client's address.
ONESTOP_TRUSTED_PROXY_COUNT = env_int("ONESTOP_TRUSTED_PROXY_COUNT", 0)
if ONESTOP_TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: scripts only from this site or with the page's nonce
# (`<script nonce="{{ csp_nonce }}">`); styles only from this site's files: no `style="…"`
# attribute and no `<style>` element in any template (tests/test_security_headers.py checks);
# scripts may still set `element.style`, which is how Leaflet positions its tiles. Images from
# https (map tiles, ONESTOP_MAP_TILES_URL).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:", "https:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Request bodies (onestop.core.ingress): anonymous visitors may send this much, except to the
# views that receive files (the wizard's documents: 5 documents and the ID-card photo of 10 MB
# each, plus the form) and signed-in staff, who may send ONESTOP_MAX_UPLOAD_MB.
ONESTOP_MAX_REQUEST_KB = env_int("ONESTOP_MAX_REQUEST_KB", 1024)
ONESTOP_MAX_UPLOAD_MB = env_int("ONESTOP_MAX_UPLOAD_MB", 61)
# Form fields other than files, held in memory: never more than a whole anonymous request.
DATA_UPLOAD_MAX_MEMORY_SIZE = ONESTOP_MAX_REQUEST_KB * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# LOG_FORMAT=json: one JSON object per line (production, for a log collector); plain text
# otherwise. Every record carries the request id (onestop.core.requestid); in JSON mode each
# request is also logged on `onestop.access` with its view, status and duration.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "onestop.core.requestid.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "onestop.core.requestid.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes and pikepdf say routine things at INFO (each lock-out check, the logger bridge).
    "loggers": {
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        "onestop.access": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}

# /metrics (Prometheus, onestop.core.metrics): answered only with this bearer token; unset: 404.
ONESTOP_METRICS_TOKEN = env_str("ONESTOP_METRICS_TOKEN", "")

# Public pages kept rendered in each worker (onestop.core.pagecache): the longest a page is
# kept (0: never; changes of an organisation or its catalogue drop it at once), how often a
# worker reads the shared version, and each worker's budget in KB.
ONESTOP_PAGE_CACHE_SECONDS = env_int("ONESTOP_PAGE_CACHE_SECONDS", 60)
ONESTOP_PAGE_CACHE_CHECK_SECONDS = env_int("ONESTOP_PAGE_CACHE_CHECK_SECONDS", 1)
ONESTOP_PAGE_CACHE_KB = env_int("ONESTOP_PAGE_CACHE_KB", 4096)

# Tracking (check results): failed attempts allowed per request number and per client address
# in a window, then a lock for the same time; how long a verified check lasts in the session.
ONESTOP_TRACKING_NUMBER_LIMIT = env_int("ONESTOP_TRACKING_NUMBER_LIMIT", 5)
ONESTOP_TRACKING_IP_LIMIT = env_int("ONESTOP_TRACKING_IP_LIMIT", 30)
ONESTOP_TRACKING_WINDOW_MINUTES = env_int("ONESTOP_TRACKING_WINDOW_MINUTES", 15)
ONESTOP_TRACKING_SESSION_MINUTES = env_int("ONESTOP_TRACKING_SESSION_MINUTES", 30)

# The API (onestop.api): calls allowed per API key and per client address in a window, then
# refused with 429 and Retry-After until the window is over.
ONESTOP_API_KEY_LIMIT = env_int("ONESTOP_API_KEY_LIMIT", 120)
ONESTOP_API_IP_LIMIT = env_int("ONESTOP_API_IP_LIMIT", 300)
ONESTOP_API_WINDOW_SECONDS = env_int("ONESTOP_API_WINDOW_SECONDS", 60)

# The maps (the citizen wizard's place step and the staff case page): tile URL template, empty
# for no map (the place step then works with the address fields only, the case page links to
# OpenStreetMap). OpenStreetMap's tiles need the attribution.
ONESTOP_MAP_TILES_URL = env_str(
    "ONESTOP_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
ONESTOP_MAP_ATTRIBUTION = env_str(
    "ONESTOP_MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)

# Back office (staff screens under /staff/) and staff accounts.
INSTALLED_APPS += ["onestop.accounts", "onestop.backoffice"]
# After authentication (it reads request.user) and messages (it may add one).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "onestop.accounts.middleware.IdleTimeoutMiddleware",
)
# First in the list, so that its header is on every staff response, whoever answered.
MIDDLEWARE.insert(0, "onestop.accounts.middleware.StaffNoStoreMiddleware")
# Request latency by view (onestop.core.latency), for every request but the probes below.
MIDDLEWARE.insert(0, "onestop.core.latency.RequestLatencyMiddleware")
# Before everything: probes name no host in ALLOWED_HOSTS, speak plain HTTP, carry no session.
MIDDLEWARE.insert(0, "onestop.core.health.HealthCheckMiddleware")
# Outermost: the request id is set for everything below and on every response (probes too).
MIDDLEWARE.insert(0, "onestop.core.requestid.RequestIdMiddleware")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/staff/"
# Signed out after this many minutes without a request.
ONESTOP_STAFF_IDLE_MINUTES = env_int("ONESTOP_STAFF_IDLE_MINUTES", 30)
AXES_LOCKOUT_CALLABLE = "onestop.accounts.views.locked_out"
OTP_TOTP_ISSUER = "OneStop"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # a reset link works for two hours
# Password-reset requests allowed per e-mail address typed and per client address in a window,
# then a lock for the same time (onestop.accounts.throttle).
ONESTOP_PASSWORD_RESET_ACCOUNT_LIMIT = env_int("ONESTOP_PASSWORD_RESET_ACCOUNT_LIMIT", 3)
ONESTOP_PASSWORD_RESET_IP_LIMIT = env_int("ONESTOP_PASSWORD_RESET_IP_LIMIT", 10)
ONESTOP_PASSWORD_RESET_WINDOW_MINUTES = env_int("ONESTOP_PASSWORD_RESET_WINDOW_MINUTES", 60)
# Working days within which a new request must get its first reply (ITA expects 15 for
# complaints); never later than the type's own completion target.
ONESTOP_FIRST_RESPONSE_DAYS = env_int("ONESTOP_FIRST_RESPONSE_DAYS", 15)
