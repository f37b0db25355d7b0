"""Every spelling variant of DESIGN.md finds the same items through the whole stack:
database row → outbox → indexer → Whoosh → search service (as the page and the CLI use it)."""
from __future__ import annotations

import json
import random
import shutil

import pytest

from app.extensions import db
from app.services.indexing import drain
from app.services.search import search
from search_index.backend import SearchRequest
from search_index.persian import normalize
from tests.conftest import put_rows, shared_data, table_rows
from tests.search_index.item_factory import ItemFactory

ITEMS = {
    "ya_arabic": ("سخنان آقاي كريمي", "در جلسه شوراي اداري"),
    "ya_persian": ("سخنان آقای کریمی", "در جلسه شورای اداری"),
    "ya_maqsura": ("سخنان آقاى كريمى", "در جلسه"),
    "heh_teh": ("برگزاری جلسة شورا", "متن"),
    "heh_plain": ("برگزاری جلسه شورا", "متن"),
    "heh_hamza": ("برگزاری جلسۀ شورا", "متن"),
    "alef_madda": ("تامین آب آشامیدنی", "روستاها"),
    "alef_plain": ("تامین اب اشامیدنی", "روستاها"),
    "alef_hamza": ("مسئول تأمین آب", "متن"),
    # a verb of its own: a light verb after its word («اجرا می‌شود») is left out of a search (round 7)
    "mi_zwnj": ("طرح", "مردم به پارک می‌روند"),
    "mi_space": ("طرح", "مردم به پارک می روند"),
    "mi_joined": ("طرح", "مردم به پارک میروند"),
    "ha_zwnj": ("بازدید", "بازدید از پروژه‌ها"),
    "ha_space": ("بازدید", "بازدید از پروژه ها"),
    "ha_joined": ("بازدید", "بازدید از پروژهها"),
    "year_fa": ("بودجه سال ۱۴۰۵", "متن"),
    "year_ar": ("بودجه سال ١٤٠٥", "متن"),
    "year_ascii": ("بودجه سال 1405", "متن"),
    "diacritic": ("دیدار", "دیدار با مُحَمَّد رضایی"),
    "tatweel": ("دیدار", "دیدار با محـــمد رضایی"),
    "compound_zwnj": ("مدیر روابط‌عمومی استانداری", "متن"),
    "compound_space": ("مدیر روابط عمومی استانداری", "متن"),
    "compound_joined": ("مدیر روابطعمومی استانداری", "متن"),
    "ministry": ("بازدید وزیر", "بازدید از وزارت بهداشت و درمان استان"),
    "ministry_reversed": ("جلسه", "جلسه وزارت و بهداشت"),
    # The hamza on another seat, or none (schema 9): one word in every spelling.
    "board_ya": ("نشست هیئت دولت", "متن"),
    "board_alef": ("نشست هیأت دولت", "متن"),
    "board_plain": ("نشست هیات دولت", "متن"),
    "officials_ya": ("دیدار", "مسئولان استان در جلسه"),
    "officials_vav": ("دیدار", "مسؤولان استان در جلسه"),
    "officials_plain": ("دیدار", "مسوولان استان در جلسه"),
    "question_vav": ("پاسخ به سؤال خبرنگار", "متن"),
    "question_ya": ("پاسخ به سئوال خبرنگار", "متن"),
    "question_plain": ("پاسخ به سوال خبرنگار", "متن"),
    "fluid": ("انتقال سیال", "متن"),  # «سیال» is another word: «سؤال» must not find it
    "regions": ("بارش برف در مناطق کوهستانی", "متن"),  # a broken plural
    # The ezafe after «ه»: written «‌ی», «ٔ», apart or not at all (schemas 10, 11)
    "ezafe_zwnj": ("برنامه", "برنامه توسعه‌ی پایدار استان"),
    "ezafe_space": ("برنامه", "برنامه توسعه ی پایدار استان"),
    "ezafe_hamza": ("برنامه", "برنامه توسعهٔ پایدار استان"),
    "ezafe_none": ("برنامه", "برنامه توسعه پایدار استان"),
    "ezafe_alone": ("برنامه", "برنامه توسعهء پایدار استان"),  # the hamza alone, older typing (schema 17)
    # A joined compound whose first half is a stop word, before the Arabic article
    "intl_zwnj": ("همکاری", "همکاری بین‌المللی استان"),
    "intl_space": ("همکاری", "همکاری بین المللی استان"),
    "intl_joined": ("همکاری", "همکاری بینالمللی استان"),
    "region": ("بارش برف در منطقه کوهستانی", "متن"),
    # An agency's name with «و» written onto its second word after a ZWNJ (schema 16)
    "and_zwnj": ("جلسه", "مدیرکل آموزش‌وپرورش استان گفت"),
    "and_space": ("جلسه", "مدیرکل آموزش و پرورش استان گفت"),
    # «و» written onto the second word after a space (schema 24; round 9: 3 of 57 found)
    "and_left_space": ("جلسه", "مدیرکل آموزش وپرورش استان گفت"),
    "youth_zwnj": ("جلسه", "اداره ورزش‌وجوانان استان"),
    "youth_left_space": ("جلسه", "اداره ورزش وجوانان استان"),
    "youth_space": ("جلسه", "اداره ورزش و جوانان استان"),
    "water_zwnj": ("قطعی", "شرکت آب‌وفاضلاب استان اعلام کرد"),
    "water_space": ("قطعی", "شرکت آب و فاضلاب استان اعلام کرد"),
    "premier": ("دیدار", "دیدار نخست‌وزیر عراق"),  # «وزیر» is a word: no «و» + «زیر»
    # A stop word and a half that make a noun of hazm's lexicon, typed apart (a review of search, round 2)
    "province_joined": ("همایش", "همایش گردشگری در چهارمحال و بختیاری"),
    "province_spaced": ("همایش", "همایش گردشگری در چهار محال و بختیاری"),
    # An agent noun's plural written apart (schema 19): «دانش‌آموز» missed «دانش آموزان»
    "pupils_zwnj": ("تجلیل", "تجلیل از دانش‌آموزان ممتاز"),
    "pupils_spaced": ("تجلیل", "تجلیل از دانش آموزان ممتاز"),
    "pupil": ("تجلیل", "تجلیل از دانش‌آموز ممتاز"),
    # A noun of the lexicon with a stop-word half, in every spelling (a review of search, round 4:
    # «خاطرنشان» missed 57 of the 64 articles writing «خاطر نشان»; «هم زمان» ranked «زمان» first)
    "noted_joined": ("جلسه", "استاندار خاطرنشان کرد که طرح اجرا شد"),
    "noted_zwnj": ("جلسه", "استاندار خاطر‌نشان کرد که طرح اجرا شد"),
    "noted_spaced": ("جلسه", "استاندار خاطر نشان کرد که طرح اجرا شد"),
    "forecast_joined": ("هواشناسی", "پیشبینی بارش برف در استان"),
    "forecast_spaced": ("هواشناسی", "پیش بینی بارش برف در استان"),
    "same_time_joined": ("افتتاح", "افتتاح همزمان دو طرح در استان"),
    "same_time_spaced": ("افتتاح", "افتتاح هم زمان دو طرح در استان"),
    "time_only": ("تعویق", "تعویق زمان افتتاح بیمارستان"),  # «زمان» alone: no «همزمان»
    "rest": ("استراحت", "استراحت پزشکی"),  # «است» + «راحت»: a verb's form is no half
    "is_easy": ("متن", "این کار ساده است راحت هم هست"),
    # A stop word that is a verb or a preposition is no half: «قرار داد» is no «قرارداد» (the review of
    # the round-4 change), «بر نامه» no «برنامه», «به داشت» no «بهداشت»
    "contract": ("قرارداد", "قرارداد ساخت سد امضا شد"),
    "placed": ("بررسی", "استاندار طرح را مورد بررسی قرار داد"),
    "letter": ("تاکید", "تاکید بر نامه رهبری در جلسه"),
    "update_zwnj": ("سامانه", "به‌روزرسانی سامانه آغاز شد"),
    "update_spaced": ("سامانه", "به روز رسانی سامانه آغاز شد"),
    # Two content words typed apart that make one noun of the lexicon (a review of search, round 5:
    # «تصمیم گیری» ranked «کناره‌گیری» in a title, with «تصمیم» elsewhere, second)
    "decision_zwnj": ("شورا", "تصمیم‌گیری درباره طرح"),
    "decision_spaced": ("شورا", "تصمیم گیری درباره طرح"),
    "decision_joined": ("شورا", "تصمیمگیری درباره طرح"),
    "resign_apart": ("کناره‌گیری استاندار", "این تصمیم شورا بود"),
    # A verb's forms (a review of search, round 5: «می‌پذیرد» found none of «بپذیرد», «پذیرفتند»)
    "accept_mi": ("شورا", "شورا این طرح را می‌پذیرد"),
    "accept_subj": ("شورا", "شورا باید این طرح را بپذیرد"),
    "accept_neg": ("شورا", "شورا این طرح را نمی پذیرد"),
    "accept_past": ("شورا", "اعضای شورا این طرح را پذیرفتند"),
    "accept_participle": ("شورا", "این طرح پذیرفته شده است"),
    # A date typed whole is its numbers side by side (a review of search, round 4)
    "date_slash": ("قرارداد", "قرارداد در تاریخ 1387/2/17 امضا شد"),
    "date_persian": ("قرارداد", "قرارداد در تاریخ ۱۳۸۷/۰۲/۱۷ امضا شد"),
    "date_scattered": ("قرارداد", "در سال 1387 دو قرارداد بسته شد؛ بند 2 و ماده 17"),
    # A privative prefix written apart is its compound's (a review of search, round 6: «کم آبی»
    # searched «آبی», blue; «غیر قانونی» every «قانونی», and «غیرقانونی» missed the spaced ones)
    "drought_spaced": ("بحران", "کم آبی در تهران جدی است"),
    "drought_zwnj": ("بحران", "کم‌آبی در تهران جدی است"),
    "blue": ("رنگ", "رنگ آبی آسمان و کم شدن باران"),
    "illegal_spaced": ("ساخت", "ساخت و ساز غیر قانونی در حریم"),
    "illegal_joined": ("ساخت", "ساخت و ساز غیرقانونی در حریم"),
    "legal": ("مجوز", "مجوز قانونی صادر شد"),
    # A compound around «و» written joined is its spaced phrase (round 6: «صداوسیما» missed 13 of the
    # 19 articles writing «صدا و سیما», and the spaced spelling the joined ones)
    "irib_joined": ("گزارش", "گزارش صداوسیما از سیل"),
    "irib_spaced": ("گزارش", "گزارش صدا و سیما از سیل"),
    "irib_zwnj": ("گزارش", "گزارش صدا‌وسیما از سیل"),
    "voice_only": ("گزارش", "صدای مردم از سیما و چهره شهر"),
    "pharmacy": ("داروخانه", "داروخانه شبانه‌روزی"),
    # … with the forms of its words, as the two words searched apart found them (the review of the
    # change: «ساخت و ساز» lost «ساخت و سازهای غیرمجاز», «صدا و سیما» «صدا و سیمای مرکز»)
    "irib_ezafe": ("گزارش", "گزارش صدا و سیمای مرکز از سیل"),
    "building_plural": ("تخریب", "تخریب ساخت و سازهای غیرمجاز در حریم رود"),
    "building": ("تخریب", "تخریب ساخت و ساز غیرمجاز در حریم رود"),
    # A verb's two stems around «و», also written without it: «گفتگو» found 70 of the 426 articles of
    # the word (118 write it so, 309 «گفت‌وگو», 59 «گفت و گو», 42 «گفت‌و‌گو»), and «گفت و گو»
    # searched «گو» alone («گفت» is a stop word)
    "talk_joined": ("نشست", "گفتگو با خبرنگاران درباره سیل"),
    "talk_zwnj": ("نشست", "گفت‌وگو با خبرنگاران درباره سیل"),
    "talk_spaced": ("نشست", "گفت و گو با خبرنگاران درباره سیل"),
    "talk_two_zwnj": ("نشست", "گفت‌و‌گو با خبرنگاران درباره سیل"),
    "talk_left_spaced": ("نشست", "گفت وگو با خبرنگاران درباره سیل"),
    "talk_with_va": ("نشست", "گفتوگو با خبرنگاران درباره سیل"),
    "talk_plural": ("نشست", "گفتگوهای خبرنگاران درباره سیل"),
    "said_and": ("نشست", "او گفت و رفت و گوینده خبر ماند"),
    "search_engine": ("نشست", "جستجوگر تازه و جست و جوی اسناد"),
    # «سوء» (mal-) and its word are one, spaced or joined: «سوء استفاده» searched «سوء» alone
    # («استفاده» is a stop word), «سوءاستفاده» missed the 9 of 20 articles writing it spaced
    "misuse_joined": ("پرونده", "سوءاستفاده از اموال عمومی"),
    "misuse_spaced": ("پرونده", "سوء استفاده از اموال عمومی"),
    "misuse_zwnj": ("پرونده", "سوء‌استفاده از اموال عمومی"),
    "misrule": ("پرونده", "سوء مدیریت در شهرداری"),
    "use": ("پرونده", "استفاده از سوء پیشینه و مدیریت شهری"),
    # «کل» after an office is one title, spaced, joined or with a ZWNJ: «مدیر کل» searched «مدیر» alone
    # and missed 64 of the 127 articles naming one («کل» is a stop word)
    "director_joined": ("بازدید", "مدیرکل منابع طبیعی از جنگل"),
    "director_spaced": ("بازدید", "مدیر کل منابع طبیعی از جنگل"),
    "director_zwnj": ("بازدید", "مدیر‌کل منابع طبیعی از جنگل"),
    "director_only": ("بازدید", "مدیر مدرسه و کل کارکنان از جنگل"),
    "office_spaced": ("بازدید", "بازدید اداره کل ورزش از سالن"),
    "directors": ("بازدید", "بازدید مدیران کل استان از جنگل"),
    "smoke_name": ("بازدید", "بازدید ودود رضایی از جنگل"),  # a name in «و», no «و» + «دود» (the code review)
    "shows_spaced": ("آمار", "این آمار نشان دهنده رشد است"),
    "shows_joined": ("آمار", "این آمار نشاندهنده رشد است"),
    "showed": ("آمار", "آمار نشان داد که دهنده کمک کرد"),
    "premier_spaced": ("دیدار", "نخست وزیر عراق به تهران آمد"),
    "premier_zwnj": ("دیدار", "نخست‌وزیر عراق به تهران آمد"),
    "first_minister": ("دیدار", "نخست آنکه وزیر نیرو آمد"),
    # «گرامی داشت» searched «گرامی» alone («داشت» an auxiliary) and missed 36 of the 49 articles
    "honour_joined": ("مراسم", "گرامیداشت هفته دفاع مقدس"),
    "honour_spaced": ("مراسم", "گرامی داشت هفته دفاع مقدس"),
    "honour_zwnj": ("مراسم", "گرامی‌داشت هفته دفاع مقدس"),
    "dear": ("مراسم", "یاد گرامی شهیدان زنده است و او داشت می‌رفت"),
    # A town's name of two words, one a light verb: «شهر کرد» searched «شهر» alone
    "capital_joined": ("همایش", "همایش استانی در شهرکرد برگزار شد"),
    "capital_spaced": ("همایش", "همایش استانی در شهر کرد برگزار شد"),
    "city_did": ("همایش", "همایش در شهر برگزار شد و کار را تمام کرد"),
    # Spelling families (search_index/spelling_families.py; a review of search, round 9)
    "ayatollah": ("سخنرانی", "سخنرانی آیت‌الله مکارم در جمع طلاب"),
    "ayatolah": ("سخنرانی", "سخنرانی آیت اله مکارم در جمع طلاب"),
    "abdollah_joined": ("سخنرانی", "سخنرانی عبدالله رضایی در جمع طلاب"),
    "abdolah": ("سخنرانی", "سخنرانی عبداله رضایی در جمع طلاب"),
    "a_god": ("سخنرانی", "سخنرانی درباره اله باستانی و آیت قرآن"),
    "president_short": ("سفر", "سفر رئیس جمهور به استان"),
    "president_long": ("سفر", "سفر رئیس‌جمهوری به استان"),
    "republic": ("سفر", "سفر رئیس دانشگاه به جمهوری آذربایجان"),
    "misuse_no_hamza": ("پرونده", "سو استفاده از اموال عمومی"),
    "flu_common": ("هشدار", "هشدار درباره آنفولانزای فصلی"),
    "flu_loan": ("هشدار", "هشدار: آنفلوآنزا در مدارس"),
    "tv_plain": ("برنامه", "برنامه تلویزیونی شبکه استانی"),
    "tv_short": ("برنامه", "برنامه تلوزیونی شبکه استانی"),
    "ticket_te": ("فروش", "فروش بلیت قطار مشهد"),
    "ticket_ta": ("فروش", "فروش بلیطهای قطار مشهد"),
    "storm_te": ("هشدار", "توفان در راه است"),
    "storm_ta": ("هشدار", "طوفان‌ها در راه است"),
    # «اتاق» or «اطاق» (session 43: «اطاق بازرگانی» found none of the 3 articles of «اتاق بازرگانی»)
    "room_te": ("نشست", "نشست اتاق بازرگانی استان"),
    "room_ta": ("نشست", "نشست اطاق‌های بازرگانی استان"),
    "booth": ("نشست", "نشست در اتاقک نگهبانی"),
    # An office and its holder (session 43, round 43's dev: «معاون استاندار» missed 4 of the 7 articles
    # the rules mark relevant, each writing «معاون سیاسی استانداری»)
    "governor": ("دیدار", "دیدار مردمی بخشدار"),
    "governorate": ("دیدار", "دیدار معاون بخشداری"),
    "buyer": ("دیدار", "دیدار خریدار گندم"),
    "purchase": ("دیدار", "دیدار و خریداری گندم"),
}


