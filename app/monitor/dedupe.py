"""Deduplication keys and near-duplicate story clusters.

Exact duplicates: an entry's key within its feed is the sha1 of its GUID, else its link, else
its normalized title and text (`entry_key`); the same canonical link seen in another feed is the
same item (`canonical_link`, `link_hash`).

Near duplicates (one story republished, lightly edited, by several outlets): a 64-permutation
MinHash (datasketch) over 2-word shingles of the Persian-normalized title and text, so Arabic
ي/ك, diacritics, digits and ZWNJ variants (می‌شود, میشود, می شود) do not break matching. The
signature is cut into LSH bands (21 bands × 3 rows, stored as `MinhashBand` rows); items sharing
a band within a time window are candidates, confirmed by an estimated Jaccard similarity of at
least `JACCARD_THRESHOLD`.

Measured on 1,491 real Fars News articles (tests/monitor/test_dedupe.py): copies with another
outlet's credit line, Arabic/Persian letters or ZWNJ habits and three edited words are found
93–95 % of the time when the item text is a ~25-word lead and 99.5–99.8 % with two paragraphs;
of the ~1.1 million pairs of distinct articles 4 are joined, all daily headline round-ups whose
text is a template (distinct articles score 0.14 at the 99.99th percentile). 3-word shingles
and 16 × 4 bands at 0.6 (the first design) found only 57–79 % of the short copies.
"""
from __future__ import annotations

import hashlib
import re
import threading
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import idna
from sqlalchemy import bindparam, delete, select, update

from app.clock import as_utc
from models import Item, MinhashBand, StoryCluster
from models.search_outbox import enqueue
from search_index.persian import (
    CLITIC_PREFIXES,
    CLITIC_SUFFIXES,
    INDEFINITE,
    ZWNJ,
    is_clitic_pair,
    normalize,
)

if TYPE_CHECKING:  # numpy comes with datasketch's MinHash: a `flask` start need not load it (0.08 s of CPU)
    import numpy as np

NUM_PERM = 64
BANDS, ROWS = 21, 3  # 63 of the 64 values; LSH threshold (1/21)^(1/3) ≈ 0.36
SHINGLE_WORDS = 2
MIN_WORDS = 8  # shorter texts (a bare headline) are not clustered: too few shingles to judge
MAX_WORDS = 150  # the lead of a long article decides; keeps the signature cost flat
JACCARD_THRESHOLD = 0.45
WINDOW_DAYS = 3  # default candidate window around the item's publication time
_SCHEME = "affine32"
_WORD = re.compile(r"[^\W_]+")
# Query parameters that only track where a click came from.
_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "_ga", "igshid",
                              # a server's session ids (Java, PHP, classic ASP): a new one on every poll
                              # made every entry a new item (a review of hostile feeds, round 4). Not
                              # «sid» (PHP-Nuke's article id) nor «sessionid» (a parliament's session?)
                              "jsessionid", "phpsessid", "aspsessionid"})
# «;jsessionid=…» written in the path, as Java servers do for a browser without cookies
_PATH_SESSION = re.compile(r";jsessionid=[^/?#;]*", re.IGNORECASE)


def tracking_parameter(name: str) -> bool:
    """Whether a query parameter only tracks the reader (utm_*, fbclid…) or holds a session id."""
    name = name.lower()
    return name.startswith("utm_") or name in _TRACKING_PARAMS


