"""Settings shared by every configuration.

The environment is read here and only here (with accounts.py, its accounts part, through
environment.py); dev, test and production override a few values.
Defaults are safe for a laptop: SQLite, the database search backend, a local-memory cache,
console email. PostgreSQL, Redis and Elasticsearch are switched on by environment variables.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
import django.conf.locale
from django.core.exceptions import ImproperlyConfigured

from .environment import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,.localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # The platform: the core, the engine, then the feature apps (plugins).
    "cms",
    "participation",
    "participation.bureau",
    "participation.commandements",
    "occupai",
    "hackathon",
    "bricolages",
    "accueil",
    "guide",
    "search",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",  # instead of wagtail.locales: the admin's languages, with their sync
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "cms.users_app.StaffUsersConfig",  # wagtail.users, with the platform's user forms (cms.staff)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Comments, API, tasks
    "django_comments_xtd",
    "django_comments",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    # Operations: /healthz and `manage.py health_check healthz`
    "health_check",
    # Accounts (django-allauth): sign-up, email verification, login by username or email, password and
    # email changes, two-factor (TOTP and recovery codes), FranceConnect (OpenID Connect)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "cms.franceconnect",  # FranceConnect's OpenID Connect, with its nonce and signature checks
    # Security: login lockout, Content-Security-Policy
    "axes",
    "csp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "cms.observability.RequestIdMiddleware",  # first: every later line of the request carries its id
    "django.middleware.security.SecurityMiddleware",
    "cms.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cms.second_factor.StaffSecondFactorMiddleware",  # staff without a second factor: sent to set one up
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Anonymous pages from the cache (cms.cache), with every middleware above still around them.
    "cms.cache.PageCacheMiddleware",
    # The Site and mairie of the request from the cache (cms.mairies), before Wagtail asks; after the
    # page cache, so that a page served from it does not pay for it.
    "cms.mairies.MairieMiddleware",
    "cms.storage.PrivateFileAccelMiddleware",  # private files sent by nginx (PRIVATE_MEDIA_ACCEL_PREFIX)
    "cms.errorpages.StorageUnavailableMiddleware",  # the file store down: 503 in French, nothing saved
    "cms.security.MalformedFormMiddleware",  # a form posted without its fields: 400, not 500
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into our French 429 page
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.platform",
            ],
            # Every template speaks French through gettext: {% translate %} needs no {% load i18n %}.
            "builtins": ["django.templatetags.i18n"],
        },
    },
]

# Database: a SQLite file by default, anything dj-database-url understands otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let a server and a worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Reads run without a transaction; each request of a writing method runs in one, so that an error
# mid-request leaves no partial write (cms.transactions.atomic_writes, applied in cms/urls.py).
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A read replica (PostgreSQL streaming replication) when DATABASE_REPLICA_URL is set: requests read
# it when they may, with read-your-writes and a fallback to the primary (cms/db_router.py, decision 0009).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10)  # further behind: reads go to the primary
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 2)  # how often each process measures the lag
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 15)  # a browser reads the primary this long after a write
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
                                                 conn_health_checks=True)
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["cms.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(1, "cms.db_router.ReplicaPinMiddleware")  # before the session's and the user's reads

# A workflow approved to the end publishes as the approver, whose approval is the permission
# (cms.moderation: the editors of a mairie whose pages are reviewed do not hold publish_page).
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.workflow_finish.publish_approved"

AUTH_USER_MODEL = "cms.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username + address
    "allauth.account.auth_backends.AuthenticationBackend",  # username or email (ModelBackend's permissions)
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "account"
LOGOUT_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "login"  # one login for everybody, with its second factor (cms/urls.py)

from .accounts import *  # noqa: E402, F403 (accounts, two-factor, FranceConnect)
from .accounts import FRANCECONNECT_CLIENT_ID, FRANCECONNECT_ISSUER, franceconnect_origin  # noqa: E402

# French first; the interface and the pages in six languages (docs/decisions/0011-content-translation.md).
# Each language is named in its own language (the switcher shows them so). No language prefix in the
# URLs: the language comes from the cookie set by the switcher, then Accept-Language, then French.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("ar", "العربية"),
    ("zh-hans", "简体中文"),
    ("wo", "Wolof"),
    ("bm", "Bamanankan"),
]
# Django knows no Wolof nor Bambara: their LANG_INFO (direction, names), in this one place.
EXTRA_LANG_INFO = {
    "wo": {"bidi": False, "code": "wo", "name": "Wolof", "name_local": "Wolof"},
    "bm": {"bidi": False, "code": "bm", "name": "Bambara", "name_local": "Bamanankan"},
}
django.conf.locale.LANG_INFO.update(EXTRA_LANG_INFO)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Pages and snippets are translated with wagtail-localize: one page tree per language (locale).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# The staff guide's screenshots (docs/guide-equipes.md, shown in the admin by cms/admin_help.py).
STATICFILES_DIRS = [("guide-equipes", BASE_DIR / "docs" / "images" / "guide-equipes")]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "cms.storage.MediaStorage"},  # MEDIA_ROOT; Wagtail images: private
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Public media on an S3-compatible store (django-storages) when AWS_STORAGE_BUCKET_NAME is set; private
# files stay on PRIVATE_MEDIA_ROOT (cms/storage.py). Credentials: boto3's own chain (AWS_ACCESS_KEY_ID
# and AWS_SECRET_ACCESS_KEY in the environment, or the machine's role), never in settings.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = env("S3_ENDPOINT_URL") or None  # e.g. http://127.0.0.1:9100 (moto, MinIO); empty: AWS
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME") or None
AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN") or None  # the public host of the media (a CDN), if any
AWS_S3_ADDRESSING_STYLE = env("AWS_S3_ADDRESSING_STYLE") or None  # "path" for most S3-compatible servers
AWS_LOCATION = env("AWS_LOCATION", "")  # a folder inside the bucket
AWS_QUERYSTRING_AUTH = False  # public media: plain URLs (the bucket's policy makes them readable)
AWS_S3_FILE_OVERWRITE = False  # a new upload never replaces another file of the same name
S3_TIMEOUT_SECONDS = env_int("S3_TIMEOUT_SECONDS", 5)  # connect and read; then the upload is refused (503)
# Private files sent by nginx after Django checked permissions: the internal location's prefix
# (e.g. /_private/, mapped by nginx to PRIVATE_MEDIA_ROOT); empty: Django streams them itself.
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Cache: local memory by default, Redis when REDIS_URL is set (then sessions live there too).
# The "pages" cache holds whole anonymous pages (cms.cache); without that alias the page cache is off.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                  "KEY_PREFIX": "pages"},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mairie"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mairie-pages",
                  "OPTIONS": {"MAX_ENTRIES": 5000}},
    }
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 5)

# Email: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Mairie de demain <ne-pas-repondre@mairie-de-demain.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: the database backend by default (a worker runs `manage.py db_worker`),
# the immediate backend when TASKS_BACKEND=immediate (tests).
TASKS_BACKEND = env("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND]
    }
}

# Search: the platform's own index (search/ app).
SEARCH_BACKEND = env("SEARCH_BACKEND") or "database"
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX") or "mairie"
# A real cluster: an API key, or a user name and password; its CA certificate (a PEM file) for https.
ELASTICSEARCH_API_KEY = env("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_USERNAME = env("ELASTICSEARCH_USERNAME", "")
ELASTICSEARCH_PASSWORD = env("ELASTICSEARCH_PASSWORD", "")
ELASTICSEARCH_CA_CERTS = env("ELASTICSEARCH_CA_CERTS", "")
ELASTICSEARCH_TIMEOUT = float(env("ELASTICSEARCH_TIMEOUT") or 5)  # seconds per request
ELASTICSEARCH_MAX_RETRIES = env_int("ELASTICSEARCH_MAX_RETRIES", 2)  # on another node, after a timeout or refusal
# A failed search sync is retried by deferred tasks this many times (backoff 30 s, doubling, at most
# 1 h), then by `search_replay_failed` (every 5 minutes from the scheduler) until it succeeds.
SEARCH_SYNC_MAX_ATTEMPTS = env_int("SEARCH_SYNC_MAX_ATTEMPTS", 5)
# Wagtail's own search serves the admin only.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Wagtail
WAGTAIL_SITE_NAME = "Mairie de demain"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "ods", "odp", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# django.contrib.sites, required by django-comments-xtd.
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 1  # a comment and its replies: depth 2
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_HIDE_REMOVED = True

# REST API
# An API token (Authorization: Token …) is refused, and deleted, this many days after it was made (0: never);
# a password change deletes it at once, and the account page revokes it.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
# How long an email's one-click unsubscribe link works (participation/unsubscribe.py), in days.
NOTIFICATION_UNSUBSCRIBE_MAX_AGE = env_int("NOTIFICATION_UNSUBSCRIBE_DAYS", 365) * 24 * 3600

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "cms.api.auth.TokenAuthentication",  # DRF's, with an expiry (API_TOKEN_DAYS)
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "cms.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "cms.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "cms.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env("THROTTLE_AUTH", "20/min"),
        "support": env("THROTTLE_SUPPORT", "60/min"),
        "write": env("THROTTLE_WRITE", "30/min"),
        "search": env("THROTTLE_SEARCH", "120/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mairie de demain API",
    "DESCRIPTION": "Participatory objects of the mairies d'arrondissement: the platform's REST API. "
    "Pages are served by Wagtail's API v2 at /api/v2/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["cms.api.schema.platform_endpoints_only"],
    # Several models have a "kind" or "status" field: name their enums apart in the schema.
    "ENUM_NAME_OVERRIDES": {
        "OccupaiProposalKindEnum": "occupai.models.Proposal.Kind",
        "OccupaiProposalStatusEnum": "occupai.models.Proposal.Status",
        "OccupaiProposerTypeEnum": "occupai.models.Proposal.ProposerType",
        "OccupaiNeedEnum": "occupai.models.Proposal.Need",
        "AmendmentKindEnum": "participation.commandements.models.Amendment.Kind",
        "BureauProjectStatusEnum": "participation.bureau.models.Status",
        "BureauNeedEnum": "participation.bureau.models.Need",
        "NotificationDeliveryEnum": "participation.notification_kinds.Delivery",
        "DrawRedrawKindEnum": "hackathon.models.Draw.RedrawKind",
        "CarnetItemStateEnum": "guide.models.CarnetItem.State",
        "OpenBricolageRegistrationStatusEnum": "bricolages.openbricolage.models.Registration.Status",
    },
}

# The platform's own knobs.
DEMO_PASSWORD = env("DEMO_PASSWORD", "demo-mairie-2026")
# seed_demo translates the demo guide from guide/demo_translations/*.po (off in the test settings: its
# cost in every test that builds the whole demo; the tests of the translations ask for it).
DEMO_TRANSLATIONS = env_bool("DEMO_TRANSLATIONS", True)
# The demo staff's second factor, in development (DEBUG) only: `manage.py demo_totp` prints its code.
DEMO_TOTP_SECRET = env("DEMO_TOTP_SECRET", "MAIRIEDEDEMAINDEMO2FAPARISXIXEAA")
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 30)
# age public keys (age1..., comma-separated) that `manage.py backup` encrypts to; empty: not encrypted.
# The private key (BACKUP_AGE_IDENTITY) is read by `manage.py restore` alone, never by the site.
BACKUP_AGE_RECIPIENT = env("BACKUP_AGE_RECIPIENT")
# The apps' own knobs. Each default is stated once, in the app's conf.py (participation, hackathon,
# bricolages, search), which reads the setting; here only what the environment sets. (What the
# platform runs on, database, cache, mail, search engine, is stated above, as every Django setting.)
APP_SETTINGS_FROM_ENV = {
    "REPORTS_BEFORE_HIDING": int, "COMPLAINT_RETENTION_DAYS": int,
    "DRAW_MIN_COMPLAINTS": int, "COMPLAINT_SCAN_MAX_BYTES": int, "BRICOLAGES_ATTACHMENT_MAX_BYTES": int,
    "BRICOLAGES_RATING_PRIOR_WEIGHT": float, "BRICOLAGES_MAX_STEPS": int, "BRICOLAGES_PAGE_SIZE": int,
    "CARNET_RETENTION_DAYS": int, "COWORKING_INVITATION_RETENTION_DAYS": int, "HELP_REQUEST_RETENTION_DAYS": int,
    "GUIDE_DOCUMENT_MAX_BYTES": int,
}
globals().update({name: cast(os.environ[name]) for name, cast in APP_SETTINGS_FROM_ENV.items()
                  if os.environ.get(name)})
PLATFORM_ENV = "base"

# --- Operations: logs, error reports, health, scheduled jobs (docs/operations.md) -----------
# Every log line carries the request's id (cms.observability: X-Request-ID, echoed back);
# LOG_FORMAT=json writes one JSON object per line for a log collector, plain text otherwise.
LOG_FORMAT = env("LOG_FORMAT") or "plain"
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cms.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "cms.observability.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {"cms.scheduler": {"level": "INFO"}},  # each job's run and result: the scheduler's own journal
}
# Who gets a mail for each server error (Django's mail_admins): "Name <email>, other@example.org".
ADMINS = [(name, address) for name, address in getaddresses([env("ADMINS", "")]) if address]
MANAGERS = ADMINS
# Errors to Sentry (or a compatible server) when SENTRY_DSN is set, without personal data.
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    from cms.observability import sentry_init

    sentry_init(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT") or "production", release=env("SENTRY_RELEASE"),
                traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE") or 0))
# /healthz (cms/health.py): a task waiting this long is a warning, twice as long unhealthy.
HEALTH_TASK_BACKLOG_MINUTES = env_int("HEALTH_TASK_BACKLOG_MINUTES", 15)
# The scheduler (`manage.py scheduler`, cms/schedule.py): finished task results older than this go.
TASK_RESULT_RETENTION_DAYS = env_int("TASK_RESULT_RETENTION_DAYS", 14)
# A task RUNNING this long is taken for one whose worker died: put back in the queue (cms/task_recovery.py,
# every minute by the scheduler), or FAILED once claimed TASK_MAX_ATTEMPTS times. Above the longest task.
TASK_RUNNING_TIMEOUT_SECONDS = env_int("TASK_RUNNING_TIMEOUT_SECONDS", 1800)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)
# /.well-known/security.txt: where to report a vulnerability (an email address or an https:// URL).
SECURITY_CONTACT = env("SECURITY_CONTACT") or (ADMINS[0][1] if ADMINS else "securite@mairie-de-demain.localhost")
# Mentions légales: who hosts the platform.
HOSTING_PROVIDER = env("HOSTING_PROVIDER") or "Ville de Paris"
HOSTING_ADDRESS = env("HOSTING_ADDRESS") or "Hôtel de Ville, place de l'Hôtel-de-Ville, 75004 Paris"
HOSTING_CONTACT = env("HOSTING_CONTACT") or ""
CSRF_FAILURE_VIEW = "cms.errorpages.csrf_failure"

# --- Security, abuse limits (cms/security.py, cms/ratelimit.py) ------------------------------
# Content-Security-Policy (django-csp 4): no inline script or style on the public pages.
# The Wagtail admin needs inline scripts and styles: it gets the looser policy below.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],  # the page preview is an iframe of the admin
    },
}
if FRANCECONNECT_CLIENT_ID:  # the login form's POST is redirected to FranceConnect: a form action to allow
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(franceconnect_origin(FRANCECONNECT_ISSUER))
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar lookups leaking emails to a third party
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.upload_forms.CheckedDocumentForm"

# Rate limits of the HTML doors: "N/period" (s, min, h, d; e.g. "5/h", "10/15min"), each overridable
# by an environment variable RATELIMIT_<SCOPE> (RATELIMIT_SIGNUP=10/h). Over the limit: 429 with
# a French message and Retry-After. The API has DRF throttles (THROTTLE_* above) beside these.
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
RATELIMIT_PROXY_COUNT = env_int("RATELIMIT_PROXY_COUNT", 0)  # trusted proxies adding X-Forwarded-For
RATELIMITS = {
    scope: env(f"RATELIMIT_{scope.upper()}", default)
    for scope, default in {
        "signup": "5/h",
        # Logins: per account and address (brute force on one account), and per address for all
        # accounts, high enough for a mairie's hall terminal or a shared NAT.
        "login": "10/15min",
        "login_ip": "300/15min",
        "password_reset": "5/h",
        "email_change": "10/h",  # the account's email page: each change or resend sends an email
        "support": "60/min",
        "comment": "10/min",
        "report": "20/h",
        "complaint": "10/h",
        "search": "60/min",
        "export": "10/h",
        "ticket": "60/10min",  # tickets taken per address: a hall kiosk serves many residents
        "booking": "30/h",  # co-working bookings and cancellings, per account or per invitation
        "help": "30/h",  # ambassadeurs: applications, help requests, messages and acts for a neighbour, per account
        "carnet_code": "10/15min",  # claim codes of carnets opened at the counter (read, attach), per account or address
    }.items()
}

# The hall's SMS (accueil/sms.py): a generic HTTP gateway when SMS_HTTP_URL is set; otherwise the
# console provider outside production, and no SMS at all in production.
SMS_HTTP_URL = env("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = float(env("SMS_HTTP_TIMEOUT", "5"))
SMS_BACKEND = env("SMS_BACKEND", "http" if SMS_HTTP_URL else "console")

# Lockout after repeated failed logins (django-axes): by username and address together, so that
# nobody can lock someone else out from another address.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no log of every successful login (personal data we do not need)
AXES_LOCKOUT_CALLABLE = "cms.security.lockout_response"
AXES_USERNAME_CALLABLE = "cms.security.axes_username"  # `login` (allauth's form), `username` or `email`
AXES_CLIENT_IP_CALLABLE = "cms.ratelimit.client_ip"  # one notion of the client address for both
