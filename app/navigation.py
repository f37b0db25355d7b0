"""The menu: which pages each role sees, and the template globals the layout needs."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    roles: frozenset


ALL = frozenset({"admin", "supervisor", "manager", "staff", "viewer"})

# Later features add their pages here, in menu order.
NAV_ITEMS = [
    NavItem("main.index", _l("پیشخوان"), ALL),
    NavItem("search.index", _l("جست‌وجو"), ALL),
    NavItem("items.latest", _l("خبرها"), ALL),
    NavItem("inbox.index", _l("صندوق سازمان"), frozenset({"supervisor", "manager", "staff", "viewer"})),
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


def current_locale() -> str:
    return str(get_locale() or "fa")


def role_label(role: str) -> str:
    from app.forms.accounts import ROLE_LABELS

    return str(ROLE_LABELS.get(role, role))


def register_template_globals(app: Flask) -> None:
    from app.services.audit import action_label

    app.jinja_env.globals.update(nav_items=nav_items, current_locale=current_locale, role_label=role_label,
                                 audit_label=action_label)
