"""The request class: a form body that is not valid UTF-8 is refused, not read as an empty form.

Werkzeug decodes an ``application/x-www-form-urlencoded`` body with ``bytes.decode()`` and, when
that fails, silently hands the view an empty form: the CSRF check then finds no token and the
user read "the form expired", the wrong reason, and a view without CSRF would have seen a form
with nothing in it. Here the body is decoded once, strictly, for every form of every page, and a
body that is not UTF-8 raises ``InvalidFormText`` (400, a Persian page: app/web/errors.py) the
first time anything reads ``request.form`` (the CSRF check does, before any view runs).

Multipart bodies are not touched: Werkzeug decodes each field with ``errors="replace"`` (a
broken byte becomes U+FFFD, the CSRF token stays readable), and their files are bytes anyway.
"""
from __future__ import annotations

from io import BytesIO

from flask import Request
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser


class InvalidFormText(BadRequest):
    """The form's body is not valid UTF-8 text."""


class StrictFormDataParser(FormDataParser):
    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        body = stream.read()
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidFormText() from exc
        return super()._parse_urlencoded(BytesIO(body), mimetype, content_length, options)  # decoded again there


class HamzabanRequest(Request):
    """Flask's request, with the strict form parser."""

    form_data_parser_class = StrictFormDataParser