def sha1_hex(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def entry_key(guid: str | None, link: str | None, title: str, text: str) -> str:
    """The entry's dedupe key within one feed: GUID, else link, else normalized title+text. A link to a
    site's root names no story (``names_no_page``): a portal giving its root as every entry's link had its
    stories kept as one, each overwriting the one before at the next poll (a review of hostile feeds,
    round 16); such an entry is known by its words, as one without a link is."""
    if guid and guid.strip():
        return sha1_hex("guid:" + guid.strip())
    if link and link.strip() and not names_no_page(link):
        return sha1_hex("link:" + link.strip())
    return sha1_hex("text:" + " ".join(normalize(f"{title}\n{text}").split()))


def names_no_page(link: str) -> bool:
    """A link to a site's root, without a query («https://x.ir/», not «https://x.ir/?p=12»)."""
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return False
    return parts.path in ("", "/") and not parts.query


def shared_link_key(link: str, title: str, text: str) -> str:
    """The key of an entry without a GUID whose link other entries of the same document share with
    other stories (a portal giving its home page as every entry's link): the link and its words."""
    return sha1_hex("link+text:" + link.strip() + "\n" + " ".join(normalize(f"{title}\n{text}").split()))


def content_hash(title: str, text: str) -> str:
    """Changes when a reader would see different words (not when only markup changes)."""
    return sha1_hex(" ".join(title.split()) + "\n" + " ".join(text.split()))


# Characters a path keeps as written: RFC 3986's unreserved and sub-delimiters, «:», «@», «/» and the
# «%» of an escape already there. Any other (a Persian slug written out) is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
# Invisible characters around a link (a ZWNJ or ZWSP pasted after it by an editor): no part of it.
_AROUND = " \t\r\n\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"


def ascii_host(host: str) -> str | None:
    """A host in its ASCII form by IDNA 2008 with UTS 46 (as httpx and browsers read it: a ZWNJ of a
    Persian name is kept, where Python's «idna» codec, IDNA 2003, drops it and names another
    domain); None when it is no valid name."""
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def canonical_link(url: str | None) -> str | None:
    """The link without tracking parameters (utm_*, fbclid…) or a server's session id (PHPSESSID,
    «;jsessionid=»…) and fragment, scheme and host in
    lower case, default port dropped; the host in its ASCII (IDNA) form without a final dot, the
    path in one percent-encoding (a Persian slug written out, or escaped in lower or upper case,
    is one link), invisible characters around it dropped; None for anything that is not an
    absolute http(s) URL. (A review of hostile feeds, round 3: these spellings of one link were
    two items; migration 0026 computes the stored items' links this way.)"""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip(_AROUND))
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if not host.isascii():
        host = ascii_host(host)
        if host is None:
            return None
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = _PATH_SESSION.sub("", parts.path or "/") or "/"
    path = _ESCAPE.sub(lambda escape: escape.group().upper(), quote(path, safe=_PATH_SAFE))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not tracking_parameter(k)]
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def link_hash(canonical: str | None) -> str | None:
    """Items are the same when this matches; only for links that name a page, not a site root
    (some feeds point every entry at their home page)."""
    if not canonical or urlsplit(canonical).path in ("", "/"):
        return None
    return sha1_hex(canonical)


# --- MinHash signatures ----------------------------------------------------------------------

_local = threading.local()


def _minhash():
    """This thread's reusable MinHash (seed 1, affine32). crc32 is enough as the input hash: the
    affine32 scheme mixes it (murmur3 finalizer) before the permutations, and it is ten times
    cheaper than the default sha1."""
    minhash = getattr(_local, "minhash", None)
    if minhash is None:
        from datasketch import MinHash  # imported on first use: it pulls in scipy, which pages never need

        minhash = _local.minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=_SCHEME, hashfunc=zlib.crc32)
    return minhash


def words(title: str, text: str) -> list[str]:
    """The first MAX_WORDS normalized words, every ZWNJ read as a space and clitics joined back,
    so «می‌شود» = «میشود» = «می شود» and «سرنوشت‌ساز» = «سرنوشت ساز». Only the head of the text
    is read: the lead decides, and a long article costs no more than a short one."""
    head = normalize(f"{title}\n{text[:MAX_WORDS * 16]}").replace(ZWNJ, " ")
    out: list[str] = []
    for word in _WORD.findall(head)[:MAX_WORDS]:
        if out and (out[-1] in CLITIC_PREFIXES or word in CLITIC_SUFFIXES or word == INDEFINITE) \
                and is_clitic_pair(out[-1], word):
            out[-1] += word
        else:
            out.append(word)
    return out


