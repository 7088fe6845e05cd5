"""Settings for the claim desk, read from the environment.

Development defaults apply only while DEBUG is on; with DEBUG off the process
refuses to start without a SECRET_KEY and turns on the secure cookie and HSTS
settings that `manage.py check --deploy` asks for.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str = "False") -> bool:
    return os.getenv(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.getenv(name, str(default)))


def envsecret(name: str) -> str:
    """Read NAME, or the file named by NAME_FILE (for secrets mounted as files)."""
    path = os.getenv(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.getenv(name, "")


DEBUG = envbool("DEBUG", "False")

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
# With DEBUG off and no key, SECRET_KEY stays empty: commands that sign nothing
# (migrate, makemigrations) still run, the web refuses to start (newsroom/wsgi.py,
# asgi.py) and Django refuses anything that would sign with it.

ALLOWED_HOSTS = [h.strip() for h in os.getenv("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "axes",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before CommonMiddleware: the page's language from the cookie
    # the switcher sets, else the browser's Accept-Language, else LANGUAGE_CODE.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page's uncaught domain error (a search no query can hold) is its 400, not a 500.
    "newsroom.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: it turns a lockout into the answer (newsroom.login).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.context_processors.desk_roles",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# Database: PostgreSQL in production (DATABASE_URL); SQLite in WAL mode otherwise,
# so the dev server and the Celery worker can share the file without locking
# each other out.
DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "newsroom.sqlite3"),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Axes first: it refuses a locked account before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
# The languages the interface speaks; a reader picks one with the switcher in the page
# header (Django's set_language, remembered in a cookie). Arabic lays pages out right to
# left; dates and numbers follow Django's own formats for the language.
LANGUAGES = [("en-gb", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
# Off, as by default: ids and versions print into URLs and form fields. Counts meant for
# reading are grouped where they are shown (`|floatformat:"g"`).
USE_THOUSAND_SEPARATOR = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Files a browser asks for at the site's root (favicon.ico, on any first visit).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Files the desk keeps (evidence snapshots): served by no URL of their own, only through
# the views that check who may see them.
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Production hardening: everything `check --deploy` asks for, on unless DEBUG.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# How many proxies stand in front of the site, each appending the address it saw to
# X-Forwarded-For. 0 (no proxy, or one that does not set it): the socket's address is
# the client's, and a client's own X-Forwarded-For is ignored. Read by the login
# lockout (newsroom.middleware.client_ip) and the API throttles alike.
NUM_PROXIES = envint("NUM_PROXIES", 0)

# Password guessing (django-axes): five failures for one username from one address
# lock that pair for 15 minutes, counted again from each further failure. The pair,
# not the account alone, so a guesser cannot lock a colleague out from elsewhere, and
# a newsroom behind one address is not locked out by one person's typos. Attempts are
# recorded in the admin (Axes: access attempts, failures and logins).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "newsroom.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.login.lockout_response"
AXES_VERBOSE = False  # no banner on every manage.py command; failures are still logged

# Content-Security-Policy (django-csp): scripts, styles, images and connections from
# this site only, and no inline code: templates keep theirs in static/js and static/css.
# data: images are the small icons inside Swagger UI's stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features the desk never uses, refused to the page and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# Shared by the processes of one site when CACHE_URL names a Redis (the API's rate
# limits count per site, not per worker); in memory otherwise.
CACHE_URL = os.getenv("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# How long an API token made without saying lasts (stored hashed, shown once).
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 90)

REST_FRAMEWORK = {
    # Token first, so that a client without credentials or with a bad or expired
    # token is told 401 and how to authenticate (WWW-Authenticate: Token).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.auth.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.paging.DeskPagination",
    "PAGE_SIZE": 50,
    # The API speaks JSON: no endpoint takes a file, so no form or multipart bodies.
    # DRF's JSON parser, with a 400 for bodies nested past sense (claims.api.parsers).
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.DeskAutoSchema",
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    # Tokens are too long to guess; these bound what one client (a leaked token, a
    # runaway script) can pull. Rates per minute, from the environment for big syncs.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.getenv("API_RATE_ANON", "60/minute"),
        "user": os.getenv("API_RATE_USER", "600/minute"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claim desk API",
    "DESCRIPTION": "Claims, sources, stories and flags of the newsroom claim desk.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs describe the desk's data: for signed-in users only. Token
    # first, so an anonymous client is told 401 and how to authenticate.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "claims.api.auth.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Separate request and answer components, so a generated client's request models
    # neither ask for read-only fields nor lack the ones only answers carry.
    "COMPONENT_SPLIT_REQUEST": True,
    # "" (and null) in the enums of choice fields that may be blank (or null).
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.Status",
        "FlagStatusEnum": "claims.models.FlagStatus",
        "FlagRuleEnum": "claims.models.FlagRule",
        # A source's kind, in the list's and the detail's (with its track record) shapes.
        "SourceKindEnum": "claims.models.SourceKind",
        # Two `event` fields: a claim's kind of event, and what a notification is about.
        "EventEnum": "claims.models.Event",
        "NotificationEventEnum": "claims.models.NotificationEvent",
    },
}

# Celery: Redis or RabbitMQ in production (CELERY_BROKER_URL); kombu's filesystem
# transport under var/celery/ otherwise, so a laptop needs no broker at all.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "filesystem://")
CELERY_FS_DIR = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem"):
    for sub in ("queue", "processed", "results", "control"):
        (CELERY_FS_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "queue"),
        "data_folder_out": str(CELERY_FS_DIR / "queue"),
        "processed_folder": str(CELERY_FS_DIR / "processed"),
        "control_folder": str(CELERY_FS_DIR / "control"),
        "store_processed": False,
    }
    _default_backend = f"file://{CELERY_FS_DIR / 'results'}"
elif CELERY_BROKER_URL.startswith(("redis", "rediss")):
    _default_backend = CELERY_BROKER_URL
else:
    _default_backend = "rpc://"
CELERY_RESULT_BACKEND = os.getenv("CELERY_RESULT_BACKEND", _default_backend)
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "False")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when the broker is down: the claim is
# saved regardless and the next scheduled scan catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# The worker's reconnect limit: None keeps a worker waiting for its broker to
# come back instead of exiting (0 would mean "never retry").
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Nothing reads the scans' results; tracking them makes every delay() subscribe
# to the result store, which hangs a save for ~20 s when Redis is down.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# The claim desk's own knobs.
# Only the check policy's first value (how wide "about 400" is read, 0.10 = [360, 440]):
# admins change the policy in the admin, and everything reads the policy.
APPROX_TOLERANCE = float(os.getenv("APPROX_TOLERANCE", "0.10"))
LINKCHECK_ALLOW_PRIVATE = envbool("LINKCHECK_ALLOW_PRIVATE", "False")
# The desk's address as people reach it: the links in emails and chat messages.
DESK_URL = os.getenv("DESK_URL", "http://localhost:8000")

# Email (notifications): printed to the console in development, SMTP otherwise
# (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
EMAIL_BACKEND = os.getenv(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "claim-desk@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}
NEWSROOM_NAME = os.getenv("NEWSROOM_NAME", "Claim desk")
