"""Mutation fuzzing of the real feeds of ../shared/data/feeds through the real fetcher and parser.

Each feed of the corpus is mutated (seeded) and served by a local HTTP server on 127.0.0.1; the
real ``Fetcher`` (address guard, caps, decoding) fetches it and ``parse_feed`` reads it, as the
worker's poll does (the store and its database are not part of this run). Recorded per case:

* crash: any exception out of fetch or parse but ``FeedParseError`` (a fetch never raises), or a
  fetch failing as ``internal_error`` ("an unexpected error");
* slow: more than ``--slow`` seconds (5) for fetch + parse;
* lost: a *transparent* mutation (the same document under another transport: gzip, stacked codings,
  a mislabelled coding, small network chunks, blanks first, a Content-Location, a charset
  label naming the document's own encoding) giving other entries than the document read directly;
* not Persian: a message or warning shown on the feed's page with a run of Latin letters that
  is not an encoding's name, an address, a number or a format's name glossed (English or raw error
  text; what it flags is read by hand: a value the feed wrote, «invalid» as its encoding, is one).

One feed in four also gets a refusal (a status with a Retry-After of any text, a redirect nowhere), judged
on its message. Document mutations (bytes flipped, spans cut, duplicated or inserted, hostile tokens, cut tags,
odd dates and declarations) are judged on crash, slow and the message only.

    .venv/bin/python bench/fuzz_feeds.py [--seed 14] [--per-feed 3] [--limit N] [--json out.json]

The whole corpus, three document mutations and one transparent one a feed (9,320 cases), takes ~12
minutes on 2 busy cores, most of it the 200 large kagi-benchmark feeds. Figures: bench/README.md.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import random
import re
import resource
import sys
import threading
import time
import traceback
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "feeds"
SKIP_NAMES = {"NOTICE.md", "LICENSE", "LICENSE.txt", "README.md"}

sys.path.insert(0, str(REPO))

from app.monitor.fetch import Fetcher, FetchPolicy  # noqa: E402
from app.monitor.parse import FeedParseError, parse_feed  # noqa: E402

CASES: dict[str, tuple[int, list[tuple[bytes, bytes]], bytes, list[int] | None]] = {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        try:  # a path no case serves (a redirect's «/خبر», sent as «/%D8%AE…»): a 404, not a KeyError's traceback
            self._answer(*CASES.get(self.path, (404, [], b"", None)))
        except OSError:  # the fetcher stopped reading (a cap, a deadline)
            self.close_connection = True

    def _answer(self, status: int, headers: list, body: bytes, chunks: list[int] | None) -> None:
        head = [b"HTTP/1.1 %d X\r\n" % status, b"Connection: close\r\n"]
        head += [name + b": " + value + b"\r\n" for name, value in headers]
        if chunks is None:
            head.append(b"Content-Length: %d\r\n" % len(body))
        self.wfile.write(b"".join(head) + b"\r\n")
        if chunks is None:
            self.wfile.write(body)
        else:  # each piece its own network write, a pause after the first
            self.wfile.flush()
            start = 0
            for n, size in enumerate([*chunks, len(body)]):
                piece = body[start:start + size]
                start += len(piece)
                if piece:
                    self.wfile.write(piece)
                    self.wfile.flush()
                if n == 0:
                    time.sleep(0.01)
        self.close_connection = True


HOSTILE = [b"<![CDATA[", b"]]>", b"&#xD800;", b"&#0;", b"&amp;", b"&nbsp;", b"<!ENTITY x 'y'>", b"<!DOCTYPE rss>",
           b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3", b"\xd8", b"<?xml version='1.0' encoding='windows-1256'?>",
           b"xml:base=\"" + b"a/" * 300 + b"\"", b"<item>", b"</item>", b"<entry>", b"</entry>", b"<title>",
           b"</channel>", b"<link>javascript:alert(1)</link>", b"<guid>0</guid>", b"<a href='x'>", b"<script>",
           "<pubDate>۱۴۰۳ مرداد ۱۲</pubDate>".encode(), b"<pubDate>99/99/9999 99:99</pubDate>",
           b"<pubDate>Tue, 31 Feb 2025 25:61:00 +9999</pubDate>", b"<updated>-0001-01-01T00:00:00Z</updated>",
           "خبر فوری".encode(), "خبر".encode("cp1256", "replace"), b"\r", b"\x85", b"\xe2\x80\xa8",
           b"<category>" + b"c" * 5000 + b"</category>", b"<media:content url='x'/>", b"<enclosure length='x'/>",
           b"<itunes:duration>99:99:99:99</itunes:duration>", b"<georss:polygon>a b c</georss:polygon>",
           b"<psc:chapter/>", b"<width>x</width>", b"<!--", b"-->", b"<?php", b"\t" * 200]
DATES = ["۱۴۰۳ مرداد ۱۲", "1403/05/12 14:30", "۵ آذر ماه ۱۴۰۴ | ۱۰:۳۰", "2025-13-45T99:99:99Z", "Tue, 25 Nov 2025 10:30 +330",
         "20251126T103000", "Wed Nov 26 10:30:00 IRST 2025", "0000-00-00 00:00:00", "", "  ", "۱۴۰۳ مهر ۳۱",
         "Mon, 01 Jan 10000 00:00:00 GMT", "31-07-1403", "1" * 120]
LABELS = ["utf-8", "UTF8", "windows-1256", "cp1256", "iso-8859-1", "latin1", "us-ascii", "utf-16", "x-unknown", "",
          "utf-8\"", "windows1256", "gb2312", "koi8-r", "ebcdic-cp-us", "utf-32"]


def _document_mutation(rng: random.Random, body: bytes) -> tuple[str, bytes]:
    kind = rng.choice(["flip", "cut_span", "dup_span", "insert", "insert", "truncate", "drop_close", "date",
                       "declaration", "repeat_item", "crlf_mix"])
    n = len(body)
    at = rng.randrange(n + 1)
    if kind == "flip" and n:
        data = bytearray(body)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(n)] = rng.randrange(256)
        return kind, bytes(data)
    if kind == "cut_span":
        return kind, body[:at] + body[at + rng.randint(1, 256):]
    if kind == "dup_span":
        span = body[at:at + rng.randint(1, 4096)]
        return kind, body[:at] + span * rng.randint(2, 50) + body[at:]
    if kind == "insert":
        return kind, body[:at] + rng.choice(HOSTILE) * rng.choice([1, 1, 1, 3, 1000]) + body[at:]
    if kind == "truncate":
        return kind, body[:at]
    if kind == "drop_close":
        closes = [m.start() for m in re.finditer(rb"</[A-Za-z:]+>", body)]
        if closes:
            start = rng.choice(closes)
            return kind, body[:start] + body[body.index(b">", start) + 1:]
        return kind, body
    if kind == "date":
        tags = [m for m in re.finditer(rb"<(pubDate|updated|published|dc:date)>([^<]*)</", body)]
        if tags:
            m = rng.choice(tags)
            return kind, body[:m.start(2)] + rng.choice(DATES).encode() + body[m.end(2):]
        return kind, body
    if kind == "declaration":
        label = rng.choice(LABELS).encode()
        found = re.match(rb"\s*<\?xml[^>]*\?>", body)
        decl = b'<?xml version="1.0" encoding="' + label + b'"?>'
        return kind, decl + (body[found.end():] if found else body)
    if kind == "repeat_item":
        items = list(re.finditer(rb"<(item|entry)[\s>].*?</\1>", body, re.DOTALL))
        if items:
            m = rng.choice(items)
            return kind, body[:m.end()] + m.group(0) * rng.randint(2, 3000) + body[m.end():]
        return kind, body
    # crlf_mix
    return kind, body.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n", b"\x85", b"\xe2\x80\xa8"]))


def _transparent_mutation(rng: random.Random, body: bytes) -> tuple[str, list, bytes, list[int] | None]:
    """The same document under another transport: (kind, headers, bytes on the wire, chunks)."""
    kind = rng.choice(["gzip", "deflate", "raw_deflate", "gzip_gzip", "gzip_unnamed", "mislabel", "plain_as_gzip",
                       "chunks", "blank_chunk_gzip", "content_location", "gzip_members"])
    headers: list[tuple[bytes, bytes]] = []
    chunks = None
    wire = body
    if kind == "gzip":
        wire, headers = gzip.compress(body), [(b"Content-Encoding", b"gzip")]
    elif kind == "deflate":
        wire, headers = zlib.compress(body), [(b"Content-Encoding", b"deflate")]
    elif kind == "raw_deflate":
        packer = zlib.compressobj(wbits=-15)
        wire, headers = packer.compress(body) + packer.flush(), [(b"Content-Encoding", b"deflate")]
    elif kind == "gzip_gzip":
        wire, headers = gzip.compress(gzip.compress(body)), [(b"Content-Encoding", b"gzip, gzip")]
    elif kind == "gzip_unnamed":
        wire = gzip.compress(body)
    elif kind == "mislabel":
        headers = [(b"Content-Encoding", rng.choice([b"UTF-8", b"none", b"text/xml", b"identity", b"binary"]))]
    elif kind == "plain_as_gzip":
        headers = [(b"Content-Encoding", rng.choice([b"gzip", b"x-gzip", b"deflate"]))]
    elif kind == "chunks":
        chunks = [rng.randint(1, 7) for _ in range(rng.randint(1, 40))]
    elif kind == "blank_chunk_gzip":
        lead = rng.choice([b"\n", b"\r\n\r\n", b"   \n", b"\n\n\n\n\n"])
        if body.startswith(b"\xef\xbb\xbf") or not body.lstrip().startswith(b"<") or b"\x00" in body[:4]:
            lead = b""  # (ASCII blanks before UTF-16/32 make another document: the one «lost» of seed 18, round 17)
        wire, headers, chunks = lead + body, [(b"Content-Encoding", rng.choice([b"gzip", b"deflate"]))], [len(lead) or 1]
    elif kind == "content_location":
        headers = [(b"Content-Location", rng.choice([b"/a/b/", b"http://x.example/" + b"a" * 20000, b"../" * 100,
                                                     b"http://[x/", b"javascript:x", "/خبر/".encode()]))]
    else:  # gzip_members
        cut = rng.randrange(len(body) + 1)
        wire, headers = gzip.compress(body[:cut]) + gzip.compress(body[cut:]), [(b"Content-Encoding", b"gzip")]
    return kind, headers, wire, chunks


RETRY_AFTERS = ["120", "120.5", "۱۲۰", "٣٠٠", "0", "-5", "1e3", "9" * 400, "soon", "Fri, 31 Dec 9999 23:59:59 GMT",
                "Mon, 01 Jan 2001 00:00:00 GMT", "²", "", "  60  ", "60, 120", "۱۲۰٫۵"]


def _status_answer(rng: random.Random) -> tuple[str, int, list[tuple[bytes, bytes]]]:
    """A server's refusal: a status with a Retry-After (any text, its UTF-8 bytes) or a redirect nowhere."""
    status = rng.choice([429, 429, 503, 503, 500, 404, 410, 403, 418, 301, 302, 304])
    headers = [(b"Retry-After", rng.choice(RETRY_AFTERS).encode())]
    if status in (301, 302):
        headers.append((b"Location", rng.choice([b"", b"javascript:x", b"http://[::1/", "/خبر".encode(), b"//" + b"a" * 300])))
    return f"status_{status}", status, headers


