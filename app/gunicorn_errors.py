"""gunicorn's own refusals in Persian first, as waitress's are (app/server_errors.py; session 43).

gunicorn answers some requests itself, before the application sees them: a request line or a
header it cannot read (400), a request line past its bound (414), headers past theirs (431, the
cookies of a browser piled up), a Transfer-Encoding it does not know (501), an application that
failed before answering (500). Its page was English alone, «<h1>Bad Request</h1> Invalid …».

gunicorn has no setting or hook for these pages (``util.write_error`` writes them, called from the
worker's ``handle_error``); a worker class may be named in the configuration (``worker_class``),
and this one is gunicorn's threaded worker whose ``handle_error`` lets gunicorn's make the page
into a buffer (what it decides, status and wording, stays gunicorn's), then sends it Persian first
with the English after, as text. tests/test_gunicorn_errors.py runs it in a real gunicorn.
"""
from __future__ import annotations

import html
import re

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from app.server_errors import SAID

SAID_TOO = {
    403: "این درخواست پذیرفته نشد.",
    414: "نشانی این درخواست بیش از اندازه بلند است و پذیرفته نشد. از صفحهٔ نخست سامانه دوباره آغاز کنید.",
    417: "کارساز این درخواست را نمی‌پذیرد (سرآیند Expect آن را نمی‌شناسد).",
}


class _Kept:
    """A socket that keeps what is written to it (what gunicorn's ``util.write_error`` sends)."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def setblocking(self, flag) -> None:
        pass

    def sendall(self, data: bytes) -> None:
        self.data += data

    def send(self, data: bytes) -> int:
        self.data += data
        return len(data)


def persian_first(raw: bytes) -> bytes:
    """gunicorn's error answer ``raw`` as a plain-text page saying it in Persian first."""
    head, _sep, body = raw.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = status_line.split(" ", 2)
    code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 500
    # gunicorn's page as words: its <title> (the reason again, said in the <h1>) left out, and its
    # escapes («&#x27;») undone: this page is text, not HTML (nosniff), so they showed as written
    page = re.sub(r"<title>.*?</title>", " ", body.decode("latin-1"), flags=re.DOTALL)
    english = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())
    said = SAID_TOO.get(code) or SAID.get(code) or SAID[500 if code >= 500 else 400]
    text = f"{said}\r\n\r\n{english}\r\n".encode()
    return (f"{status_line}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"X-Content-Type-Options: nosniff\r\nContent-Length: {len(text)}\r\n\r\n").encode("latin-1") + text


class PersianThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker, its own refusals in Persian first."""

    def handle_error(self, req, client, addr, exc) -> None:
        kept = _Kept()
        super().handle_error(req, kept, addr, exc)
        if kept.data:
            try:
                util.write_nonblock(client, persian_first(kept.data))
            except OSError:  # the client may be gone (gunicorn says so at debug level too)
                self.log.debug("Failed to send error message.")
