"""The fields of the search index, declared without naming the engine.

``whoosh_backend`` turns ``FIELDS`` into a Whoosh schema; the FTS5 comparison in ``bench/`` reads
the same list. ``documents`` is the only module that knows which database columns feed them.

Matching fields (title, body) use ``search_index.analyzer.PersianAnalyzer``: no stop words and
no stemming, so phrases and routing see every word. The ``body`` field indexes the title *and*
the body, so the required part of a query runs on one field (half the posting lists to merge);
the ``title`` field (boosted) only adds a bonus to documents whose title has the words. The body
is **not stored**: snippets are highlighted from the database text of the page's hits, which
keeps the index small and fast. The title is stored so a hit can be shown without the database.
The exact-match fields have columns (``sortable``): filters test each candidate's column value
instead of building the set of every allowed document.

Changing a field, a boost or the analyzer needs ``flask search rebuild --fresh``:
``SCHEMA_VERSION`` is kept in the index and a mismatch is reported by ``search verify``.
"""
from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 36  # 2: text fields store positions as packed integers (PersianPositions)
#                    3: routes ("slug:status"); agencies filled from the database's routes
#                    4: stem terms («~تانکر», issue 10)
#                    5: story (the cluster id: copies of one story collapse into one result)
#                    6: stem terms follow the UD treebanks' lemmas for «ان»/«ات» words (no «~تسهیل»
#                       for «تسهیلات»; «~زندانی» for «زندانیان»)
#                    7: word forms, second round: stop words that are content words («~کم» for
#                       «کمتر»), «…گان» of participles («~زده»), the last part of a compound
#                       («~زده» for «جنگ‌زدگان»), first names after the treebanks («~مرد»)
#                    8: word forms, third round (treebank lemmas of every part of speech and of
#                       «ها» words: no «~صد» for «صدها»; spaced compounds give the compound's stem:
#                       «~دانشآموخته» for «دانش آموختگان»; LRM/RLM split a word like ZWNJ); stem
#                       terms no longer count towards a field's length (BM25 normalization)
#                    9: the hamza's spellings of a few words are one term («هیئت», «هیأت», «هیات»;
#                       «مسئول», «مسؤول»; «مسئله», «مسأله»; «سؤال», «سئوال»: normalization._HAMZA_SPELLINGS);
#                       broken plurals give their singular's stem term («~منطقه» for «مناطق»)
#                   10: the ezafe written «‌ی» after a word ending in «ه» is no part of the word
#                       («توسعه‌ی» indexes as «توسعه», «توسعهٔ»: word_parts.split_parts); a joined «…هات»
#                       hazm tags as a plural is an «ات» plural («~شبهه» for «شبهات», not «~شب»)
#                   11: the ezafe written apart after a word ending in «ه» («توسعه ی») is no word
#                       and takes no position: «"توسعه پایدار"» finds «توسعه ی پایدار»; loanwords
#                       and foreign names are no comparatives or plurals («فیلتر» gives no «~فیل»)
#                   12: a possessive clitic written joined is a form of its noun («کشورش»,
#                       «دوستانشان» give «~کشور», «~دوست»: stemmer rule 7)
#                   13: a clitic after a word in «ه» written joined is a form of that word
#                       («خانهاش» gives «~خانه», not «~خان»; «خانهمان», «خانوادهتان» too);
#                       «بستگان» (relatives) gives no «~بسته»; the ezafe or indefinite «ی»
#                       after «ا»/«و» is a form of the word («شورای» gives «~شورا»); «مان»
#                       (our) after any noun («کشورمان» gives «~کشور»)
#                   14: hazm's NUM tag keeps a word from being a stem only when it is a number
#                       word: «نامش», «راهش», «هوای» give «~نام», «~راه», «~هوا»
#                   15: a word of a place's or country's name that the treebanks read as another
#                       word's plural is that word's form («ایالات» gives «~ایالت», «مهاجران»
#                       «~مهاجر»; «امارات», «اصفهان» stay whole)
#                   16: a part written after a ZWNJ with «و» joined to it is «و» and the word
#                       («آموزش‌وپرورش» indexes as «آموزش و پرورش»: persian.conjunction_part)
#                   17: the ezafe written «هء» at a word's end is «ه» («روزنامهء» indexes as
#                       «روزنامه», as «روزنامهٔ» does: normalization.normalize)
#                   18: a hamza at a word's end after «ا» is left out too («اعضاء» indexes as «اعضا»,
#                       «ارتقاء» as «ارتقا»)
#                   19: an agent noun's plural written apart after its compound's first half gives
#                       the compound's stem («دانش آموزان» «~دانشاموز», as «دانش‌آموزان» does)
#                   20: «مهمات», «تبعات», «کلیات», «کرات», «سادات» are words of their own (no
#                       «مهم», «تبعه»…), «تذکرات» is «تذکر»'s, «اتباع» «تبعه»'s, «مسول» is «مسئول»
#                   21: a number written onto a Persian word is a part of its own («1385به» indexes
#                       «1385» and «به», as «1385‌به» with a ZWNJ does)
#                   22: an «ان»/«ات» plural + the indefinite «ی» gives the plural's stem («مشکلاتی»
#                       «~مشکل», «نمایندگانی» «~نماینده»: stemmer rule 8); a tagged plural + «ش» is no
#                       compound («مشکلاتش» «~مشکل», not «مشکل» + «آتش»); round 6's broken plurals
#                   23: a country's name word in «ا» + the ezafe is the word's form («امریکای لاتین»
#                       gives «~امریکا», «افریقای جنوبی» «~افریقا»); «چهارمحال‌وبختیاری» indexes
#                       «بختیاری»; an «ان» plural + «م»/«ت»/«تان» is the plural's («فرزندانم»
#                       «~فرزند»: stemmer rule 9) (a review of search, round 8); a broken plural +
#                       the indefinite «ی» is its singular's («افرادی» «~فرد»), «مخازن», «تجار»,
#                       «قرون», «مواقع» are plurals (round 7)
#                   24: «و» written onto a word after a space is a part of its own («آموزش وپرورش»
#                       indexes as «آموزش و پرورش», with «وپرورش» kept), and after a ZWNJ before an
#                       inflected word too («ورزش‌وجوانان»: «جوانان», «~جوان») (a review of search, round 9)
#                   25: the agentive suffix «گر» after a ZWNJ is one part with the word before it
#                       («تحلیل‌گران» indexes as «تحلیلگران», no part «گران»: word_parts.AGENT_SUFFIXES)
#                   26: a possessive written joined after a quantifier hazm also tags determiner
#                       («اکثرشان» gives «~اکثر») or after an untagged word in «ی» made of a content
#                       word («آزادیش» «~ازادی», «توحیدیش» «~توحیدی»: Lexicon.possessor, stemmer rule 7)
#                   27: the ezafe after «ا»/«و» of a word hazm lists with frequency 0 («تقاضای» gives
#                       «~تقاضا»: Lexicon.unattested, stemmer rule 6; the tenth word-form set)
#                   28: a word in «ا»/«و» + the glide «ی» + the plural «ان» or a clitic also gives the
#                       stem of its ezafe form («همتایان»: «~همتا» and «~همتای»; stemmer.glide_stem)
#                   29: the first part of a word of several parts also gives its own stem («صنایع‌دستی»:
#                       «~صنعت»; word_parts.first_part_stem), «…یان» of an untagged «…ی» made of a common
#                       noun that is no first name («دانشگاهیان»: «~دانشگاهی»), a word of three letters
#                       + «ش» («سنش»: «~سن»), an infinitive + «ش» («نوشتنش»: «~نوشتن»)
#                   30: a possessive after a noun hazm also tags a preposition («کنارش»: «~کنار»;
#                       Lexicon.noun_preposition), no stem for «…یان» of a first name in «ی» made of a
#                       first name («محمدیان», «حیدریان»: surnames; stemmer._surname), places in «ش»/«وی»
#                       and the county seats kept whole (data/county_seats_fa.txt: «بختگان», «گیوی»); the
#                       ezafe forms the first names' file lists («احیای», «آقای»: «~احیا», «~اقا»; rule 6)
#                   31: the broken plurals hazm's lexicon tags that the list lacked («سطوح» «~سطح», «متون»
#                       «~متن», «تعالیم» «~تعلیم»: data/broken_plurals_fa.txt, 88 lines; the query side also
#                       asks a broken plural's bare singular, «مدارس» finds «مدرسه»: query_terms.broken_plural_of)
#                   32: listed broken plurals of three letters («آرا», «آراء» «~رای»; «علل» «~علت»), 46 weak-root
#                       and other broken plurals hazm tags («حواشی» «~حاشیه», «قضایا» «~قضیه», «رقبا» «~رقیب»),
#                       the plural of an agent noun with a preverb («فراگیران» «~فراگیر»: stem_plurals.preverbed),
#                       the surnames «حقیقیان», «عزیزیان» kept whole (data/own_words_fa.txt), the Arabic regular
#                       plurals «…یون», «…ین» of a participle in «م» («روحانیون» «~روحانی», «مسلمین» «~مسلم»)
#                       (kept whole, the code review: the surnames «مشایخی», «فضائلی», and «مبلغین», «محسنین»,
#                       whose singulars are in news an amount of money and a first name)
#                   33: the Arabic regular plurals «…ین» of a participle فاعل («واقفین» «~واقف», «غاصبین»,
#                       «حاضرین», «عاملین»: stem_plurals.agent_participle; not «راستین», «پارچین», and the names
#                       «عابدین», «کاظمین», the Quran's «صادقین», the dual «والدین» kept whole, nor a past stem + the
#                       spoken «ین», «داشتین», «ساختین»); «مبلغان»
#                       (preachers) kept whole like «مبلغین»; a «فعّال» plural + «ی» is a surname or adjective,
#                       no plural + the indefinite «ی» («خدامی», «عشاقی», «زواری»: stem_plurals.fuaal_plural)
#                   34: «م» written joined after a word in «ا»/«و» and the glide «ی» («زانویم» «~زانو», «صدایم»;
#                       not «برویم», «می‌گویم» of a verb's stem, nor «…یت»: stem_clitics.vowel_personal), «تان» after
#                       a word's «ی» («گرامیتان» «~گرامی», «فدایتان» «~فدا»), and a listed broken plural + «ی» that
#                       hazm tags but never met («آثاری» «~اثر»: stem_plurals.plural_with_ye)
#                   35: «رئوس», «رؤوس» «~رأس», «قوائم» «~قائمه» (was «~قوه»: data/broken_plurals_fa.txt); «پایم»
#                       «~پا», «~پای», «مویم» «~مو»: a noun's bare spelling that is the present stem only of a verb hazm
#                       barely holds («پاییدن» 33) takes «م» as rule 7 reads «پایمان» (Lexicon.noun_before_rare_verb);
#                       a common noun of two letters in «ا»/«و» + the ezafe («پای» «~پا», «بوی», «موی», «نوی»; not «روی»,
#                       «جوی», «قوی», «جای», «خوی»: stem_clitics.short_after_vowel)
#                   36: broken plurals of four letters hazm tags plural: «عناصر» «~عنصر», «فرامین» «~فرمان», «تجارب»
#                       «~تجربه», «شیاطین» «~شیطان», «جداول» «~جدول», «اقالیم», «مساکین» (data/broken_plurals_fa.txt)
#                       ; «خویشان» (relatives) kept whole, no «خوی» (the town, temper) + «شان» (data/own_words_fa.txt)


