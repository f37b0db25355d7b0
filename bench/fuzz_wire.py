"""Hostile feeds, round 16: what a feed says of itself against what it is, through the real fetcher and parser,
from the raw local server of ``fuzz_http.py`` (127.0.0.1, any bytes).

Per feed drawn (UTF-8 documents with letters beyond ASCII), ``--per-feed`` cases of these kinds:

* charset: the document in one encoding (UTF-8, UTF-8/16/32 with their byte-order marks, windows-1256 with or
  without a UTF-8 mark before it) under an XML declaration and an HTTP charset drawn apart (none, utf-8,
  windows-1256, utf-16, iso-8859-1, a name of no encoding). Transparent when the bytes can tell: a byte-order
  mark, UTF-8, or Persian in windows-1256 (the titles compared folded as stored, ي→ی);
* marks: a direction mark, a BOM or a zero-width space around every link (transparent);
* xml_base: a hostile «xml:base» on the channel and the items (javascript:, data:, file:, //host, a private
  address): judged on links that are not http(s);
* dates: every date of the document replaced by one odd form (a Unix time, a week date, year 0, a Jalali date,
  a zone of «+99:99», 5,000 digits…): judged on crash and time, the dates read counted;
* wire: a Content-Length of 10⁹ (transparent), stacked «gzip, deflate» (transparent), gzip with bytes after it
  (transparent), gzip cut, «Transfer-Encoding: gzip, chunked», a chunk longer than its bytes, a chunk
  extension of 100 KB, 1,000 trailers, headers trickled a byte at a time for ever (slow-loris), 304s with a
  body or a new ETag to a conditional request, a 200 to it (transparent).

Judged as the other fuzzers judge (crash, lost/differs, not Persian, slow), plus «unsafe_link».

    .venv/bin/python bench/fuzz_wire.py [--seed 16] [--limit 300] [--per-feed 4] [--json out.json]
"""
from __future__ import annotations

import gzip
import random
import re
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from fuzz_feeds import CORPUS, command_line, corpus_files, judged_reading, report, serve, summary_of, timed_case  # noqa: E402,I001
from fuzz_http import ANSWERS, _chunked, _head, _not_persian, _Raw, _Server  # noqa: E402

from app.monitor.fetch import Fetcher, FetchPolicy  # noqa: E402
from app.monitor.parse import FeedParseError, parse_feed  # noqa: E402
from search_index.normalization import normalize_for_storage  # noqa: E402

_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_LINK_TEXT = re.compile(r"(<link>)([^<]+)(</link>)")
_HREF = re.compile(r'(<link\b[^>]*\bhref=")([^"]+)(")')
_DATE = re.compile(r"(<(pubDate|dc:date|updated|published|modified|issued|created)>)([^<]*)(</\2>)")
ENCODINGS = ["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "windows-1256", "windows-1256-utf8-bom"]
LABELS = [None, "utf-8", "windows-1256", "utf-16", "iso-8859-1", "bogus-charset"]
MARKS = ["\u200f", "\u200e", "\u061c", "\ufeff", "\u200b", "\u202b", "\u2067", "\u00a0"]
BASES = ["javascript:alert(1)//", "data:text/html,x/", "file:///etc/", "//evil.example/", "http://10.0.0.1/",
         "http://[::1/", "https://other.example.ir/a/b/", "   ", ""]
DATES = ["1700000000", "1700000000000", "2025-W47-6", "0000-00-00", "0001-01-01T00:00:00Z", "۱۴۰۳/۰۵/۱۲",
         "2025-11-22T06:30:00+99:99", "Sat, 22 Nov 2025 06:30:00 +0330 (IRST)", "22/11/2025", "9" * 5000,
         "Sun, 31 Feb 2025 10:00:00 GMT", "yesterday", "-0044-03-15", "20251122T063000Z", " " * 10000,
         "Sat, 22 Nov 2025 06:30:00 " + "+" * 5000, "1404-09-01", "۱ آذر ۱۴۰۴ ساعت ۱۰:۳۰", "2025-11-22T25:61:61Z"]


def _encoded(text: str, encoding: str, decl: str | None) -> bytes | None:
    text = _DECL.sub("", text.lstrip("\ufeff"), count=1).lstrip()
    if decl is not None:
        text = f'<?xml version="1.0" encoding="{decl}"?>\n' + text
    if encoding.startswith("windows-1256"):
        try:
            data = text.translate({0x06CC: "\u064a", 0x06A9: "\u0643"}).encode("cp1256")
        except UnicodeEncodeError:
            return None
        return (b"\xef\xbb\xbf" if encoding.endswith("bom") else b"") + data
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    codec = encoding
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}.get(codec, b"")
    return bom + text.encode(codec)