def indexed(items: dict[str, tuple[str, str]]) -> dict[str, int]:
    """The items (name: title, text) stored and indexed; their ids by name."""
    factory = ItemFactory()
    made = {name: factory.make(title, text, commit=False) for name, (title, text) in items.items()}
    db.session.commit()
    assert drain().remaining == 0
    return {name: item.id for name, item in made.items()}


_MADE: dict[str, tuple[dict[str, int], dict[str, list[dict]], object]] = {}


def indexed_once(app, tmp_path_factory, name: str, items: dict[str, tuple[str, str]]) -> dict[str, int]:
    """``indexed(items)`` for a module's first test that asks; each later test gets the rows and the
    index files that made, copied into its own fresh database and index folder. The tests only
    search, and analysing and indexing the same ~100 items again for each of the 60 cases was this
    file's whole cost, the suite's heaviest on PostgreSQL (session 44: 56 s of a worker's CPU)."""
    if name not in _MADE:
        ids = indexed(items)
        kept = tmp_path_factory.mktemp(f"variants-{name}") / "index"
        shutil.copytree(app.config["SEARCH_INDEX_DIR"], kept)
        _MADE[name] = ids, table_rows(), kept
        return ids
    ids, rows, kept = _MADE[name]
    put_rows(rows)
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"], ignore_errors=True)
    shutil.copytree(kept, app.config["SEARCH_INDEX_DIR"])
    return ids


