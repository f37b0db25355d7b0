"""`flask directory export` as a process: its standard output a pipe whose reader pauses or goes
away, its file one it may not finish. What the in-process runner cannot show (its standard output
is no pipe, its limits are the test's)."""
from __future__ import annotations

import fcntl
import os
import resource
import sqlite3
import subprocess
import sys
import termios
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.directory_keys import name_key
from models import AuditEntry, Journalist, JournalistPhone
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not hasattr(fcntl, "F_SETPIPE_SZ"), reason="needs Linux's pipe sizes")


def _seed(count: int) -> None:
    """``count`` journalists: a sheet of about 100 bytes each, more than a small pipe holds."""
    for n in range(count):
        name = f"خبرنگار آزمایشی شمارهٔ {n:04d}"
        db.session.add(Journalist(name=name, name_key=name_key(name), beat="آب و برق و گاز",
                                  phones=[JournalistPhone(e164=f"+98912{n:07d}")]))
    db.session.commit()


def _small_pipe() -> tuple[int, int, int]:
    """(read end, write end, what the pipe holds): one page, so a sheet of a few KB fills it."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    return read_end, write_end, fcntl.fcntl(write_end, fcntl.F_GETPIPE_SZ)


def _export(app, tmp_path, stdout: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "directory", "export", "--format",
                                "csv", "-"], cwd=REPO, env=env, stdout=stdout, stderr=subprocess.PIPE)
    os.close(stdout)  # the command's end only: its reader sees the end of the file when it ends
    return process


def _wait_until_full(read_end: int, size: int, process: subprocess.Popen) -> None:
    """Until the command has filled the pipe and waits on its reader (it is delivering)."""
    waited = time.monotonic() + 120
    held = bytearray(4)
    while time.monotonic() < waited and process.poll() is None:
        fcntl.ioctl(read_end, termios.FIONREAD, held)
        if int.from_bytes(held, sys.byteorder) >= size:
            return
        time.sleep(0.05)
    raise AssertionError(f"the export never filled the pipe: {process.poll()}, {process.stderr.read().decode()}")


def _read_all(read_end: int) -> bytes:
    with os.fdopen(read_end, "rb") as reader:
        return reader.read()


def _audit() -> list[tuple[str, dict]]:
    db.session.expire_all()
    return [(e.action, e.details) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("directory.export%")).order_by(AuditEntry.id))]


def test_a_paused_reader_holds_no_write_lock(app, tmp_path):
    """A review of the directory commands (HIGH): `directory export --format csv - | (sleep 15; wc -c)`
    kept SQLite's write lock while its reader slept (the audit entry flushed before the bytes were
    written, committed after), and every other writer (`cases open`) failed with «database is
    locked». The entry is committed first now: another writer takes the lock while the export waits."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("the lock is SQLite's")
    _seed(80)
    read_end, write_end, size = _small_pipe()
    process = _export(app, tmp_path, write_end)
    try:
        _wait_until_full(read_end, size, process)
        other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=1)
        try:
            other.execute("BEGIN IMMEDIATE")  # another writer: the write lock, or «database is locked»
            other.rollback()
        finally:
            other.close()
    finally:
        sheet = _read_all(read_end)
        process.wait(60)
    assert process.returncode == 0, process.stderr.read().decode()
    assert sheet.decode("utf-8-sig").count("خبرنگار آزمایشی") == 80
    assert _audit() == [("directory.exported", {"format": "csv", "journalists": 80, "outlets": 0})]


def test_a_file_that_cannot_be_written_leaves_no_entry(app, tmp_path):
    """A regular file's bytes are written beside it before the export is audited: a write that fails
    there (here the process may write no file past 2 KB, as a full disk would stop it) exits 2 and
    leaves neither the file nor an entry saying the phone numbers were taken away."""
    _seed(80)
    out = tmp_path / "exports" / "directory.csv"
    out.parent.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "directory", "export", "--format", "csv",
                           str(out)], cwd=REPO, env=env, capture_output=True, timeout=120,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048)))
    assert done.returncode == 2 and "نوشته نشد" in done.stderr.decode(), done.stderr.decode()
    assert list(out.parent.iterdir()) == [] and _audit() == []


def test_a_reader_that_goes_away_midway_fails_the_export(app, tmp_path):
    """A review of the directory commands (HIGH): `directory export --format csv - | python3 -c
    "…read(100); os.close(0)"` exited 0 and said «… در خروجی استاندارد نوشته شد»: the write the
    reader's leaving cut short returned its count, which nobody looked at. Now every byte is written
    or the command exits 2 saying how much went, in Persian, and the audit trail says so too."""
    _seed(200)  # more than Python's buffer of 8 KB: written straight to the pipe, as a large directory is
    read_end, write_end, size = _small_pipe()
    process = _export(app, tmp_path, write_end)
    try:
        _wait_until_full(read_end, size, process)
        os.read(read_end, 100)
    finally:
        os.close(read_end)
        process.wait(60)
    stderr = process.stderr.read().decode()
    assert process.returncode == 2, stderr
    assert "نیمه‌کاره ماند" in stderr and "پیش از پایان رفت" in stderr and "نوشته شد." not in stderr
    assert "Broken pipe" not in stderr and "Traceback" not in stderr
    (exported, _), (failed, details) = _audit()
    assert (exported, failed, details["error"]) == ("directory.exported", "directory.export_failed", "EPIPE")
    assert size <= details["written"] < details["total"]


def test_a_reader_gone_before_the_first_byte_is_said_in_persian(app, tmp_path):
    """`directory export --format csv - | true`: the reason was the system's English «Broken pipe»."""
    _seed(3)
    read_end, write_end, _ = _small_pipe()
    os.close(read_end)
    process = _export(app, tmp_path, write_end)
    process.wait(60)
    stderr = process.stderr.read().decode()
    assert process.returncode == 2, stderr
    assert "«-» نوشته نشد: خوانندهٔ آن (فرمان پس از «|») پیش از پایان رفت" in stderr and "Broken pipe" not in stderr
    assert [action for action, _ in _audit()] == ["directory.exported", "directory.export_failed"]
