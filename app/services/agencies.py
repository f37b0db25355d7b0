"""Agencies: the standard list of a province, creating and editing agencies."""
from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, fields

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.policy import CROSS_AGENCY_ROLES, can_manage_agencies
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.conference_targets import keep_target_history
from app.services.sessions import end_all_of
from models import Agency, User
from models.agency import CONFERENCE_TARGET_PERIODS
from search_index.normalization import fold_pasted, name_typed
from search_index.persian import normalize_for_storage

# The standard executive agencies of a province: (slug, Persian name, English name, kind).
# Routing rules of later issues are keyed by these slugs; do not rename them.
STANDARD_AGENCIES = (
    ("water", "آب و فاضلاب", "Water and Wastewater Company", "company"),
    ("power", "توزیع نیروی برق", "Electricity Distribution Company", "company"),
    ("gas", "گاز", "Gas Company", "company"),
    ("roads", "راه و شهرسازی / راهداری و حمل‌ونقل جاده‌ای", "Roads, Urban Development and Road Transport", "directorate"),
    ("health", "دانشگاه علوم پزشکی", "University of Medical Sciences", "university"),
    ("education", "آموزش و پرورش", "Education", "directorate"),
    ("environment", "حفاظت محیط زیست", "Environmental Protection", "directorate"),
    ("agriculture", "جهاد کشاورزی", "Agriculture Jihad", "directorate"),
    ("natural_resources", "منابع طبیعی و آبخیزداری", "Natural Resources and Watershed Management", "directorate"),
    ("heritage_tourism", "میراث فرهنگی، گردشگری و صنایع دستی", "Cultural Heritage, Tourism and Handicrafts", "directorate"),
    ("sports_youth", "ورزش و جوانان", "Sports and Youth", "directorate"),
    ("welfare", "بهزیستی", "Welfare Organization", "directorate"),
    ("labor", "تعاون، کار و رفاه اجتماعی", "Cooperatives, Labour and Social Welfare", "directorate"),
    ("culture", "فرهنگ و ارشاد اسلامی", "Culture and Islamic Guidance", "directorate"),
    ("industry_trade", "صنعت، معدن و تجارت", "Industry, Mine and Trade", "directorate"),
    ("telecom", "ارتباطات و فناوری اطلاعات", "Communications and Information Technology", "directorate"),
    ("crisis", "مدیریت بحران", "Crisis Management", "directorate"),
    ("economy_finance", "امور اقتصادی و دارایی", "Economic Affairs and Finance", "directorate"),
    ("municipality", "شهرداری", "Municipality", "municipality"),
    ("governorate", "استانداری", "Governorate", "governorate"),
)

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


@dataclass
class AgencyInput:
    slug: str
    name_fa: str
    name_en: str = ""
    kind: str = "directorate"
    parent_ministry: str = ""
    portal_url: str = ""
    conference_target: int = 4
    conference_target_period: str = "year"
    is_active: bool = True


def _require_admin(actor) -> None:
    if actor is not None and not can_manage_agencies(actor):
        raise NotAllowed(_("تنها مدیر سامانه سازمان‌ها را تعریف یا ویرایش می‌کند."))


def _validate(data: AgencyInput) -> AgencyInput:
    data.slug = data.slug.strip().lower()
    data.name_fa = normalize_for_storage(data.name_fa).strip()
    if not SLUG_RE.match(data.slug):
        raise ServiceError(_("شناسهٔ لاتین سازمان باید با حرف کوچک انگلیسی آغاز شود و تنها حرف، رقم و _ داشته باشد."))
    if not data.name_fa:
        raise ServiceError(_("نام فارسی سازمان را بنویسید."))
    if data.portal_url and not re.match(r"^https?://", data.portal_url):
        raise ServiceError(_("نشانی درگاه باید با http:// یا https:// آغاز شود."))
    if data.conference_target < 0:
        raise ServiceError(_("شمار نشست‌های خبری نمی‌تواند منفی باشد."))
    if data.conference_target_period not in CONFERENCE_TARGET_PERIODS:
        raise ServiceError(_("دورهٔ هدف نشست خبری ماه، فصل یا سال است."))
    return data


def create_agency(data: AgencyInput, *, actor=None, actor_label: str = "") -> Agency:
    """Add an agency (slug unique)."""
    _require_admin(actor)
    data = _validate(data)
    if db.session.scalar(select(Agency.id).where(Agency.slug == data.slug)):
        raise ServiceError(_("سازمانی با شناسهٔ «%(slug)s» پیش‌تر ثبت شده است.", slug=data.slug))
    agency = Agency(**{f.name: getattr(data, f.name) for f in fields(data)})
    db.session.add(agency)
    db.session.flush()
    record("agency.created", actor=actor, actor_label=actor_label, obj=agency, agency_id=agency.id)
    db.session.commit()
    return agency


def update_agency(agency: Agency, data: AgencyInput, *, actor) -> Agency:
    """Edit an agency; its slug stays fixed because rules and feeds refer to it."""
    _require_admin(actor)
    data.slug = agency.slug
    data = _validate(data)
    changes = {}
    if (data.conference_target, data.conference_target_period) != (agency.conference_target,
                                                                    agency.conference_target_period):
        keep_target_history(agency, data.conference_target, data.conference_target_period)  # as the cadence page
    for f in fields(data):
        new = getattr(data, f.name)
        if getattr(agency, f.name) != new:
            changes[f.name] = [getattr(agency, f.name), new]
            setattr(agency, f.name, new)
    if changes:
        record("agency.updated", actor=actor, obj=agency, agency_id=agency.id, changes=changes)
    if changes.get("is_active") == [True, False]:
        _end_sessions_of_its_users(agency)
    db.session.commit()
    return agency


