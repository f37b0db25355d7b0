"""`directory merge-outlets` while `directory import` is storing (session 40's note: untested on
PostgreSQL). The import plans, inserts its journalists linked to outlet X, and has not committed;
a merge of X into Y then moves the links it can see (the import's are not committed), and its
DELETE of X waits on the import's foreign-key lock — once the import commits, the delete cascades
and the journalists just imported lose their outlet, both commands exit 0. On PostgreSQL, the
interleaving is made real with two threads and two sessions; on SQLite the writers queue on the
database lock (the same test checks nothing is lost)."""
from __future__ import annotations

import json
import threading

from sqlalchemy import select

from app.cli.cases import CliActor
from app.extensions import db
from app.services import ServiceError, directory_import
from app.services.directory_sheet import read_table
from models import Journalist, Outlet
from tests.services.directory_files import csv_bytes


def _outlet(name: str) -> Outlet:
    outlet = Outlet(name=name, name_key=name, scope="local", city="مرکز استان", kind="website")
    db.session.add(outlet)
    return outlet



def test_a_merge_of_an_outlet_while_an_import_stores_loses_no_link(app, monkeypatch):
    from app.services.directory_keys import name_key

    duplicate, kept = _outlet("رادیو جوان"), _outlet("رادیو جوان استان")
    duplicate.name_key, kept.name_key = name_key(duplicate.name), name_key(kept.name)
    db.session.commit()
    kept_id, duplicate_id = kept.id, duplicate.id
    table = read_table(csv_bytes([[f"خبرنگار {n}", "رادیو جوان", "محلی", "", f"0912{n:07d}", "", ""]
                                  for n in range(3)]), "people.csv")
    flushed, go = threading.Event(), threading.Event()
    original = directory_import.record

    def record_then_wait(*args, **kwargs):  # the import's rows sent (and locked), not yet committed
        original(*args, **kwargs)
        db.session.flush()
        flushed.set()
        go.wait(30)

    monkeypatch.setattr(directory_import, "record", record_then_wait)
    outcome: dict = {}

    def run_import():
        with app.app_context():
            try:
                outcome["import"] = directory_import.import_table(table, actor=CliActor(), actor_label="cli",
                                                                  filename="people.csv").stored
            except ServiceError as error:
                outcome["import"] = str(error)
            finally:
                db.session.remove()

    def run_merge():
        result = app.test_cli_runner().invoke(args=["directory", "merge-outlets", str(kept_id), str(duplicate_id),
                                                    "--json"])
        outcome["merge"] = (result.exit_code, result.stdout)

    importer = threading.Thread(target=run_import)
    importer.start()
    assert flushed.wait(30)
    merger = threading.Thread(target=run_merge)
    merger.start()
    merger.join(1.5)  # on PostgreSQL it waits on the import's lock (before the fix); on SQLite, on its write lock
    go.set()
    importer.join(30)
    merger.join(30)
    assert not importer.is_alive() and not merger.is_alive()
    db.session.remove()
    journalists = db.session.scalars(select(Journalist)).all()
    code, stdout = outcome["merge"]
    said = json.loads(stdout)
    # Whatever the order, no journalist stored by the import is left without the outlet it named.
    assert outcome["import"] is True, outcome
    assert len(journalists) == 3 and all(j.outlets for j in journalists), [(j.name, j.outlets) for j in journalists]
    if code == 0:  # merged after the import: its journalists moved to the outlet kept
        assert {o.id for j in journalists for o in j.outlets} == {kept_id}
        assert db.session.get(Outlet, duplicate_id) is None
    else:  # refused while the import stored: nothing merged, said in Persian
        assert code == 2 and "درون‌ریزی" in said["error"], said
        assert db.session.get(Outlet, duplicate_id) is not None


def test_an_import_refused_while_a_merge_holds_the_lease_says_a_merge_is_running(app, tmp_path):
    """A merge takes the import's lease; the import it turned away said «another import is under
    way» (session 40's note), and the user looked for an import nobody ran. The lease held as a
    merge holds it (directory_writer, the real settings row), the import from the shell is refused
    naming the merge; once it is given back the same file is stored. A second import still reads
    «another import»."""
    from app.services.directory_merge import BUSY

    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([["خبرنگار یک", "رادیو جوان", "محلی", "", "09121234567", "", ""]]))
    runner = app.test_cli_runner()
    with directory_import.directory_writer(BUSY):
        refused = runner.invoke(args=["directory", "import", str(path), "--json"])
        assert refused.exit_code == 2, refused.output
        error = json.loads(refused.stdout)["error"]
        assert "ادغام" in error and "درون‌ریزی دیگری" not in error, error
        text = runner.invoke(args=["directory", "import", str(path)])
        assert text.exit_code == 2 and "ادغام" in text.stderr
    assert db.session.scalars(select(Journalist)).all() == []
    owner = directory_import.new_owner()
    assert directory_import.claim_lease_from_the_dead(directory_import.LEASE_KEY, owner, 60)
    try:
        another = json.loads(runner.invoke(args=["directory", "import", str(path), "--json"]).stdout)["error"]
        assert "درون‌ریزی دیگری" in another and "ادغام" not in another
    finally:
        directory_import.release_lease(directory_import.LEASE_KEY, owner)
    stored = runner.invoke(args=["directory", "import", str(path), "--json"])
    assert stored.exit_code == 0 and json.loads(stored.stdout)["stored"] is True
