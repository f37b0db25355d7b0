"""The menu: which pages each role sees, and the template globals the layout needs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.monitor.messages import localized
from app.services.alerts import unread_count
from app.services.audit import action_label
from app.services.triage import inbox_badge
from app.web.forms.accounts import ROLE_LABELS


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    roles: frozenset
    # Optional badge: called with the current user on every page, so it must be one cheap
    # indexed query; 0 or None shows no badge.
    counter: Callable[[object], int | None] | None = None


def _unread_notifications(user) -> int:
    return unread_count(user)


def _inbox_badge(user) -> int:
    return inbox_badge(user)


ALL = frozenset({"admin", "supervisor", "manager", "staff", "viewer"})

# Later features add their pages here, in menu order.
NAV_ITEMS = [
    NavItem("main.index", _l("پیشخوان"), ALL),
    NavItem("search.index", _l("جست‌وجو"), ALL),
    NavItem("items.latest", _l("خبرها"), ALL),
    NavItem("alerts.notifications", _l("اعلان‌ها"), ALL, counter=_unread_notifications),
    NavItem("inbox.index", _l("صندوق سازمان"), frozenset({"supervisor", "manager", "staff", "viewer"}),
            counter=_inbox_badge),
    NavItem("rules.index", _l("قاعده‌های ارجاع"), ALL),
    NavItem("feeds.index", _l("خوراک‌ها"), frozenset({"admin", "supervisor"})),
    NavItem("admin.agencies", _l("سازمان‌ها"), frozenset({"admin", "supervisor"})),
    NavItem("admin.users", _l("کاربران"), frozenset({"admin"})),
    NavItem("calendar.holidays", _l("تقویم کاری"), frozenset({"admin"})),
    NavItem("admin.audit", _l("گزارش رویدادها"), frozenset({"admin", "supervisor", "manager"})),
]


def nav_items() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    return [i for i in NAV_ITEMS if current_user.role in i.roles and i.endpoint in current_app.view_functions]


def nav_count(item: NavItem) -> int:
    """The badge number of a menu item for the current user (0: no badge)."""
    if item.counter is None or not current_user.is_authenticated:
        return 0
    return item.counter(current_user) or 0


def current_locale() -> str:
    return str(get_locale() or "fa")


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(nav_items=nav_items, nav_count=nav_count, current_locale=current_locale, role_label=role_label,
                                 audit_label=action_label, monitor_message=localized)
