"""Local feed files (`feeds import-file`): read and parsed, in a pool of processes when there are
many (CPU-bound); no database."""
from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor

from app.monitor.parse import FeedParseError, ParsedFeed, parse_feed

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
UNREADABLE_FA = "فایل خوانده نشد (نیست، دسترسی ندارد یا بزرگ‌تر از ۵۰ مگابایت است)."
# Smaller imports are parsed in this process: starting worker processes (~1 s) would cost more.
POOL_MIN_FILES, POOL_MIN_BYTES = 100, 8 * 1024 * 1024


def parse_file(path: str, encoding_override: str | None = None) -> ParsedFeed | tuple[str, str]:
    """Read and parse one local feed file: the ParsedFeed, or (error code, Persian message).
    Never raises (runs in pool processes)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        return "unreadable", UNREADABLE_FA
    if len(data) > MAX_FILE_BYTES:
        return "unreadable", UNREADABLE_FA
    try:
        return parse_feed(data, encoding_override=encoding_override)
    except FeedParseError as exc:
        return f"parse_{exc.code}"[:50], exc.message_fa
    except Exception as exc:  # one broken file must not stop the others
        log.exception("unexpected error parsing %s", path)
        return "internal_error", f"خطای پیش‌بینی‌نشده هنگام خواندن فایل: {type(exc).__name__}"


def _total_size(files: list[tuple[str, str | None]]) -> int:
    total = 0
    for path, _ in files:
        try:
            total += os.path.getsize(path)
        except OSError:
            pass
    return total


def parse_files(files: list[tuple[str, str | None]], workers: int = 1):
    """Parse (path, encoding override) pairs; yields the results of parse_file in order. With
    workers > 1 and enough files, parsing runs in that many processes while the caller stores
    the previous results; at most 2·workers results wait in memory."""
    if workers <= 1 or (len(files) < POOL_MIN_FILES and _total_size(files) < POOL_MIN_BYTES):
        for path, override in files:
            yield parse_file(path, override)
        return
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        pending: deque = deque()
        for path, override in files:
            pending.append(pool.submit(parse_file, path, override))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
