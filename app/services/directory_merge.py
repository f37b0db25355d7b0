"""Merging two directory records that are one journalist or one outlet (entered twice, by hand or by
two imports): the duplicate's history moves to the record kept, and the duplicate is removed.

Nothing is lost: every contact, agency note, conference invitation and question of the duplicate
now names the record kept; its phones, outlets (a journalist's) and journalists (an outlet's) are
added; a field the kept record leaves empty takes the duplicate's value, and a value the two
records hold differently stays the kept record's, the duplicate's written into the audit entry
(``journalist.merged`` / ``outlet.merged``, on the kept record) with what moved. An outlet's feeds
and monitored items follow it too (and other feeds' sightings of them), and routing rules and saved
searches limited to the duplicate outlet name the kept one. Where both records were invited to one
conference, the two invitations become one (came if either came). A record is not merged into a
deactivated one while it is active itself. Both use cases commit once; the page and the command call them.

Who merges: those who deactivate directory records (an agency's PR manager, the governorate's
supervisors): a merge removes a record every agency reads.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, literal, select, true, update

from app.extensions import db
from app.i18n import N_
from app.services import ServiceError
from app.services.audit import record
from app.services.digits import shown_number
from app.services.directory import Duplicate, find_duplicates, get_outlet, require_deactivator
from app.services.directory_import import directory_writer
from app.services.directory_journalists import MAX_PHONES, get_journalist
from app.services.directory_sheet import CHANNEL_WORDS, HEADERS, KIND_WORDS, SCOPE_WORDS
from models import (
    AuditEntry,
    ConferenceInvitation,
    ConferenceQuestion,
    Contact,
    DirectoryNote,
    Feed,
    Item,
    ItemSighting,
    Journalist,
    JournalistPhone,
    Outlet,
    RoutingRule,
    SavedSearch,
    journalist_outlets,
)
from models.base import utcnow
from models.search_outbox import SearchOutbox

_FIELD_HEADERS = {**HEADERS, "preferred_channel": HEADERS["channel"]}  # a merged field as the sheet heads it
MOVED_WORDS = {"phones": _l("تلفن"), "outlets": _l("رسانه"), "journalists": _l("خبرنگار"), "contacts": _l("تماس"),
               "notes": _l("یادداشت"), "questions": _l("پرسش نشست"), "invitations": _l("دعوت نشست"),
               "feeds": _l("خوراک"), "items": _l("خبر"),
               "invitations_combined": _l("دعوت نشست، یکی با دعوت رکورد ماندنی"), "rules": _l("قاعدهٔ ارجاع"),
               "saved_searches": _l("جست‌وجوی ذخیره‌شده")}
# A journalist's fields a merge fills when the kept record has none (name: the kept one's, always).
JOURNALIST_FIELDS = ("beat", "email", "preferred_channel", "notes")
OUTLET_FIELDS = ("kind", "scope", "city", "website", "notes")


@dataclass
class Merged:
    """What a merge did: the kept record's id and name, the removed one's, and the counts moved."""

    kept_id: int
    kept_name: str
    removed_id: int
    removed_name: str
    moved: dict[str, int] = field(default_factory=dict)
    filled: list[str] = field(default_factory=list)  # fields of the kept record taken from the duplicate
    differing: dict[str, str] = field(default_factory=dict)  # field → the duplicate's value, not kept

    def moved_shown(self) -> list[tuple[int, str]]:
        """(count, word) of each kind of row moved, as the page and the command say them."""
        return [(count, str(MOVED_WORDS.get(kind, kind))) for kind, count in self.moved.items() if count]

    def filled_shown(self) -> list[str]:
        """``filled`` by the sheet's headers («وبگاه رسانه», not «website»)."""
        return [_FIELD_HEADERS.get(name, name) for name in self.filled]

    def differing_shown(self) -> list[tuple[str, str]]:
        """``differing`` as a reader sees it: each field by its sheet header («گونه رسانه»), a code by its
        word («رادیو»), not «kind = radio» (a review of the directory)."""
        words = {"kind": KIND_WORDS, "scope": SCOPE_WORDS, "preferred_channel": CHANNEL_WORDS}
        return [(_FIELD_HEADERS.get(name, name), words.get(name, {}).get(value, value))
                for name, value in self.differing.items()]

    def as_json(self) -> dict:
        return {"kept": {"id": self.kept_id, "name": self.kept_name},
                "removed": {"id": self.removed_id, "name": self.removed_name},
                "moved": self.moved, "filled": self.filled, "differing": self.differing}