@pytest.fixture
def ids(app, tmp_path_factory):
    return indexed_once(app, tmp_path_factory, "spellings", ITEMS)


def found(text: str) -> set[int]:
    page = search(SearchRequest(text, per_page=100))
    return {result.item.id for result in page.results}


@pytest.mark.parametrize("group, queries", [
    ({"ya_arabic", "ya_persian", "ya_maqsura"}, ["كريمي", "کریمی", "كريمى", "آقاي كريمي", "آقای کریمی"]),
    # «شورا» also finds «جلسه شورای اداری»: the ezafe after a vowel is a form (stemmer rule 6)
    ({"heh_teh", "heh_plain", "heh_hamza", "ya_arabic", "ya_persian"},
     ["جلسة شورا", "جلسه شورا", "جلسۀ شورا", "جلسھ شورا"]),
    ({"alef_madda", "alef_plain"}, ["آب آشامیدنی", "اب اشامیدنی", "آب اشامیدنی"]),
    ({"alef_hamza"}, ["تأمین آب مسئول", "تامین اب مسئول", "مسئول تإمین"]),
    ({"mi_zwnj", "mi_space", "mi_joined"}, ["پارک می‌روند", "پارک می روند", "پارک میروند"]),
    ({"ha_zwnj", "ha_space", "ha_joined"}, ["پروژه‌ها", "پروژه ها", "پروژهها"]),
    ({"year_fa", "year_ar", "year_ascii"}, ["۱۴۰۵", "١٤٠٥", "1405", "بودجه ۱۴۰۵"]),
    ({"diacritic", "tatweel"}, ["محمد رضایی", "مُحَمَّد", "محـمد", "مُحـمّد رضایی"]),
    ({"compound_zwnj", "compound_space", "compound_joined"},
     ["روابط‌عمومی", "روابط عمومی", "روابطعمومی", '"روابط‌عمومی استانداری"', '"روابط عمومی استانداری"',
      "«روابطعمومی استانداری»"]),
    ({"board_ya", "board_alef", "board_plain"}, ["هیئت", "هیأت", "هیات", '"هیئت دولت"', '"هیات دولت"']),
    ({"officials_ya", "officials_vav", "officials_plain"}, ["مسئولان", "مسؤولان", "مسوولان", "مسئولان استان"]),
    ({"question_vav", "question_ya", "question_plain"}, ["سؤال", "سئوال", "سوال", '"سؤال خبرنگار"']),
    ({"ezafe_zwnj", "ezafe_space", "ezafe_hamza", "ezafe_none", "ezafe_alone"},
     ["توسعه‌ی", "توسعهٔ", "توسعه", "توسعهء", '"توسعهء پایدار"', '"توسعه‌ی پایدار"', '"توسعهٔ پایدار"', '"توسعه پایدار"', '"توسعه ی پایدار"',
      "«توسعه‌ی پایدار استان»"]),
    ({"and_zwnj", "and_space", "and_left_space"}, ["آموزش وپرورش", "آموزش و پرورش", "آموزش‌وپرورش", '"آموزش و پرورش"', '"آموزش‌وپرورش استان"',
                                  '"مدیرکل آموزش و پرورش"']),
    ({"water_zwnj", "water_space"}, ["آب و فاضلاب", "آب‌وفاضلاب", '"آب و فاضلاب"', '"شرکت آب‌وفاضلاب"', "فاضلاب"]),
    ({"province_joined", "province_spaced"}, ["چهار محال و بختیاری", '"چهار محال و بختیاری"', "چهار‌محال"]),
    ({"pupils_zwnj", "pupils_spaced", "pupil"}, ["دانش‌آموز", "دانش آموز", "دانشآموز"]),
    ({"pupils_zwnj", "pupils_spaced"}, ["دانش‌آموزان", "دانش آموزان"]),
    ({"noted_joined", "noted_zwnj", "noted_spaced"}, ["خاطرنشان", "خاطر‌نشان", "خاطر نشان", '"خاطر نشان کرد"',
                                                       '"خاطرنشان کرد"']),
    ({"forecast_joined", "forecast_spaced"}, ["پیشبینی", "پیش‌بینی", "پیش بینی", '"پیش بینی بارش"']),
    ({"same_time_joined", "same_time_spaced"}, ["همزمان", "هم‌زمان", "هم زمان"]),
    ({"rest"}, ["استراحت"]),
    ({"decision_zwnj", "decision_spaced", "decision_joined"}, ["تصمیم گیری", "تصمیم‌گیری", "تصمیمگیری"]),
    ({"contract", "date_slash", "date_persian", "date_scattered"}, ["قرارداد"]),
    ({"accept_mi", "accept_subj", "accept_neg", "accept_past", "accept_participle"},
     ["می‌پذیرد", "بپذیرد", "نمی‌پذیرد", "پذیرفتند", "پذیرفت"]),
    ({"update_zwnj", "update_spaced"}, ["به روز رسانی", "به‌روزرسانی"]),
    ({"drought_spaced", "drought_zwnj"}, ["کم آبی", "کم‌آبی", "کمآبی", '"کم آبی"', "کم آبی تهران"]),
    ({"illegal_spaced", "illegal_joined"}, ["غیر قانونی", "غیرقانونی", "غیر‌قانونی", '"غیر قانونی"']),
    ({"irib_joined", "irib_spaced", "irib_zwnj", "irib_ezafe"}, ["صداوسیما", "صدا و سیما", "صدا‌وسیما"]),
    ({"building_plural", "building", "illegal_spaced", "illegal_joined"}, ["ساخت و ساز"]),
    ({"building_plural", "building"}, ["ساخت و ساز غیرمجاز"]),
    ({"pharmacy"}, ["داروخانه"]),
    ({"talk_joined", "talk_zwnj", "talk_spaced", "talk_two_zwnj", "talk_left_spaced", "talk_with_va", "talk_plural"},
     ["گفتگو", "گفت‌وگو", "گفت و گو", "گفت‌و‌گو", "گفتوگو", "گفت وگو"]),
    ({"talk_plural"}, ["گفتگوهای", "گفت‌وگوهای"]),
    ({"search_engine"}, ["جستجو", "جست‌وجو"]),
    ({"misuse_joined", "misuse_spaced", "misuse_zwnj", "misuse_no_hamza"}, ["سوءاستفاده", "سوء استفاده", "سوء‌استفاده"]),
    ({"misrule"}, ["سوء مدیریت", "سوءمدیریت"]),
    ({"director_joined", "director_spaced", "director_zwnj", "and_zwnj", "and_space", "and_left_space", "directors"},
     ["مدیرکل", "مدیر کل", "مدیر‌کل"]),
    ({"smoke_name"}, ["ودود"]),
    ({"youth_zwnj", "youth_left_space", "youth_space"}, ["ورزش و جوانان", "ورزش‌وجوانان", "ورزش وجوانان", '"ورزش و جوانان"']),
    ({"director_joined", "director_spaced", "director_zwnj"}, ["مدیر کل منابع طبیعی", "مدیرکل منابع طبیعی"]),
    ({"office_spaced"}, ["اداره کل ورزش", "اداره ی کل ورزش", "ادارهٔ کل ورزش", "اداره‌ی کل ورزش"]),
    ({"shows_spaced", "shows_joined"}, ["نشان دهنده", "نشاندهنده", "نشان‌دهنده"]),
    ({"ayatollah", "ayatolah"}, ["آیت‌الله", "آیت الله", "آیت اله", "آیتاله", "آیت‌اله"]),
    ({"abdollah_joined", "abdolah"}, ["عبدالله", "عبداله", "عبد الله"]),
    ({"president_short", "president_long"}, ["رئیس جمهور", "رئیس‌جمهوری", "رئیس جمهوری", "رییسجمهور"]),
    ({"misuse_joined", "misuse_spaced", "misuse_zwnj", "misuse_no_hamza"}, ["سو استفاده", "سواستفاده"]),
    ({"capital_joined", "capital_spaced"}, ["شهرکرد", "شهر کرد", '"شهر کرد"', "شهر‌کرد"]),
    ({"flu_common", "flu_loan"}, ["آنفولانزا", "آنفلوآنزا", "آنفلوانزا", "انفولانزا"]),
    ({"tv_plain", "tv_short"}, ["تلویزیونی", "تلوزیونی", "برنامه تلوزیونی"]),
    ({"honour_joined", "honour_spaced", "honour_zwnj"}, ["گرامیداشت", "گرامی داشت", "گرامی‌داشت"]),
    ({"premier", "premier_spaced", "premier_zwnj"}, ["نخست وزیر", "نخستوزیر", "نخست‌وزیر", '"نخست وزیر"']),
    ({"date_slash", "date_persian"}, ["1387/2/17", "۱۳۸۷/۲/۱۷", "1387/02/17", "۱۳۸۷/۰۲/۱۷", "1387-02-17"]),
    ({"intl_zwnj", "intl_space", "intl_joined"},
     ["بین‌المللی", "بین المللی", "بینالمللی", '"همکاری بینالمللی"', '"همکاری بین المللی"']),
])
def test_every_spelling_finds_the_same_items(ids, group, queries):
    expected = {ids[name] for name in group}
    for text in queries:
        assert found(text) == expected, text


