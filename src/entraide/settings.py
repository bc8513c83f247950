"""The one settings module: everything a host may change comes from the environment.

Every variable is listed in the README's configuration table. Secrets may also be given as
``NAME_FILE`` (a path to a file holding the value), which suits container secrets.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

from entraide.core import datadir


def env(name: str, default: str = "") -> str:
    """The variable, or the content of the file named by ``NAME_FILE``, or ``default``."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value else default


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = datadir.data_dir_from_env()

DEBUG = envbool("ENTRAIDE_DEBUG")
SECRET_KEY = env("SECRET_KEY") or datadir.read_secret_key(DATA_DIR)

SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlparse(SITE_URL)
SITE_IS_LOCAL = _site.hostname in {"127.0.0.1", "localhost", "::1"}
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS").split(",") if h.strip()] or [
    _site.hostname or "localhost",
    "127.0.0.1",
    "localhost",
]
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

# Number of reverse proxies in front of the app that set X-Forwarded-For / -Proto.
TRUSTED_PROXIES = envint("ENTRAIDE_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Where the public can read this instance's source (AGPL section 13); /source/ serves it too.
SOURCE_URL = env("ENTRAIDE_SOURCE_URL")
# Our own limits (core.ratelimits: kept forms, the API); bench/settings.py turns them off, and
# ENTRAIDE_RATE_LIMITS=0 too (tests that drive a real server hard).
RATE_LIMITS = envbool("ENTRAIDE_RATE_LIMITS", default=True)

INSTALLED_APPS = [
    "entraide.core",
    "entraide.accounts",
    "entraide.notifications",
    "entraide.journal",
    "entraide.goals",
    "entraide.thoughts",
    "entraide.assessments",
    "entraide.safety",
    "entraide.treatments",
    "entraide.circle",
    "entraide.community",
    "entraide.api",
    "entraide.admin_site.AdminConfig",  # django.contrib.admin behind allauth (see admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "entraide.core.web.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "entraide.core.web.middleware.InstanceLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "entraide.core.web.middleware.NormalizedInputMiddleware",  # after CSRF: it has read the form
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "entraide.core.web.middleware.KeptFormMiddleware",
    "entraide.accounts.middleware.SessionLimitsMiddleware",
    "entraide.accounts.middleware.SecondFactorRequiredMiddleware",
    "entraide.accounts.middleware.ConsentRequiredMiddleware",
    "entraide.accounts.middleware.PersonTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "entraide.core.web.middleware.DocumentCSPMiddleware",  # django-csp's, not on redirects
    "django_htmx.middleware.HtmxMiddleware",
    "entraide.core.web.middleware.PrivacyHeadersMiddleware",
]

ROOT_URLCONF = "entraide.urls"
# Django's form renderer, with the label and the simple inputs written in Python (core/forms/form_renderer.py):
# a declared exception, measured in docs/performance.md.
FORM_RENDERER = "entraide.core.forms.form_renderer.FastFormRenderer"
WSGI_APPLICATION = "entraide.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "entraide.core.web.context_processors.instance_facts",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "entraide.sqlite3")}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests: opening one and running the PRAGMAs below cost about 4 ms, more
    # than a whole page. Each sync worker has one thread, hence one connection.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # IMMEDIATE: writers take the lock at BEGIN, so concurrent writers wait
            # (busy timeout) instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=FULL;"
                "PRAGMA secure_delete=ON;"
                "PRAGMA foreign_keys=ON;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "entraide_cache",
        }
    )
}

# --- Accounts --------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "entraide.accounts.hashers.SmallHostArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_ADAPTER = "entraide.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "entraide.accounts.forms.SignupExtraForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # no state change on GET: the link opens a page with a button
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # subjects stay discreet; core.mail adds the instance name
ACCOUNT_SESSION_REMEMBER = None  # "Se souvenir de moi" shown, unticked by default.
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
PASSWORD_RESET_TIMEOUT = 3600  # reset links are valid about an hour