def shingles(title: str, text: str) -> list[bytes]:
    """Word shingles of the normalized text; [] when the text is too short to judge."""
    tokens = words(title, text)
    if len(tokens) < MIN_WORDS:
        return []
    return list({" ".join(tokens[i:i + SHINGLE_WORDS]).encode("utf-8")
                 for i in range(len(tokens) - SHINGLE_WORDS + 1)})


def signature(title: str, text: str) -> np.ndarray | None:
    """The MinHash values (uint32 × 64) of an item, or None when it is too short to cluster."""
    values = shingles(title, text)
    if not values:
        return None
    minhash = _minhash()
    minhash.clear()
    minhash.update_batch(values)
    return minhash.hashvalues.astype("<u4")  # a copy


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    from numpy import frombuffer
    return frombuffer(data, dtype="<u4")


def band_hashes(sig: np.ndarray) -> tuple[tuple[int, str], ...]:
    """(band number, 16-hex-digit hash of the band number and that band's rows) for the LSH
    index; the number is inside the hash, so one `hash IN (…)` finds every shared band."""
    return _band_hashes(sig.astype("<u4").tobytes())


@lru_cache(maxsize=8192)  # an ingest batch asks for the same item's bands several times
def _band_hashes(raw: bytes) -> tuple[tuple[int, str], ...]:
    width = ROWS * 4
    return tuple((band, hashlib.blake2b(bytes((band,)) + raw[band * width:(band + 1) * width],
                                        digest_size=8).hexdigest())
                 for band in range(BANDS))


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float((a == b).sum()) / len(a)


# --- clusters ------------------------------------------------------------------------------

@dataclass
class _Known:
    item_id: int
    sig: np.ndarray
    published_at: datetime
    in_db: bool  # committed before this batch (another worker may cluster it meanwhile)


# Bulk UPDATE/DELETE without scanning every object of the session (thousands in a big batch)
# to mirror the change: the rows changed here are not held, or not changed again, in memory.
NO_SYNC = {"synchronize_session": False}

# Stored items sharing a band hash, within a time window (one statement, compiled once).
_CANDIDATES = (
    select(Item.id, Item.cluster_id, Item.minhash, Item.published_at)
    .where(Item.id.in_(select(MinhashBand.item_id).where(MinhashBand.hash.in_(bindparam("hashes", expanding=True)))))
    .where(Item.published_at >= bindparam("low"), Item.published_at <= bindparam("high"))
)


