"""A fetched body as it arrives: decoded (gzip, deflate, stacked as Content-Encoding lists them) under
a cap that stops just past it, so a bomb never inflates; and the failure a fetch reports
(app/monitor/fetch.py, which reads the bytes and follows the redirects)."""
from __future__ import annotations

import re
import zlib

from app.monitor.messages import Message


class FetchFailure(Exception):
    """A fetch that failed: its code and the message for the feed page (``report`` into a result)."""

    def __init__(self, code: str, message_key: str | None = None, **values):
        super().__init__(code)
        self.code = code
        self.detail = Message(f"fetch.{message_key or code}", values)

    def report(self, result) -> None:
        """Into ``result`` (a ``fetch.FetchResult``): its code, Persian message and detail."""
        result.error_code, result.error_message_fa = self.code, self.detail.persian()
        result.error_detail = self.detail.as_json()


class _Unread:
    """The decoder of a compression not decoded here (``_UNDECODED``): none of its bytes reads, so a body that
    begins as markup is taken as sent plain under its name, as under «gzip»; any other is refused, naming it."""

    eof = False
    unused_data = b""
    unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        raise zlib.error("not decoded here")


class _Ended:
    """The decoder after a gzip body's last member: bytes that follow are left out."""

    eof = True
    unused_data = b""
    unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        return b""


_CODINGS = frozenset({"gzip", "x-gzip", "deflate"})
# Compressions HTTP defines that are not decoded here (nor asked for): a body in one is refused. Any other
# name («UTF-8», «none», «text/xml»: a server's mislabel, PHP's header meant as the charset) codes nothing,
# as browsers read it: such feeds were lost as «the compression is broken» (a review of hostile feeds, round 13).
_UNDECODED = frozenset({"br", "compress", "x-compress", "zstd", "dcb", "dcz", "exi", "pack200-gzip", "aes128gcm"})
_MAX_CODINGS = 3  # «gzip, gzip»: a server compressed what its application had compressed; more is no feed
_GZIP_MAGIC = b"\x1f\x8b\x08"
# How a body that is markup begins (blanks, a byte-order mark, «<»): never gzip's nor zlib's first bytes.
# UTF-16 and UTF-32 too: a NUL is among the blanks, so «\0\0\0<» and «\xff\xfe\0\0<» are markup (a UTF-32 feed
# sent plain under «gzip» was refused: hostile feeds, round 14). No gzip or zlib stream begins with a NUL.
_MARKUP = re.compile(rb"[ \t\r\n\0]*+(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?[ \t\r\n\0]*+<")
_SNIFFED = 64  # bytes kept while nothing is decoded, to tell markup
# What markup may begin with before its «<» has come: blanks, a byte-order mark whole or cut. A first network
# chunk of blanks under «gzip» was refused before the «<» came (a review of hostile feeds, round 13): such a
# body is read as plain, pending, and refused only if no «<» follows within ``_PENDING_MAX`` bytes.
_MARKUP_PREFIX = re.compile(rb"[ \t\r\n\0]*+(?:(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)[ \t\r\n\0]*+|\xef\xbb?|\xff|\xfe)?")
_PENDING_MAX = 1024


