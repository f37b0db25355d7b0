"""Foreign places in a title: «استاندار بیروت», America's «بیکاری», a British hospital's robots were
routed to a province's agencies by a title word (reviews of routing, rounds 3, 6 and 7). The labelling
rules give news about other countries to no agency, so a title-only rule's match on a title that names
a foreign place and no Iranian one is held back (``RuleSet.route``): not routed (the rule tester lists it).

Both lists are written from general knowledge (not from the labelled articles), in Persian, and read
by the analysis of the rules (``matcher.compile_rule``): «آمريكا», «آمریکای لاتین», «نیو یورک» and
«نیویورک» are each one of their spellings. Left out on purpose: names that are also common words or
Iranian places («چک» a cheque, «کیف» a bag, «کابل» a cable, «دوشنبه» Monday, «آستانه» a threshold,
«قدس» of Quds Day, «اسلام‌آباد» of Kermanshah, «آذربایجان» alone, «کردستان» alone), the pilgrims'
cities (Iranian pilgrims to Karbala, Najaf, Mecca are the province's news: its roads, its health
teams), demonyms («انگلیسی» is a school subject, «ترکی» a language of Iran), and the names that are
words of a province's own service news: «یمن» («به یمن دهه فجر», in honour of), «دبی» (a river's or a
well's flow), «قطر» (a pipe's diameter): held, such a title lost its water or gas company's route.
«آلمان» counts only written so: the analysis folds it into «المان», a town's monument. A title naming Iran, a
province or an Iranian city is the province's news even with a foreign name beside it («صادرات سیب
آذربایجان غربی به عراق», «استاندار اصفهان با سفیر اتریش دیدار کرد»), and so is a title whose foreign place names a
visitor or the goal of the province's own trip, not where the news happens («دیدار استاندار با سرکنسول عراق»,
«سفر استاندار به ترکیه»: ``visitors_place``).
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache

from app.rules.analysis import AnalyzedItem, analyze_item
from app.rules.matcher import CompiledRule, compile_rule, explain, matches
from search_index.normalization import normalize

FOREIGN = (
    # countries and blocs
    "آمریکا", "ایالات متحده", "کانادا", "مکزیک", "کوبا", "ونزوئلا", "برزیل", "آرژانتین", "شیلی", "کلمبیا",
    "بولیوی", "نیکاراگوئه", "اروپا", "اتحادیه اروپا", "انگلیس", "انگلستان", "بریتانیا", "فرانسه", "آلمان",
    "ایتالیا", "اسپانیا", "پرتغال", "هلند", "بلژیک", "سوئیس", "اتریش", "سوئد", "نروژ", "دانمارک",
    "فنلاند", "ایسلند", "ایرلند", "لهستان", "مجارستان", "رومانی", "بلغارستان", "یونان", "صربستان",
    "کرواسی", "جمهوری چک", "اسلواکی", "اوکراین", "بلاروس", "روسیه", "جمهوری آذربایجان", "ارمنستان",
    "گرجستان", "ترکیه", "قبرس", "ترکمنستان", "ازبکستان", "تاجیکستان", "قزاقستان", "قرقیزستان",
    "افغانستان", "پاکستان", "هند", "هندوستان", "بنگلادش", "سریلانکا", "نپال", "میانمار", "چین", "ژاپن",
    "کره جنوبی", "کره شمالی", "تایوان", "هنگ کنگ", "مغولستان", "ویتنام", "تایلند", "مالزی", "اندونزی",
    "سنگاپور", "فیلیپین", "استرالیا", "نیوزیلند", "عراق", "سوریه", "لبنان", "اردن", "فلسطین",
    "اسرائیل", "رژیم صهیونیستی", "عربستان", "امارات", "کویت", "بحرین", "عمان", "مصر",
    "لیبی", "تونس", "الجزایر", "مراکش", "سودان", "سومالی", "اتیوپی", "کنیا", "نیجریه", "آفریقا",
    "آفریقای جنوبی", "غزه", "کرانه باختری",
    # capitals and big cities
    "واشنگتن", "نیویورک", "کالیفرنیا", "لس آنجلس", "شیکاگو", "تگزاس", "فلوریدا", "تورنتو", "اتاوا",
    "ونکوور", "لندن", "منچستر", "لیورپول", "پاریس", "برلین", "مونیخ", "هامبورگ", "فرانکفورت", "رم",
    "میلان", "مادرید", "بارسلون", "لیسبون", "آمستردام", "بروکسل", "ژنو", "زوریخ", "وین", "استکهلم",
    "اسلو", "کپنهاگ", "ورشو", "بوداپست", "آتن", "مسکو", "سن پترزبورگ", "کی‌یف", "مینسک", "باکو",
    "ایروان", "تفلیس", "آنکارا", "استانبول", "ازمیر", "عشق آباد", "تاشکند", "سمرقند", "بیشکک",
    "هرات", "مزارشریف", "قندهار", "کراچی", "لاهور", "پیشاور", "کویته", "دهلی", "بمبئی", "پکن",
    "شانگهای", "توکیو", "سئول", "پیونگ یانگ", "بانکوک", "کوالالامپور", "جاکارتا", "سیدنی", "بغداد",
    "بصره", "اربیل", "سلیمانیه", "موصل", "کرکوک", "فلوجه", "رمادی", "تکریت", "دمشق", "حلب", "حمص", "ادلب",
    "دیرالزور", "دیر الزور", "رقه", "درعا", "بیروت", "تل آویو", "ریاض", "جده",
    "ابوظبی", "دوحه", "منامه", "مسقط", "صنعا", "عدن", "قاهره", "طرابلس", "کاراکاس", "هاوانا",
    # seats of power named for their country
    "کاخ سفید", "پنتاگون", "کرملین", "ناتو",
)

IRANIAN = (
    "ایران", "ایرانی", "کشورمان", "استان", "استانی", "شهرستان", "خلیج فارس", "دریای خزر", "دریای عمان",
    "تنگه هرمز",
    # Iranians abroad and foreigners in Iran: pilgrims (the labelling rules: a pilgrims' route to Karbala
    # is the province's news), the border markets, foreign nationals living in the province
    "زائران", "زوار", "اربعین", "حجاج", "بازارچه مرزی", "بازارچه‌های مرزی", "پایانه مرزی", "اتباع",
    # provinces
    "آذربایجان", "آذربایجان شرقی", "آذربایجان غربی", "اردبیل", "اصفهان", "البرز", "ایلام", "بوشهر",
    "تهران", "چهارمحال", "بختیاری", "خراسان", "خوزستان", "زنجان", "سمنان", "سیستان", "بلوچستان", "فارس",
    "قزوین", "قم", "کردستان", "کرمان", "کرمانشاه", "کهگیلویه", "بویراحمد", "گلستان", "گیلان", "لرستان",
    "مازندران", "استان مرکزی", "هرمزگان", "همدان", "یزد",
    # provincial centres, big cities, border and port towns
    "تبریز", "ارومیه", "کرج", "شهرکرد", "بیرجند", "مشهد", "بجنورد", "اهواز", "زاهدان", "شیراز", "سنندج",
    "یاسوج", "گرگان", "رشت", "خرم آباد", "ساری", "اراک", "بندرعباس", "آبادان", "خرمشهر", "دزفول",
    "شوشتر", "اندیمشک", "ماهشهر", "بهبهان", "ایذه", "ماکو", "جلفا", "خوی", "مرند", "اهر", "مراغه",
    "میاندوآب", "مهاباد", "بوکان", "سلماس", "پیرانشهر", "سردشت", "نقده", "آستارا", "انزلی", "لاهیجان",
    "تالش", "پارس آباد", "بیله سوار", "مشگین شهر", "مریوان", "بانه", "سقز", "قصر شیرین", "سرپل ذهاب",
    "اسلام آباد غرب", "پاوه", "مهران", "دهلران", "بازرگان", "سرخس", "تایباد", "تربت حیدریه", "تربت جام",
    "نیشابور", "سبزوار", "قوچان", "کاشمر", "گناباد", "قاینات", "زابل", "چابهار", "ایرانشهر", "سراوان",
    "میرجاوه", "کیش", "قشم", "بندر لنگه", "میناب", "عسلویه", "کنگان", "برازجان", "دشتستان", "گناوه",
    "کاشان", "نجف آباد", "خمینی شهر", "شاهین شهر", "گلپایگان", "ساوه", "بروجرد", "دورود", "الیگودرز",
    "ملایر", "نهاوند", "بابل", "آمل", "قائم شهر", "بهشهر", "نوشهر", "چالوس", "تنکابن", "رامسر",
    "گنبد کاووس", "شاهرود", "دامغان", "جهرم", "مرودشت", "کازرون", "فسا", "لار", "سیرجان", "رفسنجان",
    "جیرفت", "زرند", "یزد", "اردکان", "میبد", "گچساران", "دهدشت", "بروجن", "ورامین", "شهریار",
    "اسلامشهر", "دماوند", "ابهر", "تاکستان",
)


def _with_nisba(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names and the adjective of each one-word name («تبریزی», «خوزستانی», «فارسی» the language):
    «دانش‌آموز سنندجی» is the province's pupil whatever foreign conference the title names."""
    return names + tuple(n + "ی" for n in names if " " not in n and n[-1] not in "یهاو")


