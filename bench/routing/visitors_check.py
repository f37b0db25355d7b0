"""The foreign-title hold and visitors (session 42): 26 titles (27 since session 44) written for the check before anything ran on
them, (title, agency, whether it should route): the province's visitor and trip news, and foreign news. Prints
each title's routes and held agencies and how many came out as expected.

    .venv/bin/python bench/routing/visitors_check.py [REPO]   (REPO: another checkout, e.g. a `git worktree`)
"""
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[2]))

from app.rules.analysis import analyze_item  # noqa: E402
from app.rules.starter_rules import starter_ruleset  # noqa: E402

CASES = [
 ("دیدار استاندار با سرکنسول عراق", "governorate", True), ("دیدار معاون استاندار با سرکنسول عراق", "governorate", True),
 ("دیدار شهردار با سرکنسول ترکیه", "municipality", True), ("شهردار با هیئت ترکیه‌ای دیدار کرد", "municipality", True),
 ("دیدار فرماندار با هیئت تجاری عراق", "governorate", True), ("سفیر ژاپن از بیمارستان امام بازدید کرد", "health", True),
 ("بازدید سرکنسول ترکیه از مدارس استثنایی", "education", True), ("استاندار با هیئتی از جمهوری آذربایجان دیدار کرد", "governorate", True),
 ("تجار عراق از نمایشگاه صنایع دستی بازدید کردند", "heritage_tourism", True), ("گردشگران ترکیه‌ای از موزه بازدید کردند", "heritage_tourism", True),
 ("نشست شهردار با رایزن فرهنگی عراق", "municipality", True), ("سفر استاندار به ترکیه", "governorate", True),
 ("اعزام تیم تربیت بدنی به ترکیه", "sports_youth", True), ("دیدار شهردار با شهردار اربیل", "municipality", True),
 ("ملاقات فرماندار با کنسول افغانستان", "governorate", True),
 ("شهردار لندن استعفا داد", "municipality", False), ("سفیر آمریکا در عراق با استاندار دیدار کرد", "governorate", False),
 ("دیدار شهردار لندن با شهردار پاریس", "municipality", False), ("بیمارستان‌های بغداد پر شد", "health", False),
 ("هیئت دولت ترکیه افزایش قیمت بنزین را تصویب کرد", "industry_trade", False),
 ("گفتگو با وزیر بهداشت آلمان درباره بیمارستان‌ها", "health", False), ("سفر وزیر بهداشت آمریکا به چین", "health", False),
 ("فرماندار ایالت کالیفرنیا وضعیت اضطراری اعلام کرد", "governorate", False), ("مدارس پاکستان بسته شد", "education", False),
 ("زلزله در ترکیه ۲۰ کشته برجا گذاشت", "crisis", False), ("سفیر انگلیس: بیمارستان‌ها پر شده است", "health", False),
 # session 44: two speakers quoted, the ambassador beside the province's governor
 ("سفیر انگلیس: همکاری‌ها گسترش می‌یابد؛ استاندار: بیمارستان‌ها آماده‌اند", "health", True),
 # session 44's review: two ambassadors quoted, both of their own countries
 ("سفیر انگلیس: بیمارستان‌ها پر شده‌اند؛ سفیر فرانسه: واکسن کم است", "health", False),
]
rs = starter_ruleset()
ok = 0
for title, agency, should in CASES:
    r = rs.route(analyze_item(title, ""))
    routes, held = {k.agency for k, _ in r.routes}, {k.agency for k, _ in r.held}
    got = agency in routes
    ok += got == should
    print("ok " if got == should else "BAD", "route" if should else "hold ", agency, "| routes", sorted(routes), "held", sorted(held), "|", title)
print(f"{ok} of {len(CASES)} as expected")
