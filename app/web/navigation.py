"""The menu: which pages each role sees, and the template globals the layout needs."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from app.monitor.messages import localized, localized_all
from app.policy import (
    AGENCY_CASES_ROLES,
    AGENCY_DASHBOARD_MENU_ROLES,
    AGENCY_READERS,
    ALL_CASES_ROLES,
    ALL_ROLES,
    AUDIT_READERS,
    CALENDAR_EDITORS,
    CONFERENCE_READERS,
    CONTACT_READERS,
    DIRECTORY_READERS,
    EVIDENCE_READERS,
    FEED_READERS,
    LAPSED_MENU_ROLES,
    LEARNING_MANAGERS,
    MY_CASES_ROLES,
    PORTAL_READERS,
    PROVINCE_DASHBOARD_READERS,
    REPORT_READERS,
    ROLES_WITH_INBOX,
    SCORECARD_READERS,
    USER_ADMINS,
    can_manage_agencies,
    can_manage_feeds,
    may_sign_in,
    must_use_second_factor,
)
from app.services.alerts import unread_count
from app.services.audit import action_label, object_label
from app.services.case_notifications import unread_count as unread_case_notifications
from app.services.case_pages import my_open_cases_count
from app.services.triage import InboxCounts, badge_of, inbox_badge
from app.web.forms.accounts import ROLE_LABELS
from app.web.once import once_field


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    roles: frozenset
    # Optional badge: called with the current user on every page, so it must be one cheap
    # indexed query; 0 or None shows no badge.
    counter: Callable[[object], int | None] | None = None
    # The key of its dropdown in NAV_GROUPS; None: a plain link in the menu bar.
    group: str | None = None


# The longest address followed or sent back: what a request line holds behind nginx's default
# buffers (8 KB, large_client_header_buffers), so no page of the site has a longer one, and the
# bound the feeds put on an item's link. A 10,000-character ``next`` was followed, and written back
# into the login page's language switch (session 42).
NEXT_MAX = 8192


def same_site_path(target: str | None) -> str | None:
    """``target`` when it is a path of this site to go to (after a login, a language switch, a
    quick entry), else None: not «//host», nor «/\\host» (a browser reads the backslash as a
    slash), nor a control character (a line break cannot be sent in the Location header: the
    redirect failed with a 500 page), nor longer than NEXT_MAX."""
    if (target and len(target) <= NEXT_MAX and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ord(c) < 32 or ord(c) == 127 for c in target) and not urlsplit(target).netloc):
        return target
    return None


def referring_page() -> str | None:
    """The page a form was sent from: the referrer's path when it is this site's (the referrer
    policy is same-origin) and a page to open, else None. A page shown again as a refused POST's
    answer (a case's empty note) has the POST's address: the login went back to it, a 405."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    try:
        current_app.create_url_adapter(request).match(referrer.path, method="GET")
    except MethodNotAllowed:
        return None
    except HTTPException:  # a 404, a redirect to the address with its slash: the page says so
        pass
    return same_site_path(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


DOWNLOAD_NOW = "download_now"  # the session's key: a file asked for before the login, fetched on the page after it


def download_path(target: str | None) -> str | None:
    """``target`` when it is a path of this site whose page is a file (``@access(download=True)``), else None."""
    target = same_site_path(target)
    path = urlsplit(target or "").path
    # A browser resolves «..» and «%2e%2e» before asking, a server's route does not: «/reports/jobs/../file»
    # matched the report's file and fetched «/reports/file»; an encoded slash is no path of a file either.
    if not target or any(part in (".", "..") or "/" in part or "\\" in part for part in map(unquote, path.split("/"))):
        return None
    try:
        endpoint, _args = current_app.create_url_adapter(request).match(path, method="GET")
    except HTTPException:
        return None
    return target if getattr(current_app.view_functions.get(endpoint), "access_download", False) else None


def download_after_login() -> str | None:
    """The file asked for before the login, once (base.html offers it, app.js fetches it: ``access``). Not
    on the pages a forced second factor's set-up shows first: fetched there, the file was refused (the
    set-up first) and its answer sent the tab to the set-up again, its ``next`` lost (review of session 46)."""
    if DOWNLOAD_NOW not in session or getattr(current_app.view_functions.get(request.endpoint or ""),
                                              "access_before_second_factor", False):
        return None
    return download_path(session.pop(DOWNLOAD_NOW, None))


def _unread_notifications(user) -> int:
    return unread_count(user)


def _unread_case_notifications(user) -> int:
    return unread_case_notifications(user)


def remember_inbox_counts(counts: InboxCounts) -> None:
    """A page that has just read the inbox's counts (the inbox) lends them to this request's menu,
    which would otherwise count the same routes again (issue 16: two passes per page at 1M)."""
    g.inbox_counts = counts


def _inbox_badge(user) -> int:
    counts = g.get("inbox_counts")
    return inbox_badge(user) if counts is None else badge_of(counts, user)



# The top menu groups its pages under a few dropdowns (26 links overflowed a 1300px screen). A
# group's toggle shows where its first visible item stands in NAV_ITEMS; group None is a plain link
# (the pages where one click matters most). Later features add their pages here, in menu order.
NAV_GROUPS = {
    "dashboards": _l("پیشخوان"),
    "news": _l("خبرها"),
    "cases": _l("پرونده‌ها"),
    "media": lazy_pgettext("menu", "رسانه‌ها"),  # "Media" here, "Outlets" elsewhere
    "directive": _l("بخشنامه"),
    "admin": _l("مدیریت"),
}

NAV_ITEMS = [
    NavItem("main.index", _l("پیشخوان"), ALL_ROLES, group="dashboards"),
    NavItem("dashboards.province", _l("پیشخوان استان"), PROVINCE_DASHBOARD_READERS, group="dashboards"),
    NavItem("dashboards.agency", _l("پیشخوان سازمان"), AGENCY_DASHBOARD_MENU_ROLES, group="dashboards"),
    NavItem("inbox.index", _l("صندوق سازمان"), ROLES_WITH_INBOX, counter=_inbox_badge),
    NavItem("search.index", _l("جست‌وجو"), ALL_ROLES),
    NavItem("items.latest", _l("خبرها"), ALL_ROLES, group="news"),
    NavItem("alerts.notifications", _l("اعلان‌ها"), ALL_ROLES, counter=_unread_notifications, group="news"),
    NavItem("rules.index", _l("قاعده‌های ارجاع"), ALL_ROLES, group="news"),
    NavItem("feeds.index", _l("خوراک‌ها"), FEED_READERS, group="news"),
    NavItem("cases.mine", _l("پرونده‌های من"), MY_CASES_ROLES, counter=my_open_cases_count, group="cases"),
    NavItem("cases.agency", _l("پرونده‌های سازمان"), AGENCY_CASES_ROLES, group="cases"),
    NavItem("cases.all_cases", _l("همهٔ پرونده‌ها"), ALL_CASES_ROLES, group="cases"),
    NavItem("reminders.index", _l("یادآوری پرونده‌ها"), ALL_ROLES, counter=_unread_case_notifications, group="cases"),
    NavItem("directory.index", _l("رسانه‌ها و خبرنگاران"), DIRECTORY_READERS, group="media"),
    NavItem("contacts.index", _l("تماس با رسانه‌ها"), CONTACT_READERS, group="media"),
    NavItem("contacts.lapsed", _l("رسانه‌های محلی بی‌تماس"), LAPSED_MENU_ROLES, group="media"),
    NavItem("conferences.index", _l("نشست‌های خبری"), CONFERENCE_READERS, group="media"),
    NavItem("conference_followup.commitments", _l("قول‌های نشست‌ها"), CONFERENCE_READERS, group="media"),
    NavItem("scorecard.index", _l("کارنامهٔ بخشنامه"), SCORECARD_READERS, group="directive"),
    NavItem("portals.index", _l("به‌روز بودن درگاه‌ها"), PORTAL_READERS, group="directive"),
    NavItem("evidence.index", _l("دفتر مستندات دستورالعمل"), EVIDENCE_READERS, group="directive"),
    NavItem("reports.index", _l("گزارش‌ها"), REPORT_READERS, group="directive"),
    NavItem("admin.agencies", _l("سازمان‌ها"), AGENCY_READERS, group="admin"),
    NavItem("admin.users", _l("کاربران"), USER_ADMINS, group="admin"),
    NavItem("calendar.holidays", _l("تقویم کاری"), CALENDAR_EDITORS, group="admin"),
    NavItem("learning.index", _l("سامانهٔ یادگیرنده"), LEARNING_MANAGERS, group="admin"),
    NavItem("admin.audit", _l("گزارش رویدادها"), AUDIT_READERS, group="admin"),
]


def nav_items() -> list[NavItem]:
    """The menu of the signed-in user; none while a second factor they must use is not set up (every
    page but its own sends them there; an error page showed the province's counts: a review of the
    login, round 9)."""
    if not current_user.is_authenticated or _second_factor_pending(current_user):
        return []
    return [i for i in NAV_ITEMS if current_user.role in i.roles and i.endpoint in current_app.view_functions]


def nav_count(item: NavItem) -> int:
    """The badge number of a menu item for the current user (0: no badge)."""
    if item.counter is None or not current_user.is_authenticated or _second_factor_pending(current_user):
        return 0
    return item.counter(current_user) or 0


@dataclass
class MenuLink:
    item: NavItem
    count: int
    is_current: bool


@dataclass
class MenuEntry:
    """One place in the menu bar: a plain link (one link) or a dropdown group (several)."""
    key: str
    group_label: object
    links: list[MenuLink] = field(default_factory=list)
    is_section: bool = False  # the current page is one of its links or of their blueprint

    @property
    def is_dropdown(self) -> bool:
        return len(self.links) > 1

    @property
    def label(self) -> object:
        """The group's name on a dropdown; a lone page keeps its own name."""
        return self.group_label if self.is_dropdown else self.links[0].item.label

    @property
    def count(self) -> int:
        return sum(link.count for link in self.links)

    @property
    def is_active(self) -> bool:
        return any(link.is_current for link in self.links)


def _blueprint(endpoint: str) -> str:
    return endpoint.rpartition(".")[0]


def _group_of_blueprint() -> dict[str, str]:
    """Blueprints whose menu pages all sit in one group: their other pages (a case, a conference)
    mark that group active too."""
    groups: dict[str, set] = {}
    for item in NAV_ITEMS:
        groups.setdefault(_blueprint(item.endpoint), set()).add(item.group or item.endpoint)
    return {bp: next(iter(keys)) for bp, keys in groups.items() if len(keys) == 1}


def nav_menu(endpoint: str | None = None) -> list[MenuEntry]:
    """The current user's menu bar, in NAV_ITEMS order; each counter runs once. A group with no
    visible page is left out; a group with one visible page becomes a plain link to it."""
    entries: dict[str, MenuEntry] = {}
    for item in nav_items():
        key = item.group or item.endpoint
        entry = entries.setdefault(key, MenuEntry(key, NAV_GROUPS.get(item.group, item.label)))
        entry.links.append(MenuLink(item, nav_count(item), item.endpoint == endpoint))
    home = _group_of_blueprint().get(_blueprint(endpoint)) if endpoint else None
    for entry in entries.values():
        entry.is_section = entry.is_active or entry.key == home
    return list(entries.values())


def current_locale() -> str:
    return str(get_locale() or "fa")


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


END_REASON_LABELS = {
    "logout": _l("خروج"), "everywhere": _l("خروج از همه جا"), "admin": _l("پایان به دست مدیر"),
    "idle": _l("بی‌کاری"), "expired": _l("پایان زمان"), "password": _l("تغییر گذرواژه"),
    "account": _l("تغییر حساب"), "two-factor-reset": _l("بازنشانی ورود دومرحله‌ای"),
    "two-factor-on": _l("روشن کردن ورود دومرحله‌ای"), "agency": _l("خاموش شدن سازمان"),
    "owner": _l("پایان به دست خود کاربر"), "limit": _l("نشست‌های باز بیش از اندازه"),
}


def end_reason_label(reason: str) -> str:
    """Why a session ended, in the reader's language."""
    return str(END_REASON_LABELS.get(reason, reason))


def _must_use_second_factor(user) -> bool:
    return must_use_second_factor(user, current_app.config["MFA_REQUIRED_ROLES"])


def _second_factor_pending(user) -> bool:
    return not user.has_second_factor and _must_use_second_factor(user)


def this_page() -> str:
    """The address of the page shown, for a form that comes back to it (the language switch, a
    quick entry's ``next``): a page shown again as the answer to a refused POST is its own GET
    address (``g.page_path``), not the POST's (a 405 on the way back); an address longer than
    NEXT_MAX without its query string."""
    if g.get("page_path"):
        return g.page_path
    # past NEXT_MAX the page without its query string (a language switch would go home instead)
    return request.full_path if request.query_string and len(request.full_path) <= NEXT_MAX else request.path


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(once_field=once_field, this_page=this_page, download_after_login=download_after_login, nav_items=nav_items, nav_count=nav_count, nav_menu=nav_menu, current_locale=current_locale, role_label=role_label,
                                 audit_label=action_label, audit_object=object_label, monitor_message=localized, monitor_messages=localized_all,
                                 can_manage_agencies=can_manage_agencies, can_manage_feeds=can_manage_feeds,
                                 end_reason_label=end_reason_label, must_use_second_factor=_must_use_second_factor,
                                 may_sign_in=may_sign_in)
