"""The web under load (issue 16, item 3): locust against waitress and against gunicorn, on loopback.

    .venv/bin/python bench/bench_web.py [--users 16,64] [--duration 50] [--servers waitress,gunicorn]

Runs with the app's virtualenv; locust runs from its own (`--locust`, default /tmp/locust-venv/bin/locust:
`python3 -m venv /tmp/locust-venv && /tmp/locust-venv/bin/pip install locust`), never installed beside
the app (it brings gevent). Steps:

1. a fresh data folder: `flask --app app init`, `seed-demo --no-history` (the demo's scale, ~100 items;
   the demo users' passwords are read from its output), `search rebuild`;
2. for each server × number of users: the server started afresh (waitress: `flask serve --no-worker`;
   gunicorn: deploy/gunicorn.conf.py, WEB_CONCURRENCY processes), locust headless for --duration
   seconds (statistics reset once every user has logged in: locustfile.py, BENCH_USERS), the resident memory (VmRSS) of every
   server process read from /proc each second, then the server stopped;
3. a table per page class: requests, failures, p50, p95, requests/s (the logins and the one look-up of
   a case's reference are left out of the sums), and the memory per process: its peak (the logins'
   argon2id hashes take 64 MB each while they run) and at the end of the run.

At scale (issue 16, item 3 at 1,000,000 items): ``--database-url`` and ``--data-dir`` point at a
database and data folder made by bench/make_million.py (and its search index rebuilt); nothing is
prepared then, the password is read from ``<data>/bench-users.txt``. ``--warmup`` seconds of the
same load run first against each fresh server, unmeasured (templates compiled, the index and the
database's pages read in every process); ``--pages`` narrows the page classes (the static floor
always stays). ``--env KEY=VALUE`` passes settings to the servers (e.g. HAMZABAN_SEARCH_BACKEND).

Environment of the servers: second factor off (HAMZABAN_MFA_REQUIRED_ROLES empty), the per-user search
limit off (every simulated user is the same water.staff account, which the limit would stop at 30
searches a minute), the login throttle's allowances raised (a try is counted before the password is
checked, so more than 5 simultaneous logins on one account are answered 429). Numbers go to bench/README.md by hand, with the load average.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent
PAGES = ["dashboard", "inbox", "items", "search", "case", "static"]


def run(cmd: list[str], env: dict) -> str:
    out = subprocess.run(cmd, check=False, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


def prepare(data_dir: Path, env: dict, username: str) -> str:
    run([PY, "-m", "flask", "--app", "app", "init"], env)
    seeded = run([PY, "-m", "flask", "--app", "app", "seed-demo", "--no-history"], env)
    passwords = dict(re.findall(r"^\s+(\S+)\s+\S+\s+(\S+)\s*$", seeded, re.MULTILINE))
    if username not in passwords:
        sys.exit(f"no password for {username} in seed-demo's output:\n{seeded}")
    print(run([PY, "-m", "flask", "--app", "app", "search", "rebuild"], env).strip().splitlines()[-1])
    return passwords[username]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class MemorySampler(threading.Thread):
    """VmRSS of the server process and its children, once a second: peak per process and of the sum."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.peak: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.peak_total = 0

    def run(self) -> None:
        while not self.stop.is_set():
            now = {}
            for pid in [self.pid, *children(self.pid)]:
                kb = rss_kb(pid)
                if kb:
                    now[pid] = kb
                    self.peak[pid] = max(self.peak.get(pid, 0), kb)
            if now:
                self.last = now
                self.peak_total = max(self.peak_total, sum(now.values()))
            self.stop.wait(1.0)