def _gazetteer(names: tuple[str, ...]) -> CompiledRule:
    """The names as one title-only rule of many options (one set lookup on the title's terms, as a rule
    matches), each name spelled as a rule spells it; «یا» between them would reach the rules' word cap."""
    options = tuple(option for name in names for slot in compile_rule(f'"{name}"' if " " in name else name,
                                                                      title_only=True).slots for option in slot)
    return CompiledRule(" یا ".join(names), True, (options,), ())


@cache
def foreign_places() -> CompiledRule:
    return _gazetteer(FOREIGN)


@cache
def iranian_places() -> CompiledRule:
    return _gazetteer(_with_nisba(IRANIAN))


@cache
def provincial_places() -> CompiledRule:
    """The Iranian places less Iran itself and the words that name no province of it: a title about the
    country's relations with a neighbour is national news, «سیل در استان سند پاکستان» another country's;
    one naming a province or a town is the province's."""
    return _gazetteer(tuple(n for n in _with_nisba(tuple(n for n in IRANIAN if n not in NOT_PROVINCIAL))
                            if n not in NOT_PROVINCIAL))


# Iran itself, the seas and straits, «استان» and «شهرستان» (a province of any country), the language
# («فارسی», the adjective of «فارس»: a Persian book or class names no province; a review of routing, round 9)
NOT_PROVINCIAL = frozenset({"ایران", "ایرانی", "کشورمان", "استان", "استانی", "شهرستان", "خلیج فارس", "دریای خزر",
                            "دریای عمان", "تنگه هرمز", "اتباع", "فارسی"})