def test_a_quoted_phrase_takes_its_words_spelling_families(ids):
    """Spellings that no letter fold relates. Each word of a quoted phrase (or two or three that make one) also matches its family's other
    spellings, with its other forms where the word typed alone would: «"آنفولانزا فصلی"» found
    only its own spelling (the round-41 review). One test, one index (a case costs its index)."""
    talk = {"talk_joined", "talk_zwnj", "talk_spaced", "talk_two_zwnj", "talk_left_spaced", "talk_with_va"}
    for group, queries in (({"flu_loan"}, ['"آنفولانزا در مدارس"', "«آنفلوانزا در مدارس»"]),
                           ({"flu_common"}, ['"آنفلوآنزای فصلی"', '"آنفلوآنزا فصلی"']),
                           ({"flu_loan"}, ['"آنفولانزا"']),  # a quoted word: its spellings, not its forms
                           (talk, ['"گفتگو با خبرنگاران"', '"گفت و گو با خبرنگاران"']),
                           ({"ayatollah", "ayatolah"}, ['"آیت اله مکارم"', '"سخنرانی آیت‌الله"']),
                           ({"president_short", "president_long"}, ['"سفر رئیس جمهور"']),
                           # «ط» or «ت» (round 42's dev), typed alone or quoted
                           ({"ticket_te", "ticket_ta"}, ["بلیط", "بلیت", "بلیط قطار", '"بلیت قطار"']),
                           ({"storm_te", "storm_ta"}, ["توفان", "طوفان"]),
                           ({"room_te", "room_ta"}, ["اتاق", "اطاق", "اطاق بازرگانی", '"اتاق بازرگانی"']),
                           ({"room_ta"}, ["اتاق‌ها", '"اتاقهای بازرگانی"'])):
        for text in queries:
            assert found(text) == {ids[name] for name in group}, text


