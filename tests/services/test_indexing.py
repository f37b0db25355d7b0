"""The single writer: outbox batches, the lease, crashes at any point, resumable rebuilds, the worker."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services import indexing as indexer
from app.services.indexing import (
    claim_lease,
    drain,
    new_owner,
    rebuild,
    release_lease,
    verify,
    writer_backend,
)
from app.services.search import get_backend
from models import Item, SearchOutbox
from search_index.backend import SearchRequest
from tests.conftest import REPO, shared_data
from tests.search_index.item_factory import ItemFactory


@pytest.fixture
def items(app):
    app.config["SEARCH_REFRESH_SECONDS"] = 0  # the page's reader sees each commit at once
    return ItemFactory()


def outbox_count() -> int:
    return db.session.scalar(select(func.count(SearchOutbox.id)))


def found(text: str) -> set[int]:
    return {h.doc_id for h in get_backend().search(SearchRequest(text, per_page=100)).hits}


def test_drain_indexes_the_outbox_and_removes_exactly_its_rows(app, items):
    water = items.make("قطعی آب در همدان", "آب شهر قطع شد")
    power = items.make("قطعی برق", "برق روستا قطع شد")
    summary = drain(batch_size=1)
    assert (summary.rows, summary.indexed, summary.batches, summary.remaining) == (2, 2, 2, 0)
    assert found("قطعی") == {water.id, power.id}
    # An edited item and a deleted one: the index follows the database, whatever the row says.
    water.title = "وصل آب در همدان"
    db.session.add(SearchOutbox(doc_type="item", doc_id=water.id))
    db.session.delete(power)
    db.session.add(SearchOutbox(doc_type="item", doc_id=power.id, op="delete"))
    db.session.commit()
    summary = drain()
    assert (summary.indexed, summary.deleted) == (1, 1)
    assert found("قطعی") == set() and found("وصل") == {water.id}
    assert verify().ok and outbox_count() == 0


class AddsDuringCommit:
    """A backend that, while its commit runs, lets the ingest store one more item."""

    def __init__(self, backend, items):
        self.backend, self.items, self.added = backend, items, None

    def index(self, docs, deletions=()):
        count = self.backend.index(docs, deletions)
        if self.added is None:
            self.added = self.items.make("خبر تازه در میانهٔ نوشتن", "متن")
        return count


def test_a_row_written_during_a_batch_waits_for_the_next_batch(app, items):
    first = items.make("نخستین خبر", "متن")
    backend = AddsDuringCommit(writer_backend(), items)
    drain(backend, max_batches=1)
    assert db.session.scalars(select(SearchOutbox.doc_id)).all() == [backend.added.id]
    drain()
    assert found("خبر") == {first.id, backend.added.id} and verify().ok


class CrashesAfterCommit:
    """The index commits, then the process dies before the outbox rows are deleted."""

    def __init__(self, backend):
        self.backend = backend

    def index(self, docs, deletions=()):
        self.backend.index(docs, deletions)
        raise RuntimeError("power cut between the index commit and the outbox delete")


def test_crash_between_index_commit_and_outbox_delete_loses_nothing(app, items):
    made = [items.make(f"گزارش شماره {n}", "متن گزارش") for n in range(5)]
    with pytest.raises(RuntimeError, match="power cut"):
        drain(CrashesAfterCommit(writer_backend()))
    assert outbox_count() == 5  # nothing removed: the rows will be indexed again
    assert claim_lease("someone-else")  # the crashed drain gave the lease back on its way out
    release_lease("someone-else")
    drain()
    assert found("گزارش") == {i.id for i in made}
    assert get_backend().doc_count() == 5 and outbox_count() == 0 and verify().ok


def test_lease_allows_one_writer_and_expires(app, items):
    items.make("خبر", "متن")
    holder, other = new_owner(), new_owner()
    assert claim_lease(holder) and claim_lease(holder)  # renewing is claiming again
    assert not claim_lease(other)
    summary = drain()
    assert summary.busy and outbox_count() == 1
    with pytest.raises(indexer.LeaseBusy):
        rebuild()
    assert claim_lease(other, seconds=0)  # an expired lease is taken over
    assert not claim_lease(holder)
    release_lease(other)
    assert drain().indexed == 1


def test_two_drains_at_once_write_each_document_once(app, items):
    for n in range(40):
        items.make(f"خبر همزمان {n}", "متن " * 50)
    app.config["SEARCH_INDEX_BATCH"] = 5
    results = []

    def run():
        with app.app_context():
            results.append(drain())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    drain()
    assert sum(r.rows for r in results) <= 40
    assert get_backend().doc_count() == 40 and verify().ok


def _corpus(count: int) -> list[tuple[str, str]]:
    path = shared_data("persian-news", "fars-news-1.json")
    if path.exists():
        articles = json.loads(path.read_text(encoding="utf-8"))
        return [(a["title"], "\n".join(a["paragraphs"])) for a in (articles * 10)[:count]]
    return [(f"خبر آزمایشی {n}", "متن بلند خبر درباره قطعی آب و برق " * 80) for n in range(count)]


@pytest.mark.slow  # a real `search drain` process, SIGKILLed
def test_indexer_killed_half_way_then_restarted_ends_equal_to_the_database(app, items, tmp_path):
    """A real `flask search drain` process is SIGKILLed in the middle of a batch."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///:memory:"):
        pytest.skip("needs a database file the subprocess can open")
    for title, text in _corpus(900):
        items.make(title, text, commit=False)
    db.session.commit()
    env = {**os.environ, "HAMZABAN_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "HAMZABAN_DATA_DIR": app.config["DATA_DIR"], "HAMZABAN_SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
           "HAMZABAN_SECRET_KEY": "test-" + "k" * 32}
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "search", "drain", "--batch", "150"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while outbox_count() == 900 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
        db.session.rollback()
    time.sleep(0.3)  # well inside the next batch (a batch takes a second or more)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db.session.rollback()
    left = outbox_count()
    assert 0 < left < 900, f"the kill did not land half-way ({left} rows left)"
    done = set(db.session.scalars(select(Item.id))) - set(db.session.scalars(select(SearchOutbox.doc_id)))
    indexed = {h for h in done if f"item:{h}" in _indexed_keys()}
    assert indexed == done  # every row that left the outbox is in the index

    assert drain().busy  # the dead process's lease still stands …
    app.config["SEARCH_LEASE_SECONDS"] = 0  # … until it expires
    summary = drain()
    assert summary.rows == left and outbox_count() == 0
    result = app.test_cli_runner().invoke(args=["search", "verify", "--json"])
    report = json.loads(result.output)
    assert result.exit_code == 0 and report["ok"], result.output
    assert report["missing"] == report["extra"] == report["stale"] == [] and report["index_count"] == 900