# «فارس» in a title is also the outlet (Fars News Agency: «در گفت‌وگو با فارس | محقق آمریکایی …», «خبرگزاری
# فارس …», its readers' service «فارس من»): there it names no province (reviews of routing, rounds 8 and 9).
_OUTLET_RE = re.compile(r"(?:(?<![\w\u200c])(?:خبرگزاری|با)[\s\u200c]+فارس|(?<![\w\u200c])فارس[\s\u200c]+من)(?![\w\u200c])")
# Iran's land neighbours: «مرز ترکیه», «مرزهای عراق» in a title is Iran's border with it (a review of routing,
# round 9: «معطلی کامیون‌ها در مرز ترکیه» lost four points to the foreign-news cue), unless another country
# follows («مرز افغانستان و پاکستان», «مرز ترکیه با سوریه» are other countries' borders).
NEIGHBOURS = ("ترکیه", "عراق", "افغانستان", "پاکستان", "ترکمنستان", "ارمنستان", "جمهوری آذربایجان")
_IRAN_BORDER_RE = re.compile(
    r"(?<![\w\u200c])مرز(?:[\s\u200c]*(?:های|ها|ی))?[\s\u200c]+(?:مشترک[\s\u200c]+(?:با[\s\u200c]+)?)?(?:"
    + "|".join(NEIGHBOURS) + r")(?![\w\u200c])(?![\s\u200c]+(?:و|با)[\s\u200c]+(?!ایران))")