def test_an_office_and_its_holder_are_searched_together(ids):
    """«بخشدار» finds «بخشداری» and the other way, for the offices listed (``OFFICES``: «استاندار»,
    «فرماندار»…); exact spelling first. A «…دار» word of no listed office is no holder: «خریدار» (buyer) is not «خریداری»
    (purchase)."""
    for text in ("بخشدار", "بخشداری"):
        assert found(text) == {ids["governor"], ids["governorate"]}, text
    assert found("معاون بخشدار") == {ids["governorate"]}
    assert found("خریدار") == {ids["buyer"]}
    assert found("خریداری") == {ids["purchase"]}
    page = search(SearchRequest("بخشداری", per_page=10))
    assert page.results[0].item.id == ids["governorate"]


def test_phrase_with_a_stop_word_matches_exactly(ids):
    assert found('"وزارت بهداشت و درمان"') == {ids["ministry"]}
    assert found("«وزارت و بهداشت»") == {ids["ministry_reversed"]}
    assert ids["ministry_reversed"] not in found('"وزارت بهداشت و درمان"')


def test_words_with_diacritics_are_highlighted_as_written(ids):
    page = search(SearchRequest("محمد", per_page=10))
    snippets = {r.item.id: r.hit.snippet_html for r in page.results}
    assert "<mark>مُحَمَّد</mark>" in snippets[ids["diacritic"]]
    assert "<mark>محـــمد</mark>" in snippets[ids["tatweel"]]


