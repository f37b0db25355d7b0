"""gunicorn's own refusals say what happened in Persian first (app/gunicorn_errors.py, session 43), as
waitress's do (app/server_errors.py): a real gunicorn, its threaded worker as deploy/gunicorn.conf.py
names it, on a loopback port, sent requests it refuses before any application sees them."""
from __future__ import annotations

import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
APP = "def app(environ, start_response):\n    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [b'ok']\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _send(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(raw)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


@pytest.fixture
def gunicorn(tmp_path):
    (tmp_path / "tiny.py").write_text(APP, encoding="utf-8")
    port = _free_port()
    worker_class = runpy.run_path(str(REPO / "deploy" / "gunicorn.conf.py"))["worker_class"]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--pythonpath", f"{tmp_path},{REPO}", "-k", worker_class,
         "-w", "1", "--threads", "2", "-b", f"127.0.0.1:{port}", "tiny:app"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    try:
        for _ in range(200):
            try:
                if _send(port, b"GET / HTTP/1.0\r\n\r\n").endswith(b"ok"):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_gunicorns_own_refusals_are_in_persian_first(gunicorn):
    cookies = b"Cookie: " + b"a" * 9000 + b"\r\n"  # a browser's cookies piled past the header bound
    for raw, status, said in (
            (b"GET / HTTP/1.1\r\nHost: x\r\n" + cookies + b"\r\n", b"431", "کوکی"),
            (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414", "بلند"),
            (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", b"400", "نتوانست بخواند")):
        answer = _send(gunicorn, raw)
        head, _sep, body = answer.partition(b"\r\n\r\n")
        assert head.split(b" ")[1] == status, head
        assert b"Content-Type: text/plain; charset=utf-8" in head, head
        text = body.decode("utf-8")
        assert text.startswith(tuple("ابپتثجحخدذرزسشصضطظعغفقکگلمنوهی")) and said in text, text
        english = text.split("\r\n\r\n", 1)[1]  # gunicorn's words as it wrote them: plain text, each once
        assert "&#" not in english and "&lt;" not in english and english.count("Bad Request") <= 1, english
        assert status != b"400" or "Invalid HTTP Header: 'Bad Header'" in english, english
        assert len(body) == int(next(line for line in head.split(b"\r\n") if line.startswith(b"Content-Length"))
                                .split(b":")[1])
    assert _send(gunicorn, b"GET / HTTP/1.0\r\n\r\n").endswith(b"ok")  # the application's pages as they were