_LATIN_RUN = re.compile(r"[A-Za-z]{4,}")
_ALLOWED = re.compile(r"https?://\S+|[\w.-]*\d[\w.-]*|windows|utf|ascii|latin|iso|koi|ebcdic|unknown|gb2312|"
                      r"cp\d+|xml|html|json feed|json|rss|atom|CDATA|entity|XXE|guid|\bitem\b|\bentry\b|gzip|\bcache\b|\bheader\b",
                      re.IGNORECASE)  # «item», «entry»: the element names a message glosses; «gzip», «cache», «header»: terms glossed (round 20)


def _not_persian(text: str | None) -> bool:
    if not text:
        return False
    return bool(_LATIN_RUN.search(_ALLOWED.sub(" ", text)))


def _entries_key(parsed) -> list[tuple]:
    return [(e.title, e.link, e.guid) for e in parsed.entries]


def direct_reading(original: bytes, base_url: str) -> list[tuple] | None:
    """The entries of the document read directly (None: refused), under ``base_url`` (the cases' directory:
    a relative link resolves as in a fetched case)."""
    try:
        return _entries_key(parse_feed(original, headers={"content-type": "application/xml"}, base_url=base_url,
                                       max_entries=1000))
    except FeedParseError:
        return None


def originals(files: list[Path], base: str, findings: list[dict]):
    """(number, name, bytes, entries read directly) of each file; a crash of the original itself is a finding."""
    for number, path in enumerate(files):
        original = path.read_bytes()
        name = str(path.relative_to(CORPUS))
        try:
            direct = direct_reading(original, f"{base}/{number}/x")
        except Exception:  # noqa: BLE001
            findings.append({"file": name, "kind": "original", "what": "crash", "detail": traceback.format_exc()[-800:]})
            continue
        yield number, name, original, direct


