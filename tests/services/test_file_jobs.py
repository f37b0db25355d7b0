"""The job store and worker loop shared by search exports and report jobs (app/services/file_jobs.py):
what their own tests do not reach — the end of the reuse window, a writer that raises, a held
lease, and the cleanup of an old job's row, file and half-written file together."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.clock import utcnow
from app.extensions import db
from app.leases import claim_lease, release_lease
from app.services import NotFound
from app.services.file_jobs import FileJobs, record_state
from models import Setting

JOBS = FileJobs("test_job:", "test.job_lease", 60, "test-jobs", keep_hours=24, reuse_minutes=10,
                not_found=lambda: "not found", file_format=lambda job: job["format"])


def _age(key: str, **delta) -> None:
    row = db.session.get(Setting, key)
    row.value = {**row.value, "created": (utcnow() - timedelta(**delta)).isoformat()}
    db.session.commit()


def test_reuse_window_writer_outcomes_and_cleanup(app):
    owner = SimpleNamespace(id=7)
    key, _job = JOBS.queue({"owner": 7, "format": "csv", "state": "queued", "done": 0, "total": 1})
    assert JOBS.reusable(7, format="csv")[0] == key
    assert JOBS.reusable(7, format="xlsx") is None and JOBS.reusable(8, format="csv") is None
    _age(key, minutes=11)  # asked again after the reuse window: a new job
    assert JOBS.reusable(7, format="csv") is None
    failing, _ = JOBS.queue({"owner": 7, "format": "csv", "state": "queued", "done": 0, "total": 1})
    refused, _ = JOBS.queue({"owner": 7, "format": "csv", "state": "queued", "done": 0, "total": 1})

    def write_one(key, job, renew):
        if key == failing:
            raise RuntimeError("disk full")
        if key == refused:
            record_state(key, {**job, "state": "failed"})
            return False
        final = JOBS.new_file(key, job)[1]
        final.write_text("a,b\n")
        record_state(key, {**job, "state": "done", "done": 1})
        return True

    holder = "someone-else"
    assert claim_lease(JOBS.lease, holder, 60)
    assert JOBS.run(write_one, noun="files", busy="busy: taken", failure="%s failed") == "busy: taken"
    release_lease(JOBS.lease, holder)
    assert JOBS.run(write_one, noun="files", busy="busy", failure="%s failed") == "1 files written, 2 failed, 0 removed"
    assert JOBS.own_job(JOBS.token(failing), owner)[1]["state"] == "failed"
    assert JOBS.reusable(7, format="csv") is None  # a failed job is not handed out again
    job, path = JOBS.finished_file(JOBS.token(key), owner)
    assert job["state"] == "done" and path.read_text() == "a,b\n"
    with pytest.raises(NotFound, match="not found"):
        JOBS.finished_file(JOBS.token(key), SimpleNamespace(id=8))  # another user's
    part = path.with_name(path.name + ".part")
    part.write_text("half")
    _age(key, hours=25)
    assert JOBS.run(write_one, noun="files", busy="busy", failure="%s failed") == "0 files written, 0 failed, 1 removed"
    assert not path.exists() and not part.exists() and db.session.get(Setting, key) is None
    with pytest.raises(NotFound):
        JOBS.own_job(None, owner)