@pytest.fixture(scope="module")
def news():
    articles = []
    for path in sorted(shared_data("persian-news").glob("*.json")):
        articles += json.loads(path.read_text(encoding="utf-8"))
    assert len(articles) >= 1500
    return articles


TO_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
TO_PERSIAN = str.maketrans({"ي": "ی", "ك": "ک"})


@pytest.mark.slow
def test_real_articles_found_whichever_letters_the_query_uses(app, news):
    factory = ItemFactory()
    made = [factory.make(a["title"], "\n".join([a.get("abstract", "")] + a["paragraphs"]), commit=False)
            for a in news]
    db.session.commit()
    app.config["SEARCH_INDEX_BATCH"] = 2000
    assert drain().indexed == len(news)
    arabic_only = [i for i, a in enumerate(news) if "ي" in a["title"] and "ی" not in a["title"]]
    persian_only = [i for i, a in enumerate(news) if "ی" in a["title"] and "ي" not in a["title"]]
    assert len(arabic_only) > 50 and len(persian_only) > 50, "the corpus mixes both spellings"
    rng = random.Random(1405)
    for sample, convert in ((arabic_only, TO_PERSIAN), (persian_only, TO_ARABIC)):
        for i in rng.sample(sample, 15):
            words = [w for w in news[i]["title"].split() if len(normalize(w)) >= 4 and any(c in w for c in "یکيك")]
            if not words:
                continue
            query = max(words, key=len).translate(convert)  # typed in the other alphabet
            assert made[i].id in found(query), (news[i]["title"], query)
    for word in ("رئيس", "كشور", "يكشنبه", "ايران"):
        arabic, persian = found(word), found(word.translate(TO_PERSIAN))
        assert arabic == persian and len(persian) > 5, word


