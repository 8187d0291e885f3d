"""Settings for the benchmarks: the product's settings, production-like, on the bench database.

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench168) picks the database; the URLconf adds one bare
view beside the product's URLs, for comparison.
"""

import os
import warnings

# static files are not part of what is measured, and are not collected for the bench
warnings.filterwarnings("ignore", message="No directory at")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench168")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-168")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from config.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
# served over plain HTTP on loopback
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# as in production, a request that needs a background export queues a job and answers at once; no worker runs here, so
# the queue is a folder of the bench's own (the export benches call the job's service directly)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "filesystem://"
CELERY_RESULT_BACKEND = None
_QUEUE_DIR = BASE_DIR / "var" / "bench" / "celery"  # noqa: F405
(_QUEUE_DIR / "control").mkdir(parents=True, exist_ok=True)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(_QUEUE_DIR),
    "data_folder_out": str(_QUEUE_DIR),
    "control_folder": str(_QUEUE_DIR / "control"),
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}


def _redis_up(url: str) -> bool:
    import socket
    from urllib.parse import urlparse

    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


# Production shares one cache among all processes (Redis); the bench does too when a Redis answers, keyed per database.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
if _redis_up(BENCH_REDIS_URL):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": BENCH_REDIS_URL,
            "KEY_PREFIX": DATABASES["default"]["NAME"],  # noqa: F405
        }
    }