def _fold(text: str) -> str:
    return text.replace("\u064a", "ی").replace("\u0649", "ی").replace("\u0643", "ک")


def names_place(places: CompiledRule, item: AnalyzedItem) -> bool:
    """Whether the item's title names one of ``places`` (a gazetteer above) as a place: the outlet «فارس» is
    none, a land border of Iran («در مرز ترکیه») is Iran's. A set lookup in the title's terms, and the title
    read again only when it names the outlet."""
    title = _fold(item.texts.get("title", ""))
    if _IRAN_BORDER_RE.search(title):
        return True
    if not matches(places, item):
        return False
    if not _OUTLET_RE.search(title):
        return True
    return matches(places, analyze_item(_OUTLET_RE.sub(" ", title), ""))


@cache
def _foreign_spellings() -> frozenset[tuple[str, ...]]:
    return frozenset(seq for option in foreign_places().slots[0] for seq in option.seqs)


def names_foreign_place(rule: CompiledRule) -> bool:
    """True when one of the rule's own words or phrases is a foreign place: such a rule was written for
    that place's news («بازارچه مرزی یا عراق»), and its matches route."""
    spellings = _foreign_spellings()
    longest = max(map(len, spellings))
    # a place inside a phrase counts too: «"استاندار بیروت"» (the code review of session 38: held)
    return any(seq[i:j] in spellings for slot in rule.slots for option in slot for seq in option.seqs
               for i in range(len(seq)) for j in range(i + 1, min(len(seq), i + longest) + 1))


def foreign_title(item: AnalyzedItem) -> str | None:
    """The foreign place the item's title names (as written) where its news happens, when it names no
    Iranian place; else None. A lookup in the title's terms, already analysed for the rules; the title is
    read again only when it names a foreign place (``visitors_place``)."""
    if not matches(foreign_places(), item) or names_place(iranian_places(), item):
        return None
    clauses = [c for c in explain(foreign_places(), item).clauses if not folded_word(c.found)]
    title = _fold(item.texts.get("title", ""))
    first = min((hit.start for c in clauses for hit in c.hits), default=0)
    return next((c.found for c in clauses if not all(visitors_place(title, hit.start, first) for hit in c.hits)),
                None)


