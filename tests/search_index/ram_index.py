"""An in-memory Whoosh index for tests whose temporary files are private to the test run.

Whoosh's RamStorage puts a writer's temporary files in ``/tmp/<indexname>.tmp`` (``/tmp/MAIN.tmp``):
two test runs on one machine then delete each other's files mid-write.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile

from whoosh.filedb.filestore import FileStorage, RamStorage

_FOLDER = None


def _private_folder() -> str:
    global _FOLDER
    if _FOLDER is None:
        _FOLDER = tempfile.mkdtemp(prefix="hamzaban-whoosh-")
        atexit.register(shutil.rmtree, _FOLDER, True)
    return _FOLDER


class PrivateRamStorage(RamStorage):
    def temp_storage(self, name=None):
        return FileStorage(tempfile.mkdtemp(dir=_private_folder())).create()


def ram_index(schema):
    """A fresh in-memory index of ``schema``."""
    return PrivateRamStorage().create_index(schema)
