"""Deploy checks of 168 (`manage.py check --deploy`): what the embedded default allows and production must not.

- a real Celery broker: the filesystem broker of the embedded default serves one machine and loses a message whose
  worker dies; and tasks must not run eagerly (a long export would hold the request);
- a cache shared by every process: rate limits, login lockouts and the cached dashboards are kept in the cache, and a
  per-process cache (LocMem) keeps a count per gunicorn worker.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

LOCAL_BROKERS = ("memory://", "filesystem://")
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, Tags.security, deploy=True)
def production_services(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    broker = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if not broker or broker.startswith(LOCAL_BROKERS):
        errors.append(
            Error(
                f"Celery broker is {broker or 'unset'}: set REDIS_URL so that background work (long exports, "
                "reminders) goes to a real broker and its workers.",
                hint="未设置 REDIS_URL：文件队列只供本机开发使用。",
                id="168.E001",
            )
        )
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        errors.append(
            Error(
                "CELERY_TASK_ALWAYS_EAGER is on: background tasks would run inside the request.",
                hint="生产环境不要设置 CELERY_TASK_ALWAYS_EAGER。",
                id="168.E002",
            )
        )
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        errors.append(
            Error(
                f"The default cache is {backend.rsplit('.', 1)[-1]}, kept per process: rate limits and login lockouts "
                "must be shared by every worker. Set REDIS_URL.",
                hint="未设置 REDIS_URL：限流与登录锁定须由所有进程共享的缓存保存。",
                id="168.E003",
            )
        )
    return errors