def _end_sessions_of_its_users(agency: Agency) -> None:
    """A switched-off agency's own users (``policy.may_sign_in``) are out: their sessions end now, ended
    on the admin's sessions page too, not only refused while it is off (a session kept open came back
    when it was switched on again: the review of that change)."""
    users = db.session.scalars(select(User).where(User.agency_id == agency.id,
                                                  User.role.not_in(tuple(CROSS_AGENCY_ROLES)))
                               .execution_options(unscoped=True))
    for user in users:
        user.session_token = secrets.token_hex(8)
        end_all_of(user.id, "agency")


def ensure_standard_agencies(*, actor_label: str = "seed") -> int:
    """Create the standard agencies that are missing; returns how many were added."""
    existing = set(db.session.scalars(select(Agency.slug)))
    added = 0
    for slug, name_fa, name_en, kind in STANDARD_AGENCIES:
        if slug in existing:
            continue
        agency = Agency(slug=slug, name_fa=name_fa, name_en=name_en, kind=kind)
        db.session.add(agency)
        db.session.flush()
        record("agency.created", actor_label=actor_label, obj=agency, agency_id=agency.id)
        added += 1
    db.session.commit()
    return added


# --- reads -----------------------------------------------------------------------------------

def list_agencies(*, active_only: bool = False, order: str = "id") -> list[Agency]:
    """Agencies for lists and select boxes; ``order`` "id" (the standard order) or "name"."""
    query = select(Agency)
    if active_only:
        query = query.where(Agency.is_active)
    return db.session.scalars(query.order_by(*((Agency.name_order, Agency.id) if order == "name" else (Agency.id,)))).all()


def agencies_for_admin() -> list[Agency]:
    """Every agency, the active ones first (the administration page)."""
    return db.session.scalars(select(Agency).order_by(Agency.is_active.desc(), Agency.id)).all()


def get_agency(agency_id: int | None) -> Agency | None:
    """The agency with that id, or None (a form's choice, checked by the service that uses it)."""
    return db.session.get(Agency, agency_id) if agency_id else None


def agency_names() -> dict[str, str]:
    """slug → Persian name of every agency (saved filters name an agency by its slug)."""
    return dict(db.session.execute(select(Agency.slug, Agency.name_fa)).all())


def _name_key(text: str) -> str:
    """A name as typed, for comparing: ``name_typed`` without punctuation («میراث فرهنگی گردشگری و صنایع
    دستی», typed without the stored name's «،», was refused: session 43's note)."""
    return "".join(char for char in name_typed(text) if not unicodedata.category(char).startswith("P"))


def _names(name_fa: str) -> set[str]:
    """The keys an agency is typed by: its whole name, and each of two names joined by «/» («راه و
    شهرسازی» of «راه و شهرسازی / راهداری و حمل‌ونقل جاده‌ای»)."""
    return {key for key in (_name_key(part) for part in (name_fa, *name_fa.split("/"))) if key}


def agency_by_slug(slug: str) -> Agency:
    """An agency by slug, in any letter case («WATER»: slugs are stored lower-case), or by its
    Persian name as the lists show it («آب و فاضلاب»; ``name_typed``: spelling variants, spaces,
    ZWNJ and punctuation aside; or one of two names it joins by «/»), an active agency before any
    inactive one that has the name, then a whole name before one of two.
    :raise ServiceError: none has it, or the name is several agencies' (the refusal lists slugs)."""
    typed = (slug or "").strip()
    # a slug copied from a Persian line brings its direction marks («\u200fwater\u200e»), as a date does
    agency = db.session.scalar(select(Agency).where(Agency.slug == fold_pasted(typed).strip().lower()))
    if agency is not None:
        return agency
    wanted = _name_key(typed)
    agencies = list(db.session.scalars(select(Agency).order_by(Agency.id))) if wanted else []
    # an active agency before any inactive one (an old agency's whole name came before an active one's
    # «/» name, and opening a case for it was refused: session 45), then a whole name before one of two
    ranks = [[a for a in agencies if bool(a.is_active) == active and (_name_key(a.name_fa) == wanted if whole
                                                                else wanted in _names(a.name_fa))]
             for active in (True, False) for whole in (True, False)]
    named = next((rank for rank in ranks if rank), [])
    if len(named) == 1:
        return named[0]
    if named:
        raise ServiceError(_("«%(name)s» نام چند سازمان است؛ شناسهٔ یکی را بنویسید: %(slugs)s.", name=typed,
                             slugs="، ".join(a.slug if a.is_active else _("%(slug)s (غیرفعال)", slug=a.slug)
                                            for a in named)))
    slugs = list(db.session.scalars(select(Agency.slug).where(Agency.is_active.is_(True)).order_by(Agency.slug)))
    if not slugs:  # «شناسهٔ سازمان‌ها: .» said nothing (a review of the case commands)
        raise ServiceError(_("سازمانی با شناسهٔ «%(slug)s» نیست؛ هنوز هیچ سازمانی فعال نیست.", slug=slug or ""))
    raise ServiceError(_("سازمانی با شناسهٔ «%(slug)s» نیست؛ شناسهٔ سازمان‌ها: %(slugs)s.", slug=slug or "",
                         slugs="، ".join(slugs)))
