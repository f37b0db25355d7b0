"""The monitor's messages to people: fetch errors, parse errors and parse warnings.

Each is a key and its values (numbers stay numbers, durations are seconds), stored with the feed
as ``{"key": …, "values": …}``, so a page shows it in the reader's language (``localized``);
``persian`` gives the Persian text kept in the plain columns, the logs and the command line.
No Flask here but in ``localized`` (the monitor runs in worker processes too).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from app.i18n import N_, digit_style
from search_index.persian import to_persian_digits

TEMPLATES = {
    # fetch
    "fetch.bad_url": N_("نشانی خوراک معتبر نیست؛ فقط نشانی‌های http و https پذیرفته می‌شوند؛ نشانی کامل خوراک را با "
                        "http:// یا https:// بدهید"),
    # The one message for a refused private address: a poll's error and the feed form's (app/services/feeds.py).
    "fetch.private_address": N_("نشانی به یک نشانی درون‌شبکه‌ای یا محلی اشاره می‌کند و برای ایمنی دریافت "
                                "نمی‌شود. اگر این درگاه درون‌شبکه‌ای یک سازمان است، مدیر سامانه نام میزبان یا "
                                "بازهٔ نشانی آن را به تنظیم HAMZABAN_FEED_ALLOW_PRIVATE بیفزاید (مانند "
                                "portal.ostan.ir یا 10.20.0.0/16؛ چند مورد را با ویرگول جدا کنید) و سامانه "
                                "را دوباره راه‌اندازی کند."),
    "fetch.timeout": N_("زمان پاسخ سرور به پایان رسید؛ در دریافت بعدی دوباره تلاش می‌شود؛ اگر تکرار شد، نشانی را در "
                        "مرورگر بررسی کنید"),
    "fetch.deadline": N_("دریافت خوراک بیش از %(seconds)s ثانیه طول کشید و متوقف شد؛ در دریافت بعدی دوباره تلاش "
                         "می‌شود؛ اگر تکرار شد، نشانی را در مرورگر بررسی کنید"),
    "fetch.dns_error": N_("نام دامنهٔ سرور پیدا نشد؛ نام دامنهٔ نشانی خوراک را بررسی کنید؛ اگر درست است، در دریافت "
                          "بعدی دوباره تلاش می‌شود"),
    "fetch.connect_error": N_("اتصال به سرور برقرار نشد؛ در دریافت بعدی دوباره تلاش می‌شود؛ اگر تکرار شد، نشانی را "
                              "در مرورگر بررسی کنید"),
    "fetch.network_error": N_("اتصال با سرور در میانهٔ دریافت قطع شد؛ در دریافت بعدی دوباره تلاش می‌شود؛ اگر تکرار "
                              "شد، نشانی را در مرورگر بررسی کنید"),
    "fetch.tls_error": N_("اتصال امن (TLS) با سرور برقرار نشد یا گواهی سرور معتبر نیست؛ نشانی را در مرورگر بررسی "
                          "کنید؛ اگر گواهی تارنما نادرست است، از تارنما بخواهید آن را درست کند"),
    "fetch.too_large": N_("حجم خوراک از سقف %(limit)s مگابایت بیشتر است و دریافت متوقف شد؛ نشانی خوراک را بررسی "
                          "کنید، یا از تارنما بخواهید فقط تازه‌ترین خبرها را در خوراک بگذارد"),
    "fetch.http_error": N_("سرور خطای %(status)s داد؛ در دریافت بعدی دوباره تلاش می‌شود؛ اگر تکرار شد، نشانی را در "
                           "مرورگر بررسی کنید"),
    # What the commonest statuses mean for the feed (a review of hostile feeds, round 8: «سرور خطای ۴۱۰
    # داد» said nothing of a feed taken away, nor «۵۰۳» of a wait).
    "fetch.http_not_found": N_("سرور خطای %(status)s داد: خوراکی در این نشانی نیست؛ شاید جابه‌جا شده است. نشانی تازه‌اش "
                               "را از تارنمای رسانه بیابید"),
    "fetch.http_gone": N_("سرور خطای %(status)s داد: این خوراک برداشته شده است؛ نشانی تازه‌اش را از تارنمای رسانه "
                          "بیابید یا آن را خاموش کنید"),
    "fetch.http_denied": N_("سرور خطای %(status)s داد: دریافت این خوراک را نمی‌پذیرد (شاید نشانی کارگزار را بسته "
                            "است)؛ نشانی را در مرورگر بررسی کنید و اگر باز می‌شود، از تارنما بخواهید دسترسی کارگزار "
                            "را باز کند"),
    "fetch.http_unavailable": N_("سرور خطای %(status)s داد: سرور موقتاً در دسترس نیست؛ دست‌کم پس از %(wait)s دوباره "
                                 "تلاش می‌شود"),
    # A CDN's browser check in place of the feed (hostile feeds, round 19): not a feed moved nor an address closed
    "fetch.http_challenge": N_("سرور خطای %(status)s داد و به جای خوراک صفحهٔ «بررسی مرورگر» %(cdn)s را فرستاد: سپر "
                               "ضدربات تارنما درخواست خودکار همزبان را نگه داشت و خوراکی خوانده نشد. از مدیر تارنما "
                               "بخواهید نشانی خوراک را از این بررسی معاف کند؛ بعداً دوباره تلاش می‌شود"),
    "fetch.http_challenge_unnamed": N_("سرور خطای %(status)s داد و به جای خوراک صفحهٔ «بررسی مرورگر» شبکهٔ توزیع "
                                       "محتوای تارنما را فرستاد: سپر ضدربات تارنما درخواست خودکار همزبان را نگه داشت و "
                                       "خوراکی خوانده نشد. از مدیر تارنما بخواهید نشانی خوراک را از این بررسی معاف کند؛ "
                                       "بعداً دوباره تلاش می‌شود"),
    "fetch.http_server_error": N_("سرور خطای %(status)s داد: خطا از خود سرور است؛ بعداً دوباره تلاش می‌شود"),
    "fetch.rate_limited": N_("سرور درخواست‌ها را محدود کرده است (۴۲۹)؛ دست‌کم پس از %(wait)s دوباره تلاش می‌شود"),
    "fetch.rate_limited_later": N_("سرور درخواست‌ها را محدود کرده است (۴۲۹)؛ بعداً دوباره تلاش می‌شود"),
    "fetch.too_many_redirects": N_("بیش از %(limit)s بار تغییر مسیر؛ نشانی پایانی خوراک را در مرورگر پیدا کنید و آن "
                                   "را بدهید"),
    "fetch.redirect_loop": N_("حلقهٔ تغییر مسیر؛ سرور خوراک را میان چند نشانی می‌گرداند: نشانی را در مرورگر بررسی "
                              "کنید و اگر آنجا هم باز نمی‌شود، به تارنما بگویید"),
    "fetch.bad_redirect": N_("سرور تغییر مسیر داد اما نشانی مقصد را نفرستاد؛ نشانی خوراک را در مرورگر بررسی کنید و "
                             "نشانی درست را بدهید"),
    # quoted as the declared encodings are: the address ran on into the sentence (hostile feeds, round 16)
    "fetch.bad_redirect_target": N_("سرور به نشانی نادرستی تغییر مسیر داد: «%(target)s»؛ نشانی خوراک را در مرورگر "
                                    "بررسی کنید و نشانی درست را بدهید"),
    "fetch.protocol_error": N_("پاسخ سرور ناقص یا نامعتبر بود؛ در دریافت بعدی دوباره تلاش می‌شود؛ اگر تکرار شد، به "
                               "تارنما بگویید"),
    # «Transfer-Encoding: gzip, chunked»: codings before «chunked» only for a client that asked (RFC 9110 §10.1.4, round 17)
    "fetch.transfer_coding": N_("سرور خوراک را با کدگذاری انتقالی فرستاد که خواسته نشده بود و خوانده نمی‌شود؛ از مدیر "
                                "سایت بخواهید آن را بی این کدگذاری بفرستد (فشرده‌سازی معمول پاسخ پذیرفته است)"),
    "fetch.decoding_error": N_("فشرده‌سازی پاسخ سرور خراب است یا پشتیبانی نمی‌شود؛ از تارنما بخواهید خوراک را "
                               "بی‌فشرده‌سازی یا با gzip بفرستد"),
    # hostile feeds, round 20: each of these was «broken or unsupported compression», «error 304», «broken answer»
    "fetch.unasked_coding": N_("سرور خوراک را با فشرده‌سازی «%(coding)s» فرستاد که همزبان نخواسته بود و نمی‌خواند؛ از مدیر "
                               "تارنما بخواهید خوراک را بی‌فشرده‌سازی یا با gzip بفرستد"),
    "fetch.not_modified_unasked": N_("سرور پاسخ %(status)s («تغییری نکرده») داد، حال آنکه همزبان نسخهٔ پیشینی از "
                                     "خوراک نخواسته بود: حافظهٔ نهان (cache) سرور نادرست پیکربندی شده است و خوراکی "
                                     "خوانده نشد؛ از مدیر تارنما بخواهید پیکربندی حافظهٔ نهانش را درست کند"),
    "fetch.headers_too_large": N_("سرآیندهای (header) پاسخ سرور از %(limit)s کیلوبایت بیشتر بود و پاسخ خوانده نشد؛ "
                                  "از مدیر تارنما بخواهید سرآیندها (مثلاً کوکی‌ها) را کوتاه کند"),
    "fetch.http_login": N_("سرور خطای %(status)s داد: این خوراک نام کاربری و گذرواژه می‌خواهد؛ نشانی عمومی خوراک را از "
                           "تارنمای رسانه پیدا کنید"),
    "fetch.internal_error": N_("خطای پیش‌بینی‌نشده هنگام دریافت خوراک؛ به مدیر سامانه بگویید"),
    "internal_error": N_("خطای پیش‌بینی‌نشده هنگام پردازش خوراک؛ جزئیات در گزارش کارگزار ثبت شد"),
    # parse: the document could not be read
    "parse.empty": N_("پاسخ سرور خالی بود؛ خوراکی برای خواندن نبود. در دریافت بعدی دوباره تلاش می‌شود؛ اگر خالی "
                      "ماند، نشانی خوراک را بررسی کنید."),
    "parse.entities": N_("این سند موجودیت (ENTITY) تعریف کرده است؛ برای جلوگیری از حملهٔ «بمب XML» و خواندن فایل‌های "
                         "سرور (XXE) پردازش نشد. اگر خوراک رسانه‌ای واقعی است، از تارنما بخواهید تعریف‌های DOCTYPE "
                         "را از خوراکش بردارد."),
    "parse.html": N_("این نشانی به جای خوراک RSS یا Atom یک صفحهٔ HTML برگرداند. نشانی خوراک را (پیوند RSS تارنما) "
                     "بررسی کنید و آن را بدهید."),
    "parse.html_feed": N_("این نشانی به جای خوراک RSS یا Atom یک صفحهٔ HTML برگرداند. خوراکی که این صفحه نام می‌برد "
                          "«%(feed)s» است؛ اگر خوراک همین تارنماست، این نشانی را به جای آن بدهید."),
    "parse.html_challenge": N_("این نشانی به جای خوراک RSS یا Atom صفحهٔ «بررسی مرورگر» %(cdn)s را برگرداند: سپر "
                               "ضدربات تارنما درخواست خودکار همزبان را نگه داشت و خوراکی خوانده نشد. از مدیر تارنما "
                               "بخواهید نشانی خوراک را از این بررسی معاف کند."),
    "parse.html_challenge_unnamed": N_("این نشانی به جای خوراک RSS یا Atom صفحهٔ «بررسی مرورگر» شبکهٔ توزیع محتوای "
                                       "تارنما را برگرداند: سپر ضدربات تارنما درخواست خودکار همزبان را نگه داشت و "
                                       "خوراکی خوانده نشد. از مدیر تارنما بخواهید نشانی خوراک را از این بررسی معاف کند."),
    "parse.html_login": N_("این نشانی به جای خوراک RSS یا Atom یک صفحهٔ ورود (با جای گذرواژه) برگرداند: خوراک پشت "
                           "ورود است یا نشانی به بخش ویژهٔ اعضا می‌رود؛ نشانی عمومی خوراک را از تارنمای رسانه پیدا کنید."),
    "parse.json": N_("این سند JSON است (شاید JSON Feed) که پشتیبانی نمی‌شود؛ نشانی خوراک RSS یا Atom را بدهید."),
    "parse.not_a_feed": N_("این سند خوراک RSS یا Atom نیست. نشانی خوراک را (پیوند RSS تارنما) بررسی کنید و آن را "
                           "بدهید."),
    "parse.channel_no_items": N_("این سند یک کانال (CHANNEL) بی هیچ خبری است: کانال CDF (قالب قدیمی مایکروسافت) یا "
                                 "کانال RSS بی پوستهٔ <rss>؛ خبری (ITEM) برای خواندن ندارد. نشانی خوراک RSS یا Atom "
                                 "تارنما را بدهید."),
    "parse.truncated": N_("سند خوراک ناقص است (پیش از پایان قطع شده) و هیچ خبر کاملی در آن نبود. در دریافت بعدی "
                          "دوباره تلاش می‌شود؛ اگر باز ناقص بود، به تارنما بگویید که خوراکش نیمه‌کاره فرستاده "
                          "می‌شود."),
    "parse.malformed": N_("سند خوراک خراب است و هیچ خبری از آن خوانده نشد (%(detail)s). از تارنما بخواهید خوراکش را "
                          "درست کند."),
    "parse.declaration_unclosed": N_("سند خوراک خراب است: دستور آغاز آن («<?xml … ?>») در %(limit)s بایت نخست بسته "
                                     "نشده است. از تارنما بخواهید خوراکش را درست کند."),
    "page.overgrown": N_("این صفحه %(count)s برچسب دارد، بیش از سقف %(limit)s (صفحهٔ واقعی یک درگاه بسیار کمتر "
                         "دارد)؛ متن آن خوانده نشد"),
    "parse.overgrown": N_("این سند %(count)s برچسب دارد، بیش از سقف %(limit)s (خوراک‌های واقعی بسیار کمتر دارند)؛ "
                          "خوانده نشد تا کارگزار از کار نیفتد. نشانی خوراک را بررسی کنید، یا از تارنما بخواهید فقط "
                          "تازه‌ترین خبرها را در آن بگذارد."),
    "parse.binary": N_("پاسخ سرور متن نیست، داده‌ای دودویی است: شاید خوراکی فشرده (مثلاً با br) که سرآیند "
                       "Content-Encoding فشرده‌سازی‌اش را نگفته، یا فایلی دیگر به جای خوراک. نشانی خوراک را بررسی "
                       "کنید و اگر درست است، از تارنما بخواهید خوراک را بی‌فشرده‌سازی یا با سرآیند درست بفرستد."),
    "parse.binary_named": N_("پاسخ سرور متن نیست، داده‌ای دودویی از نوع «%(kind)s» است، نه سند خوراک (سرآیند "
                             "Content-Encoding هم فشرده‌سازی‌ای نگفته). نشانی خوراک را بررسی کنید و اگر درست است، از "
                             "تارنما بخواهید خود خوراک را بفرستد."),
    "parse.too_many_elements": N_("این سند %(count)s عنصر XML دارد (برچسب‌هایی بیرون از متن خبرها)، بیش از سقف "
                                  "%(limit)s (بزرگ‌ترین خوراک‌های واقعی چند هزار دارند)؛ خوانده نشد تا کارگزار از کار "
                                  "نیفتد. اگر خوراک واقعاً این‌همه خبر دارد، از تارنما بخواهید فقط تازه‌ترین خبرها را "
                                  "در آن بگذارد."),
    "parse.crowded_tag": N_("برچسبی در این سند %(count)s ویژگی دارد، بیش از سقف %(limit)s (برچسب‌های خوراک‌های واقعی "
                            "چند ویژگی بیشتر ندارند)؛ خوانده نشد تا کارگزار از کار نیفتد. از تارنما بخواهید خوراکش "
                            "را درست کند."),
    "parse.too_many_entries": N_("این خوراک %(count)s خبر دارد، بیش از سقف %(limit)s؛ خوراک باید تازه‌ترین خبرها را "
                                 "فهرست کند و خوانده نشد. از تارنما بخواهید فقط تازه‌ترین خبرها را در آن بگذارد."),
    "parse.bad_override": N_("رمزگذاری «%(name)s» که برای این خوراک تعیین شده شناخته‌شده نیست. رمزگذاری دیگری (مثلاً "
                             "utf-8 یا windows-1256) تعیین کنید یا آن را خالی بگذارید."),
    "parse.override_failed": N_("خوراک با رمزگذاری «%(name)s» که برای آن تعیین شده خوانده نشد (%(detail)s)؛ "
                                "رمزگذاری دیگری تعیین کنید."),
    # parse: read despite a flaw
    "warning.truncated": N_("سند خوراک ناقص بود؛ %(count)s خبرِ پیش از محل قطع خوانده شد و خبر نیمه‌کاره "
                            "کنار گذاشته شد."),
    "warning.cut_cdata": N_("بخش CDATA در %(count)s خبرِ این خوراک پیش از «\u2066]]>\u2069» پایانی‌اش بریده شده بود (سامانهٔ "
                            "تارنما متن را کوتاه کرده است) و آنچه پس از آن می‌آمد را در خود می‌گرفت؛ هر بخش در پایان خبر "
                            "خودش بسته و همهٔ خبرها خوانده شد."),
    "warning.cdata_holds_markup": N_("بخش CDATA در %(count)s خبرِ این خوراک نشانه‌گذاری خود خوراک («\u2066</item>\u2069») را در "
                                     "خود دارد: یا تارنما متن خبری را پیش از «\u2066]]>\u2069» بریده و خبر پس از آن گم شده است، یا "
                                     "متن خبر چنین است. خوراک همان‌گونه که نوشته شده خوانده شد."),
    "warning.malformed": N_("سند خوراک کاملاً درست نبود (%(detail)s)؛ خبرها با خواندن آسان‌گیر به دست آمد."),
    "warning.malformed_no_entries": N_("سند خوراک کاملاً درست نبود (%(detail)s) و هیچ خبری نداشت: در آن برچسب خبری "
                                       "(item یا entry) نیست."),
    "warning.encoding": N_("رمزگذاری اعلام‌شده درست نبود (%(detail)s)؛ اگر حروف درست دیده نمی‌شوند، رمزگذاری "
                           "خوراک را تعیین کنید."),
    # The names quoted, as the feed's other values are: a name the server wrote runs on into the sentence
    # («… خود را invalid اعلام کرده بود …»; a review of hostile feeds, round 14).
    "warning.encoding_fallback": N_("خوراک رمزگذاری خود را «%(declared)s» اعلام کرده بود ولی با آن خوانده نشد و با "
                                    "«%(actual)s» خوانده شد؛ اگر حروف درست دیده نمی‌شوند، رمزگذاری خوراک را تعیین کنید."),
    "warning.misdeclared": N_("خوراک رمزگذاری خود را «%(declared)s» اعلام کرده بود ولی متنش «%(actual)s» بود و "
                              "«%(actual)s» خوانده شد."),
    "warning.mixed_encoding": N_("متن این خوراک دو رمزگذاری داشت: متن %(count)s خبر windows-1256 بود و باقی UTF-8 (شاید "
                                 "از پایگاه‌دادهٔ قدیمی تارنما)؛ هر بخش با رمزگذاری خودش خوانده شد."),
    "warning.mixed_encoding_feed": N_("متن این خوراک دو رمزگذاری داشت: بخشی از متن خود خوراک (بیرون از خبرها) windows-1256 "
                                      "بود و باقی UTF-8 (شاید از پایگاه‌دادهٔ قدیمی تارنما)؛ هر بخش با رمزگذاری خودش "
                                      "خوانده شد."),
    "warning.double_encoded": N_("بخشی از متن این خوراک دو بار رمزگذاری شده بود (حروف فارسی به شکل نویسه‌های درهم؛ "
                                 "کار پایگاه‌دادهٔ تارنما) و به متن درست برگردانده شد."),
    "warning.damaged_utf8": N_("چند بایت از متن خوراک UTF-8 درست نبود؛ به‌جای آن‌ها نشانهٔ «�» گذاشته شد و باقی "
                               "متن خوانده شد."),
    "warning.too_many_entries": N_("خوراک %(count)s خبر داشت؛ فقط %(kept)s خبرِ تازه‌ترش خوانده شد (سقف خبرهای "
                                   "هر بار دریافت)."),
    "warning.shared_guid": N_("چند خبرِ این خوراک با پیوندهای گوناگون یک شناسه (guid) داشتند؛ %(count)s خبر با "
                              "پیوندشان از هم بازشناخته شد."),
    "warning.repeated_key": N_("%(count)s خبرِ این خوراک شناسه (guid) یا پیوند خبری پیش از خود در همین خوراک را با "
                               "متن دیگری داشت؛ خبرِ نخست نگه داشته شد و این‌ها کنار گذاشته شد."),
    "warning.empty_entries": N_("%(count)s خبرِ این خوراک نه شناسه داشت، نه پیوند، نه عنوان و نه متن؛ چیزی از آن‌ها "
                                "نگه داشته نشد."),
    "warning.no_entries": N_("خوراک درست خوانده شد ولی هیچ خبری نداشت؛ اگر چنین بماند، شاید رسانه خوراکش را خالی "
                             "کرده یا نشانی آن را عوض کرده است."),
    "warning.other": N_("خوراک ایراد داشت (%(detail)s) ولی خبرهایش خوانده شد."),
    # parts of values
    "line": N_("خط %(line)s: %(text)s"),
}
DURATION_UNITS = ((86400, N_("%(n)s روز")), (3600, N_("%(n)s ساعت")), (60, N_("%(n)s دقیقه")), (1, N_("%(n)s ثانیه")))


def _number(value: float, persian: bool) -> str:
    # A whole number in full («۲۲۴۶۹۴۰», not «۲٫۲۴۶۹۴e+۰۶» as «:g» wrote it), a fraction to six digits.
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return to_persian_digits(text).replace(".", "٫") if persian else text


def _duration(seconds: float, translate, persian: bool) -> str:
    """Rounded up to its largest unit: «۴۵ ثانیه», «۲ دقیقه», «۳ ساعت», «۱ روز»."""
    seconds = max(seconds, 1)
    unit, template = next((u, t) for u, t in DURATION_UNITS if seconds >= u)
    return translate(template) % {"n": _number(math.ceil(seconds / unit), persian)}


# What the XML parser (expat) says where it stopped, in Persian: its English was shown inside the
# Persian message («خط ۱: no element found»; a review of hostile feeds, round 3). Others stay as said.
PARSER_WORDS = {
    "no element found": N_("سند تهی است یا پیش از نخستین برچسب پایان یافت"),
    "unclosed token": N_("سند در میانهٔ یک برچسب بریده شد"),
    "mismatched tag": N_("برچسب بسته با برچسب باز نمی‌خواند"),
    "not well-formed (invalid token)": N_("نویسه یا نشانه‌ای نادرست در سند"),
    "junk after document element": N_("پس از پایان سند چیز دیگری آمده است"),
    "undefined entity": N_("نویسهٔ نام‌داری (entity) که تعریف نشده"),
    "syntax error": N_("نگارش سند نادرست است"),
    "unclosed CDATA section": N_("بخش CDATA بسته نشده است"),
    "duplicate attribute": N_("یک ویژگی در یک برچسب دو بار آمده است"),
    "unbound prefix": N_("پیشوند فضای نامی که تعریف نشده"),
    "XML or text declaration not at start of entity": N_("اعلان XML در آغاز سند نیست"),
    "reference to invalid character number": N_("ارجاع به نویسه‌ای که نیست"),
    "partial character": N_("نویسه‌ای نیمه‌کاره در پایان سند"),
}


# A value the feed or its server wrote (a declared encoding's name, an address) is shown at most this long:
# a charset label of 3,000 letters made the feed's warning 3,142 characters (hostile feeds, round 14).
SHOWN_MAX_CHARS = 200


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_MAX_CHARS else text[:SHOWN_MAX_CHARS] + "…"


class Message(NamedTuple):
    """A message by key with its values; a value is a number, a string, {"seconds": n} (a
    duration) or {"line": n, "text": s} (where an XML parser stopped)."""

    key: str
    values: Mapping = MappingProxyType({})  # shared by every message without values: read-only

    def render(self, translate=lambda s: s, persian: bool = True) -> str:
        values = {name: self._value(v, translate, persian) for name, v in self.values.items()}
        return translate(TEMPLATES[self.key]) % values

    def _value(self, value, translate, persian: bool) -> str:
        if isinstance(value, bool) or value is None:
            return str(value)
        if isinstance(value, (int, float)):
            return _number(value, persian)
        if isinstance(value, dict) and "seconds" in value:
            return _duration(value["seconds"], translate, persian)
        if isinstance(value, dict) and "line" in value:
            said = PARSER_WORDS.get(value["text"])
            return translate(TEMPLATES["line"]) % {"line": _number(value["line"], persian),
                                                   "text": translate(said) if said else _shown(str(value["text"]))}
        return _shown(str(value))

    def persian(self) -> str:
        return self.render()

    def as_json(self) -> dict:
        return {"key": self.key, "values": dict(self.values)}


# The flaws of one document said together, at most so many (each kind once: a document has few).
MAX_WARNINGS = 6


def said_together(messages: list[Message]) -> tuple[str | None, dict | None]:
    """The Persian text and the stored detail of a document's warnings: the first as one message is
    (``{"key", "values"}``), the others, each kind once, under ``"also"``. One warning hid the others
    (a cut feed's repeated entries were never said: a review of hostile feeds, round 16)."""
    kept: list[Message] = []
    for message in messages:
        if all(message.key != other.key for other in kept):
            kept.append(message)
    kept = kept[:MAX_WARNINGS]
    if not kept:
        return None, None
    detail = kept[0].as_json()
    if len(kept) > 1:
        detail["also"] = [message.as_json() for message in kept[1:]]
    return " ".join(message.persian() for message in kept), detail


def localized_all(detail: dict | None, fallback: str | None = None) -> list[str]:
    """Each message of a stored detail (``said_together``) in the current request's language."""
    also = (detail or {}).get("also")
    more = [localized(d) for d in also[:MAX_WARNINGS] if isinstance(d, dict)] if isinstance(also, list) else []
    return [text for text in [localized(detail, fallback), *more] if text]


def localized(detail: dict | None, fallback: str | None = None) -> str:
    """A stored message in the current request's language (the Persian text when unknown)."""
    if not detail or detail.get("key") not in TEMPLATES:
        return fallback or ""
    from flask_babel import gettext

    return Message(detail["key"], detail.get("values") or {}).render(gettext, digit_style() == "fa")