def _pair(keep_id: int, duplicate_id: int, get, kind: str):
    if keep_id == duplicate_id:
        raise ServiceError(_("یک رکورد را با خودش نمی‌توان ادغام کرد؛ رکورد تکراری دیگری را برگزینید.")
                           if kind == "journalist" else
                           _("یک رسانه را با خودش نمی‌توان ادغام کرد؛ رسانهٔ تکراری دیگری را برگزینید."))
    kept, duplicate = get(keep_id), get(duplicate_id)
    if not kept.is_active and duplicate.is_active:  # the active one would vanish from every list and choice
        raise ServiceError(_("«%(kept)s» که می‌ماند غیرفعال است و «%(duplicate)s» فعال؛ پس از ادغام هیچ‌کدام در فهرست‌ها "
                             "و گزینه‌ها نمی‌ماند. نخست «%(kept)s» را فعال کنید، یا «%(duplicate)s» را نگه دارید.",
                             kept=kept.name, duplicate=duplicate.name))
    return kept, duplicate


def _fields(kept, duplicate, names: tuple[str, ...], defaults: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Fill the kept record's empty (or default) fields from the duplicate; the rest stay."""
    filled, differing = [], {}
    for name in names:
        mine, theirs = getattr(kept, name) or "", getattr(duplicate, name) or ""
        if not theirs or theirs == mine or theirs == defaults.get(name):
            continue
        if not mine or mine == defaults.get(name):
            setattr(kept, name, theirs)
            filled.append(name)
        else:
            differing[name] = theirs
    return filled, differing


def _moved(statement) -> int:
    return db.session.execute(statement).rowcount or 0


BUSY = N_("درون‌ریزی فهرست رسانه‌ها یا ادغام دیگری هم‌اکنون در جریان است؛ چیزی ادغام نشد. دست‌بالا %(seconds)s ثانیهٔ "
          "دیگر دوباره بکوشید.")


def _one_writer(merge):
    """A merge stored while no import is storing (directory_import.directory_writer); a dry run reads only."""
    @functools.wraps(merge)
    def run(keep_id: int, duplicate_id: int, *, actor=None, actor_label: str = "", dry_run: bool = False) -> Merged:
        require_deactivator(actor)
        if dry_run:
            return merge(keep_id, duplicate_id, actor=actor, actor_label=actor_label, dry_run=True)
        with directory_writer(BUSY):
            return merge(keep_id, duplicate_id, actor=actor, actor_label=actor_label, dry_run=False)
    return run


@_one_writer
def merge_journalists(keep_id: int, duplicate_id: int, *, actor=None, actor_label: str = "",
                      dry_run: bool = False) -> Merged:
    """Merge journalist ``duplicate_id`` into ``keep_id`` (module doc); ``dry_run``: say what would
    move and change nothing. :raise NotFound: either is not in the directory. :raise NotAllowed:
    the actor may not. :raise ServiceError: the same id, or an import storing now."""
    require_deactivator(actor)
    kept, duplicate = _pair(keep_id, duplicate_id, get_journalist, "journalist")
    phones = {p.e164 for p in kept.phones} | {p.e164 for p in duplicate.phones}
    if len(phones) > MAX_PHONES:  # the form takes no more; the journalist's page failed (round 9)
        raise ServiceError(_("یکی‌شدهٔ این دو %(count)s تلفن می‌داشت و یک خبرنگار بیش از %(n)s تلفن نمی‌گیرد؛ نخست "
                             "تلفن‌های اضافه را از یکی از دو پرونده بردارید. چیزی یکی نشد.",
                             count=shown_number(len(phones)), n=shown_number(MAX_PHONES)))
    result = Merged(kept.id, kept.name, duplicate.id, duplicate.name)
    result.filled, result.differing = _fields(kept, duplicate, JOURNALIST_FIELDS, {"preferred_channel": "phone"})
    handles = dict(kept.handles or {})
    for kind, handle in (duplicate.handles or {}).items():
        if handle and not handles.get(kind):
            handles[kind] = handle
            result.filled.append(f"handle_{kind}")
        elif handle and handles.get(kind) != handle:
            result.differing[f"handle_{kind}"] = handle
    kept.handles = handles
    if duplicate.name != kept.name:
        result.differing["name"] = duplicate.name
    have = {p.e164 for p in kept.phones}
    added_phones = [p for p in duplicate.phones if p.e164 not in have]
    for phone in added_phones:
        kept.phones.append(JournalistPhone(e164=phone.e164, label=phone.label))
    added_outlets = [o for o in duplicate.outlets if o not in kept.outlets]
    kept.outlets.extend(added_outlets)
    result.moved = {"phones": len(added_phones), "outlets": len(added_outlets)}
    db.session.flush()
    result.moved |= _move_history("journalist_id", kept.id, duplicate.id)
    # One invitation per journalist and conference: the duplicate's where the kept has none.
    invited = set(db.session.scalars(select(ConferenceInvitation.conference_id)
                                     .where(ConferenceInvitation.journalist_id == kept.id)))
    result.moved["invitations"] = _moved(
        update(ConferenceInvitation).where(ConferenceInvitation.journalist_id == duplicate.id,
                                           ConferenceInvitation.conference_id.not_in(invited) if invited else true())
        .values(journalist_id=kept.id).execution_options(synchronize_session=False))
    result.moved["invitations_combined"] = _combine_invitations(
        ConferenceInvitation.journalist_id == kept.id, ConferenceInvitation.journalist_id == duplicate.id)
    db.session.delete(duplicate)
    _finish("journalist.merged", kept, result, actor, actor_label, dry_run)
    return result


@_one_writer
def merge_outlets(keep_id: int, duplicate_id: int, *, actor=None, actor_label: str = "",
                  dry_run: bool = False) -> Merged:
    """Merge outlet ``duplicate_id`` into ``keep_id`` (module doc): its journalists, feeds and
    monitored items follow it. :raise NotFound, NotAllowed, ServiceError: as ``merge_journalists``."""
    require_deactivator(actor)
    kept, duplicate = _pair(keep_id, duplicate_id, get_outlet, "outlet")
    result = Merged(kept.id, kept.name, duplicate.id, duplicate.name)
    result.filled, result.differing = _fields(kept, duplicate, OUTLET_FIELDS, {})
    if duplicate.name != kept.name:
        result.differing["name"] = duplicate.name
    staff = set(db.session.scalars(select(journalist_outlets.c.journalist_id)
                                   .where(journalist_outlets.c.outlet_id == kept.id)))
    result.moved = {"journalists": _moved(
        update(journalist_outlets).where(journalist_outlets.c.outlet_id == duplicate.id,
                                         journalist_outlets.c.journalist_id.not_in(staff) if staff else true())
        .values(outlet_id=kept.id))}
    db.session.execute(delete(journalist_outlets).where(journalist_outlets.c.outlet_id == duplicate.id))
    result.moved["feeds"] = _moved(update(Feed).where(Feed.outlet_id == duplicate.id).values(outlet_id=kept.id)
                                   .execution_options(synchronize_session=False))
    # An item's outlet is in its index document: each moved item is queued for reindexing.
    db.session.execute(insert(SearchOutbox).from_select(
        ["doc_type", "doc_id", "op", "created_at"],
        select(literal("item"), Item.id, literal("upsert"), literal(utcnow(), SearchOutbox.created_at.type))
        .where(Item.outlet_id == duplicate.id)))
    result.moved["items"] = _moved(update(Item).where(Item.outlet_id == duplicate.id).values(outlet_id=kept.id)
                                   .execution_options(synchronize_session=False))
    result.moved |= _move_history("outlet_id", kept.id, duplicate.id)
    # One invitation of an outlet's desk (no journalist) per conference; a journalist's keeps its row.
    desks = set(db.session.scalars(select(ConferenceInvitation.conference_id).where(
        ConferenceInvitation.outlet_id == kept.id, ConferenceInvitation.journalist_id.is_(None))))
    result.moved["invitations"] = _moved(
        update(ConferenceInvitation).where(
            ConferenceInvitation.outlet_id == duplicate.id,
            ConferenceInvitation.journalist_id.is_not(None) | ConferenceInvitation.conference_id.not_in(desks)
            if desks else true())
        .values(outlet_id=kept.id).execution_options(synchronize_session=False))
    result.moved["invitations_combined"] = _combine_invitations(
        (ConferenceInvitation.outlet_id == kept.id) & ConferenceInvitation.journalist_id.is_(None),
        (ConferenceInvitation.outlet_id == duplicate.id) & ConferenceInvitation.journalist_id.is_(None))
    # Where other feeds saw the outlet's items (a sighting names the feed's outlet): a foreign key
    # the delete below would break (the merge of every outlet with a feed failed).
    db.session.execute(update(ItemSighting).where(ItemSighting.outlet_id == duplicate.id).values(outlet_id=kept.id)
                       .execution_options(synchronize_session=False))
    result.moved |= _repoint_filters(kept.id, duplicate.id)
    db.session.expire_all()
    kept, duplicate = db.session.get(Outlet, result.kept_id), db.session.get(Outlet, result.removed_id)
    db.session.delete(duplicate)
    _finish("outlet.merged", kept, result, actor, actor_label, dry_run)
    return result


def _combine_invitations(kept_where, duplicate_where) -> int:
    """The duplicate's invitations to a conference the kept record was invited to as well, folded
    into the kept one's row, then removed (they went with the duplicate, an attendance with them):
    came if either came, the answer of the one that came (else the later answer), both notes, the
    outlet when the kept row has none. Returns how many were folded."""
    kept_rows = {row.conference_id: row for row in db.session.scalars(select(ConferenceInvitation).where(kept_where))}
    combined = 0
    for row in db.session.scalars(select(ConferenceInvitation).where(duplicate_where)).all():
        mine = kept_rows.get(row.conference_id)
        if mine is None:
            continue
        if row.attended and not mine.attended:
            mine.attended, mine.rsvp, mine.rsvp_at = True, row.rsvp, row.rsvp_at
        elif row.attended == mine.attended and _later_answer(row, mine):
            mine.rsvp, mine.rsvp_at = row.rsvp, row.rsvp_at
        if row.note and row.note not in (mine.note or ""):
            mine.note = f"{mine.note or ''}\n{row.note}".strip()
        if mine.outlet_id is None and row.outlet_id is not None:
            mine.outlet_id = row.outlet_id
        db.session.delete(row)
        combined += 1
    db.session.flush()
    return combined


def _later_answer(theirs: ConferenceInvitation, mine: ConferenceInvitation) -> bool:
    if theirs.rsvp == "pending":
        return False
    if mine.rsvp == "pending":
        return True
    return theirs.rsvp_at is not None and (mine.rsvp_at is None or theirs.rsvp_at > mine.rsvp_at)


def _repoint_filters(kept_id: int, duplicate_id: int) -> dict[str, int]:
    """Routing rules limited to the duplicate outlet and saved searches filtered to it name the kept
    one (they went quiet: a rule or an alert of an outlet no longer there matches nothing); their
    change time moves, so the compiled rules and alerts are made again."""
    rules = 0
    for rule in db.session.scalars(select(RoutingRule).execution_options(unscoped=True)):
        ids = list(rule.outlet_ids or ())
        if duplicate_id in ids:
            rule.outlet_ids = sorted({kept_id if i == duplicate_id else i for i in ids})
            rule.updated_at = utcnow()
            rules += 1
    searches = 0
    for saved in db.session.scalars(select(SavedSearch).execution_options(unscoped=True)):
        filters = dict(saved.filters or {})
        value = filters.get("outlet_id")
        if value not in (None, "") and str(value) == str(duplicate_id):
            filters["outlet_id"] = kept_id if isinstance(value, int) else str(kept_id)
            saved.filters, saved.updated_at = filters, utcnow()
            searches += 1
    db.session.flush()  # before the caller's expire_all(), which would drop the changes
    return {"rules": rules, "saved_searches": searches}


def _move_history(column: str, kept_id: int, duplicate_id: int) -> dict[str, int]:
    """Contacts, agency notes and conference questions of the duplicate name the kept record."""
    moved = {}
    for key, model in (("contacts", Contact), ("notes", DirectoryNote), ("questions", ConferenceQuestion)):
        moved[key] = _moved(update(model).where(getattr(model, column) == duplicate_id)
                            .values({column: kept_id}).execution_options(synchronize_session=False))
    return moved


def _finish(action: str, kept, result: Merged, actor, actor_label: str, dry_run: bool) -> None:
    if dry_run:
        db.session.rollback()
        return
    record(action, actor=actor, actor_label=actor_label, obj=kept, removed_id=result.removed_id,
           removed_name=result.removed_name, moved=result.moved, filled=result.filled, differing=result.differing)
    db.session.commit()


def _merge_entry(kind: str, keep_id: int, duplicate_id: int) -> AuditEntry | None:
    """The audit entry of the last merge of ``duplicate_id`` into ``keep_id`` (``kind`` "journalist" or "outlet")."""
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == f"{kind}.merged",
                                                          AuditEntry.object_id == keep_id).order_by(AuditEntry.id.desc()))
    return next((entry for entry in entries if (entry.details or {}).get("removed_id") == duplicate_id), None)


