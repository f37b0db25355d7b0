"""The index folder as Whoosh storage: memory-mapped segments, read without copying them.

Whoosh memory-maps a compound segment file and hands each of its sub-files to the codec as a
``BufferFile``, whose constructor wraps the mapped bytes in ``io.BytesIO``, and BytesIO *copies*
them: opening a searcher copied the whole index into the heap (891 MB at 200,000 items, in every
web process after every commit, and in the indexer before every batch). ``BufferFile.__init__``
is replaced at import by one reading the mapped memory in place; the codec's reads (``get``)
already sliced the mapping directly, so only sequential reads (``read``, ``read_pickle``) change
(tested in ``tests/search_index/test_indexing.py``).

A memory-mapped file's pages count in a process's RSS once read, but they are the kernel's page
cache: shared between processes and dropped under memory pressure. ``bench/bench_search.py``
reports them apart from the heap. (Whoosh's ``supports_mmap=False`` avoids the copy too, with a
system call per read: searches 8-25 % slower (p95, p50) at 40,000 items.)

Its locks are ``writer.WriteLock``: Whoosh's file lock, which records its holder and clears the
lock of a writer killed with its sub-writers still running (see ``writer``).
"""
from __future__ import annotations

import os

from whoosh.filedb import structfile
from whoosh.filedb.filestore import FileStorage

from search_index.whoosh_backend.writer import WriteLock


class _MappedReader:
    """The file methods StructFile and pickle use, over a memoryview, without copying it."""

    def __init__(self, buf):
        self._buf = buf
        self._pos = 0

    def read(self, size=-1):
        start = self._pos
        end = len(self._buf) if size is None or size < 0 else min(start + size, len(self._buf))
        self._pos = max(start, end)
        return bytes(self._buf[start:end])

    def readinto(self, target):
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def readline(self, size=-1):
        end = len(self._buf) if size is None or size < 0 else min(len(self._buf), self._pos + size)
        pos = self._pos
        while pos < end:  # look for the newline a page at a time: never copy the whole rest
            chunk = bytes(self._buf[pos:min(end, pos + 4096)])
            newline = chunk.find(b"\n")
            if newline >= 0:
                return self.read(pos + newline + 1 - self._pos)
            pos += len(chunk)
        return self.read(end - self._pos)

    def seek(self, offset, whence=os.SEEK_SET):
        if whence == os.SEEK_CUR:
            offset += self._pos
        elif whence == os.SEEK_END:
            offset += len(self._buf)
        self._pos = max(0, offset)
        return self._pos

    def tell(self):
        return self._pos

    def flush(self):
        """Nothing to flush: the file is read only."""

    def close(self):
        """The mapping belongs to the storage, which closes it; this view holds nothing else."""


def _buffer_file_init(self, buf, name=None, onclose=None):
    """BufferFile.__init__ without Whoosh's ``BytesIO(buf)`` copy."""
    self._buf = buf
    self._name = name
    self.file = _MappedReader(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


structfile.BufferFile.__init__ = _buffer_file_init


class IndexStorage(FileStorage):
    """Whoosh's file storage with ``WriteLock`` locks."""

    def lock(self, name):
        return WriteLock(self._fpath(name))


def open_storage(path: str | os.PathLike) -> FileStorage:
    """The Whoosh storage of an index folder (memory-mapped)."""
    return IndexStorage(str(path))
