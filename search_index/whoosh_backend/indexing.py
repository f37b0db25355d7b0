"""Index time in Whoosh: the posting format of the text fields and two speed-ups of Whoosh's writer.

``PersianPositions`` stores a posting's positions as packed 16-bit (or 32-bit) integers
(Whoosh's ``Positions`` pickles a list of deltas: slower to write and, in every phrase match, to
read) and analyzes a text in one pass over ``persian.tokenize`` instead of one Whoosh ``Token``
per word.
The schema stores the format by import path (``search_index.whoosh_backend.indexing``), like the
analyzer: renaming it makes existing indexes unreadable until ``flask search rebuild --fresh``.

Two Whoosh methods are wrapped or replaced at import, with the same output (tested in
``tests/search_index/test_indexing.py``), because a rebuild spends much of its time in them:

* the posting pool writes its sorted runs to disk in pickled chunks of ``RUN_CHUNK`` postings,
  not one ``pickle.dump`` call per posting (every posting of a segment larger than the writer's
  ``limitmb`` goes through a run once);
* writing a segment's postings reads each document's field length once, not once per posting
  (a document has ~200 postings in the body field).

Measured on 5,000 items in one process (limitmb 64), the three together: 230 → 356 documents
per CPU second.
"""
from __future__ import annotations

import itertools
import pickle
import sys
from array import array

from whoosh import formats, writing
from whoosh.codec.base import FieldWriter

from search_index.analyzer import PersianTokenizer
from search_index.stemmer import STEM_MARK

_SWAP = sys.byteorder != "little"  # positions are stored little-endian
RUN_CHUNK = 4096


class PersianPositions(formats.Positions):
    """Positions format: frequency, weight and positions; the value is a type byte (``H`` or
    ``I``) and the positions as little-endian unsigned 16-bit integers (documents shorter than
    65,536 words: nearly all) or 32-bit ones."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, PersianTokenizer) or not isinstance(value, str) \
                or kwargs.get("mode", "index") == "query":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, positions in analyzer.term_positions(value).items():
            # Whoosh sums the frequency into the field's length (BM25's length normalization); a
            # stem term («~تانکر») sits beside its surface term, so it counts 0 there and keeps
            # its weight and positions: «تسهیلات» losing its stem term no longer makes a field
            # shorter (SCHEMA_VERSION 8).
            freq = 0 if term.startswith(STEM_MARK) else len(positions)
            yield term, freq, len(positions) * boost, self.encode(positions)

    def encode(self, poslist):
        typecode = "H" if not poslist or max(poslist) < 65536 else "I"
        packed = array(typecode, poslist)
        if _SWAP:
            packed.byteswap()
        return typecode.encode() + packed.tobytes()

    def decode_positions(self, valuestring):
        packed = array(chr(valuestring[0]))
        packed.frombytes(valuestring[1:])
        if _SWAP:
            packed.byteswap()
        return packed.tolist()

    def decode_frequency(self, valuestring):
        return (len(valuestring) - 1) // (2 if valuestring[:1] == b"H" else 4)

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost

    def decode_position_boosts(self, valuestring):
        return [(pos, 1) for pos in self.decode_positions(valuestring)]

    def combine(self, vs):
        return self.encode(sorted({pos for v in vs for pos in self.decode_positions(v)}))


# --- the writer's posting pool: runs in chunks -------------------------------------------------


def _write_run(self, f, items):
    """PostingPool._write_run: ``items`` (sorted; a list or an iterator) in pickled chunks."""
    iterator = iter(items)
    try:
        while True:
            chunk = list(itertools.islice(iterator, RUN_CHUNK))
            if not chunk:
                break
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
    finally:
        f.close()


def _read_run(self, path):
    """PostingPool._read_run for runs written by ``_write_run``; deletes the run at the end."""
    f = self._open_run(path)
    try:
        while True:
            try:
                chunk = pickle.load(f)
            except EOFError:
                return
            yield from chunk
    finally:
        f.close()
        self._remove_run(path)


writing.PostingPool._write_run = _write_run
writing.PostingPool._read_run = _read_run


# --- writing postings: each document's field length read once ------------------------------------


class _LengthCache:
    """``doc_field_length`` of a reader, remembered per field and document."""

    def __init__(self, lengths):
        self._lengths = lengths
        self._size = lengths.doc_count_all()
        self._fields: dict[str, list] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        cache = self._fields.get(fieldname)
        if cache is None:
            cache = self._fields[fieldname] = [None] * self._size
        if docnum >= self._size:
            return self._lengths.doc_field_length(docnum, fieldname, default)
        value = cache[docnum]
        if value is None:
            value = cache[docnum] = self._lengths.doc_field_length(docnum, fieldname, default)
        return value


_whoosh_add_postings = FieldWriter.add_postings


def _add_postings(self, schema, lengths, items):
    """FieldWriter.add_postings reading the field lengths through ``_LengthCache``."""
    return _whoosh_add_postings(self, schema, _LengthCache(lengths) if lengths else lengths, items)


FieldWriter.add_postings = _add_postings
