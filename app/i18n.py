"""Translation helpers every layer may use: marking messages for extraction, the digit style.

Messages are stored and passed around untranslated (keys with values); the layer that shows
them translates them in the reader's language (views, templates, the CLI's output).
"""
from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale


def N_(message: str) -> str:
    """Mark a message for extraction (Babel's default keyword) without translating it here."""
    return message


def digit_style() -> str:
    """"fa" (Persian digits) unless the current request is in English."""
    if has_request_context() and str(get_locale() or "fa").startswith("en"):
        return "en"
    return "fa"