def judged_reading(result, case: dict, direct: list[tuple] | None, counts: Counter, findings: list[dict],
                   not_persian=_not_persian):
    """``parse_feed`` of a fetched body, judged: a refusal's message, the warning, and, for a transparent case
    (``direct``: the entries read directly), entries lost or different. The ParsedFeed, or None."""
    try:
        parsed = parse_feed(result.body, headers=result.headers, base_url=result.final_url, max_entries=1000)
    except FeedParseError as refused:
        counts["refused"] += 1
        if not_persian(refused.message_fa):
            findings.append({**case, "what": "not_persian", "message": refused.message_fa})
        if direct is not None:
            findings.append({**case, "what": "lost", "message": refused.message_fa})
        return None
    counts["read"] += 1
    if not_persian(parsed.warning):
        findings.append({**case, "what": "not_persian", "message": parsed.warning})
    if direct is not None and _entries_key(parsed) != direct:
        links_differ = [a for a, b in zip(_entries_key(parsed), direct, strict=False) if a != b][:2]
        findings.append({**case, "what": "lost" if len(parsed.entries) < len(direct) else "differs",
                         "entries": [len(parsed.entries), len(direct)], "first": repr(links_differ)[:400]})
    return parsed


@contextlib.contextmanager
def timed_case(case: dict, findings: list[dict], slowest: list, slow: float, done=lambda: None):
    """One case's fetch and reading: an exception out of it is a crash, more than ``slow`` seconds slow."""
    t0 = time.monotonic()
    try:
        yield
    except Exception:  # noqa: BLE001
        findings.append({**case, "what": "crash", "detail": traceback.format_exc()[-1200:]})
    finally:
        elapsed = time.monotonic() - t0
        slowest.append((elapsed, case["file"], case["kind"]))
        if elapsed > slow:
            findings.append({**case, "what": "slow", "seconds": round(elapsed, 2)})
        done()


