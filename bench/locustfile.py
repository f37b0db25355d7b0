"""Simulated desk users for bench/bench_web.py (issue 16, item 3): run by locust in its own virtualenv.

    /tmp/locust-venv/bin/locust -f bench/locustfile.py --headless --host http://127.0.0.1:PORT -u 16 -r 8 -t 50s

This file must not import the app (locust brings gevent, which stays out of the app's environment).
Every simulated user logs in as BENCH_USERNAME / BENCH_PASSWORD (its own server-side session), then
clicks through the pages below with a short think time (BENCH_WAIT, seconds "low-high").
The case page's reference is read once from the cases lists the user can see. BENCH_PAGES narrows
the page classes (weights below).
"""
from __future__ import annotations

import os
import re
import threading

from locust import HttpUser, between

USERNAME = os.environ.get("BENCH_USERNAME", "water.staff")
PASSWORD = os.environ["BENCH_PASSWORD"]
SEARCH_QUERY = os.environ.get("BENCH_QUERY", "آب")
STATIC_PATH = os.environ.get("BENCH_STATIC", "/static/css/app.css")
_low, _high = (float(x) for x in os.environ.get("BENCH_WAIT", "1-3").split("-"))

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/([^/"?#]+)"')
NOT_A_CASE = {"mine", "agency", "all", "new"}

_case_ref: list[str] = []
_case_lock = threading.Lock()
# The statistics start over once the last of BENCH_USERS users has logged in (argon2id logins
# are the heaviest requests; they are not what the pages cost).
_expected_users = int(os.environ.get("BENCH_USERS", "0"))
_logged_in = [0]


class DeskUser(HttpUser):
    wait_time = between(_low, _high)

    def on_start(self) -> None:
        page = self.client.get("/login", name="login form")
        match = CSRF.search(page.text)
        if not match:
            raise RuntimeError("no csrf_token on /login")
        with self.client.post("/login", name="login",
                              data={"csrf_token": match.group(1), "username": USERNAME, "password": PASSWORD},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        with _case_lock:
            if not _case_ref:
                for path in ("/cases/agency", "/cases/mine", "/cases/all"):
                    listing = self.client.get(path, name="case list (once)")
                    refs = [ref for ref in CASE_LINK.findall(listing.text) if ref not in NOT_A_CASE]
                    if refs:
                        _case_ref.append(refs[0])
                        break
                else:
                    raise RuntimeError("no case visible to " + USERNAME)
            _logged_in[0] += 1
            if _logged_in[0] == _expected_users:
                self.environment.runner.stats.reset_all()

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:  # a redirect here would be a lost session (back to /login)
                response.failure(f"{response.status_code} for {path}")


def dashboard(user: DeskUser) -> None:
    user._page("/", "dashboard")


def inbox(user: DeskUser) -> None:
    user._page("/inbox/", "inbox")


def items(user: DeskUser) -> None:
    user._page("/items/", "items")


def search(user: DeskUser) -> None:
    user._page("/search/?q=" + SEARCH_QUERY, "search")


def case(user: DeskUser) -> None:
    user._page("/cases/" + _case_ref[0], "case")


def static_file(user: DeskUser) -> None:
    user._page(STATIC_PATH, "static")


# Weights of the page classes; BENCH_PAGES (comma-separated) narrows them, the static floor stays.
WEIGHTS = {"dashboard": (dashboard, 3), "inbox": (inbox, 3), "items": (items, 3), "search": (search, 3),
           "case": (case, 2)}
_chosen = [name for name in os.environ.get("BENCH_PAGES", ",".join(WEIGHTS)).split(",") if name]
DeskUser.tasks = {WEIGHTS[name][0]: WEIGHTS[name][1] for name in _chosen} | {static_file: 2}