class CappedBody:
    """Decodes gzip/deflate as it arrives and stops just past the cap: a bomb never inflates.

    Content-Encoding may list several codings in the order they were applied («gzip, gzip», as a
    browser reads it; «identity» is none): the last is decoded as the body arrives, the earlier
    ones from the result when it is whole, each under the same cap.

    Mislabels are read as what the bytes are (a review of hostile feeds, round 13): a name of no
    compression codes nothing (``_UNDECODED``); gzip under «deflate» is gzip (round 22b); a body that
    begins as markup under «gzip» or «deflate» was sent plain (feedparser reads it so); a body that is
    gzip once decoded, or with no coding named, was gzipped once more than said (an application's and
    its server's), and is decoded, under the same cap, at most ``_MAX_CODINGS`` layers in all."""

    def __init__(self, content_encoding: str, cap: int):
        codings = [c for c in (part.strip().lower() for part in content_encoding.split(",")) if c not in ("", "identity")]
        if len(codings) > _MAX_CODINGS:
            raise FetchFailure("decoding_error")
        unread = [c for c in codings if c in _UNDECODED]
        # «br» or «zstd» alone: markup sent plain under its name is read; else refused naming it (hostile feeds, round
        # 20: a plain feed under «br» was refused as «broken or unsupported compression», as a brotli one was)
        self._unread = unread[0] if unread else None
        if unread and codings != unread[:1]:
            raise FetchFailure("decoding_error", "unasked_coding", coding=unread[0][:40])
        codings = [c for c in codings if c in _CODINGS or c in _UNDECODED]
        self._layers = len(codings)
        self._head: bytes | None = b""  # the raw bytes while nothing is decoded (their first _SNIFFED or so)
        self._earlier = codings[:-1]
        encoding = codings[-1] if codings else ""
        self.cap, self.data, self._raw_fallback = cap, bytearray(), encoding == "deflate"
        self._pending = False  # read as plain on blanks alone: markup's «<» still to come
        self._pending_raw = False  # and if none comes, the bytes may still be raw deflate (tried then)
        self._gzip, self._members = encoding in ("gzip", "x-gzip"), 0
        if not encoding:
            self._zlib = None
        elif self._unread:
            self._zlib = _Unread()
        elif self._gzip:
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        else:  # deflate: zlib's format, or gzip's under deflate's name (it was refused as «broken or unsupported
            # compression: ask the site for gzip», which it had sent; hostile feeds at the wire, round 22b)
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)

    def feed(self, chunk: bytes) -> None:
        if self._zlib is None:
            self.data += chunk
            chunk = b""  # taken whole: if pending blanks prove raw deflate, _check_pending decodes it (once)
            if self._pending:
                self._check_pending()
        elif self._head is not None:  # nothing decoded yet: the bytes kept, to tell markup sent plain
            self._head = self._head + chunk if not self.data and len(self._head) < _SNIFFED else None
        while self._zlib is not None and chunk and len(self.data) <= self.cap:
            try:
                self.data += self._zlib.decompress(chunk, self.cap - len(self.data) + 1)
            except zlib.error:
                if self._members:  # bytes after a whole member that start none: left out, as gzip(1) does
                    self._zlib = _Ended()
                    continue
                if self._head is not None and not self.data and (
                        _MARKUP.match(self._head) or _MARKUP_PREFIX.fullmatch(self._head)):
                    self._zlib, self.data, self._layers = None, bytearray(self._head), self._layers - 1
                    self._pending = not _MARKUP.match(self._head)
                    self._pending_raw = self._pending and self._raw_fallback
                    break  # sent plain under a compression's name
                if not self._raw_fallback:
                    raise self._failure() from None
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" sent raw
                continue
            finally:
                self._raw_fallback = False
            chunk = self._zlib.unconsumed_tail
            if self._gzip and self._zlib.eof and not isinstance(self._zlib, _Ended):
                # RFC 1952: a gzip body may be several members, the next starting where one ends
                chunk = self._zlib.unused_data + chunk
                self._members += 1
                self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        if len(self.data) > self.cap:
            self.refuse()

    def _check_pending(self) -> None:
        """Blanks so far, read as plain: markup once its «<» comes; refused when something else does,
        or nothing within ``_PENDING_MAX`` bytes."""
        if _MARKUP.match(self.data):
            self._pending = False
        elif len(self.data) > _PENDING_MAX or not _MARKUP_PREFIX.fullmatch(self.data):
            if not self._pending_raw:
                raise self._failure()
            raw, self.data, self._pending, self._layers = bytes(self.data), bytearray(), False, self._layers + 1
            self._zlib, self._head = zlib.decompressobj(-zlib.MAX_WBITS), None  # "deflate" sent raw, after all
            self.feed(raw)

    def _failure(self) -> FetchFailure:
        if self._unread:
            return FetchFailure("decoding_error", "unasked_coding", coding=self._unread)
        return FetchFailure("decoding_error")

    def refuse(self) -> None:
        raise FetchFailure("too_large", limit=round(self.cap / 2**20, 2))

    def finish(self, *, sniff: bool = True) -> bytes:
        if self._pending:  # blanks alone under a compression's name: no markup, no compressed bytes
            raise self._failure()
        data, layers = bytes(self.data), self._layers  # the named ones, the earlier among them
        for coding in reversed(self._earlier):
            data = self._decoded(coding, data)
        # Gzipped once more than said (an application's and its server's): decoded under the same cap, so
        # many layers in all at most (a gzip that inflates to itself would never end).
        while sniff and data.startswith(_GZIP_MAGIC) and layers < _MAX_CODINGS:
            data, layers = self._decoded("gzip", data), layers + 1
        return data

    def _decoded(self, coding: str, data: bytes) -> bytes:
        layer = CappedBody(coding, self.cap)
        for start in range(0, len(data), 65536):
            layer.feed(data[start:start + 65536])
        return layer.finish(sniff=False)
