"""The Whoosh fields: the schema built from ``search_index.schema.FIELDS`` and one document's values."""
from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from search_index.analyzer import PersianAnalyzer
from search_index.backend import IndexDoc
from search_index.schema import FIELDS
from search_index.whoosh_backend.indexing import PersianPositions


def build_schema() -> Schema:
    """The Whoosh schema for ``schema.FIELDS``."""
    analyzer = PersianAnalyzer()
    fields = {}
    for spec in FIELDS:
        if spec.kind == "key":
            fields[spec.name] = ID(stored=spec.stored, unique=True)
        elif spec.kind == "id":
            fields[spec.name] = ID(stored=spec.stored, sortable=spec.sortable)
        elif spec.kind == "keywords":
            fields[spec.name] = KEYWORD(stored=spec.stored, commas=True, scorable=False, sortable=spec.sortable)
        elif spec.kind == "text":
            fields[spec.name] = TEXT(analyzer=analyzer, stored=spec.stored, field_boost=spec.boost)
            fields[spec.name].format = PersianPositions(field_boost=spec.boost)
        elif spec.kind == "datetime":
            fields[spec.name] = DATETIME(stored=spec.stored, sortable=spec.sortable)
        else:
            fields[spec.name] = STORED()
    return Schema(**fields)


def document_fields(doc: IndexDoc) -> dict:
    """The values Whoosh stores and indexes for one document."""
    # The body field holds the title too: one field answers the required part of every query.
    values = {"id": doc.key, "doc_type": doc.doc_type, "title": doc.title,
              "body": f"{doc.title}\n{doc.body}" if doc.title else doc.body, "version": doc.version}
    if doc.outlet:
        values["outlet"] = doc.outlet
    if doc.scope:
        values["scope"] = doc.scope
    if doc.agencies:
        values["agencies"] = ",".join(doc.agencies)
    if doc.routes:
        values["routes"] = ",".join(doc.routes)
    if doc.published is not None:
        values["published"] = doc.published
    if doc.story:
        values["story"] = doc.story
    return values