@dataclass(frozen=True)
class FieldSpec:
    """One index field. ``kind``: key (exact, unique), id (exact), keywords (comma list),
    text (analyzed, positions for phrases), datetime (filter and sort), stored (not searchable)."""

    name: str
    kind: str
    stored: bool = False
    boost: float = 1.0
    sortable: bool = False


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "key", stored=True),               # "item:123": doc_type and database id
    FieldSpec("doc_type", "id", sortable=True),        # item (cases and press conferences later)
    FieldSpec("title", "text", stored=True, boost=3.0),
    FieldSpec("body", "text"),                         # title + body; highlighted from the database
    FieldSpec("outlet", "id"),                         # outlet id as text
    FieldSpec("scope", "id", sortable=True),           # local | provincial | national
    FieldSpec("agencies", "keywords"),                 # agency slugs the document is routed to
    FieldSpec("routes", "keywords"),                   # "slug:status" of each route (every status)
    FieldSpec("published", "datetime", stored=True, sortable=True),  # naive UTC
    FieldSpec("story", "id", sortable=True),           # "c<cluster id>" for copies of one story, else ""
    FieldSpec("version", "stored", stored=True),       # hash of the indexed values, for verify
)

DOC_TYPES = ("item",)


def doc_key(doc_type: str, doc_id: int) -> str:
    """The unique index id of a database row: ``"item:123"``."""
    return f"{doc_type}:{doc_id}"


def parse_key(key: str) -> tuple[str, int]:
    """``"item:123"`` → ``("item", 123)``; raises ValueError for anything else."""
    doc_type, _, number = key.partition(":")
    if not doc_type or not number.isdigit():
        raise ValueError(f"not an index key: {key!r}")
    return doc_type, int(number)