# A foreign place that names a visitor, not where the news happens (the code review of session 42: «دیدار
# استاندار با سرکنسول عراق», «شهردار با هیئت ترکیه‌ای دیدار کرد» routed nowhere; a border province has such
# news every week). Three shapes, each read off the words before the place:
# - after a diplomat, a delegation, traders or tourists, and at most two words that are no preposition
#   («سفیر آمریکا», «رایزن بازرگانی ترکیه», «هیئتی از عراق», «هیئت ترکیه‌ای»; not «سفیر آمریکا در عراق», nor
#   a board, «هیئت دولت ترکیه»);
# - an official met at home: «دیدار/ملاقات … با» an official of that place («دیدار شهردار با شهردار
#   اربیل»), no foreign place before «با» («دیدار شهردار لندن با شهردار پاریس» is held), none after «در»;
# - the province's own trip abroad: «سفر/اعزام/عزیمت … به» the place, no foreign place before it. Decided:
#   a governor's or a team's trip is the province's own act (the governorate's delegation to Tatarstan, a
#   case of session 41, routes), as the labelling rules count the governor's meetings and trips.
_SEP = r"[\s\u200c]+"
_END = r"(?![\w\u200c])"
_PLURAL = r"(?:\u200c?(?:های|ها))?" + _END  # «هیئت‌های», «مقامات»
# A word between the visitor and the place: letters joined by ZWNJs, after every space and ZWNJ before it,
# neither given back (a ZWNJ read as part of a word or of a space let a hostile run of them be split every
# way: «سفر » and forty ZWNJs took 8 s in _TRIP_RE, each one more doubled it; the code review of session 42).
_WORD = r"\w++(?:\u200c++\w++)*+"
_MODIFIER = r"(?:[\s\u200c]++(?!(?:در|به|با|و|برای|علیه|که|را|از)" + _END + r")" + _WORD + r")"
# each form as written: a «ی» more makes other words («تجاری» commercial, «گردشگری» tourism, «رایزنی» talks)
_VISITORS = ("سفیر", "سفیری", "سفرا", "سفرای", "سرکنسول", "سرکنسولگری", "کنسول", "کنسولگری", "سفارت",
             "سفارتخانه", "رایزن", "هیئت", "هیئتی", "هیات", "هیاتی", "هیأت", "هیأتی", "تجار", "تاجران",
             "بازرگانان", "گردشگران", "گردشگرانی")
# a board, not a delegation: «هیئت دولت ترکیه» is Turkey's cabinet
_BOARDS = r"(?!" + _SEP + r"(?:دولت|وزیران|مدیره|رئیسه|امنا|علمی|منصفه|داوران|حاکمه)" + _END + r")"
_OFFICIALS = ("استاندار", "شهردار", "فرماندار", "وزیر", "معاون", "رئیس", "نخست وزیر", "نخست‌وزیر", "همتای",
              "مقامات", "مسئولان", "نماینده", "نمایندگان", "مدیران", "مدیرکل", "مدیر")
_VISITOR_RE = re.compile(r"(?<![\w\u200c])(?:" + "|".join(_VISITORS) + r")" + _PLURAL + _BOARDS
                         + r"(?:" + _SEP + r"از)?" + _MODIFIER + r"{0,2}" + _SEP + r"$")
_MEETING_RE = re.compile(r"(?<![\w\u200c])(?:دیدار|ملاقات)" + _END)
_MET_RE = re.compile(r"(?<![\w\u200c])با" + _SEP + r"(?:" + "|".join(_OFFICIALS) + r")" + _PLURAL
                     + _MODIFIER + r"{0,3}" + _SEP + r"$")
_TRIP_RE = re.compile(r"(?<![\w\u200c])(?:سفر|اعزام|عزیمت)" + _END + r"(?:[\s\u200c]++" + _WORD + r"){0,4}?"
                      + _SEP + r"(به)" + _SEP + r"$")


# Quotes around a word, and a ZWNJ beside a space or glued before the place («سرکنسول‌عراق», «سفیر‌ ژاپن»,
# «سرکنسول «عراق»»), read as spaces (session 43: such a visitor was not read and the meeting was held).
_QUOTES = str.maketrans(dict.fromkeys("«»\"“”‘’'", " "))
# A speaker's head before the title's colon («سفیر انگلیس: بیمارستان‌ها پر شده است», session 43): a foreign
# diplomat speaks of his own country when what he says names no Iranian place (``foreign_title`` returns None
# before asking otherwise); a meeting or a trip before the colon is still the province's visitor.
_NO_SPEAKER_RE = re.compile(r"(?<![\w\u200c])(?:با|از|به|دیدار|ملاقات|نشست|بازدید|سفر|اعزام|عزیمت)" + _END)