def merged_before(kind: str, keep_id: int, duplicate_id: int) -> tuple[Merged, tuple[int, str]] | None:
    """The merge of ``duplicate_id`` into ``keep_id`` made before (its audit entry: ``kind`` "journalist"
    or "outlet"), as nothing moved now, and the record that holds the duplicate's history now (id, name):
    the kept one, or the one it was merged into in turn (A into B, then B into C: C; session 45), followed
    to a record still there. A script's re-run of a merge was refused, exit 2, the duplicate «not in the
    directory» (session 44). None when there was none, or when an id on the way is another record's since
    (SQLite gives a deleted record's id again: session 44's review). :raise NotFound: the chain ends in no record."""
    entry = _merge_entry(kind, keep_id, duplicate_id)
    if entry is None:
        return None
    merged = Merged(kept_id=keep_id, kept_name="", removed_id=duplicate_id,
                    removed_name=entry.details.get("removed_name", ""))
    get = get_journalist if kind == "journalist" else get_outlet
    for _step in range(100):  # a chain of merges, each after the one before (no loop: each removed a record)
        holder = db.session.get(Journalist if kind == "journalist" else Outlet, keep_id)
        if holder is not None:
            if holder.created_at is not None and entry.created_at is not None and holder.created_at > entry.created_at:
                return None
            merged.kept_name = merged.kept_name or holder.name
            return merged, (holder.id, holder.name)
        entry = next((later for later in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == f"{kind}.merged", AuditEntry.id > entry.id).order_by(AuditEntry.id))
            if (later.details or {}).get("removed_id") == keep_id), None)
        if entry is None:
            break
        merged.kept_name = merged.kept_name or entry.details.get("removed_name", "")
        keep_id = entry.object_id
    get(keep_id)  # NotFound, as the merge said it
    return None