def _persian(text: str) -> bool:
    letters = [c for c in text if "\u0600" <= c <= "\u06ff"]
    return len(letters) >= 50


def _charset_case(rng: random.Random, text: str) -> tuple[str, bool, bytes]:
    encoding, decl, label = rng.choice(ENCODINGS), rng.choice(LABELS), rng.choice(LABELS)
    body = _encoded(text, encoding, decl)
    if body is None:
        encoding, body = "utf-8", _encoded(text, "utf-8", decl)
    # The bytes can tell: a mark (but a UTF-8 one before windows-1256), UTF-8, Persian in windows-1256.
    transparent = not encoding.startswith("windows-1256") or _persian(text)
    if encoding == "utf-8" and decl in ("utf-16",) or label == "utf-16" and not encoding.startswith("utf-16"):
        transparent = False  # UTF-16 declared over bytes that are not: no reading can be owed
    head = [("Content-Type", "application/xml" + (f"; charset={label}" if label else "")),
            ("Content-Length", str(len(body)))]
    return f"charset:{encoding}:{decl}:{label}", transparent, _head(200, head) + body


def _document_case(rng: random.Random, text: str) -> tuple[str, bool, str]:
    kind = rng.choice(["marks", "xml_base", "dates"])
    if kind == "marks":
        mark = rng.choice(MARKS)
        text = _LINK_TEXT.sub(lambda m: m[1] + mark + m[2] + mark + m[3], text)
        return f"marks:{ord(mark):04x}", True, _HREF.sub(lambda m: m[1] + mark + m[2] + mark + m[3], text)
    if kind == "xml_base":
        base = rng.choice(BASES)
        text = re.sub(r"<(channel|item|feed|entry)(\s|>)", lambda m: f'<{m[1]} xml:base="{base}"{m[2]}', text)
        return f"xml_base:{base[:12]}", False, text
    date = rng.choice(DATES)
    return f"dates:{date[:16]}", False, _DATE.sub(lambda m: m[1] + date + m[4], text)


