"""The worker: runs the periodic jobs (heartbeat now; feed polling, indexing, reminders later).

Each job is an idempotent function `job(app) -> str` returning a one-line summary; the loop
runs every due job in its own app context, logs one line per run, and never dies of a job's
exception. SIGTERM and Ctrl-C stop it between two jobs.
"""
from __future__ import annotations

import gc
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.config import ConfigError, require_secret_key
from app.services.settings import record_heartbeat
from app.web_gc import freeze_loaded_app

log = logging.getLogger("hamzaban.worker")


@dataclass
class Job:
    name: str
    interval_seconds: float
    run: Callable[[Flask], str]
    next_run: float = field(default=0.0)
    said: bool = False  # its first run was logged: a run that did nothing is logged at DEBUG after it


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def did_something(summary: str) -> bool:
    """Whether a job's summary counts anything done (a number other than zero). The worker logged
    every job every tick («batches=0 items=0 …»): the demo's passwords, printed once by `make
    run`, scrolled away within a minute (a newcomer's walk)."""
    return any(float(number) for number in _NUMBER.findall(summary or ""))


def heartbeat(app: Flask) -> str:
    """Record that the worker is alive, so the pages can show it."""
    record_heartbeat(os.getpid())
    return "alive"


def scheduled_jobs(app: Flask) -> list[Job]:
    """The jobs of this installation; later features append theirs in `app.extensions`."""
    jobs = [Job("heartbeat", 30, heartbeat)]
    for name, interval, func in app.extensions.get("hamzaban_jobs", []):
        jobs.append(Job(name, interval, func))
    return jobs


def run_loop(app: Flask, stop: threading.Event, *, once: bool = False) -> int:
    """Run due jobs until `stop` is set (or one pass with once=True); returns job runs."""
    jobs = scheduled_jobs(app)
    runs = 0
    tick = app.config["WORKER_TICK_SECONDS"]
    while not stop.is_set():
        now = time.monotonic()
        for job in jobs:
            if stop.is_set():
                break
            if job.next_run > now:
                continue
            started = time.monotonic()
            try:
                with app.app_context():
                    summary = job.run(app)
                level = logging.INFO if not job.said or did_something(summary) else logging.DEBUG
                log.log(level, "job=%s ok %.0fms %s", job.name, (time.monotonic() - started) * 1000, summary)
                job.said = True
            except Exception:  # a failing job must not stop the others
                log.exception("job=%s failed after %.0fms", job.name, (time.monotonic() - started) * 1000)
            job.next_run = time.monotonic() + job.interval_seconds
            runs += 1
        if once:
            break
        stop.wait(tick)
    return runs


def _require_secret_key(app: Flask) -> None:
    try:
        require_secret_key(app.config)
    except ConfigError as exc:
        error = click.ClickException(str(exc))
        error.exit_code = 2  # as for any setting that cannot be used (app/factory.py)
        raise error from exc


# The worker makes and drops millions of small objects per ingest (tokens, term indexes, features):
# CPython's cyclic collector, run every 700 net allocations by default, took ~1 s of a 5 s Persian
# ingest, most of it inside routing (bench/README.md, issue 15). The worker collects its young
# objects every 100,000 allocations instead; nothing it keeps depends on when cycles are freed.
GC_THRESHOLDS = (100_000, 50, 100)


def tune_gc() -> None:
    """The worker's garbage-collector thresholds (``GC_THRESHOLDS``)."""
    gc.set_threshold(*GC_THRESHOLDS)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every job once and exit.")
@with_appcontext
def worker_command(once: bool) -> None:
    """Run the periodic jobs until SIGTERM or Ctrl-C."""
    app = current_app._get_current_object()
    _require_secret_key(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
    stop = threading.Event()

    def _stop(signum, frame):  # only set the flag: logging here could re-enter the log handler
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    tune_gc()
    log.info("worker started pid=%s", os.getpid())
    runs = run_loop(app, stop, once=once)
    log.info("worker stopped after %s job runs", runs)


@click.command("serve")
@click.option("--no-worker", is_flag=True, help="Serve the pages only.")
@with_appcontext
def serve_command(no_worker: bool) -> None:
    """Start the web server (waitress) and the worker together; Ctrl-C stops both."""
    from app.server_errors import create_server

    app = current_app._get_current_object()
    _require_secret_key(app)
    worker = None
    if not no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"])

    def _terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    host, port = app.config["HOST"], app.config["PORT"]
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address in brackets, as a browser takes it
    click.echo(f"Hamzaban: http://{shown}:{port}/  (Ctrl-C stops the server and the worker)")
    freeze_loaded_app()  # app/web_gc.py: the built app out of the collector's way
    try:
        # A proxy's headers reach the app (``create_server``): behind HAMZABAN_TRUSTED_PROXIES the app's
        # ProxyFix reads as many hops of X-Forwarded-For as the setting trusts (app/factory.py); without
        # it the login refuses a proxy on loopback (app/web/client.py) and nothing reads them.
        server = create_server(app, host=host, port=port, threads=8, ident="hamzaban")
        logging.basicConfig()  # as waitress.serve: its "Serving on" line and its errors shown
        server.print_listen("Serving on http://{}:{}")
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
