"""The two-node rehearsal (issue 16, item 2): two web servers and two workers over one PostgreSQL.

On this machine: one PostgreSQL database, one data folder (what shared storage gives two
machines), two gunicorn servers (deploy/gunicorn.conf.py) on two ports, two `flask worker`
processes, and the local feed farm (tests/monitor/feed_farm.py: generated Persian feeds whose
item GUIDs are known). A client without a load balancer logs in once (a server-side session)
and alternates its requests between the two ports: every page must answer as logged in on both.
It triages routed items (accept / dismiss) while the workers ingest. Half-way, some feeds gain
an item and are made due again, so the workers claim feeds a second time. At the end:

- items expected (every GUID the farm served) vs stored: lost, duplicated, unexpected;
- sightings, feeds' item counts, leases left over, the outbox empty;
- routes, duplicated (item, agency) routes, the client's triage found in the database;
- which worker ingested and indexed how much (their log lines);
- `flask --app app search verify --json`: exit code and report.

    .venv/bin/python bench/rehearsal.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/h_deploy
        [--feeds 100] [--items 40] [--changed 10] [--web-processes 2] [--backend whoosh|tantivy] [--json]

The database's `public` schema is dropped and created again: point it at a throw-away database.
Not a timed test: the figures are written down in bench/README.md with the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.monitor.feed_farm import FeedFarm  # after the path

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
USERNAME, PASSWORD = "rehearsal.staff", "rehearsal-Passw0rd-of-the-desk"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
NEW_ROUTE = re.compile(r'id="route-(\d+)"')


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plain_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def reset_database(url: str) -> None:
    with psycopg.connect(plain_url(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def query(url: str, sql: str, *args) -> list[tuple]:
    with psycopg.connect(plain_url(url)) as conn:
        return conn.execute(sql, args).fetchall()


def environment(url: str, data_dir: Path, backend: str = "whoosh") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATABASE_URL=url, HAMZABAN_DATA_DIR=str(data_dir),
               HAMZABAN_SECRET_KEY="rehearsal-secret-shared-by-every-node",
               HAMZABAN_FEED_ALLOW_PRIVATE="127.0.0.1/32", HAMZABAN_FEED_POLL_EVERY_SECONDS="2",
               HAMZABAN_FEED_POLL_CONCURRENCY="4", HAMZABAN_FEED_LEASE_SECONDS="60",
               HAMZABAN_WORKER_TICK_SECONDS="1", HAMZABAN_SEARCH_INDEX_EVERY_SECONDS="2",
               HAMZABAN_SEARCH_INDEX_BATCH="200", HAMZABAN_RATE_SEARCHES_PER_MINUTE="1000",
               HAMZABAN_SEARCH_BACKEND=backend)
    return env


def flask(env: dict, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([PYTHON, "-m", "flask", "--app", "app", *args], cwd=REPO, env=env, input=stdin, check=False,
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)}: {result.returncode}\n{result.stdout}{result.stderr}")
    return result


def set_up(env: dict, farm: FeedFarm, feeds: int, data_dir: Path) -> None:
    """init, the standard agencies (the demo's own function), a staff user of *water*, the
    starter rules, and the farm's feeds (`feeds import-opml`)."""
    flask(env, "init")
    script = ("from app import create_app\nfrom app.services.agencies import ensure_standard_agencies\n"
              "app = create_app()\nwith app.app_context(): print(ensure_standard_agencies(actor_label='rehearsal'))\n")
    subprocess.run([PYTHON, "-c", script], cwd=REPO, env=env, check=True, capture_output=True, timeout=300)
    flask(env, "user", "create", "--username", USERNAME, "--role", "staff", "--agency", "water",
          "--password-stdin", stdin=PASSWORD + "\n")
    flask(env, "routing", "load-starter")
    opml = data_dir / "farm.opml"
    outlines = "".join(f'<outline text="farm {n}" xmlUrl="{farm.url(n)}"/>' for n in range(feeds))
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>', "utf-8")
    flask(env, "feeds", "import-opml", str(opml))


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen, timeout: float = 40) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def wait_until_up(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the web server on port {port} did not answer within {seconds} s")


class Client:
    """One browser: one cookie jar (cookies are per host, not per port, as behind one name)."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.http = httpx.Client(timeout=60, follow_redirects=False)
        self.turn = 0
        self.requests = {port: 0 for port in ports}
        self.refused = {port: 0 for port in ports}  # answered as if not logged in (or an error)
        self.triaged: dict[int, str] = {}
        self.seconds: list[float] = []

    def _next(self) -> int:
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        return port

    def _send(self, method: str, path: str, **kwargs) -> tuple[int, httpx.Response]:
        port = self._next()
        started = time.perf_counter()
        response = self.http.request(method, f"http://127.0.0.1:{port}{path}", **kwargs)
        self.seconds.append(time.perf_counter() - started)
        self.requests[port] += 1
        return port, response

    def log_in(self) -> None:
        _, page = self._send("GET", "/login")
        token = CSRF.search(page.text).group(1)
        port, answer = self._send("POST", "/login", data={"username": USERNAME, "password": PASSWORD,
                                                         "csrf_token": token})
        if answer.status_code != 302 or "/login" in answer.headers.get("location", ""):
            raise RuntimeError(f"login refused on port {port}: {answer.status_code}")

    def page(self, path: str) -> str:
        port, answer = self._send("GET", path)
        if answer.status_code != 200:
            self.refused[port] += 1
            return ""
        return answer.text

    def triage_some(self, step: int) -> None:
        """The inbox on one port, a row accepted or dismissed on the other."""
        text = self.page("/inbox/")
        token = CSRF.search(text) if text else None
        ids = [int(i) for i in NEW_ROUTE.findall(text) if int(i) not in self.triaged]
        if not token or not ids:
            return
        route_id, status = ids[0], ("accepted" if step % 2 else "dismissed")
        port, answer = self._send("POST", "/inbox/mark", data={"route_id": str(route_id), "status": status,
                                                               "csrf_token": token.group(1)},
                                  headers={"Referer": f"http://127.0.0.1:{self.ports[0]}/inbox/"})
        if answer.status_code == 302 and "/login" not in answer.headers.get("location", ""):
            self.triaged[route_id] = status
        else:
            self.refused[port] += 1


def worker_lines(log: Path) -> dict:
    """From a worker's log: items it stored and outbox rows it indexed."""
    text = log.read_text("utf-8", errors="replace")
    new = sum(int(n) for n in re.findall(r"job=poll-feeds ok .*? new=(\d+)", text))
    feeds = sum(int(n) for n in re.findall(r"job=poll-feeds ok .*?feeds=(\d+)", text))
    indexed = sum(int(n) for n in re.findall(r"job=search-index ok .*?search index: (\d+) outbox rows", text))
    failed = len(re.findall(r"job=\S+ failed", text))
    return {"feeds_polled": feeds, "items_new": new, "outbox_rows_indexed": indexed, "job_failures": failed}


def count(url: str, farm_feeds: int, items: int, changed: set[int], user: str) -> dict:
    expected = {f"farm-{n}-{i}" for n in range(farm_feeds) for i in range(items + (1 if n in changed else 0))}
    guids = [row[0] for row in query(url, "SELECT guid FROM items")]
    stored = set(guids)
    routes = query(url, "SELECT count(*), count(DISTINCT (item_id, agency_id)), count(DISTINCT item_id) "
                        "FROM item_routes")[0]
    feeds = query(url, "SELECT sum(item_count), count(*) FILTER (WHERE lease_owner IS NOT NULL), "
                       "count(*) FILTER (WHERE last_success_at IS NULL), sum(consecutive_failures) FROM feeds")[0]
    triaged = dict(query(url, "SELECT r.id, r.status FROM item_routes r JOIN users u ON u.id = r.status_changed_by_id "
                              "WHERE u.username = %s", user))
    sessions = query(url, "SELECT count(*), count(*) FILTER (WHERE ended_at IS NULL) FROM user_sessions s "
                          "JOIN users u ON u.id = s.user_id WHERE u.username = %s", user)[0]
    return {
        "items_expected": len(expected), "items_stored": len(guids), "lost": len(expected - stored),
        "duplicated": len(guids) - len(stored), "unexpected": len(stored - expected),
        "sightings": query(url, "SELECT count(*) FROM item_sightings")[0][0],
        "feeds_item_count": feeds[0], "feed_leases_left": feeds[1], "feeds_never_polled": feeds[2],
        "feed_failures": feeds[3],
        "routes": routes[0], "routes_duplicated": routes[0] - routes[1], "items_routed": routes[2],
        "outbox_left": query(url, "SELECT count(*) FROM search_outbox")[0][0],
        "triaged_in_db": triaged, "sessions": {"opened": sessions[0], "open": sessions[1]},
    }


def wait_for(condition, seconds: float, what: str, client: Client | None = None, step: list | None = None) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        if client is not None:
            step[0] += 1
            client.triage_some(step[0])
            if step[0] % 5 == 0:
                client.page("/search/?q=" + ("آب" if step[0] % 10 else "برق"))
            if step[0] % 7 == 0:
                client.page("/")
            time.sleep(0.2)  # a quick reader, not a load test
        else:
            time.sleep(0.5)
    raise RuntimeError(f"{what}: not reached within {seconds} s")


def run(url: str, feeds: int, items: int, changed_count: int, web_processes: int, keep: bool = False,
        backend: str = "whoosh") -> dict:
    """The rehearsal in a new data folder (removed afterwards unless ``keep``); returns the figures."""
    data_dir = Path(tempfile.mkdtemp(prefix="hamzaban-rehearsal-"))
    try:
        return rehearse(url, feeds, items, changed_count, web_processes, data_dir, backend)
    finally:
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def rehearse(url: str, feeds: int, items: int, changed_count: int, web_processes: int, data_dir: Path,
             backend: str = "whoosh") -> dict:
    load_before = os.getloadavg()
    env = environment(url, data_dir, backend)
    reset_database(url)
    farm = FeedFarm(items=items, delay=0.05).start()
    procs: dict[str, subprocess.Popen] = {}
    ports = [free_port(), free_port()]
    started = time.monotonic()
    try:
        set_up(env, farm, feeds, data_dir)
        for name, port in zip(("web-a", "web-b"), ports):
            procs[name] = start([GUNICORN, "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                                 "--workers", str(web_processes)], env, data_dir / f"{name}.log")
        for name in ("worker-1", "worker-2"):
            procs[name] = start([PYTHON, "-m", "flask", "--app", "app", "worker"], env, data_dir / f"{name}.log")
        for port in ports:
            wait_until_up(port)
        client = Client(ports)
        client.log_in()
        step = [0]
        # 1. The first pass: every feed stored once, while the desk triages.
        first = wait_for(lambda: query(url, "SELECT count(*) FROM feeds WHERE last_success_at IS NULL")[0][0] == 0,
                         1200, "every feed polled", client, step)
        # 2. Some feeds move on (one more item each) and are due again: the workers claim them again.
        changed = set(range(0, feeds, max(1, feeds // max(1, changed_count)))[:changed_count])
        farm.changed.update(changed)
        with psycopg.connect(plain_url(url)) as conn:
            conn.execute("UPDATE feeds SET next_check_at = now() WHERE url = ANY(%s)", ([farm.url(n) for n in changed],))
        expected = feeds * items + len(changed)
        second = wait_for(lambda: query(url, "SELECT count(*) FROM items")[0][0] >= expected, 600,
                          "the changed feeds' new items", client, step)
        # 3. The index catches up with the ingest and the triage (the outbox empties).
        client_steps = step[0]
        drained = wait_for(lambda: query(url, "SELECT count(*) FROM search_outbox")[0][0] == 0, 600,
                           "the outbox drained")
        for _ in range(6):  # both servers still know the session after all that
            client.page("/inbox/")
        ingest_seconds = time.monotonic() - started
    finally:
        codes = {name: stop(proc) for name, proc in procs.items()}
        farm.stop()
    fetched = farm.requests
    verify = flask(env, "search", "verify", "--json", check=False)
    figures = count(url, feeds, items, changed, USERNAME)
    triaged_db = figures.pop("triaged_in_db")
    workers = {name: worker_lines(data_dir / f"{name}.log") for name in ("worker-1", "worker-2")}
    seconds = sorted(client.seconds)
    result = {
        **figures,
        "triaged_by_client": len(client.triaged),
        "triage_lost": sum(1 for r, s in client.triaged.items() if triaged_db.get(r) != s),
        "client_requests": {str(p): n for p, n in client.requests.items()},
        "client_refused": {str(p): n for p, n in client.refused.items()},
        "client_p50_ms": round(seconds[len(seconds) // 2] * 1000), "client_p95_ms": round(seconds[int(len(seconds) * 0.95)] * 1000),
        "client_steps": client_steps,
        "feed_fetches": fetched, "workers": workers, "exit_codes": codes,
        "search_verify_exit": verify.returncode,
        "search_verify": json.loads(verify.stdout) if verify.stdout.strip().startswith("{") else verify.stdout + verify.stderr,
        "seconds": {"first_pass": round(first, 1), "changed_feeds": round(second, 1), "outbox_drained": round(drained, 1),
                    "total": round(ingest_seconds, 1)},
        "feeds": feeds, "items_per_feed": items, "changed_feeds": len(changed), "web_processes_per_server": web_processes,
        "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
        "data_dir": str(data_dir),
    }
    verify_ok = isinstance(result["search_verify"], dict) and result["search_verify"].get("ok")
    result["passed"] = bool(result["lost"] == 0 and result["duplicated"] == 0 and result["unexpected"] == 0
                            and result["routes_duplicated"] == 0 and result["triage_lost"] == 0
                            and result["feed_leases_left"] == 0 and result["outbox_left"] == 0
                            and not any(result["client_refused"].values()) and verify.returncode == 0 and verify_ok
                            and fetched == feeds + len(changed)  # no feed fetched twice
                            and all(w["items_new"] > 0 for w in workers.values())
                            and sum(w["items_new"] for w in workers.values()) == result["items_expected"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("HAMZABAN_REHEARSAL_DATABASE_URL",
                                                                 "postgresql+psycopg://postgres@127.0.0.1:5432/h_deploy"))
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=40, help="items per feed")
    parser.add_argument("--changed", type=int, default=10, help="feeds that gain an item half-way")
    parser.add_argument("--web-processes", type=int, default=2, help="gunicorn processes per web server")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (logs of the four processes)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--backend", choices=("whoosh", "tantivy"), default="whoosh",
                        help="the search engine of every node (HAMZABAN_SEARCH_BACKEND)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        sys.exit("the rehearsal needs PostgreSQL (--database-url postgresql+psycopg://…)")
    result = run(args.database_url, args.feeds, args.items, args.changed, args.web_processes, keep=args.keep,
                 backend=args.backend)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
