"""Settings for Bondgenoot, read from environment variables.

Every setting that differs between a laptop and a production server comes from
the environment. Bad values stop the process with a clear message rather than
silently falling back to something unsafe.
"""

from __future__ import annotations

import importlib.util
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def prepared_statements() -> dict:
    """PostgreSQL: parameters bound by the server, and a query the connection has run
    ``DB_PREPARE_THRESHOLD`` times (default 5) kept planned there, so it is not planned
    again on every request (the family page's queries spent more time being planned
    than run: docs/performance.md). ``DB_PREPARE_THRESHOLD=0`` turns preparing off, as a
    connection pooler in transaction mode without prepared statement support needs
    (docs/operations.md)."""
    threshold = env_int("DB_PREPARE_THRESHOLD", 5)
    if threshold < 0:
        raise ImproperlyConfigured("DB_PREPARE_THRESHOLD must be 0 (off) or more")
    return {"server_side_binding": True, "prepare_threshold": threshold or None}


def database_from_url(url: str) -> dict:
    """Turn postgres://user:pass@host:port/name (or sqlite:///path) into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. .../bondgenoot")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": prepared_statements(),
            "TEST": {"NAME": "test_" + unquote(parsed.path.lstrip("/"))},
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path or ":memory:"}
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with postgres:// or sqlite://, not {parsed.scheme!r}"
    )


CACHE_TABLE = "bondgenoot_cache"


def cache_from_url(url: str, *, redis_installed: bool = True) -> dict:
    """The shared cache (monitor figures) from ``CACHE_URL``:

    * empty: the database cache, in the table ``bondgenoot_cache`` (``migrate`` makes it),
      shared by every web process and worker without another server;
    * ``redis://host:6379/0`` or ``rediss://…`` (TLS): Django's built-in Redis backend
      (needs the ``redis`` package: ``pip install redis``);
    * ``locmem://``: one cache per process (a single process, development);
    * ``dummy://``: no cache (to measure the uncached path).
    """
    if not url or url == "db://":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # The database cache counts its rows on every write and culls a third
            # beyond this many: room for every user's monitor of a day.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    scheme = urlparse(url).scheme
    if scheme in {"redis", "rediss"}:
        if not redis_installed:
            raise ImproperlyConfigured(
                "CACHE_URL is a Redis address, but the redis package is not installed "
                "(pip install redis)."
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url == "dummy://":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        "CACHE_URL must be empty (the database cache), redis://…, rediss://…, locmem:// "
        f"or dummy://, not {url!r}"
    )


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("BONDGENOOT_ALLOW_DEV_SECRET") != "1":
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (production) or DEBUG=1 (development)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

# Key for the audit log's hash chain. Keep it outside the database so that
# someone with only database access cannot rewrite the chain.
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", SECRET_KEY)

# Where export_audit_head appends the daily head of the audit log (keep it off the
# database server; see docs/operations.md).
AUDIT_HEAD_FILE = Path(os.environ.get("AUDIT_HEAD_FILE", BASE_DIR / "var" / "audit-heads.txt"))

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # the built-in widget templates, for the project's form renderer
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "bondgenoot.core",
    "bondgenoot.people",
    "bondgenoot.accounts",
    "bondgenoot.audit",
    "bondgenoot.contacts",
    "bondgenoot.approach",
    "bondgenoot.bridges",
    "bondgenoot.messaging",
    "bondgenoot.meetings",
    "bondgenoot.network",
    "bondgenoot.parentvoice",
    "bondgenoot.cases",
    "bondgenoot.patterns",
    "bondgenoot.protocols",
    "bondgenoot.administration",
    "bondgenoot.portal",
    "bondgenoot.roster",
    "django_tasks_db",
]

# Django's own admin site, for technical operations by superusers only. Off by default:
# people, accounts and roles are managed in the application (/beheer/), through the
# access policy and with audit entries. See docs/operations.md.
DJANGO_ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", False)
if DJANGO_ADMIN_ENABLED:
    INSTALLED_APPS.insert(0, "django.contrib.admin")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bondgenoot.core.middleware.NoStoreMiddleware",
    "bondgenoot.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bondgenoot.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bondgenoot.accounts.middleware.ResolveUserMiddleware",
    "bondgenoot.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bondgenoot.accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bondgenoot.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bondgenoot.urls"
WSGI_APPLICATION = "bondgenoot.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bondgenoot.accounts.context_processors.navigation",
            ],
        },
    },
]

# One layout for every form field (bondgenoot/core/forms.py).
FORM_RENDERER = "bondgenoot.core.forms.FormRenderer"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "bondgenoot.sqlite3")),
            # Keep connections (and their page cache) between requests; memory-map the
            # file so that every process shares the operating system's cache.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a login while the account/IP pair is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (below): never answers authenticate(); it finds the user of a
    # session that single sign-on started.
    "bondgenoot.accounts.sso.SSOBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after a period without activity (default 30 minutes).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Idle sessions end after SESSION_COOKIE_AGE: SlidingSessionMiddleware moves the expiry
# at most once a minute (not a session write on every request).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A session also ends this many hours after the login, however active (ASVS 7.3.2).
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)

# HTTPS: browsers are told to use only HTTPS for a year (HSTS). HSTS_SECONDS=0 switches
# it off (a laptop on http://127.0.0.1); it is off by default under DEBUG.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Behind a reverse proxy that terminates TLS: the header it sets, and its value for
# HTTPS, e.g. PROXY_SSL_HEADER="X-Forwarded-Proto: https" (see docs/operations.md).
# Only set it when the proxy always sets or overwrites that header.
_proxy_ssl_header = os.environ.get("PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    _name, _sep, _value = _proxy_ssl_header.partition(":")
    if not _sep or not _name.strip() or not _value.strip():
        raise ImproperlyConfigured(
            f"PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', not {_proxy_ssl_header!r}"
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _name.strip().upper().replace("-", "_"),
        _value.strip(),
    )
# The client's address, for the audit log and throttling: REMOTE_ADDR, or with
# TRUSTED_PROXY_COUNT reverse proxies in front, the address the outermost trusted proxy
# saw, read from CLIENT_IP_HEADER (default X-Forwarded-For) — see lib/client_ip.py.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "X-Forwarded-For")

# No form field takes more text than this; larger requests are refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 1024 * 1024)

# Failed logins are throttled per username and address (django-axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Throttling sees the real client address behind TRUSTED_PROXY_COUNT proxies (the same
# rule as the audit log; django-ipware is not installed, so axes asks our function).
AXES_CLIENT_IP_CALLABLE = "bondgenoot.lib.client_ip.client_ip"

OTP_TOTP_ISSUER = "Bondgenoot"

# Single sign-on with OpenID Connect (accounts/sso.py; docs/operations.md, "Single
# sign-on"). Off unless SSO_ISSUER is set; then "Log in with your school account" shows
# on the login page. Accounts are matched, never created; roles come from memberships.
SSO_ISSUER = os.environ.get("SSO_ISSUER", "").strip().rstrip("/")
SSO_ENABLED = bool(SSO_ISSUER)
OIDC_RP_CLIENT_ID = os.environ.get("SSO_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("SSO_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("SSO_SCOPES", "openid email")
OIDC_RP_SIGN_ALGO = os.environ.get("SSO_SIGN_ALGO", "RS256")
# The ID token claim to match on, and the account field it must equal: "email" or
# "username" (case does not matter; two accounts that match are both refused).
SSO_MATCH_CLAIM = os.environ.get("SSO_MATCH_CLAIM", "email")
SSO_MATCH_FIELD = os.environ.get("SSO_MATCH_FIELD", "email")
# amr and acr values (comma-separated) that mean "logged in with more than a password":
# roles with two-step login skip the TOTP step after such a sign-on.
SSO_MFA_AMR = frozenset(
    v.strip() for v in os.environ.get("SSO_MFA_AMR", "").split(",") if v.strip()
)
SSO_MFA_ACR = frozenset(
    v.strip() for v in os.environ.get("SSO_MFA_ACR", "").split(",") if v.strip()
)
SSO_CLOCK_SKEW_SECONDS = env_int("SSO_CLOCK_SKEW_SECONDS", 60)
OIDC_TIMEOUT = env_int("SSO_TIMEOUT_SECONDS", 10)
if SSO_ENABLED:
    if not re.fullmatch(r"https://\S+", SSO_ISSUER) and not (
        DEBUG and re.fullmatch(r"http://(127\.0\.0\.1|localhost)(:\d+)?(/\S*)?", SSO_ISSUER)
    ):
        raise ImproperlyConfigured(
            f"SSO_ISSUER must be an https:// address (the issuer), not {SSO_ISSUER!r}"
        )
    if not OIDC_RP_CLIENT_ID or not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured(
            "SSO_ISSUER is set: set SSO_CLIENT_ID and SSO_CLIENT_SECRET too."
        )
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured(f"SSO_SCOPES must include openid, not {OIDC_RP_SCOPES!r}")
if SSO_MATCH_FIELD not in {"email", "username"}:
    raise ImproperlyConfigured(
        f"SSO_MATCH_FIELD must be email or username, not {SSO_MATCH_FIELD!r}"
    )
if not SSO_MATCH_CLAIM:
    raise ImproperlyConfigured("SSO_MATCH_CLAIM must name a claim, e.g. email")
# How the client proves itself at the token endpoint: basic (client_secret_basic, the
# default every provider supports) or post (client_secret_post).
_sso_token_auth = os.environ.get("SSO_TOKEN_AUTH", "basic")
if _sso_token_auth not in {"basic", "post"}:
    raise ImproperlyConfigured(f"SSO_TOKEN_AUTH must be basic or post, not {_sso_token_auth!r}")
OIDC_TOKEN_USE_BASIC_AUTH = _sso_token_auth == "basic"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"

# Content Security Policy: everything from our own origin, nothing from anyone else.
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

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("MANIFEST_STATIC", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: printed to the console unless EMAIL_HOST is set (then SMTP).
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bondgenoot <noreply@localhost>")
# MAILER=outbox keeps every email as a file in OUTBOX_DIR/mail (development, tests).
if os.environ.get("MAILER") == "outbox":
    MAILERS = {"default": {"BACKEND": "bondgenoot.lib.outbox_mail.EmailBackend"}}

# Messages to parents. Text messages go through a gateway (bondgenoot/lib/sms.py);
# in development a file per message in OUTBOX_DIR/sms. Letters are PDFs to print.
OUTBOX_DIR = Path(os.environ.get("OUTBOX_DIR", BASE_DIR / "var" / "outbox"))
SMS_BACKEND = os.environ.get("SMS_BACKEND", "bondgenoot.lib.sms.FileGateway")
# Bulk delivery runs as a background task; a worker runs `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Seconds to wait between two deliveries (0 in production; tests slow a worker down).
DELIVERY_PAUSE = float(os.environ.get("DELIVERY_PAUSE", "0"))
# Deliveries claimed, sent (over one mail connection) and marked sent together. A crash
# resends at most one batch, with the same idempotency keys (messaging/delivery.py).
DELIVERY_BATCH = env_int("DELIVERY_BATCH", 100)
# A delivery left "sending" this long (its worker died) is sent again, with the same
# idempotency key. Shorter than any real send, longer than a slow one.
DELIVERY_LEASE_SECONDS = env_int("DELIVERY_LEASE_SECONDS", 600)
# A roster import still "running" this long (its worker died; its transaction was rolled
# back) may be started again from the import page.
ROSTER_IMPORT_LEASE_SECONDS = env_int("ROSTER_IMPORT_LEASE_SECONDS", 1800)
# Seconds the import waits inside its transaction, before committing (0 in production;
# the worker crash test kills a worker while it waits).
ROSTER_IMPORT_PAUSE = float(os.environ.get("ROSTER_IMPORT_PAUSE", "0"))
# The address parents use to reach the app (for links in messages sent in the background).
# It must be the address the app is really served at: `make run` sets it from its ADDR;
# a production server without it would send parents links to 127.0.0.1.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if not DEBUG and os.environ.get("BONDGENOOT_ALLOW_DEV_SECRET") != "1":
        raise ImproperlyConfigured(
            "SITE_URL is not set. Set it to the address parents use, e.g. "
            "https://ouders.school.nl (links in messages and letters point there)."
        )
    SITE_URL = "http://127.0.0.1:8000"
if not re.fullmatch(r"https?://[^/\s]+(/[^\s]*)?", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be an address like https://ouders.school.nl, not {SITE_URL!r}"
    )
# Optional machine translation of the writer's own text (lib/machine_translation.py): the
# address of a self-hosted server with the LibreTranslate API. Empty (the default): off.
MACHINE_TRANSLATION_URL = os.environ.get("MACHINE_TRANSLATION_URL", "").rstrip("/")
if MACHINE_TRANSLATION_URL and not re.fullmatch(r"https?://\S+", MACHINE_TRANSLATION_URL):
    raise ImproperlyConfigured(
        "MACHINE_TRANSLATION_URL must be an address like http://127.0.0.1:5000, "
        f"not {MACHINE_TRANSLATION_URL!r}"
    )
MACHINE_TRANSLATION_API_KEY = os.environ.get("MACHINE_TRANSLATION_API_KEY", "")
MACHINE_TRANSLATION_TIMEOUT = env_int("MACHINE_TRANSLATION_TIMEOUT", 10)
# Retention of records in the care and safety network (years); see docs/privacy.md.
RETENTION = {
    "signal_review_years": env_int("RETENTION_SIGNAL_REVIEW_YEARS", 2),
    "signal_delete_years_after_leaving": env_int("RETENTION_SIGNAL_DELETE_YEARS", 2),
}
# How long a parent can answer through their personal link.
REPLY_DAYS = env_int("REPLY_DAYS", 60)
# The parent portal (docs/privacy.md): an activation link works once, for this many days;
# a sign-in link for this many minutes; sign-in link requests and code entries per
# address and per network address within PORTAL_THROTTLE_MINUTES. (When a restriction
# comes up for review is a school setting: people.school_settings.)
PORTAL_ACTIVATION_DAYS = env_int("PORTAL_ACTIVATION_DAYS", 7)
PORTAL_SIGN_IN_LINK_MINUTES = env_int("PORTAL_SIGN_IN_LINK_MINUTES", 15)
PORTAL_THROTTLE_LIMIT = env_int("PORTAL_THROTTLE_LIMIT", 5)
PORTAL_THROTTLE_MINUTES = env_int("PORTAL_THROTTLE_MINUTES", 15)

# The cache of the monitor's figures (keyed by ledger version), shared by every process:
# the database by default, Redis with CACHE_URL=redis://…; see cache_from_url and
# docs/scaling.md. CACHE_BACKEND=locmem|dummy (older name) still works when CACHE_URL is
# not set.
_cache_url = os.environ.get("CACHE_URL", "")
if not _cache_url and os.environ.get("CACHE_BACKEND"):
    if os.environ["CACHE_BACKEND"] not in {"locmem", "dummy", "database"}:
        raise ImproperlyConfigured("CACHE_BACKEND must be database, locmem or dummy")
    _cache_url = {"locmem": "locmem://", "dummy": "dummy://", "database": ""}[
        os.environ["CACHE_BACKEND"]
    ]
CACHES = {
    "default": cache_from_url(
        _cache_url,
        redis_installed=not _cache_url.startswith("redis")
        or importlib.util.find_spec("redis") is not None,
    ),
    # Throttle counts of public endpoints (lib/throttle.py): per process by default;
    # THROTTLE_CACHE=database shares them between processes (run createcachetable).
    "throttle": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "throttle_cache"}
        if os.environ.get("THROTTLE_CACHE") == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    ),
}
# Compiled queries (lib/compiled.py) build and compile afresh on every run and compare
# when this is on: the test suite turns it on.
CHECK_COMPILED_QUERIES = env_bool("CHECK_COMPILED_QUERIES", False)
# Limits of the public endpoints: hits per hour (see lib/throttle.py).
THROTTLE = {
    "private_link_posts": env_int("THROTTLE_LINK_POSTS", 20),  # per token
    "private_link_posts_per_ip": env_int("THROTTLE_LINK_POSTS_PER_IP", 300),
    "password_reset_per_address": env_int("THROTTLE_RESET_PER_ADDRESS", 3),
    "password_reset_per_ip": env_int("THROTTLE_RESET_PER_IP", 30),
}

# Trust monitor: how the relationship indicators count (see contacts/indicators.py).
TRUST_ONE_WAY_WEEKS = env_int("TRUST_ONE_WAY_WEEKS", 8)
TRUST_NO_DIALOGUE_WEEKS = env_int("TRUST_NO_DIALOGUE_WEEKS", 8)
TRUST_UNREACHED_STREAK = env_int("TRUST_UNREACHED_STREAK", 3)
TRUST_FIRST_WEEKS = env_int("TRUST_FIRST_WEEKS", 6)
# The first-contact campaign is open this many weeks from the start of the school year
# (1 August; 13 weeks is until the autumn holiday): the start page points to it meanwhile.
TRUST_CAMPAIGN_WEEKS = env_int("TRUST_CAMPAIGN_WEEKS", 13)

# Every handler redacts the tokens of private links ("Gone: /antwoord/[token]/"), see
# lib/private_links.py. Django's own loggers are sent through these handlers instead of
# the ones Django installs by default, which would print the path unredacted.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "bondgenoot.lib.private_links.RedactTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
