"""Writing the index safely when a writer is killed: the write lock, and the rebuild's writer
processes.

The lock. Whoosh's ``WRITELOCK`` is an ``flock`` on the file ``MAIN_WRITELOCK``: the kernel
releases it when the last descriptor of the file opened to take it is closed. The processes a
writer forks share that descriptor (this is how a rebuild killed with SIGKILL could leave the index
locked for good: its sub-writers lived on, orphaned, and held it). ``WriteLock`` is Whoosh's
lock plus two things:

* the holder writes its host, pid and start time beside the lock (``MAIN_WRITELOCK.owner``), for
  the error message of a writer that has to wait, and as a second opinion on who holds it;
* a writer that finds the lock taken checks whether it is stale (Linux): the process that took
  it (``/proc/locks``) is dead, the owner file does not name a live process, and the lock is kept
  only by processes that inherited it. Those can never commit (only the process that took the
  lock writes the index's table of contents); they are ended, and the lock is taken. A lock whose
  taker is alive, or of another host, or whose taker cannot be told, is never touched.

The writer processes. ``MpWriter`` is Whoosh's multi-process writer whose sub-writers die with
the process that started them: ``PR_SET_PDEATHSIG`` (Linux), a watchdog thread that compares
the parent pid (elsewhere, and as a fallback), and they close their copy of the lock's
descriptor at once, so the lock lives exactly as long as the writer that took it.
"""
from __future__ import annotations

import ctypes
import json
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from whoosh import multiproc
from whoosh.util.filelock import FileLock
from whoosh.writing import SegmentWriter

log = logging.getLogger(__name__)

OWNER_SUFFIX = ".owner"
PARENT_WATCH_SECONDS = 0.5  # how often a sub-writer checks that its parent still lives
CLEAR_WAIT_SECONDS = 5.0  # how long to wait for the ended holders of a stale lock to go
_PR_SET_PDEATHSIG = 1


# --- processes (Linux /proc; elsewhere nothing is ever taken for dead) ----------------------------


def _start_time(pid: int) -> str | None:
    """The start time of a live process (clock ticks since boot), None when it is gone or a
    zombie; "" when it cannot be read (not Linux)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        if not Path("/proc/self/stat").exists():
            return ""
        return None
    except OSError:
        return ""
    fields = text[text.rindex(")") + 2:].split()
    return None if fields[0] in ("Z", "X") else fields[19]


def _alive(pid: int, started: str | None = None) -> bool:
    """True unless process ``pid`` is surely gone (or is another process with a reused pid)."""
    if pid <= 0:
        return True  # not known here (another pid namespace): taken for alive
    now = _start_time(pid)
    if now is None:
        return False
    return not (started and now and now != started)


def _open_in(pid: int, target: os.stat_result) -> bool:
    """Whether process ``pid`` has the file ``target`` open."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            st = os.stat(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def _flock_takers(target: os.stat_result) -> list[int] | None:
    """The pids ``/proc/locks`` gives for the flock on ``target`` (the processes that took it;
    the lock outlives them while a process they forked keeps it); None when it cannot be read."""
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    exact = f"{os.major(target.st_dev):02x}:{os.minor(target.st_dev):02x}:{target.st_ino}"
    same_dev, same_ino = [], []
    for line in lines:
        fields = line.split()
        if "->" in fields or len(fields) < 6 or fields[1] != "FLOCK":
            continue  # a waiter, or another kind of lock
        pid, where = int(fields[4]), fields[5]
        if where == exact:
            same_dev.append(pid)
        elif where.rsplit(":", 1)[-1] == str(target.st_ino):
            same_ino.append(pid)  # overlay and some other file systems report another device
    return same_dev or same_ino


def _end(pid: int, target: os.stat_result) -> bool:
    """SIGKILL process ``pid`` if it still has ``target`` open (pinned with a pidfd, so a reused
    pid is never hit); True when it was sent."""
    pidfd = None
    try:
        if hasattr(os, "pidfd_open"):
            pidfd = os.pidfd_open(pid)
        if not _open_in(pid, target):
            return False
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
        return True
    except OSError:  # gone already, or not ours to end
        return False
    finally:
        if pidfd is not None:
            os.close(pidfd)


# --- the lock ----------------------------------------------------------------------------------


def read_owner(lock_path: str | os.PathLike) -> dict | None:
    """What the holder of the lock wrote beside it (host, pid, started), None if nothing."""
    try:
        owner = json.loads(Path(f"{lock_path}{OWNER_SUFFIX}").read_text())
        return owner if isinstance(owner, dict) else None
    except (OSError, ValueError):
        return None


def describe_owner(lock_path: str | os.PathLike) -> str:
    owner = read_owner(lock_path)
    if owner is None:
        return "another process"
    return f"process {owner.get('pid')} on {owner.get('host')}"