def _wire_case(rng: random.Random, body: bytes, path: str) -> tuple[str, bool, object, dict]:
    """(kind, transparent, answer, fetch keywords)."""
    xml = [("Content-Type", "application/xml")]
    kind = rng.choice(["length_billion", "gzip_deflate", "gzip_garbage", "gzip_cut", "te_gzip", "chunk_long",
                       "chunk_ext_huge", "trailers", "slowloris_headers", "not_modified_body", "not_modified_etag",
                       "conditional_200"])
    if kind == "length_billion":
        return kind, True, _head(200, [*xml, ("Content-Length", str(10**9))]) + body, {}
    if kind == "gzip_deflate":
        coded = zlib.compress(gzip.compress(body))
        return kind, True, _head(200, [*xml, ("Content-Encoding", "gzip, deflate"), ("Content-Length", str(len(coded)))]) + coded, {}
    if kind == "gzip_garbage":
        coded = gzip.compress(body) + b"\x00garbage after the stream"
        return kind, True, _head(200, [*xml, ("Content-Encoding", "gzip"), ("Content-Length", str(len(coded)))]) + coded, {}
    if kind == "gzip_cut":
        coded = gzip.compress(body)
        coded = coded[:len(coded) * 3 // 5]
        return kind, False, _head(200, [*xml, ("Content-Encoding", "gzip"), ("Content-Length", str(len(coded)))]) + coded, {}
    if kind == "te_gzip":
        return kind, False, _head(200, [*xml, ("Transfer-Encoding", "gzip, chunked")]) + _chunked(gzip.compress(body), [700]), {}
    if kind == "chunk_long":
        return kind, False, _head(200, [*xml, ("Transfer-Encoding", "chunked")]) + b"%x\r\n" % (len(body) + 5000) + body, {}
    if kind == "chunk_ext_huge":
        return kind, False, _head(200, [*xml, ("Transfer-Encoding", "chunked")]) + _chunked(
            body, [2000], size_text=lambda n: b"%x;" % n + b"e" * 100_000), {}
    if kind == "trailers":
        trailers = b"".join(b"X-T%d: v\r\n" % n for n in range(1000))
        return kind, False, _head(200, [*xml, ("Transfer-Encoding", "chunked")]) + _chunked(
            body, [4000], end=b"0\r\n" + trailers + b"\r\n"), {}
    if kind == "slowloris_headers":
        def drip(sock) -> None:
            stop = time.monotonic() + 30
            sock.sendall(b"HTTP/1.1 200 OK\r\n")
            while time.monotonic() < stop:
                sock.sendall(b"X")
                time.sleep(0.2)
        return kind, False, drip, {}
    conditional = {"etag": '"v1"', "last_modified": "Sat, 22 Nov 2025 06:30:00 GMT"}
    if kind == "not_modified_body":
        return kind, False, _head(304, [("ETag", '"v1"'), ("Content-Length", str(len(body)))]) + body, conditional
    if kind == "not_modified_etag":
        return kind, False, _head(304, [("ETag", '"v2-' + "x" * rng.choice([10, 600]) + '"')]), conditional
    return kind, True, _head(200, [*xml, ("ETag", '"v1"'), ("Content-Length", str(len(body)))]) + body, conditional


def _key(parsed) -> list[tuple]:
    return [(normalize_for_storage(e.title), e.link, e.guid) for e in parsed.entries]


def _judge(result, case: dict, direct, counts: Counter, findings: list[dict]) -> None:
    if result.error_code:
        counts[f"failed:{case['kind'].split(':')[0]}:{result.error_code}"] += 1
        if result.error_code == "internal_error":
            findings.append({**case, "what": "crash", "message": result.error_message_fa})
        elif _not_persian(result.error_message_fa):
            findings.append({**case, "what": "not_persian", "message": result.error_message_fa})
        if direct is not None:
            findings.append({**case, "what": "lost", "message": result.error_message_fa})
        return
    if result.body is None:
        counts["not_modified"] += 1
        return
    parsed = judged_reading(result, case, None, counts, findings, _not_persian)  # (titles compared folded, below)
    if parsed is None:
        if direct is not None:
            findings.append({**case, "what": "lost", "message": "refused"})
        return
    for said in [parsed.warning_detail or {}, *(parsed.warning_detail or {}).get("also", [])]:
        if said:
            counts[f"warning:{said['key']}"] += 1
    bad = [e.link for e in parsed.entries if e.link and not e.link.startswith(("http://", "https://"))]
    if bad:
        findings.append({**case, "what": "unsafe_link", "links": bad[:3]})
    if case["kind"].startswith("dates"):
        counts["dates_read"] += sum(1 for e in parsed.entries if e.published)
        counts["dates_unread"] += sum(1 for e in parsed.entries if not e.published)
    if direct is not None and _key(parsed) != direct:
        first = [(a, b) for a, b in zip(_key(parsed), direct, strict=False) if a != b][:1]
        findings.append({**case, "what": "lost" if len(parsed.entries) < len(direct) else "differs",
                         "entries": [len(parsed.entries), len(direct)], "first": repr(first)[:400],
                         "warning": parsed.warning_detail})


def main() -> None:
    args = command_line(__doc__, seed=16, per_feed="cases per feed", limit=300, slow=8.0)
    rng = random.Random(args.seed)
    files = corpus_files(args, rng)
    server, base = serve(_Server, _Raw)
    findings, counts, slowest = [], Counter(), []
    started, feeds = time.monotonic(), 0
    with Fetcher(FetchPolicy(allow_private=("127.0.0.1/32",), connect_timeout=2, read_timeout=3, total_timeout=6)) as fetcher:
        for number, path in enumerate(files):
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if text.isascii() or "<!ENTITY" in text:
                continue
            name = str(path.relative_to(CORPUS))
            try:
                original = parse_feed(raw, headers={"content-type": "application/xml"}, base_url=f"{base}/{number}/x",
                                      max_entries=1000)
            except FeedParseError:
                continue
            feeds += 1
            direct = _key(original)
            for n in range(args.per_feed):
                url_path = f"/{number}/{n}"
                family = rng.choice(["charset", "charset", "document", "wire"])
                extra: dict = {}
                if family == "charset":
                    kind, transparent, answer = _charset_case(rng, text)
                elif family == "document":
                    kind, transparent, mutated = _document_case(rng, text)
                    data = mutated.encode("utf-8")
                    answer = _head(200, [("Content-Type", "application/xml"), ("Content-Length", str(len(data)))]) + data
                else:
                    kind, transparent, answer, extra = _wire_case(rng, raw, url_path)
                ANSWERS[url_path] = answer
                counts[kind.split(":")[0]] += 1
                case = {"file": name, "kind": kind, "case": url_path}
                with timed_case(case, findings, slowest, args.slow, done=lambda p=url_path: ANSWERS.pop(p, None)):
                    result = fetcher.fetch(base + url_path, **extra)
                    _judge(result, case, direct if transparent else None, counts, findings)
            if number % 50 == 0:
                print(f"{number}/{len(files)} files, {len(findings)} findings, {time.monotonic() - started:.0f} s",
                      file=sys.stderr, flush=True)
    server.shutdown()
    outcomes = ("read", "refused", "not_modified", "dates_read", "dates_unread")
    cases = sum(v for k, v in counts.items() if ":" not in k and k not in outcomes)
    report(summary_of(args.seed, feeds, cases, counts, started, slowest, findings), findings, args.json)


if __name__ == "__main__":
    main()