MFA_ADAPTER = "entraide.accounts.adapters.MFAAdapter"
# Passkeys need JavaScript (WebAuthn is a browser API): TOTP stays the path that works without it.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_RECOVERY_CODE_COUNT = 10
# No tolerance (allauth's default): allauth remembers a spent code for one 30-second window only,
# so accepting the neighbouring windows would let a spent code be replayed.
MFA_TOTP_TOLERANCE = 0
# Off: tracking writes to the database on every request (costly on SQLite and a small host);
# the list still shows each session's browser and start.
USERSESSIONS_TRACK_ACTIVITY = False
USERSESSIONS_ADAPTER = "entraide.accounts.adapters.UserSessionsAdapter"
# allauth's limits, counted in the shared cache so every worker sees the same counts; never a
# permanent lockout. Failed logins (accounts.adapters.AccountAdapter.pre_authenticate, and
# docs/accounts.md): 5 in 5 minutes per (address, account) and 60 in 10 minutes per address,
# so that one address shared by many people (a shelter's Wi-Fi) does not block them all; 100
# an hour per account from all addresses together, against guessing from many addresses. A
# browser that signed in to the account before counts only its own failures: 5 in 5 minutes.
# (bench/settings.py turns them off.)
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {
    "login_failed": "60/10m/ip,5/5m/key",
    "login_failed_account": "100/1h/key",
    "login_failed_known_browser": "5/5m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES
ACCOUNT_EMAIL_NOTIFICATIONS = True  # password, address and 2FA changes are emailed

# "Se souvenir de moi" unticked: the session ends with the browser or after 30 minutes idle;
# ticked: 14 days. Anyone holding a role is logged out 12 hours after logging in, whatever the
# choice (accounts.middleware.SessionLimitsMiddleware).
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ROLE_MAX_AGE = 12 * 3600

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "entraide_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# --- Uploads (core/content/uploads.py): never served as static files, always through an app's view ------
MEDIA_ROOT = DATA_DIR / "uploads"
ENTRAIDE_UPLOAD_MAX_BYTES = envint("ENTRAIDE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

# --- Email -----------------------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 15)
EMAIL_CONFIGURED = bool(EMAIL_HOST)
if EMAIL_CONFIGURED:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@localhost")
# The name mail comes from: the instance's name unless set (or named in DEFAULT_FROM_EMAIL).
ENTRAIDE_MAIL_SENDER_NAME = env("ENTRAIDE_MAIL_SENDER_NAME")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers ------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = _site.scheme == "https"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and envbool("ENTRAIDE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if SITE_IS_LOCAL and not HTTPS:
    # A local instance has no TLS to enforce; `entraide check` insists on it everywhere else.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
CSRF_FAILURE_VIEW = "entraide.core.views.errors.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Logging: no personal data, ever (see CONTRIBUTING) --------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("ENTRAIDE_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger would print URLs with query strings (tokens): keep warnings only.
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}

# --- Jobs ------------------------------------------------------------------------------------
# django-tasks stores jobs in the database; `entraide worker` runs them (see core/jobs.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A job still running this long after it started is taken to have lost its worker and runs again:
# longer than any job may take (an email gives up after EMAIL_TIMEOUT).
ENTRAIDE_JOB_LEASE_SECONDS = envint("ENTRAIDE_JOB_LEASE_SECONDS", 600)
# `entraide worker --once --now ISO` moves the worker's clock: for tests only, never in production.
ENTRAIDE_TEST_CLOCK = envbool("ENTRAIDE_TEST_CLOCK", False)
if ENTRAIDE_TEST_CLOCK:
    # The tests' own app (its jobs, notification and reminder kinds), for worker processes in tests.
    INSTALLED_APPS += [a for a in env("ENTRAIDE_TEST_APPS").split(",") if a]
