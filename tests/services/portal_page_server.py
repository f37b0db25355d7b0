"""A real HTTP server on 127.0.0.1 serving agency portal pages the test changes at will.

``server.pages[path] = Page(html, etag=…, last_modified=…)``; a GET answers 304 when its
If-None-Match equals the page's ETag (or If-Modified-Since its Last-Modified). Every request is
recorded with lower-case header names (``server.requests``), so a test proves what was sent.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Page:
    html: str
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    delay: float = 0.0  # seconds before the answer (a slow provincial host)


class PageServer:
    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def do_GET(self):
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append((self.path, headers))
                page = server.pages.get(self.path)
                if page is not None and page.delay:
                    time.sleep(page.delay)
                if page is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if (page.etag and headers.get("if-none-match") == page.etag) or (
                        page.last_modified and headers.get("if-modified-since") == page.last_modified):
                    self.send_response(304)
                    self.end_headers()
                    return
                body = page.html.encode("utf-8")
                self.send_response(page.status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                if page.etag:
                    self.send_header("ETag", page.etag)
                if page.last_modified:
                    self.send_header("Last-Modified", page.last_modified)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def start(self) -> PageServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def page_server():
    server = PageServer().start()
    yield server
    server.stop()
