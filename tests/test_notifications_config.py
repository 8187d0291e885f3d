"""How the reminders are run: the embedded default's broker and the beat schedule."""


def test_the_embedded_default_queues_tasks_for_a_worker():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_TASK_ALWAYS_EAGER")}
    code = (
        "import django; django.setup(); from config.celery import app; "
        "print(app.conf.task_always_eager, app.conf.broker_url)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True, check=True,
    ).stdout
    assert out.strip() == "False filesystem://"  # files under var/celery, read by the worker of `make run`


def test_beat_schedules_the_registered_task(settings):
    from config.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["daily-reminder-sweep"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {settings.REMINDER_HOUR} and entry["schedule"].minute == {settings.REMINDER_MINUTE}
