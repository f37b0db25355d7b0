"""`directory import --json`: «outlets_new» and «journalists_new» say what was stored (session 43).

A file refused for one bad row said ``"outlets_new": 4, "journalists_new": 3`` beside
``"stored": false``: a script summing the counts of its imports counted rows that were rolled back.
What the file would add is kept under «outlets_planned» and «journalists_planned»; a dry run (and
the preview page) is asked what would be stored, so its «…_new» counts stay the planned ones.
"""
from __future__ import annotations

import json

from tests.services.directory_files import cli, counts, csv_bytes  # noqa: F401 - the fixture
from tests.services.test_directory_import import GOOD


def _run(cli, path, *options, status):
    return json.loads(cli("import", str(path), *options, "--json", status=status).stdout)


def test_a_refused_file_counts_nothing_stored(cli, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([*GOOD, ["بد", "", "", "", "0912", "", ""]]))
    data = _run(cli, path, status=2)
    assert data["stored"] is False and counts()[:3] == (0, 0, 0)
    assert (data["outlets_new"], data["journalists_new"]) == (0, 0)
    assert (data["outlets_planned"], data["journalists_planned"]) == (4, 3)


def test_a_dry_run_and_a_stored_import_count_the_same(cli, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD))
    dry = _run(cli, path, "--dry-run", status=0)
    assert (dry["outlets_new"], dry["journalists_new"], dry["stored"]) == (4, 3, False)
    stored = _run(cli, path, status=0)
    assert (stored["outlets_new"], stored["journalists_new"], stored["stored"]) == (4, 3, True)
    assert (stored["outlets_planned"], stored["journalists_planned"]) == (4, 3) and counts()[:2] == (4, 3)


def test_a_dry_run_of_a_file_that_would_be_refused_counts_nothing(cli, tmp_path):
    """A dry run answers what the import would store: for a file with a bad row (exit 2, as the import's)
    that is nothing. It said «outlets_new»: 4, «journalists_new»: 3, where the import then said 0 and 0
    (the README: «0 for a refused file»); the file's own counts stay under «…_planned»."""
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([*GOOD, ["بد", "", "", "", "0912", "", ""]]))
    dry = _run(cli, path, "--dry-run", status=2)
    stored = _run(cli, path, status=2)
    assert (dry["outlets_new"], dry["journalists_new"]) == (stored["outlets_new"], stored["journalists_new"]) == (0, 0)
    assert (dry["outlets_planned"], dry["journalists_planned"]) == (4, 3) and dry["errors"]
