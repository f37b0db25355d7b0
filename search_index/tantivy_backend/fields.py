"""The tantivy fields: the schema built from ``search_index.schema.FIELDS`` and one document's values.

Text fields get the shared Persian analysis's own tokens (``persian.token_tuples``) as a
pre-tokenized string with their positions: the joined spellings, clitic joins and stem terms
that stand at one position in Whoosh stand at the same position here, so phrases and word forms
match the same documents. Exact-match fields use tantivy's ``raw`` tokenizer (the value is one
term). ``published`` is a date field (indexed for ranges, fast for "newest first"); ``story`` an
unsigned fast field (the cluster id) read for every candidate when copies collapse.

A document crosses to tantivy in two steps: ``document_tokens`` (the analysis, as plain lists,
cheap to pickle: a rebuild runs it in its worker processes) and ``tantivy_document`` (the
tantivy ``Document``, built where the writer is). The JSON form tantivy also reads
(``document_json``, kept as the reference the equality test compares with) cost, per real
article, 1.9 ms of CPU to build and 1.0 ms for tantivy to parse, against ~0.75 ms and ~0.6 ms
this way (bench/README.md, issue 16 item 3): the writer's process was the rebuild's bottleneck.
"""
from __future__ import annotations

import json
from array import array
from operator import itemgetter
from struct import pack

import tantivy

from app.clock import as_utc
from search_index.backend import IndexDoc
from search_index.persian import token_tuples
from search_index.schema import FIELDS

RAW = "raw"
TERMS_SEPARATOR = "\n"  # terms are words: none holds a line break


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
    body = _body(doc)
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


_POSITION = itemgetter(3)


def token_columns(text: str) -> tuple[list, list, list, list]:
    """The analysis's tokens of ``text`` as columns (terms, positions, starts, ends), by position:
    the same tokens as ``tokens``, in the form ``tantivy.Token`` takes them."""
    found = list(token_tuples(text))
    found.sort(key=_POSITION)  # a term's positions must not go back; stable, as ``tokens``
    terms, positions, starts, ends = _columns(found)
    return list(terms), list(positions), list(starts), list(ends)


def _columns(found: list[tuple]) -> tuple[tuple, tuple, tuple, tuple]:
    """Tokens (text, start, end, pos, kind) as columns (terms, positions, starts, ends), in their order."""
    terms, starts, ends, positions, _kinds = zip(*found) if found else ((), (), (), (), ())
    return terms, positions, starts, ends


def _packed(columns: tuple) -> tuple[str, bytes, bytes, bytes] | tuple[list, list, list, list]:
    """Columns in a form that pickles as four objects, not one per token (terms joined by a
    separator no term holds, the numbers as C longs, the bytes an ``array("l")`` holds; left as
    lists if a term holds the separator). ``struct`` packs a number for half of what
    ``array("l", numbers)`` costs, which reads each one through the argument parser."""
    terms, positions, starts, ends = columns
    joined = TERMS_SEPARATOR.join(terms)
    if terms and joined.count(TERMS_SEPARATOR) != len(terms) - 1:  # a term holds the separator
        return list(terms), list(positions), list(starts), list(ends)
    longs = f"{len(terms)}l"
    return joined, pack(longs, *positions), pack(longs, *starts), pack(longs, *ends)


def _unpacked(packed) -> tuple[list, list, list, list]:
    terms, positions, starts, ends = packed
    if not isinstance(terms, str):
        return packed
    return (terms.split(TERMS_SEPARATOR) if terms else [], array("l", positions).tolist(),
            array("l", starts).tolist(), array("l", ends).tolist())


def document_tokens(doc: IndexDoc) -> tuple[tuple, tuple]:
    """The analysis of one document: the token columns of its title and of its body field (the
    title and the body), packed to pickle cheaply (a rebuild's processes return these)."""
    return text_tokens(doc.title, doc.body)


def text_tokens(title: str, body: str) -> tuple[tuple, tuple]:
    """``document_tokens`` of a document with this title and body (what the analysis processes
    are sent: two strings pickle faster than an ``IndexDoc``).

    The body field's text begins with the title: the title is analysed once, inside it. Its own
    tokens are the first ones the body field's text gives, up to the first that ends past it: the
    tokenizer reads a word with the words before it only, and a word's tokens end within it (a
    join with the word before it ends with it too), so the title's words give there what the title
    alone gives, first; every token of a word after the title ends past the title
    (tests/search_index/test_tantivy_documents.py compares with the title analysed alone)."""
    if not title:
        return _packed(((), (), (), ())), _packed(_columns(sorted(token_tuples(body), key=_POSITION)))
    found = list(token_tuples(f"{title}\n{body}"))
    title_end, own = len(title), 0
    for token in found:
        if token[2] > title_end:
            break
        own += 1
    title_found = found[:own]
    title_found.sort(key=_POSITION)  # a term's positions must not go back; stable, as ``tokens``
    found.sort(key=_POSITION)
    return _packed(_columns(title_found)), _packed(_columns(found))


def _body(doc: IndexDoc) -> str:
    # The body field holds the title too: one field answers the required part of every query.
    return f"{doc.title}\n{doc.body}" if doc.title else doc.body


def _pre_tokenized(text: str, columns: tuple[list, list, list, list]) -> tantivy.PreTokenizedString:
    return tantivy.PreTokenizedString(text, list(map(tantivy.Token, *columns)))


def tantivy_document(doc: IndexDoc, tokens: tuple[tuple, tuple] | None = None) -> tantivy.Document:
    """The tantivy document of ``doc`` with its ``document_tokens`` (computed here when not
    given): the same values and tokens as ``document_json`` (tests/search_index/test_tantivy_documents.py)."""
    title_tokens, body_tokens = map(_unpacked, tokens if tokens is not None else document_tokens(doc))
    out = tantivy.Document()
    out.add_text("id", doc.key)
    out.add_text("doc_type", doc.doc_type)
    out.add_text("version", doc.version)
    out.add_pre_tokenized_text("title", _pre_tokenized(doc.title, title_tokens))
    out.add_pre_tokenized_text("body", _pre_tokenized(_body(doc), body_tokens))
    if doc.outlet:
        out.add_text("outlet", doc.outlet)
    if doc.scope:
        out.add_text("scope", doc.scope)
    for slug in doc.agencies:
        out.add_text("agencies", slug)
    for route in doc.routes:
        out.add_text("routes", route)
    if doc.published is not None:
        out.add_date("published", as_utc(doc.published))  # naive UTC in, aware UTC to tantivy
    story = story_number(doc.story)
    if story is not None:
        out.add_unsigned("story", story)
    return out