def _owner_may_live(owner: dict | None) -> bool:
    """Whether the owner file names a process that may still run (or one of another host)."""
    if owner is None:
        return False
    if owner.get("host") != socket.gethostname():
        return True
    try:
        return _alive(int(owner["pid"]), owner.get("started") or None)
    except (KeyError, TypeError, ValueError):
        return True


def clear_stale_lock(lock_path: str | os.PathLike) -> bool:
    """End the processes that keep the lock ``lock_path`` of a dead writer; True when some were
    ended (the caller then takes the lock). Never touches a lock whose taker may be alive."""
    try:
        target = os.stat(lock_path)
    except OSError:
        return False
    takers = _flock_takers(target)
    if not takers or any(_alive(pid) for pid in takers):
        return False  # free now, held by a live writer, or not known
    if _owner_may_live(read_owner(lock_path)):
        return False
    me = os.getpid()
    holders = [pid for pid in map(int, filter(str.isdigit, os.listdir("/proc")))
               if pid != me and _open_in(pid, target)]
    ended = {pid: _cmdline(pid) for pid in holders if _end(pid, target)}
    if not ended:
        return False
    log.warning("search index: the write lock of dead writer %s was kept by %s; ended them",
                takers, ", ".join(f"{pid} ({cmd})" for pid, cmd in ended.items()))
    deadline = time.monotonic() + CLEAR_WAIT_SECONDS
    while any(_open_in(pid, target) for pid in ended) and time.monotonic() < deadline:
        time.sleep(0.02)
    return True


class WriteLock(FileLock):
    """Whoosh's file lock that records its holder and clears a dead writer's lock."""

    def acquire(self, blocking=False):
        taken = super().acquire(blocking)
        if not taken and clear_stale_lock(self.filename):
            taken = super().acquire(blocking)
        if taken:
            self._write_owner()
        return taken

    def release(self):
        try:  # before the lock goes: never remove the next holder's file
            os.remove(self.filename + OWNER_SUFFIX)
        except OSError:
            pass
        super().release()

    def _write_owner(self):
        pid = os.getpid()
        owner = {"host": socket.gethostname(), "pid": pid, "started": _start_time(pid) or ""}
        temporary = f"{self.filename}{OWNER_SUFFIX}.{pid}"
        try:
            Path(temporary).write_text(json.dumps(owner))
            os.replace(temporary, self.filename + OWNER_SUFFIX)
        except OSError:
            log.warning("search index: could not write %s%s", self.filename, OWNER_SUFFIX, exc_info=True)


# --- the multi-process writer -------------------------------------------------------------------


def _die_with_parent(parent_pid: int) -> None:
    """In a sub-writer: be killed when ``parent_pid`` dies (at once on Linux, else within
    PARENT_WATCH_SECONDS).

    It starts the watchdog thread, so only once the sub-writer has closed its copy of the lock:
    when a process of several threads is killed, the thread that exits first may be its main
    one, which then shows as a zombie with no descriptors under ``/proc/<pid>/fd`` while another
    thread is still exiting (tearing down a forked copy of the writer's memory takes
    milliseconds) and keeps the process's files open, the lock's included: a lock no process
    shows, held after every process of the writer looks dead."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # it died before prctl took effect
        os._exit(1)

    def watch():
        while True:
            time.sleep(PARENT_WATCH_SECONDS)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class _SubWriterTask(multiproc.SubWriterTask):
    """Whoosh's sub-writer process, bound to its parent's life and without its parent's lock."""

    def __init__(self, *args, parent_pid: int, lock: FileLock | None):
        super().__init__(*args)
        self._parent_pid = parent_pid
        self._lock = lock  # the parent's lock, inherited by fork (None otherwise)

    def run(self):
        lock = self._lock
        if lock is not None and lock.fd is not None:
            # Closing this process's copy of the descriptor leaves the parent's lock as it is, and
            # lets it end with the parent. This copy of the lock object forgets it too: releasing
            # it here would unlock the parent's lock. Closed first, while this process has one
            # thread: killed with more, it shows as dead (a zombie, no descriptors in /proc)
            # while its other threads still exit and keep the lock (see ``_die_with_parent``).
            fd, lock.fd = lock.fd, None
            os.close(fd)
        _die_with_parent(self._parent_pid)
        super().run()


class MpWriter(multiproc.MpWriter):
    """Whoosh's multi-process writer with sub-writers that die with it (see the module)."""

    def _new_task(self):
        forked = multiprocessing.get_start_method() == "fork"
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                              self.multisegment, parent_pid=os.getpid(), lock=self.writelock if forked else None)
        self.tasks.append(task)
        task.start()
        return task


def index_writer(ix, procs: int = 1, **kwargs):
    """A writer of ``ix``: Whoosh's ``SegmentWriter``, or ``MpWriter`` with ``procs`` > 1."""
    if procs > 1:
        return MpWriter(ix, procs=procs, **kwargs)
    return SegmentWriter(ix, **kwargs)