def start_server(kind: str, env: dict, port: int, log: Path, workers: int) -> subprocess.Popen:
    env = dict(env, HAMZABAN_PORT=str(port))
    if kind == "waitress":
        cmd = [PY, "-m", "flask", "--app", "app", "serve", "--no-worker"]
    else:
        cmd = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
        env["WEB_CONCURRENCY"] = str(workers)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                pass
            if kind == "gunicorn":  # every process up (each builds the app after the fork)
                while len(children(proc.pid)) < workers and time.monotonic() < deadline:
                    time.sleep(0.5)
                time.sleep(2)
            return proc
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"{kind} stopped at start, see {log}")
            time.sleep(0.5)
    sys.exit(f"{kind} did not answer in 60 s, see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def read_stats(prefix: Path) -> dict:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50": _ms(row["50%"]), "p95": _ms(row["95%"]), "p99": _ms(row["99%"]),
                "max": _ms(row["Max Response Time"]), "rps": _ms(row["Requests/s"]),
            }
    return rows


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="16,64")
    parser.add_argument("--duration", type=int, default=50, help="seconds of locust per run (spawning included)")
    parser.add_argument("--spawn-rate", type=float, default=8)
    parser.add_argument("--wait", default="1-3", help="think time between two clicks, seconds low-high")
    parser.add_argument("--servers", default="waitress,gunicorn")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn processes (0: the config's 2 × CPUs + 1, ≤ 9)")
    parser.add_argument("--port", type=int, default=5791)
    parser.add_argument("--username", default="water.staff")
    parser.add_argument("--locust", default="/tmp/locust-venv/bin/locust")
    parser.add_argument("--json", type=Path, help="write every figure here too")
    parser.add_argument("--database-url", help="an existing database (bench/make_million.py); nothing is prepared")
    parser.add_argument("--data-dir", type=Path, help="the data folder that goes with --database-url")
    parser.add_argument("--warmup", type=int, default=0, help="seconds of unmeasured load before each run")
    parser.add_argument("--pages", default="dashboard,inbox,items,search,case",
                        help="page classes the simulated users click (the static floor always)")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the servers, repeatable")
    args = parser.parse_args()
    workers = args.workers or min(2 * (os.cpu_count() or 1) + 1, 9)

    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(args.data_dir or work / "data"), HAMZABAN_MFA_REQUIRED_ROLES="",
               HAMZABAN_RATE_SEARCHES_PER_MINUTE="0", HAMZABAN_HOST="127.0.0.1",
               HAMZABAN_LOGIN_FREE_ATTEMPTS="10000", HAMZABAN_LOGIN_FREE_ATTEMPTS_PER_ADDRESS="10000")
    env.pop("DATABASE_URL", None)
    env.update(dict(pair.split("=", 1) for pair in args.env))
    if args.database_url:
        if args.data_dir is None:
            sys.exit("--database-url needs --data-dir (the data folder bench/make_million.py wrote)")
        env["HAMZABAN_DATABASE_URL"] = args.database_url
        users = dict(line.split() for line in (args.data_dir / "bench-users.txt").read_text().splitlines() if line)
        password = users[args.username]
    else:
        password = prepare(work / "data", env, args.username)
    print(f"data folder {env['HAMZABAN_DATA_DIR']}; load average {loadavg()}")
    page_classes = ",".join(p for p in args.pages.split(",") if p != "static")

    results = []
    for kind in args.servers.split(","):
        for users in (int(u) for u in args.users.split(",")):
            tag = f"{kind}-{users}"
            proc = start_server(kind, env, args.port, work / f"{tag}.server.log", workers)
            sampler = MemorySampler(proc.pid)
            sampler.start()
            locust_env = dict(env, BENCH_USERNAME=args.username, BENCH_PASSWORD=password, BENCH_WAIT=args.wait,
                              BENCH_PAGES=page_classes, BENCH_USERS=str(users))

            def locust(seconds: int, prefix: Path, users: int = users, locust_env: dict = locust_env) -> None:
                cmd = [args.locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                       "--host", f"http://127.0.0.1:{args.port}", "-u", str(users), "-r", str(args.spawn_rate),
                       "-t", f"{seconds}s", "--csv", str(prefix), "--only-summary"]
                with prefix.with_suffix(".locust.log").open("w") as log:
                    subprocess.run(cmd, check=False, cwd=ROOT, env=locust_env, stdout=log, stderr=subprocess.STDOUT)

            if args.warmup:
                locust(args.warmup, work / f"{tag}-warmup")
                sampler.peak, sampler.peak_total = {}, 0  # the run's own peaks, not the warm-up's logins
            before = loadavg()
            locust(args.duration, work / tag)
            after = loadavg()
            sampler.stop.set()
            sampler.join()
            stop_server(proc)
            stats = read_stats(work / tag)
            per_process = sorted(sampler.peak.items())
            results.append({"server": kind, "users": users, "stats": stats, "load_before": before,
                            "load_after": after, "rss_peak_total_kb": sampler.peak_total,
                            "rss_peak_kb": {str(pid): kb for pid, kb in per_process},
                            "rss_last_kb": {str(pid): kb for pid, kb in sorted(sampler.last.items())}})
            pages = [stats[p] for p in PAGES if p in stats]
            print(f"{tag}: {sum(s['requests'] for s in pages)} page requests, "
                  f"{sum(s['failures'] for s in pages)} failures, {sum(s['rps'] for s in pages):.1f} req/s, "
                  f"load {before} → {after}", flush=True)

    print()
    print("| server | users | page | requests | failures | p50 ms | p95 ms | max ms | req/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        for page in PAGES:
            s = r["stats"].get(page)
            if s:
                print(f"| {r['server']} | {r['users']} | {page} | {s['requests']} "
                      f"| {s['failures']} | {s['p50']:.0f} | {s['p95']:.0f} | {s['max']:.0f} | {s['rps']:.1f} |")
        pages = [r["stats"][p] for p in PAGES if p in r["stats"]]
        print(f"| {r['server']} | {r['users']} | **the six pages** | {sum(s['requests'] for s in pages)} "
              f"| {sum(s['failures'] for s in pages)} | | | | **{sum(s['rps'] for s in pages):.1f}** |")
    print()
    print("| server | users | processes | RSS peak, sum | peak per process (MB) | RSS at the end, sum "
          "| at the end per process (MB) | load before → after |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        peak = ", ".join(f"{kb / 1024:.0f}" for kb in r["rss_peak_kb"].values())
        last = ", ".join(f"{kb / 1024:.0f}" for kb in r["rss_last_kb"].values())
        print(f"| {r['server']} | {r['users']} | {len(r['rss_peak_kb'])} | {r['rss_peak_total_kb'] / 1024:.0f} MB "
              f"| {peak} | {sum(r['rss_last_kb'].values()) / 1024:.0f} MB | {last} "
              f"| {r['load_before']} → {r['load_after']} |")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"\nlogs and CSV in {work}")


if __name__ == "__main__":
    main()