def command_line(doc: str, *, seed: int, per_feed: str, limit: int, slow: float) -> argparse.Namespace:
    """The options both fuzzers take (``fuzz_http.py`` too)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--per-feed", type=int, default=3, help=per_feed)
    parser.add_argument("--limit", type=int, default=limit, help="feeds at most (0: all)")
    parser.add_argument("--slow", type=float, default=slow)
    parser.add_argument("--json", type=Path)
    return parser.parse_args()


def corpus_files(args: argparse.Namespace, rng: random.Random) -> list[Path]:
    """The corpus's feed files, or ``--limit`` of them drawn with ``rng``; exits when the corpus is absent."""
    if not CORPUS.is_dir():
        sys.exit(f"corpus not present: {CORPUS}")
    files = [p for p in sorted(CORPUS.rglob("*")) if p.is_file() and p.name not in SKIP_NAMES]
    return rng.sample(files, min(args.limit, len(files))) if args.limit else files


def serve(server_class, handler) -> tuple[object, str]:
    """A server of ``handler`` on a free port of 127.0.0.1, serving in a daemon thread, and its base address."""
    server = server_class(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def summary_of(seed: int, feeds: int, cases: int, counts: Counter, started: float, slowest: list,
               findings: list[dict]) -> dict:
    """A run's summary as the fuzzers print it: its counts, time, peak memory, slowest cases and findings."""
    slowest.sort(reverse=True)
    return {"seed": seed, "feeds": feeds, "cases": cases, "counts": dict(sorted(counts.items())),
            "seconds": round(time.monotonic() - started, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "slowest": [(round(s, 2), f, k) for s, f, k in slowest[:8]],
            "findings": Counter(f["what"] for f in findings)}


def report(summary: dict, findings: list[dict], json_path: Path | None) -> None:
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    for finding in findings[:60]:
        print(json.dumps(finding, ensure_ascii=False)[:1500])
    if json_path:
        json_path.write_text(json.dumps({"summary": summary, "findings": findings}, ensure_ascii=False, indent=1))


def main() -> None:
    args = command_line(__doc__, seed=14, per_feed="document mutations per feed (one transparent more)", limit=0,
                        slow=5.0)
    rng = random.Random(args.seed)
    files = corpus_files(args, rng)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    policy = FetchPolicy(allow_private=("127.0.0.1/32",), connect_timeout=2, read_timeout=5, total_timeout=5)
    findings: list[dict] = []
    counts: Counter = Counter()
    slowest: list[tuple[float, str, str]] = []
    started, rss0 = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with Fetcher(policy) as fetcher:
        for number, name, original, direct in originals(files, base, findings):
            plans = [("doc",) + _document_mutation(rng, original) for _ in range(args.per_feed)]
            plans.append(("transparent",) + _transparent_mutation(rng, original))
            if rng.random() < 0.25:
                plans.append(("status",) + _status_answer(rng))
            for n, plan in enumerate(plans):
                status = 200
                if plan[0] == "doc":
                    _, kind, body = plan
                    headers, wire, chunks = [(b"Content-Type", b"application/xml")], body, None
                    if rng.random() < 0.3:
                        chunks = [rng.randint(1, 64) for _ in range(5)]
                elif plan[0] == "status":
                    _, kind, status, extra = plan
                    headers, wire, chunks = [(b"Content-Type", b"text/plain"), *extra], b"no\n", None
                else:
                    _, kind, extra, wire, chunks = plan
                    headers = [(b"Content-Type", b"application/xml"), *extra]
                url_path = f"/{number}/{n}"
                CASES[url_path] = (status, headers, wire, chunks)
                counts[kind] += 1
                case = {"file": name, "kind": kind, "case": url_path}
                with timed_case(case, findings, slowest, args.slow, done=lambda path=url_path: CASES.pop(path)):
                    result = fetcher.fetch(base + url_path)
                    if result.error_code:
                        counts["fetch_failed"] += 1
                        case.update(what="fetch_failed", code=result.error_code, message=result.error_message_fa)
                        if result.error_code == "internal_error":
                            findings.append({**case, "what": "crash"})
                        elif _not_persian(result.error_message_fa):
                            findings.append({**case, "what": "not_persian"})
                        if plan[0] == "transparent" and direct is not None:
                            findings.append({**case, "what": "lost"})
                        continue
                    judged_reading(result, case, direct if plan[0] == "transparent" else None, counts, findings)
            if number % 200 == 0:
                print(f"{number}/{len(files)} feeds, {len(findings)} findings, {time.monotonic() - started:.0f} s",
                      file=sys.stderr, flush=True)
    server.shutdown()
    slowest.sort(reverse=True)
    summary = {
        "seed": args.seed, "feeds": len(files), "cases": sum(counts[k] for k in counts if k not in
                                                           ("fetch_failed", "refused", "read")),
        "counts": dict(counts), "seconds": round(time.monotonic() - started, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_growth_mb": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024, 1),
        "slowest": [(round(s, 2), f, k) for s, f, k in slowest[:8]],
        "findings": Counter(f["what"] for f in findings),
    }
    report(summary, findings, args.json)


if __name__ == "__main__":
    main()
