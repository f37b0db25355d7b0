"""--no-overwrite when two commands write the same name at once (session 40's note): the option
checked that no file was there, then renamed its copy into place, so two commands started together
both passed the check and both wrote, the second over the first, each exiting 0 with
"replaced": false. The name is now taken with a hard link, which the system refuses when the name
exists at that instant: one command writes, the other is refused (exit 2, the option's Persian
message), and the file is the winner's, whole."""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import create_engine, select, text

from app.cli import report
from app.extensions import db
from app.services.directory_keys import name_key
from models import AuditEntry, Journalist, JournalistPhone
from tests.conftest import REPO


@contextlib.contextmanager
def _audit_entries_held(url: str):
    """Another writer holding the audit table: an export that has checked --no-overwrite and written
    its copy beside the name waits here to commit its entry, before it puts the copy in place."""
    if url.startswith("sqlite:///"):
        other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=5)
        other.execute("BEGIN IMMEDIATE")  # the write lock
        try:
            yield
        finally:
            other.rollback()
            other.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn, conn.begin() as transaction:
            conn.execute(text("LOCK TABLE audit_entries IN EXCLUSIVE MODE"))  # readers go on, inserts wait
            try:
                yield
            finally:
                transaction.rollback()
    finally:
        engine.dispose()


def test_two_directory_exports_racing_for_one_name_write_it_once(app, tmp_path):
    """Two `directory export … --no-overwrite` processes, both past the check with their copies
    written (the audit table held until both copies are there), then let go together: one writes
    the file, the other exits 2 saying the file is there, and the file is one whole sheet."""
    for n in range(30):
        name = f"خبرنگار مسابقه {n:02d}"
        db.session.add(Journalist(name=name, name_key=name_key(name), phones=[JournalistPhone(e164=f"+98912{n:07d}")]))
    db.session.commit()
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "race.csv"
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=url, HAMZABAN_SQLITE_BUSY_TIMEOUT_MS="180000")
    command = [sys.executable, "-m", "flask", "--app", "app", "directory", "export", "--format", "csv", str(out),
               "--no-overwrite", "--json"]
    with _audit_entries_held(url):
        processes = [subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                     for _ in range(2)]
        deadline = time.monotonic() + 150
        while len(list(folder.glob(".race.csv.*.part"))) < 2:  # both checked the name and wrote their copies
            assert time.monotonic() < deadline and all(p.poll() is None for p in processes), \
                [p.communicate() for p in processes if p.poll() is not None]
            time.sleep(0.05)
    results = [(p.wait(150), *(stream.decode() for stream in p.communicate())) for p in processes]
    assert sorted(code for code, _out, _err in results) == [0, 2], results
    [(_code, won, _err)] = [r for r in results if r[0] == 0]
    [(_code, lost, _err)] = [r for r in results if r[0] == 2]
    assert json.loads(won) == {"path": str(out), "journalists": 30, "outlets": 0, "replaced": False}
    error = json.loads(lost)["error"]
    assert "--no-overwrite" in error and "رونویسی نمی‌شود" in error, error
    sheet = out.read_text(encoding="utf-8-sig")
    assert sheet.count("خبرنگار مسابقه") == 30 and sheet.endswith("\n")
    assert [p.name for p in folder.iterdir()] == ["race.csv"]  # no copy left beside it
    db.session.expire_all()
    actions = sorted(db.session.scalars(select(AuditEntry.action)).all())
    assert actions == ["directory.export_failed", "directory.exported", "directory.exported"]


def run_together(app, threads: int, work) -> dict[int, object]:
    """``work(n)`` in ``threads`` threads, each in an app context, let go together: what each returned
    by ``n``, or its refusal (a command's exit status, a service's message) or failure."""
    from app.services import ServiceError

    start = threading.Barrier(threads)
    outcomes: dict[int, object] = {}

    def run(n: int) -> None:
        with app.app_context():
            start.wait(30)
            try:
                outcomes[n] = work(n)
            except SystemExit as refused:
                outcomes[n] = refused.code
            except ServiceError as refused:
                outcomes[n] = str(refused)
            except Exception as failed:  # noqa: BLE001 - shown in the test's assertion
                outcomes[n] = failed
            finally:
                db.session.remove()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    return outcomes


@pytest.mark.parametrize("threads", [8])
def test_reports_racing_for_one_name_write_it_once(app, tmp_path, threads):
    """The reports' write (report scorecard, cases, media, digest: output_files.write_file under
    --no-overwrite) from several threads let go together at one name: one writes, the others are
    refused as the option says, and the file is one writer's bytes, whole."""
    out = tmp_path / "elsewhere" / "card.pdf"
    out.parent.mkdir()
    outcomes = run_together(app, threads, lambda n: report._write(out, bytes([n]) * 200_000, True, True))
    winners = [n for n, outcome in outcomes.items() if outcome is False]  # written, "replaced": false
    assert len(outcomes) == threads and len(winners) == 1, outcomes
    assert sorted(outcome for outcome in outcomes.values() if outcome is not False) == [2] * (threads - 1)
    assert out.read_bytes() == bytes([winners[0]]) * 200_000
    assert [p.name for p in out.parent.iterdir()] == ["card.pdf"]