def test_a_hamza_spelling_is_highlighted_as_written(ids):
    page = search(SearchRequest("هیات", per_page=10))
    titles = {r.item.id: r.hit.title_html for r in page.results}
    assert "<mark>هیئت</mark>" in titles[ids["board_ya"]] and "<mark>هیأت</mark>" in titles[ids["board_alef"]]


def test_a_singular_finds_its_broken_plural(ids):
    """«منطقه» finds «مناطق» (its stem term), ranked after the exact form."""
    page = search(SearchRequest("منطقه کوهستانی", per_page=10))
    assert [r.item.id for r in page.results] == [ids["region"], ids["regions"]]


COMPOUND_VERBS = {
    "held_shod": ("نمایشگاه فرش", "نمایشگاه فرش دستباف استان برگزار شد"),
    "held_gardid": ("جشنواره", "جشنواره ملی گل محمدی برگزار گردید"),
    "held_mishavad": ("جشنواره", "جشنواره فیلم کوتاه هفته آینده برگزار می‌شود"),
    "held_not": ("جشنواره", "جشنواره تئاتر امسال برگزار نشد"),
    "islamabad_zwnj": ("دیدار", "دیدار سفیر در اسلام‌آباد"),
    "islamabad_spaced": ("دیدار", "دیدار سفیر در اسلام آباد"),
    "islam": ("همایش", "همایش اندیشه اسلام و آبادانی شهر"),  # «اسلام» and «آباد…» apart: no Islamabad
    "unfinished_spaced": ("پروژه", "پروژه نیمه تمام بیمارستان"),
    "unfinished_zwnj": ("پروژه", "پروژه نیمه‌تمام مدرسه"),
    "half": ("نیمه", "نیمه نهایی تمام شد"),  # «نیمه» and «تمام» in other senses
}


