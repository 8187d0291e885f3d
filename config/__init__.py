"""The project's settings (from the environment), URLs, WSGI and the Celery app. It imports every app (URLs, beat
schedule); no app imports it."""

from . import checks  # noqa: F401  (registers the deploy checks)
from .celery import app as celery_app

__all__ = ("celery_app",)
