"""Persian error pages (400, 403, 404, 405, 409 for a row deleted meanwhile, 413, 429, 500, CSRF failure,
a form body or a query string that is not text, an untrusted Host)."""
from __future__ import annotations

from flask import Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import SecurityError

from app.extensions import db
from app.web.client import ClientUnknown, ProxyNotTrusted, ProxySentNoAddress
from app.web.filters import fa_digits
from app.web.navigation import referring_page, same_site_path
from app.web.origin import ForeignOrigin
from app.web.requests import (
    URLENCODED_BYTES_MAX,
    URLENCODED_FIELDS_MAX,
    FormBodyTooLarge,
    InvalidFormText,
    InvalidQueryText,
    TooManyFormFields,
)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _page(status: int, title: str, message: str, headers: dict | None = None, **extra):
    if _wants_json():
        return {"error": {"status": status, "message": message, **extra}}, status, headers or {}
    return render_template("errors/error.html", status=status, title=title, message=message,
                           back_to_login=_login_page()), status, headers or {}


def _login_page() -> str | None:
    """Where a reader not logged in goes back to: the login, with the ``next`` a refused login form had.
    A refused login form (sent from another address, a body too large) offered «بازگشت به پیشخوان», as
    if its sender were logged in (session 47's note); the dashboard only sent them on to the login."""
    if current_user.is_authenticated:
        return None
    onward = same_site_path(request.args.get("next")) if request.endpoint in ("auth.login", "auth.login_code") else None
    return url_for("auth.login", next=onward)


def _logged_out_elsewhere() -> bool:
    """A form of a page that needs a login, sent by a browser logged in no more: its token was a
    session's that ended in another tab (logging out starts a new form session), so the form only
    looks forged. ``access`` sends a form that comes after the session ended to the login."""
    view = current_app.view_functions.get(request.endpoint or "")
    return (request.method == "POST" and not _wants_json() and view is not None
            and not getattr(view, "access_public", True) and not current_user.is_authenticated)


def _form_page() -> str:
    """The page a refused form was sent from: the referrer's path when it is this site's."""
    return referring_page() or request.path