def _spaced(before: str) -> str:
    """``before`` with quotes and each run of ZWNJs that touches a space, a quote or its end read as spaces
    (as long as it was: a place's position is kept); one pass, a run of any length read once."""
    text = before.translate(_QUOTES)
    if "\u200c" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == "\u200c":
            j += 1
        if j == i:
            out.append(text[i])
            i += 1
            continue
        loose = i == 0 or text[i - 1].isspace() or j == len(text) or text[j].isspace()
        out.append((" " if loose else "\u200c") * (j - i))
        i = j
    return "".join(out)


# A consul is posted in an Iranian city and a delegation speaks where it visits: quoted, they speak of the
# province («سرکنسول ترکمنستان: …», the code review of session 43); only an ambassador's head is held.
_AMBASSADORS = ("سفیر", "سفرا", "سفارت")
# the colon after a speaker's head; not a clock time's («ساعت ۱۰:۳۰», the code review of session 43)
_HEAD_COLON_RE = re.compile(r"(?<!\d):|:(?!\d)")


# another speaker's head runs from the separator before his colon («…؛ استاندار: …», «…/ مدیرکل: …»)
_HEAD_SEPARATORS = ("؛", ";", "/", "|")
_AMBASSADOR_RE = re.compile(r"(?<![\w\u200c])(?:" + "|".join(_AMBASSADORS) + r")")


def _speaker(title: str, start: int) -> bool:
    """Whether the place at ``start`` is in the speaker's head of a title quoting an ambassador («سفیر انگلیس: …»);
    a second speaker quoted («…؛ استاندار: …», session 44) speaks beside the ambassador, in the province, unless
    he is an ambassador too («…؛ سفیر فرانسه: …»: both of their own countries, session 44's review)."""
    colon = _HEAD_COLON_RE.search(title)
    if colon is None or colon.start() <= start or _NO_SPEAKER_RE.search(title, 0, colon.start()):
        return False
    for later in _HEAD_COLON_RE.finditer(title, colon.end()):
        head = max(title.rfind(sep, colon.end(), later.start()) for sep in _HEAD_SEPARATORS) + 1 or colon.end()
        if not _AMBASSADOR_RE.search(title, head, later.start()):
            return False
    return True


def visitors_place(title: str, start: int, first: int) -> bool:
    """Whether the foreign place at ``start`` of the (folded) ``title`` names a visitor or a trip's goal, not
    where the news happens; ``first``: where the title's first foreign place starts."""
    before = _spaced(title[:start])
    visitor = _VISITOR_RE.search(before)
    if visitor:  # an ambassador quoted speaks of his own country; a consul or a delegation of the province
        return not (visitor.group().startswith(_AMBASSADORS) and _speaker(title, start))
    met = _MET_RE.search(before)
    if met and first >= met.start() and _MEETING_RE.search(title):
        return True
    trip = _TRIP_RE.search(before)
    return bool(trip) and first >= trip.start(1)


# A foreign name the analysis folds into a common word, as that word is written: «المان» (a monument) is
# read as «آلمان» (Germany) by the rules' spelling, and names no foreign place.
_FOLDED_WORDS = ("المان",)


def folded_word(found: str) -> bool:
    """Whether ``found`` is a form of a folded word written without the name's «آ»: «المان», «المانهای»,
    «المانِ» with its kasra are monuments; «آلمان», «آلمانِ» are Germany."""
    return normalize(found).startswith(_FOLDED_WORDS) and not unicodedata.normalize("NFC", found).startswith("آ")


def held_abroad(rule: CompiledRule, item: AnalyzedItem) -> str | None:
    """The foreign place (as written) for which ``rule``'s match on ``item`` does not route: a title-only
    rule naming no foreign place, on a title about a foreign place; None when it routes (``RuleSet.route``
    says the same for many rules at once)."""
    return foreign_title(item) if holdable(rule) else None


def holdable(rule: CompiledRule) -> bool:
    """A rule whose matches a foreign title holds: title-only, naming no foreign place."""
    return rule.title_only and not names_foreign_place(rule)