def _indexed_keys() -> set[str]:
    from whoosh import index as whoosh_index  # test-only: look at the raw index

    ix = whoosh_index.open_dir(get_backend().path)
    with ix.searcher() as searcher:
        return {stored["id"] for stored in searcher.all_stored_fields()}


def test_rebuild_resumes_after_an_interruption(app, items):
    made = [items.make(f"خبر بازسازی {n}", "متن") for n in range(12)]
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()
    seen = []

    def stop_after_first_batch(count):
        seen.append(count)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rebuild(batch_size=5, on_progress=stop_after_first_batch)
    assert indexer.get_checkpoint()["last_id"] == made[4].id
    assert get_backend().doc_count() == 5
    summary = rebuild(batch_size=5)
    assert summary.resumed_after == made[4].id and summary.indexed == 7
    assert indexer.get_checkpoint() is None and verify().ok
    assert found("بازسازی") == {i.id for i in made}


def test_interrupted_rebuild_starts_over_when_the_index_schema_changed(app, items):
    made = [items.make(f"خبر نسخه {n}", "متن") for n in range(8)]
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()

    def stop(count):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rebuild(batch_size=5, on_progress=stop)
    assert indexer.get_checkpoint()["last_id"] == made[4].id
    (writer_backend().path / "hamzaban-schema-version").write_text("0")  # built by older code
    summary = rebuild(batch_size=5)
    assert summary.resumed_after == 0 and summary.indexed == 8
    assert verify().ok and found("نسخه") == {i.id for i in made}


def test_fresh_rebuild_removes_documents_the_database_lacks(app, items):
    keep = items.make("خبر ماندنی", "متن")
    drain()
    writer_backend().index([], ())
    gone = items.make("خبر رفتنی", "متن")
    drain()
    db.session.delete(gone)
    db.session.commit()  # deleted without an outbox row: only verify/rebuild can notice
    assert verify().extra == [f"item:{gone.id}"]
    summary = rebuild()
    assert summary.removed == 1 and found("خبر") == {keep.id} and verify().ok


def test_worker_runs_the_indexer_job(app, items):
    from app.worker import run_loop

    assert "search-index" in [name for name, _, _ in app.extensions["hamzaban_jobs"]]
    made = items.make("سیل در جاده", "جاده بسته شد")
    app.extensions["hamzaban_jobs"] = [j for j in app.extensions["hamzaban_jobs"] if j[0] == "search-index"]
    run_loop(app, threading.Event(), once=True)
    assert found("سیل") == {made.id} and outbox_count() == 0


def test_web_processes_only_read(app):
    assert get_backend().writable is False
    with pytest.raises(PermissionError):
        get_backend().index([])
