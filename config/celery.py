"""The Celery app. Production: Redis broker (REDIS_URL), workers and one beat. Embedded default: a broker in files
under var/celery (kombu's filesystem transport), read by the worker and beat that `make run` starts."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
