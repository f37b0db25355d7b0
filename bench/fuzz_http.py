"""Hostile feeds, round 15: the corpus's feeds under HTTP-level and XML-level mutations, through the real
fetcher and parser, from a raw local server on 127.0.0.1 that writes any bytes (a lying length, broken
chunks, redirects anywhere, a body that never ends). ``fuzz_feeds.py`` mutates documents under well-formed
HTTP; this one breaks the transport and the XML around a real feed.

Recorded per case, as in ``fuzz_feeds.py``: crash (an exception out of fetch or parse but ``FeedParseError``, a
fetch failing as ``internal_error``), slow (over ``--slow`` s), not Persian (a message with a Latin run that is
not an encoding, an address or a format's name), and:

* lost: a *transparent* mutation (valid chunking, a Content-Type or charset that names the document's own
  encoding, a redirect to the feed on the same server, an ETag or Last-Modified of any bytes) giving other
  entries than the document read directly;
* leak: an item's text holding a local file's contents (an XXE, an external DTD, a redirect to «file://»);
* escape: the server's log showing a request the fetcher should never have made (to a private address).

    .venv/bin/python bench/fuzz_http.py [--seed 15] [--limit 400] [--json out.json]
"""
from __future__ import annotations

import gzip
import random
import re
import resource
import socket
import socketserver
import sys
import threading
import time
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from fuzz_feeds import (  # noqa: E402
    _ALLOWED,
    _LATIN_RUN,
    command_line,
    corpus_files,
    judged_reading,
    originals,
    report,
    timed_case,
)

from app.monitor.fetch import Fetcher, FetchPolicy  # noqa: E402

# Also a setting's name («HAMZABAN_FEED_ALLOW_PRIVATE»), a host name given as an example, an address of any
# scheme (a redirect's «gopher://…», as the server wrote it) and a value quoted «…» (an encoding's name the
# feed declared, «x-mac-arabic»).
_ALSO_ALLOWED = re.compile(r"\b[A-Z][A-Z_]{5,}\b|\b[\w-]+(?:\.[\w-]+)+\b|\b[a-z][\w+.-]*://\S+|«[^»]*»")


def _not_persian(text: str | None) -> bool:
    return bool(text) and bool(_LATIN_RUN.search(_ALLOWED.sub(" ", _ALSO_ALLOWED.sub(" ", text))))


SECRET = b"root:x:0:0:hamzaban-fuzz-secret"  # written to a local file an XXE would read
ANSWERS: dict[str, object] = {}  # path → bytes (the whole response) or a callable(socket)
SEEN: list[str] = []


class _Raw(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.settimeout(10)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                piece = self.request.recv(4096)
                if not piece:
                    return
                data += piece
            path = data.split(b" ", 2)[1].decode("latin-1")
            SEEN.append(path)
            answer = ANSWERS.get(path, b"HTTP/1.1 404 X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            if callable(answer):
                answer(self.request)
            else:
                self.request.sendall(answer)
        except OSError:
            return  # the fetcher hung up first (a body cut short, a cap reached): what the case tries


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _head(status: int, headers: list[tuple[str, bytes | str]]) -> bytes:
    lines = [b"HTTP/1.1 %d X\r\n" % status, b"Connection: close\r\n"]
    for name, value in headers:
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode("latin-1")) + b"\r\n")
    return b"".join(lines) + b"\r\n"


def _chunked(body: bytes, sizes: list[int], *, size_text=lambda n: b"%x" % n, end: bytes = b"0\r\n\r\n") -> bytes:
    out, at = [], 0
    for size in sizes:
        piece = body[at:at + size]
        if not piece:
            break
        out.append(size_text(len(piece)) + b"\r\n" + piece + b"\r\n")
        at += len(piece)
    if at < len(body):
        out.append(size_text(len(body) - at) + b"\r\n" + body[at:] + b"\r\n")
    return b"".join(out) + end


def _trickle(head: bytes, body: bytes, every: float, forever: bool = False):
    def send(sock: socket.socket) -> None:
        sock.sendall(head)
        stop = time.monotonic() + 30
        data = body
        while time.monotonic() < stop:
            for n in range(0, len(data), 64):
                sock.sendall(data[n:n + 64])
                time.sleep(every)
                if time.monotonic() > stop:
                    return
            if not forever:
                return
            data = b"<item><title>x</title></item>" * 50
    return send


