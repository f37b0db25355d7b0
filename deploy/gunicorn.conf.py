"""gunicorn's configuration for Hamzaban in production (docs/DEPLOYMENT.md).

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py

The web pages only: the worker (`flask --app app worker`) runs beside it, one or more of them.
`flask --app app serve` (waitress, one process) stays the embedded default for a single desk.

- Address: `HAMZABAN_HOST`:`HAMZABAN_PORT`, read through app/config.py like `flask serve` does
  (a bad value stops the start with the variable's name); `--bind` on the command line wins.
- Processes: `WEB_CONCURRENCY` (gunicorn's own variable) or 2 × CPUs + 1, at most 9. Pages are
  CPU-bound Python (templates, the Persian analysis of a search), so only processes use more
  than one core; each one takes ~120 MB once started (measured: the app, numpy for the
  classifier) plus its own reader of the search index, and a database connection per thread,
  hence the cap.
- Threads: 4 per process (the gthread worker): a request waiting on PostgreSQL or on the index
  leaves the process to another one. 4 × processes connections + the workers' must stay under
  PostgreSQL's max_connections (100 by default).
- No preload: each process imports and builds the app itself after the fork. Nothing opened in
  the master (a pooled database connection, an open index reader) can then be shared by two
  processes, and `systemctl reload` (SIGHUP) starts processes on the new code after an upgrade.
  It costs a few seconds of start-up per process, once.
- Timeouts: a request may take 60 s (a large export is the worker's job, not a request's); a
  stopped or reloaded server gives running requests 30 s; keep-alive 5 s behind a proxy.
- Worker: gunicorn's threaded one (`gthread`) whose own refusals (a request it cannot read, a request
  line or headers past its bounds) say so in Persian first, gunicorn's English after
  (app/gunicorn_errors.py: gunicorn has no setting for these pages).
- Logs: access and errors to stderr, i.e. the journal under systemd (`journalctl -u hamzaban-web`).
"""
from __future__ import annotations

import multiprocessing
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import ConfigError, load_config  # after the path
from app.web_gc import freeze_loaded_app

try:
    _settings = load_config()
except ConfigError as exc:
    sys.exit(str(exc))

chdir = str(ROOT)
wsgi_app = "app:create_app()"
bind = [f"{_settings['HOST']}:{_settings['PORT']}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "app.gunicorn_errors.PersianThreadWorker"  # gunicorn's "gthread", its own refusals in Persian first
threads = 4
preload_app = False
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # a process is replaced after this many requests (what a slow leak could hold)
max_requests_jitter = 500  # … not all at once
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "hamzaban-web"
forwarded_allow_ips = "127.0.0.1,::1"  # X-Forwarded-Proto from the local reverse proxy only
# gunicorn's control socket ($HOME/.gunicorn/gunicorn.ctl) is left off: systemd starts, reloads and
# stops the server, and two servers on one machine would share the one path.
control_socket_disable = True


def on_starting(server) -> None:
    """Refuse to start on a unix socket without HAMZABAN_TRUSTED_PROXIES: the connection then has no
    address (gunicorn gives «»), every client was one to the login throttle and the session binding,
    and every login is refused until it is set (app/web/client.py, ``current_client``; session 44)."""
    if not _settings["TRUSTED_PROXIES"] and any(str(bound).startswith("unix:") for bound in server.cfg.bind):
        sys.exit(_ON_A_UNIX_SOCKET)


_ON_A_UNIX_SOCKET = ("Hamzaban: gunicorn listens on a unix socket, so the connection carries no client address: set "
                     "HAMZABAN_TRUSTED_PROXIES=127.0.0.1 (the proxy's X-Forwarded-For, appended with nginx's "
                     "$proxy_add_x_forwarded_for) or listen on 127.0.0.1 (docs/DEPLOYMENT.md)")


def when_ready(server) -> None:
    """``on_starting``'s refusal for a unix socket gunicorn was handed, not bound by its --bind (``fd://3``,
    systemd's socket activation: LISTEN_FDS, the --bind then unused): read from the listening sockets
    themselves, before any worker (session 44's attacker's review: gunicorn started, and every login was
    refused, 503)."""
    if not _settings["TRUSTED_PROXIES"] and any(listener.sock.family == socket.AF_UNIX
                                                for listener in server.LISTENERS):
        sys.exit(_ON_A_UNIX_SOCKET)


def post_worker_init(worker) -> None:
    """The app is built in this process: its objects (modules, templates, the analysis' tables)
    leave the garbage collector's generations for good (``app.web_gc``), so a full collection
    during a request walks only what requests made."""
    freeze_loaded_app()

