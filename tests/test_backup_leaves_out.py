"""What a backup leaves out of the data folder besides the database and the search index: its
own archive, earlier backup archives (whatever their name) and the staging folders of backups
running beside it. Found this session: `backup instance/backups/b2.tar.gz` held b1.tar.gz whole,
and every backup of a folder that keeps its backups grew by all the earlier ones."""
from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path


def names_in(archive: Path) -> list[str]:
    with tarfile.open(archive) as tar:
        return tar.getnames()


def a_tar_gz(path: Path, first: str, data: bytes) -> None:
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(first)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def test_a_backup_leaves_out_earlier_backups_and_staging_folders_but_keeps_other_archives(app):
    data = Path(app.config["DATA_DIR"])
    (data / "backups").mkdir()
    (data / "exports").mkdir()
    (data / "exports" / "items.csv").write_text("id\n1\n", "utf-8")
    runner = app.test_cli_runner()
    first = data / "backups" / "b1.tar.gz"
    assert runner.invoke(args=["backup", str(first)]).exit_code == 0
    (data / "old-backup.bak").write_bytes(first.read_bytes())  # a backup renamed: known by its manifest
    staging = data / "backups" / ".hamzaban-backup-k2j4x9q1"  # a backup running beside this one
    (staging / "files").mkdir(parents=True)
    (staging / "files" / "secret_key").write_text("copy")
    (staging / "archive.tar.gz").write_bytes(first.read_bytes()[:100])  # half written
    # Archives that are no backup of ours are files of the installation like any other
    (data / "exports" / "items.csv.gz").write_bytes(gzip.compress(b"id\n1\n"))
    a_tar_gz(data / "exports" / "photos.tar.gz", "manifest.json", b'{"format": "someone-else"}')

    second = data / "backups" / "b2.tar.gz"
    result = runner.invoke(args=["backup", str(second)])
    assert result.exit_code == 0, result.output
    files = sorted(name for name in names_in(second) if name.startswith("files/"))
    assert files == ["files/exports/items.csv", "files/exports/items.csv.gz", "files/exports/photos.tar.gz"]
    assert second.stat().st_size < first.stat().st_size * 2
