"""Settings read from the environment.

Nothing set: the embedded default (SQLite under var/, a Celery broker in files under var/celery read by the worker
that `make run` starts, email to the console, DEBUG on).
Production: DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG=0 and the EMAIL_* variables.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or ("insecure-embedded-default-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "simple_history",
    "axes",
    "treebeard",
    "django_cas_ng",  # CAS single sign-on (its session tickets); off unless CAS_SERVER_URL is set
    # the domain, in layer order (imports only go down)
    "organizations",
    "years",
    "notifications",
    "accounts",  # logins: activation codes, password reset, profile
    "targets",
    "posts",
    "evaluations",
    "inspections",
    "bulletins",  # 情况通报 and 简报
    "reports",
    "scorecards",  # the 168 scorecard: above reports, reads every app
    "guide",  # beside the domain: help pages that link into every app by URL name
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.private_pages.NoStoreForSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "organizations.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # concurrent writers: every transaction takes the write lock when it begins (BEGIN IMMEDIATE), so a writer waits
    # up to `timeout` seconds for another instead of failing with "database is locked" when its read turns into a
    # write; WAL lets pages be read while one request writes
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )

# Optional read replica (PostgreSQL streaming replica): the dashboards' and background exports' reads go there
# (machinery/replica.py, config/db_router.py); writes never do. Tests mirror it onto the test database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "168"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock an account+address after repeated failures
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "organizations.auth.axes_username"
# behind reverse proxies, how many of them append to X-Forwarded-For (config/client_ip.py); 0 when served directly
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
RATELIMIT_IP_META_KEY = "config.client_ip.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files are never served directly: every download goes through a view that checks access.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (evidence, research reports, rosters) and finished exports (under exports/) go through the default storage:
# MEDIA_ROOT on the local disk, a directory every instance and worker shares (NFS) when there are several; or an
# S3-compatible bucket (Alibaba OSS, Tencent COS, MinIO) through django-storages when AWS_STORAGE_BUCKET_NAME is set.
# The bucket stays private: every download goes through a view that checks access (machinery/uploads.py).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # OSS / COS / MinIO address
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # OSS: virtual; MinIO: path
            "signature_version": os.environ.get("AWS_S3_SIGNATURE_VERSION", "s3v4"),
            "location": os.environ.get("AWS_LOCATION", ""),  # a prefix inside the bucket
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console in the embedded default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "168平台 <noreply@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Celery: Redis in production. Without REDIS_URL, kombu's filesystem transport: messages are files under var/celery,
# read by the worker `make run` starts beside runserver, so long exports never run inside a request in any mode. It
# serves one machine only, and `check --deploy` refuses it (config/checks.py).
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
BROKER_DIR = VAR_DIR / "celery"
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        data_folder_in=str(BROKER_DIR / "queue"),
        data_folder_out=str(BROKER_DIR / "queue"),
        control_folder=str(BROKER_DIR / "control"),
    )
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Two queues: exports (long: a province-wide workbook takes minutes) and reminders (everything else: the daily sweep,
# email retries, the periodic upkeep). Production runs a worker per queue (`-Q exports`, `-Q reminders`), so a long
# export never delays a reminder; a worker started without -Q (`make run`) takes both.
CELERY_TASK_QUEUES = (Queue("reminders"), Queue("exports"))
CELERY_TASK_DEFAULT_QUEUE = "reminders"
CELERY_TASK_ROUTES = {
    "reports.tasks.make_export": {"queue": "exports"},
    "notifications.tasks.*": {"queue": "reminders"},
}
# A task's message is acknowledged when the task has finished, and given back to the queue when the pool process
# running it dies (SIGKILL, out of memory): the sweep then runs again, sending only what the first run did not.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The broker may be down when the worker starts, or restart under it: keep trying to connect, forever.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Redis: a message taken by a worker that then vanished whole (machine lost, worker main process killed) goes back
# to the queue once it has been unacknowledged this long; each worker looks for such messages every
# CELERY_RESTORE_INTERVAL seconds. It must exceed the longest task (an export: reports.tasks.EXPORT_TIME_LIMIT), or a
# task still running is handed to a second worker. docs/operations.md gives the measured delays.
BROKER_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
BROKER_RESTORE_INTERVAL = int(os.environ.get("CELERY_RESTORE_INTERVAL", "10"))
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        visibility_timeout=BROKER_VISIBILITY_TIMEOUT,
        unacked_restore_interval=BROKER_RESTORE_INTERVAL,
        unacked_restore_throttle=1,  # scan at every interval (kombu's default scans at every tenth)
    )
REMINDER_HOUR = int(os.environ.get("REMINDER_HOUR", "8"))
REMINDER_MINUTE = int(os.environ.get("REMINDER_MINUTE", "0"))
CELERY_BEAT_SCHEDULE: dict = {
    "daily-reminder-sweep": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(hour=REMINDER_HOUR, minute=REMINDER_MINUTE),
    },
    # failed reminder emails, tried again with backoff until sent or obsolete (notifications/delivery.py)
    "email-retry": {
        "task": "notifications.tasks.retry_emails",
        "schedule": crontab(minute="*/5"),
    },
    # rating periods open (and follow the calendar) just after midnight; the reminder sweep runs the same upkeep first
    "daily-period-sweep": {
        "task": "evaluations.tasks.sync_periods",
        "schedule": crontab(hour=0, minute=5),
    },
    # exports whose worker died are queued once more or failed (reports/jobs.py)
    "export-lease-sweep": {
        "task": "reports.tasks.sweep_exports",
        "schedule": crontab(minute="*/5"),
    },
    # audit events (logins, failed logins, exports) older than AUDIT_RETENTION_DAYS are deleted
    "audit-retention-sweep": {
        "task": "organizations.tasks.sweep_audit",
        "schedule": crontab(hour=3, minute=30),
    },
}
# how long the staff audit page keeps logins, failed logins and exports of personal data (0: for ever)
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))
# an export's worker renews its lease at least every quarter of this; a job silent for longer lost its worker
EXPORT_LEASE_SECONDS = int(os.environ.get("EXPORT_LEASE_SECONDS", "120"))
EXPORT_PROGRESS_SECONDS = float(os.environ.get("EXPORT_PROGRESS_SECONDS", "1"))  # between two progress writes
# Reminders: days before a deadline (quarterly report, rating period, rectification) and how long a submitted
# commitment may wait for approval before its reviewers are reminded.
REMINDER_OFFSETS = [int(d) for d in env_list("REMINDER_OFFSETS", "7,3,1")]
REMINDER_APPROVAL_WAIT_DAYS = int(os.environ.get("REMINDER_APPROVAL_WAIT_DAYS", "3"))
# 接受群众监督: days a public opinion may wait for its answer before it is reminded and counted overdue on the dashboard
PUBLIC_OPINION_REPLY_DAYS = int(os.environ.get("PUBLIC_OPINION_REPLY_DAYS", "7"))
# 情况通报: days a member has to read a notice (or a committee's circular) before being reminded of it, once
NOTICE_READ_DAYS = int(os.environ.get("NOTICE_READ_DAYS", "7"))
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# A failed email: tried again after 5, 10, 20, 40 minutes, then hourly, until sent or its reminder is obsolete; a
# notice that is no reminder for EMAIL_RETRY_DAYS days. The city's staff are told once emails failed this many times.
EMAIL_RETRY_BASE_SECONDS = int(os.environ.get("EMAIL_RETRY_BASE_SECONDS", "300"))
EMAIL_RETRY_MAX_SECONDS = int(os.environ.get("EMAIL_RETRY_MAX_SECONDS", "3600"))
EMAIL_RETRY_DAYS = int(os.environ.get("EMAIL_RETRY_DAYS", "3"))
EMAIL_ALERT_AFTER_ATTEMPTS = int(os.environ.get("EMAIL_ALERT_AFTER_ATTEMPTS", "3"))

# Notification channels besides email (docs/operations.md): each is offered when its variables are set.
SMS_SECRET_ID = os.environ.get("SMS_SECRET_ID", "")  # Tencent Cloud SMS (API 2021-01-11)
SMS_SECRET_KEY = os.environ.get("SMS_SECRET_KEY", "")
SMS_SDK_APP_ID = os.environ.get("SMS_SDK_APP_ID", "")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
SMS_TEMPLATES = os.environ.get("SMS_TEMPLATES", "")  # reminder=123,activation=456,password_reset=789
SMS_REGION = os.environ.get("SMS_REGION", "ap-guangzhou")
SMS_ENDPOINT = os.environ.get("SMS_ENDPOINT", "sms.tencentcloudapi.com")
SMS_PROTOCOL = os.environ.get("SMS_PROTOCOL", "https")
WECOM_CORP_ID = os.environ.get("WECOM_CORP_ID", "")  # 企业微信 自建应用
WECOM_SECRET = os.environ.get("WECOM_SECRET", "")
WECOM_AGENT_ID = os.environ.get("WECOM_AGENT_ID", "")
WECOM_API_URL = os.environ.get("WECOM_API_URL", "https://qyapi.weixin.qq.com")
DINGTALK_APP_KEY = os.environ.get("DINGTALK_APP_KEY", "")  # 钉钉 企业内部应用
DINGTALK_APP_SECRET = os.environ.get("DINGTALK_APP_SECRET", "")
DINGTALK_AGENT_ID = os.environ.get("DINGTALK_AGENT_ID", "")
DINGTALK_API_URL = os.environ.get("DINGTALK_API_URL", "https://oapi.dingtalk.com")
# Activation codes issued by secretaries, and password-reset codes by SMS
ACTIVATION_CODE_DAYS = int(os.environ.get("ACTIVATION_CODE_DAYS", "14"))
SMS_RESET_CODE_MINUTES = int(os.environ.get("SMS_RESET_CODE_MINUTES", "10"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(24 * 3600)))

# Single sign-on by OpenID Connect and by CAS, each optional (config/sso.py; docs/operations.md)
from config.sso import *  # noqa: E402,F403

AUTHENTICATION_BACKENDS += SSO_BACKENDS  # noqa: F405

# Content-Security-Policy: our own origin only; scripts carry no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # style attributes only; scripts stay strict
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Security: secure cookies and HSTS when served over HTTPS (production).
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

VAR_DIR.mkdir(parents=True, exist_ok=True)
if not REDIS_URL:
    for folder in ("queue", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