def _xml_mutation(rng: random.Random, body: bytes, secret_path: str) -> tuple[str, bytes]:
    kind = rng.choice(["xxe_file", "xxe_parameter", "external_dtd", "billion_laughs", "deep_nesting",
                       "deep_html", "xinclude", "quadratic_blowup"])
    decl_end = body.find(b"?>") + 2 if body.lstrip().startswith(b"<?xml") else 0
    head, rest = body[:decl_end], body[decl_end:]
    if kind == "xxe_file":
        doctype = b'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://' + secret_path.encode() + b'">]>'
        rest = rest.replace(b"<title>", b"<title>&xxe;", 2)
    elif kind == "xxe_parameter":
        doctype = (b'<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://' + secret_path.encode()
                   + b'"> <!ENTITY % q "<!ENTITY r SYSTEM \'http://127.0.0.1:1/?%p;\'>"> %q; %p;]>')
    elif kind == "external_dtd":
        doctype = b'<!DOCTYPE rss SYSTEM "file://' + secret_path.encode() + b'">'
    elif kind == "billion_laughs":
        doctype = (b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">' + b"".join(
            b'<!ENTITY %s "%s">' % (bytes([98 + n]), (b"&" + bytes([97 + n]) + b";") * 10) for n in range(9)) + b"]>")
        rest = rest.replace(b"<title>", b"<title>&j;", 1)
    elif kind == "quadratic_blowup":
        doctype = b'<!DOCTYPE rss [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
        rest = rest.replace(b"<title>", b"<title>" + b"&a;" * 5_000, 1)
    elif kind == "xinclude":
        doctype = b""
        rest = rest.replace(b"<title>", b'<title><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://'
                            + secret_path.encode() + b'" parse="text"/>', 1)
    elif kind == "deep_nesting":
        doctype = b""
        depth = rng.choice([1_000, 20_000, 200_000])
        rest = rest.replace(b"</title>", b"</title><x>" + b"<y>" * depth + b"</y>" * depth + b"</x>", 1)
    else:  # deep_html: markup nested in an entry's text
        doctype = b""
        depth = rng.choice([1_000, 50_000])
        rest = rest.replace(b"</title>", b"</title><description>" + b"&lt;div&gt;" * depth + b"</description>", 1)
    return kind, head + doctype + rest