def _to_the_login():
    """What «خروج», or any form, sent from a tab left open after logging out in another gets: the
    login, saying so (it answered «the form's session expired, send it again», as if still logged in)."""
    if request.endpoint == "auth.logout":  # not «خروج از همه‌جا»: the other browsers' sessions were not ended
        flash(_("این مرورگر پیش‌تر از سامانه بیرون آمده بود."), "info")
    else:
        flash(_("این مرورگر پیش‌تر از سامانه بیرون آمده بود (در برگه‌ای دیگر یا با پایان نشست)؛ آنچه فرستادید "
                "ذخیره نشد. دوباره وارد شوید."), "warning")
        # back to the form's page after the login, where forms.js puts back what was typed
        return redirect(url_for("auth.login", next=referring_page()))
    return redirect(url_for("auth.login"))


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(exc):
        return _page(400, _("درخواست نادرست"), _("درخواست فرستاده‌شده را نمی‌توان پردازش کرد."))

    @app.errorhandler(SecurityError)
    def untrusted_host(exc):
        # A Host outside HAMZABAN_TRUSTED_HOSTS: no URL can be built for it, so no page template; a page of its
        # own all the same, right to left (as plain text a browser laid the sentence out left to right).
        locale = str(get_locale() or "fa")
        text = escape(_("این نشانی (میزبان) برای این سامانه تعریف نشده است. اگر سامانه را با همین نام باز می‌کنید، "
                        "به مدیر سامانه بگویید آن را در HAMZABAN_TRUSTED_HOSTS بیفزاید."))
        page = (f'<!doctype html>\n<html lang="{escape(locale)}" dir="{"ltr" if locale == "en" else "rtl"}">'
                f'<meta charset="utf-8"><title>{escape(_("درخواست نادرست"))}</title><p>{text}</p></html>\n')
        return page, 400, {"Content-Type": "text/html; charset=utf-8"}

    @app.errorhandler(InvalidFormText)
    def invalid_form_text(exc):
        # Before the CSRF check (it reads the form): without this the user read "the form expired".
        return _page(400, _("متن فرستاده‌شده درست نیست"),
                     _("متن فرستاده‌شده نویسه‌های نادرست (UTF-8 نامعتبر) دارد و پذیرفته نشد؛ چیزی ذخیره نشد. "
                       "متن را دوباره بنویسید یا از جای دیگری رونویسی کنید و دوباره بفرستید."))

    @app.errorhandler(InvalidQueryText)
    def invalid_query_text(exc):
        return _page(400, _("نشانی صفحه درست نیست"),
                     _("بخش پس از «؟» در نشانی این صفحه نویسه‌های نادرست (UTF-8 نامعتبر) دارد و خوانده نشد. "
                       "جست‌وجو یا فیلتر را از خود صفحه دوباره بنویسید."))

    @app.errorhandler(ForeignOrigin)
    def foreign_origin(exc):
        if exc.origin.strip() == "null":  # Chromium's under «Referrer-Policy: no-referrer», the site's own forms too
            return _page(400, _("مرورگر نگفت فرم از کجا آمده است"),
                         _("مرورگر نگفت این فرم از کدام نشانی فرستاده شد، پس پذیرفته نشد: چیزی تغییر نکرد. مرورگر چنین "
                           "می‌کند وقتی از آن خواسته شده است نشانی صفحه‌ها را نفرستد: تنظیمی از حریم خصوصی مرورگر "
                           "یا افزونه‌ای، یا سرایند «Referrer-Policy: no-referrer» که پیشکار (پراکسی) جلوی سامانه "
                           "می‌افزاید. آن تنظیم را برای این سامانه بردارید و دوباره بفرستید، یا به مدیر سامانه "
                           "بگویید."))
        return _page(400, _("فرم از نشانی دیگری فرستاده شد"),
                     _("این فرم از «%(origin)s» فرستاده شد، نه از نشانی خود سامانه (%(own)s)، و پذیرفته نشد: چیزی "
                       "تغییر نکرد. اگر خودتان آن را فرستادید، سامانه را از نشانی خودش باز کنید و دوباره بفرستید.",
                       origin=exc.origin, own=exc.own) + " "
                     + _("اگر سامانه را از نشانی همیشگی‌اش باز کرده بودید، به مدیر سامانه بگویید: گزارش کارساز "
                         "می‌گوید چه باید تغییر کند."))

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        if _logged_out_elsewhere():
            return _to_the_login()
        if request.endpoint in ("auth.login", "auth.login_code") and request.method == "POST" \
                and current_user.is_authenticated:
            # a second tab's login or code form, sent after the first logged in: on to ``next``
            return redirect(same_site_path(request.args.get("next")) or url_for("main.index"))
        if _wants_json() or not current_user.is_authenticated:  # a login form: nothing kept to go back with
            return _page(400, _("نشست فرم منقضی شده است"),
                         _("برگهٔ فرم کهنه شده یا از جای دیگری فرستاده شده است. صفحه را دوباره باز کنید و دوباره بفرستید."))
        # What was typed is kept by the browser (forms.js, sessionStorage of this tab) and put back
        # into the form the link opens: the page answered «send it again» and it was lost (session
        # 43's note). The form's own page is the referrer's (same-origin policy), else this path.
        return render_template("errors/error.html", status=400, title=_("نشست فرم منقضی شده است"),
                               message=_("برگهٔ فرم کهنه شده بود (برای نمونه پس از ورود دوباره در برگه‌ای دیگر) یا از "
                                         "جای دیگری فرستاده شده است، و چیزی ذخیره نشد. اگر خودتان آن را فرستاده "
                                         "بودید، آنچه نوشته بودید در این برگهٔ مرورگر نگه داشته شده است: "
                                         "به فرم برگردید، بازبینی کنید و دوباره بفرستید."),
                               back_to_form=_form_page()), 400

    @app.errorhandler(403)
    def forbidden(exc):
        return _page(403, _("دسترسی ندارید"), _("شما اجازهٔ دیدن یا انجام این کار را ندارید."))

    @app.errorhandler(404)
    def not_found(exc):
        return _page(404, _("پیدا نشد"), _("صفحه یا موردی که خواستید پیدا نشد."))

    @app.errorhandler(405)
    def method_not_allowed(exc):
        return _page(405, _("روش درخواست نادرست"), _("این نشانی این گونه درخواست را نمی‌پذیرد."))

    @app.errorhandler(TooManyFormFields)
    def too_many_fields(exc):
        return _page(413, _("فرم بسیار بزرگ است"),
                     _("فرم فرستاده‌شده بیش از %(max)s خانه دارد و پذیرفته نشد؛ چیزی ذخیره نشد.",
                       max=fa_digits(URLENCODED_FIELDS_MAX)))

    @app.errorhandler(FormBodyTooLarge)
    def form_too_long(exc):
        return _page(413, _("فرم بسیار بزرگ است"),
                     _("فرم فرستاده‌شده بیش از %(max)s مگابایت است و پذیرفته نشد؛ چیزی ذخیره نشد.",
                       max=fa_digits(URLENCODED_BYTES_MAX // (1024 * 1024))))

    @app.errorhandler(413)
    def too_large(exc):
        return _page(413, _("فایل بسیار بزرگ است"), _("حجم فرستاده‌شده از سقف مجاز بیشتر است و ذخیره نشد."))

    @app.errorhandler(ClientUnknown)
    def client_unknown(exc):
        return _page(503, _("ورود اکنون پذیرفته نیست"), _(
            "کارساز نشانی شبکهٔ شما را نمی‌بیند (پیشکار جلوی آن روی سوکت یونیکس است و HAMZABAN_TRUSTED_PROXIES "
            "گذاشته نشده است)، پس ورودها را از هم جدا نمی‌شمارد و ورود را نمی‌پذیرد. به مدیر سامانه بگویید؛ "
            "راهنمای نصب (DEPLOYMENT.md) می‌گوید چه بگذارد."))

    @app.errorhandler(ProxyNotTrusted)
    def proxy_not_trusted(exc):
        if isinstance(current_app.config["TRUSTED_PROXIES"], tuple):  # set, as a list that leaves this proxy out
            return _page(503, _("ورود اکنون پذیرفته نیست"), _(
                "کارساز پشت پیشکاری (پراکسی) روی همین رایانه است (%(address)s) و نشانی آن در فهرست "
                "HAMZABAN_TRUSTED_PROXIES نیست، پس همهٔ کاربران برای آن یک نشانی‌اند: ورودها را از هم جدا "
                "نمی‌شمارد و ورود را نمی‌پذیرد. به مدیر سامانه بگویید؛ راهنمای نصب (DEPLOYMENT.md) می‌گوید چه بگذارد.",
                address=request.remote_addr))
        return _page(503, _("ورود اکنون پذیرفته نیست"), _(
            "کارساز پشت پیشکاری (پراکسی) روی همین رایانه است و HAMZABAN_TRUSTED_PROXIES گذاشته نشده است، "
            "پس همهٔ کاربران برای آن یک نشانی‌اند: ورودها را از هم جدا نمی‌شمارد و ورود را نمی‌پذیرد. به مدیر "
            "سامانه بگویید؛ راهنمای نصب (DEPLOYMENT.md) می‌گوید چه بگذارد."))

    @app.errorhandler(ProxySentNoAddress)
    def proxy_sent_no_address(exc):
        return _page(503, _("ورود اکنون پذیرفته نیست"), _(
            "HAMZABAN_TRUSTED_PROXIES گذاشته شده است ولی پیشکار (پراکسی) جلوی کارساز نشانی شما را در "
            "X-Forwarded-For نمی‌فرستد، پس همهٔ کاربران برای کارساز یک نشانی‌اند: ورودها را از هم جدا نمی‌شمارد و "
            "ورود را نمی‌پذیرد. به مدیر سامانه بگویید؛ راهنمای نصب (DEPLOYMENT.md) می‌گوید چه بگذارد."))

    @app.errorhandler(429)
    def too_many(exc):
        seconds = getattr(exc, "seconds", None) or 60
        what = getattr(exc, "what", None) or _("این کار")
        return _page(429, _("درخواست‌ها از سقف گذشت"),
                     _("شمار درخواست‌های «%(what)s» از سقف مجاز گذشت. %(seconds)s ثانیه دیگر دوباره تلاش کنید.",
                       what=what, seconds=fa_digits(seconds)),
                     {"Retry-After": str(seconds)}, retry_after=seconds)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(ObjectDeletedError)
    def changed_meanwhile(exc):
        # A write whose row another person deleted (or changed under a version) after this request
        # read it: nothing was saved, and it is no system error.
        db.session.rollback()
        current_app.logger.warning("a row changed or deleted meanwhile: %s", exc)  # a real bug would hide here
        return _page(409, _("هم‌زمان تغییر کرد"),
                     _("آنچه ویرایش می‌کردید هم‌زمان به دست کس دیگری پاک شد یا تغییر کرد و چیزی ذخیره نشد. "
                       "صفحه را دوباره باز کنید."))

    @app.errorhandler(500)
    def server_error(exc):
        # A failed flush or commit leaves the session unusable: the page's menu (current_user) would
        # raise again and the server's English page would be shown instead of this one.
        db.session.rollback()
        return _page(500, _("خطای سامانه"), _("خطایی پیش آمد و ثبت شد. دوباره تلاش کنید یا به مدیر سامانه خبر دهید."))