class ClusterBatch:
    """Story clusters for the new (or edited) items of one ingest batch.

    Candidates come from the database in one query per batch (items sharing an LSH band within
    the time window) and from the batch itself as it goes, so no query or flush is needed per
    item. A match's cluster is claimed in SQL only if it still has none, and counts are added in
    SQL, so two workers clustering at once do not lose a count or split a story.
    """

    def __init__(self, session, *, window_days: int = WINDOW_DAYS, threshold: float = JACCARD_THRESHOLD):
        self.session, self.threshold = session, threshold
        self.window = timedelta(days=window_days)
        self.by_band: dict[tuple[int, str], list[_Known]] = {}
        self.cluster_of: dict[int, int | None] = {}
        self.added: dict[int, int] = {}  # cluster id → items joined in this batch

    def load(self, items: list[tuple[np.ndarray, datetime]], chunk: int = 300) -> None:
        """Read the stored candidates of these (signature, published) pairs in a few queries."""
        for start in range(0, len(items), chunk):
            part = items[start:start + chunk]
            hashes = sorted({value for sig, _ in part for _, value in band_hashes(sig)})
            rows = self.session.execute(_CANDIDATES, {
                "hashes": hashes, "low": _shift(min(p for _, p in part), -self.window),
                "high": _shift(max(p for _, p in part), self.window)}).all()
            for item_id, cluster_id, raw, published_at in rows:
                if raw and item_id not in self.cluster_of:
                    self.cluster_of[item_id] = cluster_id
                    self._remember(_Known(item_id, from_bytes(raw), as_utc(published_at), True))

    def _remember(self, known: _Known) -> None:
        for key in band_hashes(known.sig):
            self.by_band.setdefault(key, []).append(known)

    def _best(self, item_id: int, sig: np.ndarray, published_at: datetime) -> _Known | None:
        best, best_score = None, self.threshold
        seen: set[int] = set()
        for key in band_hashes(sig):
            for other in self.by_band.get(key, ()):
                if other.item_id == item_id or other.item_id in seen:
                    continue
                seen.add(other.item_id)
                if abs(other.published_at - published_at) > self.window:
                    continue
                score = similarity(sig, other.sig)
                if score > best_score or (score == best_score and (best is None or other.item_id < best.item_id)):
                    best, best_score = other, score
        return best

    def assign(self, item: Item, sig: np.ndarray | None) -> bool:
        """Put `item` (flushed, with an id) into the cluster of its nearest near-duplicate,
        creating the cluster when that one had none; True when it joined one."""
        if sig is None:
            return False
        published = as_utc(item.published_at)
        match = self._best(item.id, sig, published)
        self.cluster_of[item.id] = item.cluster_id
        self._remember(_Known(item.id, sig, published, False))
        if match is None:
            return False
        cluster_id = self.cluster_of.get(match.item_id)
        if cluster_id is None:
            cluster_id = self._new_cluster(match)
            if cluster_id is None:
                return False
        self.cluster_of[item.id] = item.cluster_id = cluster_id
        self.added[cluster_id] = self.added.get(cluster_id, 0) + 1
        return True

    def _new_cluster(self, match: _Known) -> int | None:
        cluster = StoryCluster(first_item_id=match.item_id, item_count=1)
        self.session.add(cluster)
        self.session.flush()
        if not match.in_db:
            self.session.get(Item, match.item_id).cluster_id = cluster.id
        elif self.session.execute(update(Item).where(Item.id == match.item_id, Item.cluster_id.is_(None))
                                  .values(cluster_id=cluster.id), execution_options=NO_SYNC).rowcount != 1:
            # Another worker clustered the match meanwhile: join its cluster instead.
            self.session.delete(cluster)
            theirs = self.session.scalar(select(Item.cluster_id).where(Item.id == match.item_id))
            self.cluster_of[match.item_id] = theirs
            return theirs
        else:  # the match was indexed alone: its search document now names the story
            enqueue(self.session, "item", match.item_id)
        self.cluster_of[match.item_id] = cluster.id
        return cluster.id

    def finish(self) -> None:
        """Add this batch's joins to the clusters' item counts."""
        for cluster_id, count in self.added.items():
            self.session.execute(update(StoryCluster).where(StoryCluster.id == cluster_id)
                                 .values(item_count=StoryCluster.item_count + count), execution_options=NO_SYNC)
        self.added.clear()


def _shift(value: datetime, delta: timedelta) -> datetime:
    """value + delta, stopping at the ends of the calendar (feeds do date items in year 1)."""
    try:
        return value + delta
    except OverflowError:
        end = (date.max, time.max) if delta > timedelta(0) else (date.min, time.min)
        return datetime.combine(*end, tzinfo=value.tzinfo)


def band_rows(item_id: int, sig: np.ndarray | None) -> list[dict]:
    """MinhashBand rows of an item, for one bulk INSERT."""
    if sig is None:
        return []
    return [{"item_id": item_id, "band": band, "hash": value} for band, value in band_hashes(sig)]


def leave_cluster(session, item: Item) -> None:
    """Take `item` out of its cluster (its text changed); a cluster left with one item is dissolved."""
    cluster_id = item.cluster_id
    if cluster_id is None:
        return
    item.cluster_id = None
    session.flush()
    remaining = session.scalars(select(Item.id).where(Item.cluster_id == cluster_id)).all()
    if len(remaining) > 1:
        session.execute(update(StoryCluster).where(StoryCluster.id == cluster_id)
                        .values(item_count=len(remaining)), execution_options=NO_SYNC)
        return
    session.execute(update(Item).where(Item.cluster_id == cluster_id).values(cluster_id=None),
                    execution_options=NO_SYNC)
    for other_id in remaining:  # alone again: its search document no longer names the story
        enqueue(session, "item", other_id)
    session.execute(delete(StoryCluster).where(StoryCluster.id == cluster_id), execution_options=NO_SYNC)