def _http_mutation(rng: random.Random, body: bytes, base: str, port: int, path: str) -> tuple[str, bool, object]:
    """(kind, transparent, answer) for ``path``; may register more paths (a redirect's target)."""
    xml = [("Content-Type", "application/xml")]
    kind = rng.choice(["chunked_ok", "chunked_bad_size", "chunked_short", "chunked_no_end", "chunked_extension",
                       "chunked_and_length", "length_longer", "length_shorter", "length_negative", "length_twice",
                       "redirect_same", "redirect_loop", "redirect_file", "redirect_private", "redirect_metadata",
                       "redirect_ipv6_local", "redirect_decimal_ip", "redirect_gopher", "not_modified_first",
                       "etag_weird", "type_html", "type_json", "type_image", "charset_disagrees", "charset_same",
                       "trickle", "never_ends", "gzip_bomb", "deflate_bomb", "gzip_nested_bomb", "brotli_label",
                       "header_flood", "status_line_weird"])
    if kind == "length_shorter":
        pass  # the body cut by its own length: judged on crash and message only
    if kind == "chunked_ok":
        return kind, True, _head(200, [*xml, ("Transfer-Encoding", "chunked")]) + _chunked(
            body, [rng.randint(1, 4096) for _ in range(20)])
    if kind == "chunked_bad_size":
        return kind, False, _head(200, [*xml, ("Transfer-Encoding", "chunked")]) + _chunked(
            body, [100], size_text=lambda n: rng.choice([b"zz", b"-1", b"0x10", b"ffffffffffffffffff", b" 10"]))
    if kind == "chunked_short":
        data = _chunked(body, [len(body) // 2 or 1])
        return kind, False, _head(200, [*xml, ("Transfer-Encoding", "chunked")]) + data[:len(data) * 2 // 3]
    if kind == "chunked_no_end":
        return kind, False, _head(200, [*xml, ("Transfer-Encoding", "chunked")]) + _chunked(body, [1000], end=b"")
    if kind == "chunked_extension":
        return kind, True, _head(200, [*xml, ("Transfer-Encoding", "chunked")]) + _chunked(
            body, [700], size_text=lambda n: b"%x;name=value" % n)
    if kind == "chunked_and_length":
        return kind, False, _head(200, [*xml, ("Transfer-Encoding", "chunked"), ("Content-Length", "5")]) + _chunked(
            body, [500])
    if kind == "length_longer":
        return kind, False, _head(200, [*xml, ("Content-Length", str(len(body) + rng.choice([1, 1000, 10**9])))]) + body
    if kind == "length_shorter":
        return kind, False, _head(200, [*xml, ("Content-Length", str(max(0, len(body) - rng.randint(1, 500))))]) + body
    if kind == "length_negative":
        return kind, False, _head(200, [*xml, ("Content-Length", rng.choice(["-1", "abc", "1e3", " ", "9" * 40]))]) + body
    if kind == "length_twice":
        return kind, False, _head(200, [*xml, ("Content-Length", str(len(body))), ("Content-Length", "10")]) + body
    if kind.startswith("redirect"):
        status = rng.choice([301, 302, 307, 308])
        target = {"redirect_file": "file:///etc/passwd", "redirect_private": "http://10.0.0.1/feed.xml",
                  "redirect_metadata": "http://169.254.169.254/latest/meta-data/",
                  "redirect_ipv6_local": f"http://[::1]:{port}/secret",
                  "redirect_decimal_ip": f"http://2130706434:{port}/secret",  # 127.0.0.2: not allowed
                  "redirect_gopher": "gopher://127.0.0.1:70/_x"}.get(kind)
        if kind == "redirect_same":
            ANSWERS[path + "/t"] = _head(200, xml + [("Content-Length", str(len(body)))]) + body
            target = base + path + "/t"
        elif kind == "redirect_loop":
            ANSWERS[path + "/b"] = _head(302, [("Location", path), ("Content-Length", "0")])
            target = path + "/b"
        return kind, kind == "redirect_same", _head(status, [("Location", target), ("Content-Length", "0")])
    if kind == "not_modified_first":
        return kind, False, _head(304, [("Content-Length", "0")])
    if kind == "etag_weird":
        etag = rng.choice([b'"' + b"e" * 20_000 + b'"', b"W/\"x\"", "\"ای‌تگ\"".encode(), b"\"a\x01b\"", b""])
        lm = rng.choice([b"yesterday", b"Mon, 01 Jan 10000 00:00:00 GMT", "دیروز".encode(), b""])
        return kind, True, _head(200, [*xml, ("ETag", etag), ("Last-Modified", lm),
                                       ("Content-Length", str(len(body)))]) + body
    if kind in ("type_html", "type_json", "type_image"):
        ctype = {"type_html": "text/html", "type_json": "application/json", "type_image": "image/png"}[kind]
        return kind, True, _head(200, [("Content-Type", ctype), ("Content-Length", str(len(body)))]) + body
    if kind == "charset_disagrees":
        label = rng.choice(["windows-1256", "utf-16", "iso-8859-1", "utf-8", "x-mac-arabic", "shift_jis"])
        return kind, False, _head(200, [("Content-Type", f"application/xml; charset={label}"),
                                        ("Content-Length", str(len(body)))]) + body
    if kind == "charset_same":  # the document's own encoding only when it is UTF-8 without a BOM of UTF-16/32
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            kind = "charset_disagrees"
        return kind, kind == "charset_same", _head(200, [("Content-Type", "application/rss+xml; charset=utf-8"),
                                       ("Content-Length", str(len(body)))]) + body
    if kind == "trickle":
        small = body[:4096]
        return kind, False, _trickle(_head(200, [*xml, ("Content-Length", str(len(small)))]), small, 0.02)
    if kind == "never_ends":
        return kind, False, _trickle(_head(200, xml), body[:2000], 0.0005, forever=True)
    if kind == "gzip_bomb":
        return kind, False, _head(200, [*xml, ("Content-Encoding", "gzip")]) + BOMBS["gzip"]
    if kind == "deflate_bomb":
        return kind, False, _head(200, [*xml, ("Content-Encoding", "deflate")]) + BOMBS["deflate"]
    if kind == "gzip_nested_bomb":
        return kind, False, _head(200, [*xml, ("Content-Encoding", "gzip, gzip")]) + BOMBS["nested"]
    if kind == "brotli_label":
        return kind, False, _head(200, [*xml, ("Content-Encoding", rng.choice(["br", "zstd", "compress", "x-bzip2"])),
                                        ("Content-Length", str(len(body)))]) + body
    if kind == "header_flood":
        flood = [(f"X-{n}", "v" * 100) for n in range(rng.choice([100, 5000]))]
        return kind, False, _head(200, [*xml, *flood, ("Content-Length", str(len(body)))]) + body
    line = rng.choice([b"HTTP/1.1 200\r\n", b"HTTP/1.0 200 OK\r\n", b"HTTP/2 200 OK\r\n", b"ICY 200 OK\r\n",
                       b"HTTP/1.1 999 Odd\r\n", b"HTTP/1.1 200 " + "خوب".encode() + b"\r\n"])
    return kind, False, line + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body


BOMBS: dict[str, bytes] = {}


def main() -> None:
    args = command_line(__doc__, seed=15, per_feed="HTTP mutations per feed (one XML mutation more)", limit=400,
                        slow=8.0)
    files = corpus_files(args, rng := random.Random(args.seed))
    BOMBS["gzip"] = gzip.compress(b"<" + b" " * 200_000_000, 9)
    BOMBS["deflate"] = zlib.compress(b" " * 200_000_000, 9)
    BOMBS["nested"] = gzip.compress(gzip.compress(b" " * 500_000_000, 9), 9)
    secret = Path(f"/tmp/hamzaban-fuzz-secret-{args.seed}")
    secret.write_bytes(SECRET + b"\n")
    server = _Server(("127.0.0.1", 0), _Raw)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}"
    policy = FetchPolicy(allow_private=("127.0.0.1/32",), connect_timeout=2, read_timeout=3, total_timeout=6)
    findings: list[dict] = []
    counts: Counter = Counter()
    slowest: list[tuple[float, str, str]] = []
    started = time.monotonic()
    with Fetcher(policy) as fetcher:
        for number, name, original, direct in originals(files, base, findings):
            plans = []
            for n in range(args.per_feed):
                url_path = f"/{number}/{n}"
                kind, transparent, answer = _http_mutation(rng, original, base, port, url_path)
                plans.append((url_path, kind, transparent, answer))
            kind, mutated = _xml_mutation(rng, original, str(secret))
            url_path = f"/{number}/xml"
            plans.append((url_path, kind, False, _head(200, [("Content-Type", "application/xml"),
                                                             ("Content-Length", str(len(mutated)))]) + mutated))
            for url_path, kind, transparent, answer in plans:
                ANSWERS[url_path] = answer
                counts[kind] += 1
                case = {"file": name, "kind": kind, "case": url_path}
                SEEN.clear()
                with timed_case(case, findings, slowest, args.slow):
                    result = fetcher.fetch(base + url_path)
                    if any(seen.endswith("/secret") for seen in SEEN):
                        findings.append({**case, "what": "escape", "seen": list(SEEN)})
                    if result.error_code:
                        counts["fetch_failed"] += 1
                        counts[f"failed:{kind}:{result.error_code}"] += 1
                        if result.error_code == "internal_error":
                            findings.append({**case, "what": "crash", "message": result.error_message_fa})
                        elif _not_persian(result.error_message_fa):
                            findings.append({**case, "what": "not_persian", "message": result.error_message_fa})
                        if transparent and direct is not None:
                            findings.append({**case, "what": "lost", "message": result.error_message_fa})
                        continue
                    if result.body is None:  # 304
                        counts["not_modified"] += 1
                        continue
                    parsed = judged_reading(result, case, direct if transparent else None, counts, findings, _not_persian)
                    if parsed is None:
                        continue
                    everything = " ".join(f"{e.title} {e.text} {e.summary_html} {e.link}" for e in parsed.entries)
                    if SECRET.decode() in everything + parsed.title:
                        findings.append({**case, "what": "leak"})
            for key in [k for k in ANSWERS if k.startswith(f"/{number}/")]:
                del ANSWERS[key]
            if number % 50 == 0:
                print(f"{number}/{len(files)} feeds, {len(findings)} findings, {time.monotonic() - started:.0f} s",
                      file=sys.stderr, flush=True)
    server.shutdown()
    secret.unlink()
    slowest.sort(reverse=True)
    summary = {
        "seed": args.seed, "feeds": len(files),
        "cases": sum(v for k, v in counts.items() if k not in ("fetch_failed", "refused", "read", "not_modified")
                     and not k.startswith("failed:")),
        "counts": dict(counts), "seconds": round(time.monotonic() - started, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "slowest": [(round(s, 2), f, k) for s, f, k in slowest[:8]],
        "findings": Counter(f["what"] for f in findings),
    }
    report(summary, findings, args.json)


if __name__ == "__main__":
    main()
