"""Homeward settings: one module, driven by environment variables.

DATABASE_URL      PostgreSQL URL (postgres://user@127.0.0.1:5432/homeward); default: SQLite under var/
HOMEWARD_SECRET_KEY, HOMEWARD_PSEUDONYM_KEY, HOMEWARD_AUDIT_KEY   secrets; development defaults under var/
HOMEWARD_AUDIT_CHECKPOINT_DIR, HOMEWARD_AUDIT_SIGNING_KEY_FILE, HOMEWARD_AUDIT_VERIFY_KEY_FILE  (see docs)
HOMEWARD_DEBUG    "1" for development error pages
HOMEWARD_HTTPS    "1" behind TLS: HSTS, HTTPS redirect, secure cookies, X-Forwarded-Proto (docs/deploy.md)
HOMEWARD_ALLOWED_HOSTS  comma-separated host names Homeward answers to
HOMEWARD_POSTGRES_JIT  "1" to let PostgreSQL JIT-compile queries (off by default: short page queries)
HOMEWARD_BASE_URL  where staff reach Homeward, for links in emails (default http://127.0.0.1:8000)
EMAIL_HOST        SMTP server for notifications; without it, emails are written as files under var/mail/
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("HOMEWARD_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("HOMEWARD_VAR", PROJECT_DIR / "var"))


def _secret(env_name: str, filename: str) -> str:
    """A secret from the environment, or one generated once and kept under var/ for development."""
    if value := os.environ.get(env_name):
        return value
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret("HOMEWARD_SECRET_KEY", "secret_key")
PSEUDONYM_KEY = _secret("HOMEWARD_PSEUDONYM_KEY", "pseudonym_key")
# The audit trail (docs/governance.md): rows are chained with an HMAC under AUDIT_KEY, a secret that must
# not be stored in the database; checkpoints of the chain head are signed with an Ed25519 key and written
# outside the database (ideally to write-once storage).
AUDIT_KEY = _secret("HOMEWARD_AUDIT_KEY", "audit_key")
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("HOMEWARD_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))
AUDIT_SIGNING_KEY_FILE = Path(
    os.environ.get("HOMEWARD_AUDIT_SIGNING_KEY_FILE", VAR_DIR / "audit_signing_key.pem")
)  # Ed25519 private key (PEM); generated on the first checkpoint when missing
AUDIT_VERIFY_KEY_FILE = os.environ.get("HOMEWARD_AUDIT_VERIFY_KEY_FILE", "")  # public key (PEM), optional
DEBUG = os.environ.get("HOMEWARD_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("HOMEWARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "homeward.core",
    "homeward.governance",
    "homeward.people",
    "homeward.discharge",
    "homeward.referrals",
    "homeward.adaptations",
    "homeward.reablement",
    "homeward.support",
    "homeward.contracts",
    "homeward.prevention",
    "homeward.outcomes",
    "homeward.linkage",
    "homeward.evaluation",
    "homeward.carehomes",
    "homeward.housing",
    "homeward.web",
    "django_tasks",
    "django_tasks_db",
    "homeward.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "homeward.web.security.SecurityHeadersMiddleware",  # CSP, Permissions-Policy, no-store (not on static)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "homeward.web.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
    "homeward.api.middleware.ApiMethodNotAllowed",
    "homeward.referrals.http.StandardsHttp",
]

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homeward.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'homeward.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database for the demo and small sites. WAL lets staff read while one writes; IMMEDIATE
    # takes the write lock when a transaction starts (so an audited read never fails on upgrading its lock,
    # "database is locked"); a writer waits up to HOMEWARD_SQLITE_TIMEOUT seconds for its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("HOMEWARD_SQLITE_TIMEOUT", "30")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # PostgreSQL's JIT compiles any query its planner costs above jit_above_cost. A worklist's page query
    # at a region's scale passes that threshold and then spends 15-20 ms compiling for a query that runs in
    # 40 ms, on every request (measured: docs/adaptations.md, "Benchmark"). Homeward's pages are short
    # queries, so JIT is off for its connections unless HOMEWARD_POSTGRES_JIT=1.
    if os.environ.get("HOMEWARD_POSTGRES_JIT", "0") != "1":
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security: Argon2 first (OWASP password storage cheat sheet), sessions expire after 30 idle minutes
# and on browser close, lockout after 5 failures for 30 minutes (django-axes).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The local warm-homes grant scheme in force (homeward-grant-scheme/1, docs/adaptations.md); none by default.
HOMEWARD_WARM_HOMES_SCHEME = os.environ.get("HOMEWARD_WARM_HOMES_SCHEME", "")
AXES_FAILURE_LIMIT = int(os.environ.get("HOMEWARD_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
# Lock by account, not by address: a hospital's ward PCs share one address behind NAT, and locking it would
# lock out every member of staff on site.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "homeward.web.views.auth.locked_out"
SESSION_COOKIE_AGE = int(os.environ.get("HOMEWARD_SESSION_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind TLS (docs/deploy.md): HOMEWARD_HTTPS=1 sends HSTS, redirects plain HTTP to HTTPS, marks the session
# and CSRF cookies Secure, and trusts X-Forwarded-Proto from the reverse proxy (which must set it, overwriting
# any value the client sent). `manage.py check --deploy` is then clean.
HTTPS = os.environ.get("HOMEWARD_HTTPS", "0") == "1"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HOMEWARD_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("HOMEWARD_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("HOMEWARD_HSTS_PRELOAD", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("HOMEWARD_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
OTP_TOTP_ISSUER = "Homeward"
API_TOKEN_HOURS = int(os.environ.get("HOMEWARD_API_TOKEN_HOURS", "12"))
# How long a receiving organisation keeps sight of a person after a referral to it is completed or failed
# (for follow-up and queries); a rejected, cancelled or entered-in-error referral ends sight at once.
# See docs/governance-corrections.md.
PARTICIPATION_RETENTION_DAYS = int(os.environ.get("HOMEWARD_PARTICIPATION_RETENTION_DAYS", "90"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders; it only needs the folder
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING"}},
}
HOMEWARD_FREQUENT_ATTENDER = (5, 12)  # attendances, months: the A&E to Home worklist default

# Notifications (overdue blockers). Emails carry a case reference and a link, never a patient's details.
HOMEWARD_BASE_URL = os.environ.get("HOMEWARD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("HOMEWARD_FROM_EMAIL", "homeward@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# Background jobs (docs/jobs.md): django-tasks on its database backend, run by `homeward worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _limit(env_name: str, default: int) -> int:
    return int(os.environ.get(env_name, str(default)))


# Care homes: a triage call counts as an admission avoided when the decision was not to send the resident to
# hospital and they were not admitted within this many hours after the call (docs/carehomes.md).
HOMEWARD_CAREHOMES_FOLLOW_UP_HOURS = int(os.environ.get("HOMEWARD_CAREHOMES_FOLLOW_UP_HOURS", "72"))


# Bounds on the work one request or job may ask for (docs/limits.md); each is overridden by its variable.
HOMEWARD_LIMITS = {
    "simulation_horizon_days": _limit("HOMEWARD_SIM_MAX_HORIZON_DAYS", 3650),
    "simulation_replications": _limit("HOMEWARD_SIM_MAX_REPLICATIONS", 2000),
    "simulation_day_replications": _limit("HOMEWARD_SIM_MAX_DAY_REPLICATIONS", 1_000_000),
    "cba_draws": _limit("HOMEWARD_CBA_MAX_DRAWS", 100_000),
    "import_rows": _limit("HOMEWARD_IMPORT_MAX_ROWS", 5_000_000),
    "import_megabytes": _limit("HOMEWARD_IMPORT_MAX_MB", 2048),
    "upload_megabytes": _limit("HOMEWARD_UPLOAD_MAX_MB", 20),
    "job_memory_megabytes": _limit("HOMEWARD_JOB_MEMORY_MB", 2048),
    "jobs_active_per_organisation": _limit("HOMEWARD_JOBS_MAX_ACTIVE", 10),
    "evaluation_people": _limit("HOMEWARD_EVALUATION_MAX_PEOPLE", 200_000),
    "evaluation_activity_rows": _limit("HOMEWARD_EVALUATION_MAX_ROWS", 5_000_000),
}
# "process": each job runs in a child of the worker under the memory ceiling; "inline": in the worker itself
# (tests, and platforms without fork).
HOMEWARD_JOB_ISOLATION = os.environ.get("HOMEWARD_JOB_ISOLATION", "process")
