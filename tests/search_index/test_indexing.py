"""Index time and storage: the packed positions format and the two replaced Whoosh writer methods
write exactly what Whoosh itself writes; a mapped segment is read in place, not copied."""
from __future__ import annotations

import random
from pathlib import Path

from whoosh import formats, writing
from whoosh.codec.base import FieldWriter

from search_index.analyzer import PersianAnalyzer
from search_index.backend import IndexDoc
from search_index.persian import STEM_MARK, tokenize
from search_index.whoosh_backend import WhooshBackend, indexing
from search_index.whoosh_backend.indexing import PersianPositions

WORDS = ["آب", "و", "برق", "می‌شود", "روابط‌عمومی", "قطعی", "در", "شهر", "كشور", "۱۴۰۵", "مُحَمَّد", "ها"]


def random_text(rng: random.Random, low: int = 3, high: int = 300) -> str:
    return " ".join(rng.choice(WORDS) if rng.random() < 0.5 else f"واژه{rng.randint(1, 3000)}"
                    for _ in range(rng.randint(low, high)))


def decoded(fmt, text: str) -> dict:
    return {term: (freq, weight, fmt.decode_positions(value))
            for term, freq, weight, value in fmt.word_values(text, PersianAnalyzer(), mode="index")}


def test_packed_positions_equal_whooshs_positions():
    rng = random.Random(3)
    ours, whooshs = PersianPositions(field_boost=3.0), formats.Positions(field_boost=3.0)
    for _ in range(50):
        text = random_text(rng) + " تانکرها"
        # the one difference: a stem term adds nothing to the field's length (frequency 0)
        expected = {term: (0 if term.startswith(STEM_MARK) else freq, weight, positions)
                    for term, (freq, weight, positions) in decoded(whooshs, text).items()}
        assert STEM_MARK + "تانکر" in expected
        assert decoded(ours, text) == expected
        for _freq, weight, positions in expected.values():
            value = ours.encode(positions)
            assert ours.decode_frequency(value) == len(positions) and ours.decode_weight(value) == weight
    assert ours.decode_positions(ours.combine([ours.encode([1, 9]), ours.encode([4, 9])])) == [1, 4, 9]


def test_stem_terms_do_not_count_towards_a_fields_length(tmp_path):
    inflected, plain = "تانکرها و خاموشی‌های برق کارگران", "تانکر و خاموشی‌روی برق کارگر"
    assert [t for t in tokenize(inflected) if t.kind == "stem"] and not [
        t for t in tokenize(plain) if t.kind == "stem"]
    backend = WhooshBackend(tmp_path, writable=True)
    backend.rebuild([IndexDoc(key=f"item:{n}", doc_type="item", title="آب", body=body)
                     for n, body in enumerate((inflected, plain))], fresh=True)
    with backend._index().searcher() as searcher:
        reader = searcher.reader()
        assert reader.doc_field_length(0, "body") == reader.doc_field_length(1, "body")


def segment_files(backend: WhooshBackend) -> dict[str, bytes]:
    """The bytes of every postings and term file of the index's one segment, by extension."""
    files = {Path(p).suffix: Path(p).read_bytes() for p in backend.path.iterdir()
             if Path(p).suffix in (".pst", ".trm", ".seg")}
    assert files, "expected an uncompounded segment"
    return files


def build(path, docs) -> WhooshBackend:
    backend = WhooshBackend(path, writable=True, limitmb=1)  # 1 MB: the pool spills many runs
    writer = backend._index(create=True).writer(limitmb=1)
    writer.compound = False
    for d in docs:
        writer.add_document(id=d.key, doc_type="item", title=d.title, body=d.body)
    writer.commit()
    return backend


def test_chunked_runs_and_cached_lengths_write_what_whoosh_writes(tmp_path, monkeypatch):
    rng = random.Random(11)
    docs = [IndexDoc(f"item:{n}", "item", random_text(rng, 1, 8), random_text(rng)) for n in range(1, 400)]
    runs = []
    monkeypatch.setattr(writing.PostingPool, "_add_run", lambda self, path: runs.append(path) or self.runs.append(path))
    ours = build(tmp_path / "ours", docs)
    assert len(runs) > 3  # the test is about runs: the pool must have spilled
    replaced = (writing.PostingPool._write_run, writing.PostingPool._read_run, FieldWriter.add_postings)
    writing.PostingPool._write_run = writing.SortingPool._write_run
    writing.PostingPool._read_run = writing.SortingPool._read_run
    FieldWriter.add_postings = indexing._whoosh_add_postings
    try:
        whooshs = build(tmp_path / "whoosh", docs)
    finally:
        writing.PostingPool._write_run, writing.PostingPool._read_run, FieldWriter.add_postings = replaced
    ours_files, whoosh_files = segment_files(ours), segment_files(whooshs)
    assert ours_files.keys() == whoosh_files.keys()
    for suffix in (".pst", ".trm"):
        assert ours_files[suffix] == whoosh_files[suffix], suffix


def test_mapped_segment_reader_reads_like_a_file():
    import io

    from search_index.whoosh_backend.storage import _MappedReader

    data = bytes(range(256)) * 40 + b"x" * 9000 + b"a line\nand another\n" + b"y" * 5000
    rng = random.Random(5)
    ours, reference = _MappedReader(memoryview(data)), io.BytesIO(data)
    for _ in range(300):
        op = rng.choice(("read", "readline", "seek", "seek_end", "readinto"))
        if op == "read":
            n = rng.choice((-1, 0, 1, 7, 300))
            assert ours.read(n) == reference.read(n)
        elif op == "readline":
            n = rng.choice((-1, 3, 5000))
            assert ours.readline(n) == reference.readline(n)
        elif op == "readinto":
            a = bytearray(rng.randint(0, 50))
            b = bytearray(len(a))
            assert ours.readinto(a) == reference.readinto(b) and a == b
        elif op == "seek":
            pos = rng.randint(0, len(data) + 5)
            assert ours.seek(pos) == reference.seek(pos)
        else:
            assert ours.seek(-10, 2) == reference.seek(-10, 2)
        assert ours.tell() == reference.tell()


def test_opening_a_searcher_does_not_copy_the_segment_into_the_heap(tmp_path):
    import tracemalloc

    rng = random.Random(2)
    writer_side = WhooshBackend(tmp_path / "ix", writable=True)
    writer_side.index([IndexDoc(f"item:{n}", "item", random_text(rng, 1, 8), random_text(rng, 200, 400))
                       for n in range(1, 300)])
    size = sum(p.stat().st_size for p in (tmp_path / "ix").iterdir())
    assert size > 1_000_000
    reader = WhooshBackend(tmp_path / "ix")
    tracemalloc.start()
    try:
        searcher = reader._searcher()
        assert searcher.doc_count() == 299
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size / 4  # Whoosh's BytesIO copied the whole postings file here
