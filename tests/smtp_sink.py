"""A small SMTP server on loopback for tests: it refuses (a 4xx greeting, a 4xx to MAIL FROM, or a 5xx to RCPT TO)
or accepts, as the test says, and keeps every message it accepted. Bounded: it serves until stopped, one thread
per connection, on 127.0.0.1 only."""

from __future__ import annotations

import email
import email.header
import socketserver
import threading


class SmtpSink:
    ACCEPT = "accept"
    GREETING_421 = "greeting-421"  # “service not available”: smtplib fails to connect
    MAIL_451 = "mail-451"  # “try again later” to MAIL FROM
    RCPT_550 = "rcpt-550"

    def __init__(self):
        self.mode = self.ACCEPT
        self.messages: list[email.message.Message] = []
        self.sessions = 0
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 10

            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                sink.sessions += 1
                mode = sink.mode
                if mode == SmtpSink.GREETING_421:
                    self.reply("421 4.3.2 service not available, try again later")
                    return
                self.reply("220 sink ESMTP")
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    verb = raw.decode("latin-1").strip().split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.reply("250-sink")
                        self.reply("250 8BITMIME")
                    elif verb == "HELO" or verb in ("NOOP", "RSET"):
                        self.reply("250 ok")
                    elif verb == "MAIL":
                        self.reply("451 4.3.0 try again later" if mode == SmtpSink.MAIL_451 else "250 ok")
                    elif verb == "RCPT":
                        self.reply("550 5.1.1 mailbox unavailable" if mode == SmtpSink.RCPT_550 else "250 ok")
                    elif verb == "DATA":
                        self.reply("354 end with .")
                        lines = []
                        while True:
                            line = self.rfile.readline()
                            if not line or line in (b".\r\n", b".\n"):
                                break
                            lines.append(line[1:] if line.startswith(b"..") else line)
                        sink.messages.append(email.message_from_bytes(b"".join(lines)))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 command not implemented")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def __enter__(self) -> SmtpSink:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def received(self) -> list[tuple[str, str, str]]:
        """(to, subject, text body) of each accepted message."""
        out = []
        for msg in self.messages:
            subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
            text = next(
                (p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8") for p in msg.walk()
                 if p.get_content_type() == "text/plain"),
                "",
            )
            out.append((msg["To"], subject, text))
        return out
