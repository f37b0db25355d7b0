"""Each agency's own notes on an outlet or a journalist of the shared directory.

``DirectoryNote`` is AgencyOwned: every read goes through the agency scope (app/scoping.py), so
an agency's user finds only their agency's notes, and another agency's note is NotFound; the
governorate (unscoped) reads every agency's notes with the agency's name. A note takes the
writer's agency (app/policy.py: DIRECTORY_NOTE_WRITERS); its author or their agency's manager
deletes it. The audit entry carries the note's agency and ids, not its text.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.policy import can_delete_directory_note, can_write_directory_note
from app.services import NotAllowed, NotFound, ServiceError
from app.services.audit import record
from app.services.digits import shown_number
from models import Agency, DirectoryNote, Journalist, Outlet, User
from search_index.persian import normalize_for_storage

MAX_NOTE_CHARS = 4000


@dataclass(frozen=True)
class NoteRow:
    """A note as the pages show it."""
    id: int
    body: str
    created_at: datetime
    agency_id: int
    agency_name: str
    author_name: str
    can_delete: bool


def add_note(actor, body: str, *, journalist_id: int | None = None, outlet_id: int | None = None) -> DirectoryNote:
    """The actor's agency's note on one journalist or one outlet."""
    if not can_write_directory_note(actor):
        raise NotAllowed(_("یادداشت را کارشناس یا مدیر روابط عمومی یک سازمان برای سازمان خود می‌نویسد."))
    if (journalist_id is None) == (outlet_id is None):
        raise ServiceError(_("یادداشت برای یک خبرنگار یا یک رسانه است."))
    model, subject_id = (Journalist, journalist_id) if journalist_id is not None else (Outlet, outlet_id)
    if db.session.get(model, subject_id) is None:
        raise NotFound(_("این رکورد در فهرست نیست."))
    text = normalize_for_storage(body or "").strip()
    if not text:
        raise ServiceError(_("متن یادداشت را بنویسید."))
    if len(text) > MAX_NOTE_CHARS:
        raise ServiceError(_("یادداشت بیش از %(n)s نویسه است.", n=shown_number(MAX_NOTE_CHARS)))
    note = DirectoryNote(agency_id=actor.agency_id, journalist_id=journalist_id, outlet_id=outlet_id, body=text,
                         author_id=actor.id)
    db.session.add(note)
    db.session.flush()
    record("directory_note.added", actor=actor, obj=note, journalist_id=journalist_id, outlet_id=outlet_id)
    db.session.commit()
    return note


def delete_note(note_id: int, actor) -> tuple[str, int]:
    """Delete a note of the actor's agency (NotFound for another agency's: the scope hides it);
    returns what it was on: ("journalist", id) or ("outlet", id)."""
    note = db.session.scalar(select(DirectoryNote).where(DirectoryNote.id == note_id))
    if note is None:
        raise NotFound(_("این یادداشت نیست."))
    if not can_delete_directory_note(actor, note.agency_id, note.author_id):
        raise NotAllowed(_("یادداشت را نویسنده‌اش یا مدیر روابط عمومی سازمان پاک می‌کند."))
    subject = ("journalist", note.journalist_id) if note.journalist_id is not None else ("outlet", note.outlet_id)
    record("directory_note.deleted", actor=actor, obj=note, journalist_id=note.journalist_id, outlet_id=note.outlet_id)
    db.session.delete(note)
    db.session.commit()
    return subject


def notes_for(user, *, journalist_id: int | None = None, outlet_id: int | None = None) -> list[NoteRow]:
    """The notes the user's scope sees on a journalist or an outlet, newest first."""
    query = (select(DirectoryNote, Agency.name_fa, User.display_name, User.username)
             .join(Agency, Agency.id == DirectoryNote.agency_id)
             .outerjoin(User, User.id == DirectoryNote.author_id)
             .order_by(DirectoryNote.created_at.desc(), DirectoryNote.id.desc()))
    if journalist_id is not None:
        query = query.where(DirectoryNote.journalist_id == journalist_id)
    else:
        query = query.where(DirectoryNote.outlet_id == outlet_id)
    return [NoteRow(note.id, note.body, note.created_at, note.agency_id, agency, display or username or "",
                    can_delete_directory_note(user, note.agency_id, note.author_id))
            for note, agency, display, username in db.session.execute(query)]
