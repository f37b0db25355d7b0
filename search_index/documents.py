"""Database rows → index documents: the only module that knows which columns feed which fields.

An item's document: title ← ``Item.title``; body ← ``Item.text`` (the plain text the monitor
extracted; the cleaned summary HTML when there is no text); outlet ← ``Item.outlet_id``; scope ←
the outlet's scope; published ← ``Item.published_at`` (naive UTC); routes ← ``"slug:status"`` of
each of the item's ``ItemRoute`` rows that has an agency (every status); agencies ← the slugs of
the routes whose status is one of ``models.ROUTED_STATUSES`` (``routed_agencies``: the one
definition of "routed to agency X", which saved-search alerts use too); story ← ``Item.cluster_id`` ("c<id>",
"" for an item in no cluster: the search collapses copies of one story on it).

``version`` hashes every indexed value, so ``search verify`` finds a document whose index copy
differs from what the database would give now (an edited item, an outlet that changed scope).
Whatever changes one of these columns (an item, its outlet's scope, a route's agency or status)
must add a ``search_outbox`` row in the same transaction.
"""
from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.clock import naive_utc
from models import ROUTED_STATUSES, Agency, Item, ItemRoute, Outlet
from search_index.backend import HitText, IndexDoc
from search_index.schema import doc_key, parse_key

_TAG = re.compile(r"<[^>]+>")


def item_body(item: Item) -> str:
    """The text searched and highlighted for an item."""
    if item.text:
        return item.text
    return html.unescape(_TAG.sub(" ", item.summary_html or "")).strip()


def version_of(doc: IndexDoc) -> str:
    """A hash of every indexed value of ``doc`` (its ``version`` is left out)."""
    published = doc.published.isoformat() if doc.published else ""
    parts = (doc.key, doc.doc_type, doc.title, doc.body, doc.outlet, doc.scope, ",".join(doc.agencies),
             ",".join(doc.routes), published, doc.story)
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def story_key(cluster_id: int | None) -> str:
    """The index's story value of an item: copies of one story share it ("" = a story alone)."""
    return f"c{cluster_id}" if cluster_id is not None else ""


def item_document(item, routes: Sequence[tuple[str, str]] = ()) -> IndexDoc:
    """The index document of one item, a row of ``document_rows`` (its columns, the outlet's
    scope among them); ``routes`` are its (agency slug, status) pairs, as ``item_routes`` gives them."""
    doc = IndexDoc(
        key=doc_key("item", item.id), doc_type="item", title=item.title or "", body=item_body(item),
        outlet=str(item.outlet_id) if item.outlet_id is not None else "",
        scope=item.scope or "",
        agencies=routed_agencies(routes), routes=tuple(sorted({f"{slug}:{status}" for slug, status in routes})),
        published=naive_utc(item.published_at),
        story=story_key(item.cluster_id),
    )
    return IndexDoc(**{**doc.__dict__, "version": version_of(doc)})


def document_rows():
    """The columns of the items that feed their documents, the outlet's scope joined: plain rows,
    not ``Item`` objects (a rebuild reads every item; loading objects cost as much again)."""
    return (select(Item.id, Item.title, Item.text, Item.summary_html, Item.outlet_id, Outlet.scope,
                   Item.published_at, Item.cluster_id)
            .outerjoin(Outlet, Outlet.id == Item.outlet_id).execution_options(unscoped=True))


def item_routes(session: Session, item_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """item id → (agency slug, status) of each of its routes that has an agency (every agency's:
    the index is written by the system, whatever scope the caller runs in)."""
    ids = sorted(set(item_ids))
    routes: dict[int, list[tuple[str, str]]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(select(ItemRoute.item_id, Agency.slug, ItemRoute.status)
                               .join(Agency, Agency.id == ItemRoute.agency_id)
                               .where(ItemRoute.item_id.in_(ids[start:start + 500]))
                               .execution_options(unscoped=True))
        for item_id, slug, status in rows:
            routes.setdefault(item_id, []).append((slug, status))
    return routes


def routed_agencies(routes: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The agencies an item counts as routed to, from its (slug, status) pairs: the routes in one
    of ``ROUTED_STATUSES``. The index's ``agencies`` field (the search page's agency filter) and
    the saved-search alerts both use this, so an alert and its search agree."""
    return tuple(sorted({slug for slug, status in routes if status in ROUTED_STATUSES}))


def _documents(session: Session, rows: Sequence) -> list[IndexDoc]:
    routes = item_routes(session, [row.id for row in rows]) if rows else {}
    return [item_document(row, routes.get(row.id, ())) for row in rows]


def load_documents(session: Session, keys: Iterable[str]) -> dict[str, IndexDoc]:
    """The current documents of ``keys``; a key whose row is gone is absent from the result."""
    ids = sorted({number for doc_type, number in map(parse_key, keys) if doc_type == "item"})
    docs: dict[str, IndexDoc] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(document_rows().where(Item.id.in_(ids[start:start + 500]))).all()
        docs.update((doc.key, doc) for doc in _documents(session, rows))
    return docs


def iter_documents(engine, after_id: int = 0, batch: int = 1000) -> Iterator[IndexDoc]:
    """Every item's document in id order, starting after ``after_id`` (rebuild and verify).

    Reads through its own short sessions, one per batch, so memory stays flat over 200,000 rows
    and the caller's session (its objects, its transaction) is left alone.
    """
    last = after_id
    while True:
        with Session(engine) as session:
            rows = session.execute(document_rows().where(Item.id > last).order_by(Item.id).limit(batch)).all()
            if not rows:
                return
            docs = _documents(session, rows)
            last = rows[-1].id
        yield from docs


def count_documents(session: Session, after_id: int = 0) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count(Item.id)).where(Item.id > after_id)) or 0


def expected_versions(engine) -> dict[str, str]:
    """key → version of every document the index should hold."""
    return {doc.key: doc.version for doc in iter_documents(engine)}


def document_keys(engine) -> list[str]:
    """The key of every document the index should hold (ids only: no text is read)."""
    with Session(engine) as session:
        ids = session.scalars(select(Item.id).order_by(Item.id).execution_options(unscoped=True)).all()
    return [doc_key("item", number) for number in ids]


def hit_texts(session: Session, keys: Sequence[str]) -> tuple[dict[str, Item], dict[str, HitText]]:
    """The rows of a page of hits and their texts for highlighting (missing rows left out)."""
    ids = [number for doc_type, number in map(parse_key, keys) if doc_type == "item"]
    rows = {doc_key("item", item.id): item for item in session.scalars(
        select(Item).options(joinedload(Item.outlet)).where(Item.id.in_(ids))).unique()} if ids else {}
    return rows, {key: HitText(item.title or "", item_body(item)) for key, item in rows.items()}
