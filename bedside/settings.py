"""Bedside settings: every value from the environment, with safe embedded defaults.

The embedded default (no variables set) is a complete single-machine install: SQLite in
WAL mode, local-memory cache, the database task queue and mail printed to the console.
Production (``BEDSIDE_ENV=production``) refuses to start with an insecure secret key and
turns on every transport-security setting. README.md has the table of every setting.
"""

import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from bedside.core.environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BEDSIDE_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("BEDSIDE_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured("BEDSIDE_ENV must be development, production or test")
IS_PRODUCTION = ENVIRONMENT == "production"

_INSECURE_KEY = "django-insecure-bedside-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY)
if IS_PRODUCTION and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value in production "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')"
    )

# Off by default even in development: a visitor must never see a stack trace.
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if IS_PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django_tasks_db",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "bedside.core",
    "bedside.audit",
    "bedside.practices",
    "bedside.posts",
    "bedside.events",
    "bedside.education",
    "bedside.engagement",
    "bedside.engagement.contests",
    "bedside.community",
    "bedside.notify",
    "bedside.notify.push",
    "bedside.syndication",
    "bedside.compliance",
    "bedside.analytics",
    "bedside.privacy",
    "bedside.studio",
    "bedside.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bedside.audit.context.AuditOrigin",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "bedside.practices.mfa.StaffTwoFactor",
    "bedside.practices.security.PermissionsPolicy",
    "bedside.practices.security.PostingRateLimits",
    "bedside.core.middleware.DomainErrorMiddleware",
    "bedside.analytics.middleware.RecordViews",
]

ROOT_URLCONF = "bedside.urls"
WSGI_APPLICATION = "bedside.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bedside" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bedside.practices.context_processors.memberships",
                "bedside.notify.context_processors.unread_notifications",
            ],
        },
    },
]

# --- data -------------------------------------------------------------------------------
_DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'bedside.sqlite3'}"
if "DATABASE_URL" not in os.environ:
    # A fresh clone has no var/ yet, and SQLite will not create the folder it lives in.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _DEFAULT_DATABASE_URL),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "syndication"],
    }
}

# --- syndication ------------------------------------------------------------------------
# Fernet keys for the channels' tokens, newest first (bedside/syndication/crypto.py).
# Development and tests derive one from SECRET_KEY; production must be given its own.
TOKEN_KEYS = env_list("BEDSIDE_TOKEN_KEY", [])
if IS_PRODUCTION and not TOKEN_KEYS:
    raise ImproperlyConfigured(
        "BEDSIDE_TOKEN_KEY must be set in production (python -c 'from cryptography.fernet "
        "import Fernet; print(Fernet.generate_key().decode())')"
    )
# OAuth apps of the practice's install on the networks that need one (bedside/syndication/
# oauth.py). Each redirect address is SITE_URL + /studio/oauth/<x|linkedin|meta>/callback/.
X_CLIENT_ID = env_str("BEDSIDE_X_CLIENT_ID", "")
X_CLIENT_SECRET = env_str("BEDSIDE_X_CLIENT_SECRET", "")
LINKEDIN_CLIENT_ID = env_str("BEDSIDE_LINKEDIN_CLIENT_ID", "")
LINKEDIN_CLIENT_SECRET = env_str("BEDSIDE_LINKEDIN_CLIENT_SECRET", "")
META_APP_ID = env_str("BEDSIDE_META_APP_ID", "")
META_APP_SECRET = env_str("BEDSIDE_META_APP_SECRET", "")

# --- files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "bedside" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Patients' signed authorization forms: never under MEDIA_ROOT, never served by a URL; only
# the compliance app's checked, audited download view reads them.
PRIVATE_MEDIA_ROOT = Path(env_str("BEDSIDE_PRIVATE_ROOT", str(VAR_DIR / "private")))
# Production serves media from the reverse proxy or object storage; the embedded install
# serves it from Django so that `make demo` needs nothing else.
SERVE_MEDIA = env_bool("BEDSIDE_SERVE_MEDIA", not IS_PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
MAX_UPLOAD_BYTES = env_int("BEDSIDE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Videos on posts (mp4/webm); larger than images, so they stream to a temporary file.
MAX_VIDEO_BYTES = env_int("BEDSIDE_MAX_VIDEO_BYTES", 200 * 1024 * 1024)

# --- mail -------------------------------------------------------------------------------
# Production defaults to the machine's own mail server (as Django does); the console
# backend would silently drop invitations and password resets.
_email = dj_email_url.parse(
    env_str("EMAIL_URL", "smtp://localhost:25" if IS_PRODUCTION else "console:")
)
_smtp_options = {
    "host": _email["EMAIL_HOST"],
    "port": _email["EMAIL_PORT"],
    "username": _email["EMAIL_HOST_USER"] or None,
    "password": _email["EMAIL_HOST_PASSWORD"] or None,
    "use_tls": _email["EMAIL_USE_TLS"],
    "use_ssl": _email["EMAIL_USE_SSL"],
    "timeout": env_int("EMAIL_TIMEOUT", 10),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bedside <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- web push ---------------------------------------------------------------------------
# The VAPID key pair (``manage.py vapid_keys`` prints one); push is off while unset.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:" + parseaddr(DEFAULT_FROM_EMAIL)[1])

# --- accounts ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
}
ACCOUNT_ALLOW_REGISTRATION = env_bool("BEDSIDE_OPEN_SIGNUP", True)
ACCOUNT_ADAPTER = "bedside.practices.accounts.AccountAdapter"
# One address per person, changed by verifying the new one; the old one hears of the change.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Two-factor sign-in: an authenticator app (TOTP) or a security key / passkey (WebAuthn),
# with recovery codes as the backup. Staff must have one (bedside/practices/mfa.py).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_ADAPTER = "bedside.practices.mfa.TwoFactorAdapter"
MFA_TOTP_ISSUER = "Bedside"
# fido2 accepts only https origins unless told otherwise; browsers allow WebAuthn on
# http://localhost and 127.0.0.1, where the embedded demo runs. Never in production.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not IS_PRODUCTION
BEDSIDE_STAFF_MFA_REQUIRED = env_bool("BEDSIDE_STAFF_MFA_REQUIRED", True)
# argon2 first: new and upgraded passwords are hashed with it; the others still verify
# older hashes and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_USER_MODEL = "practices.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- security ---------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Embedded videos, only after a click, only from the privacy-enhanced players.
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# Features no page of ours uses, denied to every frame (bedside/practices/security.py).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
# Form posts per signed-in person: URL name → "count/seconds" (429 past it).
POSTING_RATE_LIMITS = {"post_comment": "10/600", "studio_compose": "30/3600"}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", IS_PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", IS_PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", IS_PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEDSIDE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- locale -----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # httpx logs each request's full URL at INFO; Meta's token exchange carries the
        # app secret and the sign-in code in its query, which must never reach a log.
        "httpx": {"level": "WARNING"},
        # Presidio announces each recognizer it loads; only its warnings are worth reading.
        "presidio-analyzer": {"level": "WARNING"},
        # aiosmtpd (the demo's mail sink) logs every SMTP command at INFO, which buries the
        # demo's URL and logins under thousands of lines when a broadcast goes out.
        "mail.log": {"level": "WARNING"},
    },
}
