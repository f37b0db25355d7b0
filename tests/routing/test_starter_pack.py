"""The starter pack: loads and compiles, covers every standard agency, routes Persian news."""
from __future__ import annotations

import json

import pytest

from app.rules.analysis import analyze_item
from app.rules.starter_rules import (
    STANDARD_SLUGS,
    StarterRule,
    build_ruleset,
    load_starter_rules,
    starter_ruleset,
)


def route(title: str, text: str = "") -> set[str]:
    return {rule.agency for rule in starter_ruleset().matching(analyze_item(title, text))}


def test_every_rule_compiles_and_every_standard_agency_has_rules():
    rules = load_starter_rules()
    assert {rule.agency for rule in rules} == set(STANDARD_SLUGS)
    assert all(rule.name and rule.query for rule in rules)
    assert len(starter_ruleset()) == len(rules)


def test_slugs_are_those_of_the_standard_agencies():
    from app.services.agencies import STANDARD_AGENCIES

    assert STANDARD_SLUGS == tuple(slug for slug, *_ in STANDARD_AGENCIES)


@pytest.mark.parametrize("title, text, expected", [
    ("قطعی آب شرب روستاهای بخش مرکزی", "", {"water"}),
    ("گزارش", "ساکنان از افت فشار آب در ساعات اوج مصرف گلایه دارند و آبفا پاسخ نمی‌دهد", {"water"}),
    ("تصفیه‌خانه فاضلاب شهر دندی افتتاح شد", "", {"water"}),
    ("خاموشی‌های مکرر در شهرک صنعتی", "", {"power", "industry_trade"}),
    ("خبر", "مدیرعامل شرکت توزیع نیروی برق از نصب کنتور برق هوشمند خبر داد", {"power"}),
    ("پیروزی برق‌آسای تیم فوتسال", "", set()),
    ("گازرسانی به ۱۲ روستای کوهستانی", "", {"gas"}),
    ("خبر", "نشت گاز در یک واحد مسکونی حادثه آفرید", {"gas"}),
    ("انسداد جاده هراز بر اثر بارش برف", "راهداری با ۳۰ دستگاه برف‌روبی در محور فعال است", {"roads"}),
    ("واژگونی اتوبوس در کنارگذر شرقی", "", {"roads"}),
    ("کمبود پزشک متخصص در بیمارستان شهرستان", "", {"health"}),
    ("آغاز واکسیناسیون کرونا در مدارس", "", {"health", "education"}),
    ("خبر", "رئیس دانشگاه علوم پزشکی استان از تجهیز بخش مراقبت‌های ویژه خبر داد", {"health"}),
    ("کمبود معلم در مدارس روستایی", "", {"education"}),
    ("آلودگی هوا مدارس شهر را تعطیل کرد", "", {"environment", "education"}),
    ("شکارچیان متخلف کل وحشی دستگیر شدند", "", {"environment"}),
    ("خرید تضمینی گندم از کشاورزان آغاز شد", "", {"agriculture"}),
    ("آتش‌سوزی جنگل‌های زاگرس مهار شد", "", {"natural_resources"}),
    ("خبر", "اجرای ۳۴ پروژه آبخیزداری با اعتبار صندوق توسعه ملی", {"natural_resources"}),
    ("مرمت بناهای تاریخی بافت قدیم و رونق گردشگری", "", {"heritage_tourism"}),
    ("کمبود سالن ورزشی برای ورزشکاران بانو", "", {"sports_youth"}),
    ("برگزاری اردوی تفریحی برای معلولان تحت پوشش بهزیستی", "", {"welfare"}),
    ("تجمع کارگران یک کارخانه در اعتراض به حقوق معوق", "", {"labor", "industry_trade"}),
    ("نمایشگاه کتاب استان گشایش یافت", "", {"culture"}),
    # words a review of routing (round 6) found missing or taken in another sense
    ("کمبود پرستار در استان", "", {"health"}),
    ("هجوم گرد و غبار به شهرهای غربی", "", {"environment"}),
    ("خواب آلودگی راننده علت واژگونی اتوبوس بود", "", {"roads"}),  # drowsiness is no pollution
    # the governorate's title rule reads the lead (a review of routing, round 6: 1 of 10 found)
    ("سفر هیئت دولت به استان", "استاندار در نشست خبری گفت: سفر هیئت دولت هفته آینده است.", {"governorate"}),
    ("سفر هیئت دولت به استان", "سفر هیئت دولت هفته آینده است. " * 8 + "استاندار هم در نشست بود.", set()),
    ("گرانی اقلام اساسی در بازار شب عید", "", {"industry_trade"}),
    ("قطعی اینترنت و مخابرات در روستاهای مرزی", "", {"telecom"}),
    ("خسارت سیل به ۲۰۰ واحد مسکونی", "", {"crisis"}),
    ("زلزله ۴ ریشتری خسارتی نداشت", "", {"crisis"}),
    ("تمدید مهلت تسلیم اظهارنامه مالیاتی", "", {"economy_finance"}),
    ("جمع‌آوری روزانه ۳۰۰ تن زباله توسط شهرداری", "", {"municipality"}),
    ("استاندار: طرح‌های نیمه‌تمام استان تکمیل می‌شود", "", {"governorate"}),
    ("مقابل شهرداری شهرکرد به پیروزی رسید", "", set()),
    ("روحانی: آمریکا به تعهداتش عمل نکرد", "", set()),
    # other senses of a title rule's word (a review of routing, round 2): a gold coin's or the
    # dollar's price, a youth football team, a party's name
    ("قیمت سکه و دلار امروز کاهش یافت", "", set()),
    ("افزایش قیمت مرغ در بازار", "", {"industry_trade", "agriculture"}),
    ("اردوی تیم فوتبال جوانان در تهران", "", set()),
    ("جوانان فلسطینی در اعتراض به شهرک‌سازی تجمع کردند", "", set()),
    ("حمله حزب کارگران کردستان به مرزبانان", "", set()),
    # round 3: «محور» as a focus, electrical engineering, a technology park, a fare's or cinema's «قیمت»/«صنعت»
    ("بحران اوکراین؛ محور مذاکرات پوتین و بان کی‌مون", "", set()),
    ("انسداد محور مواصلاتی شهرکرد به دلیل بارش برف", "", {"roads"}),
    ("هشتمین کنفرانس مهندسی برق ایران برگزار شد", "", set()),
    ("پارک فناوری اقتصاد دیجیتال افتتاح شد", "", set()),
    ("افزایش قیمت بلیت اتوبوس‌های بین‌شهری", "", set()),
    ("رونق صنعت سینما در استان", "", {"culture"}),
    ("صید ماهی در شیلات گلستان", "", {"agriculture"}),
    ("ترویج کتابخوانی در روستاها", "", {"culture"}),
    ("کمبود تجهیزات پزشکی در بیمارستان شهرستان", "", {"health"}),
    # a review of routing (session 36, its own judged set): a patient in the singular, the disaster
    # headquarters by its other name, children's centres; the Karabakh conflict — and, the code
    # review of the exclusions first tried («ایالت», «قره باغ», «سلامت انتخابات»), a governor meeting
    # a state's, Qarabagh's orchards in Iran, hospitals ready for the election
    ("۴۶۰ بیمار خاص در زنجان دارو دریافت نکردند", "", {"health"}),
    ("تعطیلی مدارس قم با اعلام ستاد حوادث غیرمترقبه", "", {"crisis", "education"}),
    ("گزارش", "ستاد حوادث غیر مترقبه استان از انسداد راه‌های روستایی خبر داد", {"crisis"}),
    ("جشنواره قصه‌گویی", "مدیرکل کانون پرورش فکری کودکان و نوجوانان استان گفت", {"education"}),
    ("انتقاد پامپئو از منازعه قره‌باغ", "", set()),
    ("دیدار استاندار گیلان با فرماندار ایالت آستاراخان روسیه", "", {"governorate"}),
    ("سفر هیئت اقتصادی استانداری به ایالت تاتارستان", "", {"governorate"}),
    ("خسارت تگرگ به باغات قره باغ شیراز", "", {"agriculture"}),
    ("آمادگی کامل بیمارستان‌ها برای حفظ سلامت انتخابات", "", {"health"}),
    # a review of routing (round 7): «آفت» folds into «افت» (a drop: of pressure, of grades) and is
    # a bane as often as a pest; «سلامت» of an election or of the administration is integrity, not
    # health (its own rule, so a hospital beside it still routes); the tourism body's older name
    ("افت فشار آب در روستاهای بخش مرکزی", "", {"water"}),
    ("افت تحصیلی دانش‌آموزان روستایی", "", {"education"}),
    ("شخص‌گرایی آفت جامعه امروز", "", set()),
    ("مبارزه با آفات در مزارع استان آغاز شد", "", {"agriculture"}),
    ("توزیع سموم آفت‌کش میان شالیکاران", "", {"agriculture"}),
    ("دلیلی برای نگرانی درباره سلامت انتخابات وجود ندارد", "", set()),
    ("جلسه شورای ارتقای سلامت اداری و مبارزه با فساد", "", set()),
    ("ارتقای سلامت روان در محله‌های حاشیه شهر", "", {"health"}),
    ("اجاره غیرمجاز ویلاهای شخصی ممنوع است", "مدیر ایرانگردی و جهانگردی مازندران گفت: با متخلفان برخورد می‌شود.",
     {"heritage_tourism"}),
    ("نمایشگاه بین‌المللی جهانگردی گشایش یافت", "", {"heritage_tourism"}),
    # round 8: thunder and lightning («رعد و برق») is no power; a university of technology («دانشگاه
    # صنعتی») is no industry, nor a compost plant (waste: the municipality's)
    ("رعد و برق در آسمان آمازون", "", set()),
    ("قطعی برق روستاها بر اثر رعد و برق", "", {"power"}),  # «قطعی برق» is a rule of its own
    # the code review: an outage by lightning is power's («خاموشی», «قطع برق»: a title rule of their own)
    ("خاموشی ۲۰ روستا بر اثر رعد و برق", "", {"power"}),
    ("قطع برق بیمارستان در پی رعد و برق", "", {"power", "health"}),
    ("کنفرانس نرم‌افزارهای مهندسی عمران در دانشگاه صنعتی خواجه نصیر", "", set()),
    ("افزایش صادرات محصولات صنعتی استان", "", {"industry_trade"}),
    ("احداث کارخانه کمپوست برای حل مشکل زباله", "", {"municipality"}),
    # round 9: lightning cutting a village's power is power's though «رعد و برق» drops the title rule «برق»;
    # assets («دارایی‌های ایران») are no finance directorate; parliament's committee of agriculture, water and
    # natural resources is no natural resources news; the national corona headquarters («ملی» inside the
    # phrase) is health's; the civil aviation organisation is the roads ministry's
    ("رعد و برق برق ۳۰ روستا را قطع کرد", "", {"power"}),
    ("برق شیراز همکاری با سرمربی را قطع کرد", "", set()),
    ("سازمان صهیونیستی به دنبال توقیف دارایی‌های ایران", "", set()),
    ("مدیرکل دارایی استان منصوب شد", "", {"economy_finance"}),
    ("بررسی مشکلات چایکاران", "رئیس کمیسیون کشاورزی، آب و منابع طبیعی مجلس گفت: مشکلات چایکاران بررسی می‌شود.",
     set()),
    ("تجمع روز قدس برگزار می‌شود", "رئیس جمهور در جلسه ستاد ملی مبارزه با کرونا گفت: پروتکل‌ها رعایت شود.",
     {"health"}),
    ("کوتاهی در سانحه هوایی", "خانواده قربانیان گفتند سازمان هواپیمایی کشوری پاسخگو نیست.", {"roads"}),
    # round 10 (session 41): shipping is the roads ministry's; an athlete injured before a match is no health
    # news («مصدوم» in a title still is); puppet theatre («نمایش عروسکی») is culture's without «تئاتر»
    ("کانتینربر «ایران فارس» به ناوگان کشتیرانی کشور پیوست", "", {"roads"}),
    ("هافبک تیم ملی عراق قبل از بازی با ایران مصدوم شد", "", set()),
    ("واژگونی اتوبوس ۶ مصدوم بر جای گذاشت", "", {"roads", "health"}),
    ("۱۰ اثر به جشنواره راه یافت", "ده نمایش عروسکی برای شرکت در جشنواره پذیرفته شدند.", {"culture"}),
    # round 11 (session 42): an agency's name deep in the body is a passing mention (the governorate's, the
    # municipality's, the sports directorate's and the water company's names are read in the title and the
    # lead only), the municipality's title words in the lead route; a foreign state's governor is no
    # governorate (a rule of its own for «فرماندار», the other title words untouched); the cinema deputy, a
    # novel, photographers, the Quran exhibition are culture's; the Oscars' «بازار» is no market
    ("نشست خبری وزیر کشور", "وزیر کشور درباره امنیت مرزها سخن گفت. " * 6 + "وی از ستاد انتخابات هم یاد کرد.", set()),
    ("آغاز ثبت‌نام داوطلبان", "رئیس ستاد انتخابات استان گفت: ثبت‌نام از شنبه آغاز می‌شود.", {"governorate"}),
    ("مجمع انتخاباتی فدراسیون اسکواش", "اعضای مجمع فدراسیون فردا رای می‌دهند. " * 6 + "مدیرکل تربیت بدنی هم آمد.",
     set()),
    ("تجلیل از فرماندهان انتظامی", "فرماندهان انتظامی تجلیل شدند. " * 8 + "شهردار منطقه هم سخن گفت.", set()),
    ("صدور گواهینامه رانندگی مشمول عوارض شد", "شورای شهر تهران برای صدور گواهینامه رانندگی عوارض تعیین کرد.",
     {"municipality"}),
    ("خدمات بانکی در دفاتر روستایی", "دفاتر روستایی خدمات بانکی می‌دهند. " * 6 + "شرکت آب و فاضلاب هم می‌پیوندد.",
     set()),
    ("تاکید فرماندار ایالت لارا ونزوئلا بر گسترش همکاری‌ها با ایران", "", set()),
    ("فرماندار بم: طرح‌های نیمه‌تمام تکمیل می‌شود", "", {"governorate"}),
    ("ظهور شبه‌صنف تهیه‌کننده-کارگردان", "سخنگوی اتحادیه از نشست در معاونت سینمایی گزارش داد.", {"culture"}),
    ("رمان دیگری از ریچارد براتیگان منتشر می‌شود", "", {"culture"}),
    ("عکاسان ایران و آمریکا عکس‌های خود را مبادله می‌کنند", "", {"culture"}),
    ("نخبگان جوان تبادل نظر می‌کنند", "نشست نخبگان در نمایشگاه بین‌المللی قرآن کریم برگزار می‌شود.", {"culture"}),
    ("بازار پیش‌بینی‌ها درباره جوایز اسکار داغ است", "", set()),
    # round 12 (session 43): Tehran's City Theatre written as one word; the roads ministry's old name
    ("تئاترشهر میزبان چهار نمایش است", "", {"culture"}),
    ("پژوهش در طرح‌های عمرانی", "معاون وزیر راه و ترابری در کارگاه آموزشی مدیران استان سخن گفت.", {"roads"}),
    # a foreign state's governor (the code review of session 43: a rule's «فرمانداری» now also takes the holder,
    # «فرماندار», as search does; «فرماندار ایالت» is left out of both governorate title rules)
    ("تاكيد فرماندار ايالت لارا ونزوئلا بر گسترش همكاري‌ها با ايران", "", set()),
])
def test_hand_written_persian_news_routes_to_the_expected_agencies(title, text, expected):
    assert route(title, text) == expected


