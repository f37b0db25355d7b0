"""The request class: a form body that is not valid UTF-8 is refused, not read as an empty form.

Werkzeug decodes an ``application/x-www-form-urlencoded`` body with ``bytes.decode()`` and, when
that fails, silently hands the view an empty form: the CSRF check then finds no token and the
user read "the form expired", the wrong reason, and a view without CSRF would have seen a form
with nothing in it. Here the body is decoded once, strictly, for every form of every page, and a
body that is not UTF-8 raises ``InvalidFormText`` (400, a Persian page: app/web/errors.py) the
first time anything reads ``request.form`` (the CSRF check does, before any view runs).

The same holds for what a body's %-escapes stand for: Werkzeug kept an escape that is not
UTF-8 («%D3%E1», what a page in windows-1256 sends) as the three characters «%D3», so a password
or a name was saved as that text.

A multipart body (the forms with a file) is held to the same rule for its text fields: Werkzeug
decodes each with ``errors="replace"``, so a broken byte became U+FFFD in what was saved. Its
parser is given a codec that decodes UTF-8 strictly whatever ``errors`` it is asked for
(``_STRICT_UTF8``), unless a field declares ISO-8859-1 (every byte is a character there); the
files are bytes and are not decoded.

The query string (``request.args``: a search, a list's filters, a page number) is held to the
same rule: «?q=%D3%E1» was searched as the text «%D3%E1» and found nothing, unsaid. It raises
``InvalidQueryText`` (400, its own Persian page); read again (the error page, a template),
it is empty. ``full_path`` escapes such a byte sent raw instead of failing (a 500 on every page).

A form body holds at most URLENCODED_FIELDS_MAX fields: Werkzeug bounds a multipart body's parts
(MAX_FORM_PARTS) but an urlencoded body only by MAX_CONTENT_LENGTH, which is set for uploads
(16 MB or more). Sixteen megabytes of ``a=&a=&…`` posted anonymously to /login (the CSRF check
parses it first) cost 6.9 s of CPU and 750 MB of memory for one request; past the bound the body
is refused (413) before it is split. An urlencoded body is also at most URLENCODED_BYTES_MAX
bytes: un-escaping is what costs then (16 MB of ``%00`` in one field: 3.8 s, and eight at once
took the server from 0.6 to 2.5 GB); the longest text a form takes (20,000 characters, each
Persian letter 6 bytes escaped) is a twentieth of it, and a long text under the bound still gets
its form's Persian "too long" message.
"""
from __future__ import annotations

import codecs
from urllib.parse import parse_qsl

from flask import Request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.utils import cached_property


class InvalidFormText(BadRequest):
    """The form's body is not valid UTF-8 text."""


class InvalidQueryText(BadRequest):
    """The query string (after «?») is not valid UTF-8 text, escaped or not."""


class TooManyFormFields(RequestEntityTooLarge):
    """The form's body holds more than ``URLENCODED_FIELDS_MAX`` fields."""


class FormBodyTooLarge(RequestEntityTooLarge):
    """The form's urlencoded body is longer than ``URLENCODED_BYTES_MAX`` bytes."""


_STRICT_UTF8 = "hamzaban-strict-utf-8"
# Fields in one urlencoded body: far above any page's form (the invitation list's multiple select
# of every journalist is the largest), far below what makes splitting the body cost seconds.
URLENCODED_FIELDS_MAX = 10_000
URLENCODED_BYTES_MAX = 2 * 1024 * 1024


def _strict_utf8_decode(data, errors="strict"):
    return codecs.utf_8_decode(data, "strict", True)  # ``errors`` ("replace" from Werkzeug) is not honoured


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name != _STRICT_UTF8.replace("-", "_"):
        return None
    return codecs.CodecInfo(codecs.utf_8_encode, _strict_utf8_decode, name=_STRICT_UTF8)


codecs.register(_find_codec)


class StrictMultiPartParser(MultiPartParser):
    def get_part_charset(self, headers) -> str:
        charset = super().get_part_charset(headers)
        return charset if charset == "iso-8859-1" else _STRICT_UTF8


class StrictFormDataParser(FormDataParser):
    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        body = stream.read(URLENCODED_BYTES_MAX + 1)
        if len(body) > URLENCODED_BYTES_MAX:
            raise FormBodyTooLarge()
        if body.count(b"&") >= URLENCODED_FIELDS_MAX:  # an upper bound on the fields, counted without splitting
            raise TooManyFormFields()
        try:  # the body, and what its %-escapes stand for («%D3%E1» from a windows-1256 page): UTF-8 both
            items = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as exc:
            raise InvalidFormText() from exc
        return stream, self.cls(items), self.cls()  # Werkzeug's own, but strict where it kept «%D3» as text

    def _parse_multipart(self, stream, mimetype, content_length, options):
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")  # as Werkzeug's own: an empty form
        parser = StrictMultiPartParser(stream_factory=self.stream_factory, max_form_memory_size=self.max_form_memory_size,
                                       max_form_parts=self.max_form_parts, cls=self.cls)
        try:
            form, files = parser.parse(stream, boundary, content_length)
        except UnicodeDecodeError as exc:
            raise InvalidFormText() from exc
        return stream, form, files


class HamzabanRequest(Request):
    """Flask's request, with the strict form parser."""

    form_data_parser_class = StrictFormDataParser

    @cached_property
    def args(self):
        """The query string's parameters, UTF-8 strictly, escapes included (Werkzeug kept «%D3»
        as those three characters); ``InvalidQueryText`` once, then empty."""
        try:
            pairs = parse_qsl(self.query_string.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as exc:
            self.__dict__["args"] = self.parameter_storage_class()
            raise InvalidQueryText() from exc
        return self.parameter_storage_class(pairs)

    @cached_property
    def full_path(self) -> str:
        """The path and query string, a byte that is not UTF-8 escaped («%D3»): Werkzeug's own
        failed on one sent raw, and every page's language switch (which carries it) was a 500."""
        return f"{self.path}?{self.query_string.decode('utf-8', 'werkzeug.url_quote')}"
