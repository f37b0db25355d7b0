"""The tantivy fields: the schema built from ``search_index.schema.FIELDS`` and one document's values.

Text fields get the shared Persian analysis's own tokens (``persian.token_tuples``) as a
pre-tokenized string with their positions: the joined spellings, clitic joins and stem terms
that stand at one position in Whoosh stand at the same position here, so phrases and word forms
match the same documents. Exact-match fields use tantivy's ``raw`` tokenizer (the value is one
term). ``published`` is a date field (indexed for ranges, fast for "newest first"); ``story`` an
unsigned fast field (the cluster id) read for every candidate when copies collapse.

A document is handed to tantivy as JSON (``document_json``): it is built in the rebuild's worker
processes and parsed by tantivy without one Python object per token.
"""
from __future__ import annotations

import json

import tantivy

from search_index.backend import IndexDoc
from search_index.persian import token_tuples
from search_index.schema import FIELDS

RAW = "raw"


def build_schema() -> tantivy.Schema:
    """The tantivy schema for ``schema.FIELDS``."""
    builder = tantivy.SchemaBuilder()
    for spec in FIELDS:
        if spec.kind in ("key", "id", "keywords"):
            if spec.name == "story":
                builder.add_unsigned_field("story", stored=False, indexed=True, fast=True)
            else:
                builder.add_text_field(spec.name, stored=spec.stored, tokenizer_name=RAW, index_option="basic")
        elif spec.kind == "text":
            builder.add_text_field(spec.name, stored=spec.stored, tokenizer_name=RAW, index_option="position")
        elif spec.kind == "datetime":
            builder.add_date_field(spec.name, stored=spec.stored, indexed=True, fast=True)
        else:
            builder.add_text_field(spec.name, stored=True, tokenizer_name=RAW, index_option="basic")
    return builder.build()


def story_number(story: str) -> int | None:
    """``"c123"`` → 123; None for no story."""
    return int(story[1:]) if story[:1] == "c" and story[1:].isdigit() else None


def tokens(text: str) -> list[dict]:
    """The analysis's tokens of ``text`` in tantivy's pre-tokenized JSON form, by position."""
    found = sorted(token_tuples(text), key=lambda t: t[3])  # a term's positions must not go back
    return [{"offset_from": start, "offset_to": end, "position": pos, "text": term, "position_length": 1}
            for term, start, end, pos, _kind in found]


def document_values(doc: IndexDoc) -> dict:
    """The values tantivy stores and indexes for one document (JSON-ready)."""
    # The body field holds the title too: one field answers the required part of every query.
    body = f"{doc.title}\n{doc.body}" if doc.title else doc.body
    values: dict = {"id": doc.key, "doc_type": doc.doc_type, "version": doc.version,
                    "title": {"text": doc.title, "tokens": tokens(doc.title)},
                    "body": {"text": body, "tokens": tokens(body)}}
    if doc.outlet:
        values["outlet"] = doc.outlet
    if doc.scope:
        values["scope"] = doc.scope
    if doc.agencies:
        values["agencies"] = list(doc.agencies)
    if doc.routes:
        values["routes"] = list(doc.routes)
    if doc.published is not None:
        values["published"] = doc.published.isoformat(timespec="microseconds") + "Z"  # naive UTC
    story = story_number(doc.story)
    if story is not None:
        values["story"] = story
    return values


def document_json(doc: IndexDoc) -> str:
    return json.dumps(document_values(doc), ensure_ascii=False)