@pytest.fixture
def compound_ids(app, tmp_path_factory):
    return indexed_once(app, tmp_path_factory, "compound verbs", COMPOUND_VERBS)


def test_a_compound_verb_finds_its_word_whatever_light_verb_it_was_written_with(compound_ids):
    """A review of search, round 7: «برگزار گردید» asked for «گردید» too (5 articles of the 360 with
    «برگزار»), «برگزار می‌شود» missed «برگزار شد»; a negative says the opposite and stays."""
    held = {compound_ids[n] for n in ("held_shod", "held_gardid", "held_mishavad", "held_not")}
    for query in ("برگزار شد", "برگزار گردید", "برگزار می‌شود", "برگزار می شود", "برگزار میگردد",
                  "برگزار گردیده است", "برگزار خواهد شد", "برگزار"):
        assert found(query) == held, query
    assert found("برگزار نشد") == {compound_ids["held_not"]}
    assert found("گردید") == {compound_ids["held_gardid"]}  # alone, it is looked for


def test_a_compound_whose_second_half_is_a_stop_word_is_searched_whole(compound_ids):
    """«اسلام آباد» searched «اسلام» alone and «نیمه تمام» «نیمه» (a review of search, round 7)."""
    islamabad = {compound_ids["islamabad_zwnj"], compound_ids["islamabad_spaced"]}
    for query in ("اسلام آباد", "اسلام‌آباد", "اسلام اباد"):
        assert found(query) == islamabad, query
    unfinished = {compound_ids["unfinished_spaced"], compound_ids["unfinished_zwnj"]}
    assert found("نیمه تمام") == unfinished and found("نیمه‌تمام") == unfinished


def test_each_spelling_of_a_verbs_two_stems_is_highlighted_as_written(ids):
    page = search(SearchRequest("گفتگو", per_page=20))
    snippets = {r.item.id: r.hit.snippet_html for r in page.results}
    assert "<mark>گفتگو</mark>" in snippets[ids["talk_joined"]]
    assert "<mark>گفت\u200cوگو</mark>" in snippets[ids["talk_zwnj"]]
    assert "<mark>گفت</mark> <mark>و</mark> <mark>گو</mark>" in snippets[ids["talk_spaced"]]  # as a phrase is
