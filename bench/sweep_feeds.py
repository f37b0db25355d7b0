"""Every file of ../shared/data/feeds through ``parse_feed``: what was refused, kept and dated.

For each file: refused (the error's code) or its entries; for each entry the date written (published, else
updated, as feedparser saw it) and whether a date was read, its title, link and GUID. ``--save`` writes the
rows as JSON lines (to compare two versions of the code entry by entry with ``--compare``); the summary says
files, refusals by code, entries kept, entries with a written date and how many of them were read, and the
written dates not read grouped by their shape (digits as 9, letters as a), the commonest first.

``--cpu N`` lists the N files whose reading took the most CPU (a ReDoS suspect: over 0.5 s for a small file);
``--lost`` lists the files whose entries are fewer than feedparser's own reading finds, with the warning said (an
entry dropped without a reason is lost; round 20).

    .venv/bin/python bench/sweep_feeds.py [--save rows.jsonl] [--compare before.jsonl] [--json] [--cpu 10] [--lost]
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "feeds"
_SKIP = {"LICENSE", "NOTICE.md", "README.md"}


def _files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in _SKIP and "LICENSE" not in p.name)


def _shape(text: str) -> str:
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d", "9", text.strip()))[:60]


def sweep(timings: dict | None = None) -> list[dict]:
    """One row per file (see the module's docstring); each file's CPU seconds into ``timings`` when given."""
    sys.path.insert(0, str(REPO))
    from app.monitor import parse
    from app.monitor.parse import FeedParseError, parse_feed

    written: list[tuple[str | None, bool]] = []
    entry_date = parse.entry_date

    def noting(entry: dict, key: str):
        found = entry_date(entry, key)
        if key == "published":
            text = dict.get(entry, "published") or dict.get(entry, "updated")
            later = entry_date(entry, "updated")
            written.append((text if isinstance(text, str) else None, (found or later) is not None))
        return found

    parse.entry_date = noting
    rows = []
    for path in _files():
        written.clear()
        row: dict = {"file": str(path.relative_to(CORPUS))}
        data = path.read_bytes()
        started = time.process_time()
        try:
            feed = parse_feed(data)
        except FeedParseError as exc:
            row["refused"] = exc.code if hasattr(exc, "code") else str(exc)
        else:
            row["warning"] = (feed.warning_detail or {}).get("key") if isinstance(feed.warning_detail, dict) else None
            row["entries"] = [{"title": e.title[:200], "link": e.link, "guid": e.guid, "date_written": w[0],
                               "date_read": w[1], "published": e.published.isoformat() if e.published else None}
                              for e, w in zip(feed.entries, written, strict=True)]
        if timings is not None:
            timings[row["file"]] = (time.process_time() - started, len(data))
        rows.append(row)
    parse.entry_date = entry_date
    return rows


def summary(rows: list[dict]) -> dict:
    entries = [e for row in rows for e in row.get("entries", ())]
    dated = [e for e in entries if e["date_written"] and e["date_written"].strip()]
    unread = collections.Counter(_shape(e["date_written"]) for e in dated if not e["date_read"])
    return {"files": len(rows), "refused": dict(collections.Counter(r["refused"] for r in rows if "refused" in r)),
            "entries": len(entries), "dates_written": len(dated), "dates_read": sum(e["date_read"] for e in dated),
            "unread_shapes": unread.most_common(25)}


def compare(before: list[dict], after: list[dict]) -> list[str]:
    """The files whose refusal, entry count or entries' fields differ."""
    changed = []
    old = {row["file"]: row for row in before}
    for row in after:
        was = old.get(row["file"])
        if was != row:
            changed.append(row["file"])
    return changed


def fewer_than_feedparser(rows: list[dict]) -> list[tuple[str, int, int, str | None]]:
    """Files whose kept entries are fewer than feedparser's reading of the bytes finds: (file, ours, feedparser's,
    the warning or refusal said)."""
    import feedparser

    fewer = []
    for row in rows:
        theirs = len(feedparser.parse((CORPUS / row["file"]).read_bytes()).entries)
        ours = len(row.get("entries", ()))
        if ours < theirs:
            fewer.append((row["file"], ours, theirs, row.get("refused") or row.get("warning")))
    return fewer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--save", help="write the rows as JSON lines")
    parser.add_argument("--compare", help="rows saved before: list the files that differ")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--cpu", type=int, default=0, help="list the N files that took the most CPU")
    parser.add_argument("--lost", action="store_true", help="list files with fewer entries than feedparser's")
    args = parser.parse_args()
    started = time.process_time()
    timings: dict = {}
    rows = sweep(timings)
    result = summary(rows) | {"cpu_s": round(time.process_time() - started, 1)}
    if args.cpu:
        slowest = sorted(timings.items(), key=lambda item: -item[1][0])[:args.cpu]
        result["slowest"] = [(name, round(cpu, 3), size) for name, (cpu, size) in slowest]
    if args.lost:
        result["fewer_than_feedparser"] = fewer_than_feedparser(rows)
    if args.save:
        Path(args.save).write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    if args.compare:
        before = [json.loads(line) for line in Path(args.compare).read_text().splitlines()]
        result["differ"] = compare(before, rows)
    print(json.dumps(result, ensure_ascii=False, indent=None if not args.json else 1))


if __name__ == "__main__":
    main()