def test_the_rules_say_why():
    ruleset = starter_ruleset()
    matched = ruleset.match(analyze_item("قطعی آب شرب روستاها", ""))
    assert matched and {rule.agency for rule, _ in matched} == {"water"}
    assert {c.found for _, result in matched for c in result.clauses} <= {"قطعی آب", "آب شرب"}


def test_a_broken_pack_is_refused_with_the_rule_named(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"version": 1, "rules": [
        {"agency": "water", "name": "شکسته", "query": "«قطعی آب", "title_only": False}]}), "utf-8")
    with pytest.raises(ValueError, match="شکسته"):
        load_starter_rules(path)
    path.write_text(json.dumps({"version": 1, "rules": [
        {"agency": "police", "name": "نا‌شناخته", "query": "دزدی"}]}), "utf-8")
    with pytest.raises(ValueError, match="police"):
        load_starter_rules(path)
    # a rule that reads the lead reads the title too, and only then
    path.write_text(json.dumps({"version": 1, "rules": [
        {"agency": "governorate", "name": "لید", "query": "استاندار", "lead": True}]}), "utf-8")
    with pytest.raises(ValueError, match="لید"):
        load_starter_rules(path)


def test_build_ruleset_from_custom_rules():
    rules = [StarterRule("water", "آزمون", "«آب شرب»"), StarterRule("gas", "آزمون", "گاز", True)]
    ruleset = build_ruleset(rules)
    assert [r.agency for r in ruleset.matching(analyze_item("گاز", "آب شرب"))] == ["water", "gas"]
