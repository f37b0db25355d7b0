"""What a backup leaves out of the data folder besides the database and the search index: its
own archive, earlier backup archives (whatever their name) and the staging folders of backups
running beside it. Found this session: `backup instance/backups/b2.tar.gz` held b1.tar.gz whole,
and every backup of a folder that keeps its backups grew by all the earlier ones."""
from __future__ import annotations

import gzip
import io
import tarfile
import tracemalloc
import zlib
from pathlib import Path

from app.services.backup_archive import is_backup_archive


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
    # … even one whose manifest names ours inside (a tool's note of what it read), not as its own format
    a_tar_gz(data / "exports" / "report.tar.gz", "manifest.json",
             b'{"format": "audit-report", "input": {"format": "hamzaban-backup", "version": 1}}')

    second = data / "backups" / "b2.tar.gz"
    result = runner.invoke(args=["backup", str(second)])
    assert result.exit_code == 0, result.output
    files = sorted(name for name in names_in(second) if name.startswith("files/"))
    assert files == ["files/exports/items.csv", "files/exports/items.csv.gz", "files/exports/photos.tar.gz",
                     "files/exports/report.tar.gz"]
    assert second.stat().st_size < first.stat().st_size * 2


def a_bomb(path: Path, mib: int) -> None:
    """A gzip'd tar whose first header says a long name of `mib` MiB follows (zeros): a few hundred
    kilobytes on the disk. Each flushed MiB of zeros deflates the same, so it is written once."""
    info = tarfile.TarInfo("././@LongLink")
    info.type, info.size = tarfile.GNUTYPE_LONGNAME, mib << 20
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = deflate.compress(info.tobuf(tarfile.GNU_FORMAT)) + deflate.flush(zlib.Z_FULL_FLUSH)
    zeros = b"\0" * (1 << 20)
    deflate.compress(zeros), deflate.flush(zlib.Z_FULL_FLUSH)
    mebibyte = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    path.write_bytes(head + mebibyte * mib + deflate.flush())


def test_a_gzip_bomb_named_like_a_backup_is_read_no_further_than_its_head(app, tmp_path):
    """tarfile reads a long name or a pax record whole, however long its header says it is: telling
    a data folder's files from backups read 64 MiB into memory for this one (and all of a bigger
    bomb's). A backup of ours starts with its manifest; a file is read no further to tell."""
    bomb = tmp_path / "b3.tar.gz"
    a_bomb(bomb, 64)
    tracemalloc.start()
    try:
        assert not is_backup_archive(bomb)
        assert tracemalloc.get_traced_memory()[1] < 4 << 20
    finally:
        tracemalloc.stop()
    truncated = tmp_path / "cut.tar.gz"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(truncated)]).exit_code == 0
    assert is_backup_archive(truncated)
    truncated.write_bytes(truncated.read_bytes()[:300])  # the manifest's head, cut
    assert is_backup_archive(truncated)
    truncated.write_bytes(truncated.read_bytes()[:20])
    assert not is_backup_archive(truncated)
