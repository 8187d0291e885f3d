"""An email backend for the real-worker test: writes each message to EMAIL_FILE_PATH like Django's file backend,
but slowly (seconds read from the file named by SLOW_MAIL_DELAY_FILE), leaving a marker in <mail>/../sending while
a message is on its way, so the test can kill the worker while it is certainly in the middle of a send."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        control = os.environ.get("SLOW_MAIL_DELAY_FILE")
        delay = float(Path(control).read_text() or 0) if control and Path(control).exists() else 0.0
        sending = Path(self.file_path).parent / "sending"
        sending.mkdir(exist_ok=True)
        sent = 0
        for message in email_messages:
            marker = sending / uuid.uuid4().hex
            marker.touch()
            time.sleep(delay)
            sent += super().send_messages([message])
            marker.unlink()
        return sent