def refuse_reused_id(kind: str, keep_id: int, duplicate_id: int) -> None:
    """Refuse a merge of ``duplicate_id`` into ``keep_id`` made before, that id another record's now: SQLite
    gives a new record the id of the last one deleted, and a script's re-run merged that other person or outlet
    away (session 44's review). A person choosing it on the merge page sees both names; a command does not.
    :raise ServiceError: in Persian, both named."""
    entry = _merge_entry(kind, keep_id, duplicate_id)
    record = db.session.get(Journalist if kind == "journalist" else Outlet, duplicate_id) if entry else None
    if record is not None:  # the merge removed the record of that id: this one came after
        raise ServiceError(_("«%(removed)s» (%(id)s) پیش‌تر در %(kept)s ادغام شده است و شناسهٔ %(id)s اکنون از آنِ «%(name)s» "
                             "است (رکوردی تازه)؛ چیزی تغییر نکرد. اگر «%(name)s» را هم باید ادغام کرد، از صفحهٔ ادغام "
                             "فهرست رسانه‌ها این کار را بکنید.", removed=entry.details.get("removed_name", ""),
                             id=duplicate_id, kept=keep_id, name=record.name))


def journalist_pair(keep_id: int, duplicate_id: int) -> tuple[Journalist, Journalist]:
    """Both journalists, for the merge page. :raise NotFound, ServiceError: as the merge."""
    return _pair(keep_id, duplicate_id, get_journalist, "journalist")


def outlet_pair(keep_id: int, duplicate_id: int) -> tuple[Outlet, Outlet]:
    """Both outlets, for the merge page. :raise NotFound, ServiceError: as the merge."""
    return _pair(keep_id, duplicate_id, get_outlet, "outlet")


def merge_candidates(kind: str, record) -> list[Duplicate]:
    """The records that look like ``record`` (the same normalized name, a journalist's phone), each
    once: what the merge page offers first."""
    phones = [p.e164 for p in record.phones] if kind == "journalist" else []
    seen, found = set(), []
    for duplicate in find_duplicates(kind, record.name, phones, exclude_id=record.id):
        if duplicate.id not in seen:
            seen.add(duplicate.id)
            found.append(duplicate)
    return found
