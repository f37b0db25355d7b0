"""Photos of a conference: images only, size-limited, stored outside ``static/`` under the data
folder (``<DATA_DIR>/conference-photos/``) with a random name, and served only through the
conference's page (the agency scope: another agency's photo is NotFound, so a 404).

What is stored is checked by its content, never by its name or the browser's Content-Type:
Pillow must open it as JPEG, PNG or WebP and decode it whole (a truncated or forged file is
refused), within ``CONFERENCE_PHOTO_MAX_BYTES`` and a pixel cap. The uploaded name is kept as
text to show, never used as a path: the stored name is ``token_hex(16)`` and the extension of the
kind Pillow found, so ``../../x`` is stored safely as whatever image it is, or refused.
"""
from __future__ import annotations

import os
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from app.extensions import db
from app.policy import can_write_conference
from app.services import NotFound, ServiceError
from app.services.conference_timeline import add_event
from app.services.conferences import get_conference, require_writer
from app.services.digits import shown_number
from models import ConferencePhoto, PressConference
from search_index.persian import normalize_for_storage

FOLDER = "conference-photos"
# Pillow's format → (Content-Type, extension): the only kinds accepted.
KINDS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
EXTENSIONS = {content_type: ext for content_type, ext in KINDS.values()}
MAX_PIXELS = 40_000_000  # a 5 MB file can hold a decompression bomb; a camera's photo is ~24 MP
NAME_MAX = 255
CAPTION_MAX = 500


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int


def photo_folder() -> Path:
    return Path(current_app.config["DATA_DIR"]) / FOLDER


def max_bytes() -> int:
    return int(current_app.config["CONFERENCE_PHOTO_MAX_BYTES"])


def inspect_image(data: bytes) -> ImageInfo:
    """The kind and size of an image, read from its bytes (decoded whole).

    :raise ServiceError: not a JPEG, PNG or WebP image, truncated, or too many pixels.
    """
    refused = ServiceError(_("این فایل تصویر JPEG، PNG یا WebP نیست (یا آسیب دیده است) و ذخیره نشد."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=tuple(KINDS)) as image:
                kind, (width, height) = image.format, image.size
                if width * height > MAX_PIXELS:
                    raise ServiceError(_("تصویر بیش از %(n)s مگاپیکسل است و ذخیره نشد.",
                                         n=shown_number(MAX_PIXELS // 1_000_000)))
                image.load()  # decode every pixel: a truncated or forged file fails here
    except ServiceError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError, EOFError):
        raise refused from None
    if kind not in KINDS:
        raise refused
    return ImageInfo(KINDS[kind][0], width, height)


def _read_capped(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(_("حجم تصویر بیش از %(mb)s مگابایت است و ذخیره نشد.", mb=shown_number(_megabytes(limit))))
    return data


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def shown_name(filename: str | None) -> str:
    """The uploaded name as text to show (normalized, without control characters), never a path:
    only its last part («../../secret_key.pdf» is «secret_key.pdf»), and a name too long loses the
    end of its stem, not its extension."""
    text = "".join(ch for ch in normalize_for_storage(filename or "") if ch.isprintable())
    text = text.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(text) <= NAME_MAX:
        return text
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        return text[:NAME_MAX]
    return stem[:NAME_MAX - len(extension) - 1].rstrip() + "." + extension


def add_photo(conference_id: int, stream: BinaryIO, filename: str | None, actor, caption: str = "") -> ConferencePhoto:
    """Store an uploaded photo of a conference of the actor's agency (not a cancelled one): the
    file under a random name, then its row; timeline, audit, commit (the file is removed again
    if the commit fails).

    :raise NotFound: the conference is not in the actor's scope.
    :raise NotAllowed: the actor is not the conference agency's manager or staff.
    :raise ServiceError: no file, too large, not an image; nothing is stored then.
    """
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    if conference.status == "cancelled":
        raise ServiceError(_("نشست لغوشده عکس ندارد."))
    data = _read_capped(stream, max_bytes())
    if not data:
        raise ServiceError(_("فایلی برای بارگذاری برگزیده نشد."))
    info = inspect_image(data)
    caption = " ".join(normalize_for_storage(caption or "").split())
    if len(caption) > CAPTION_MAX:
        raise ServiceError(_("شرح عکس نباید بیش از %(n)s نویسه باشد.", n=shown_number(CAPTION_MAX)))
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.{EXTENSIONS[info.content_type]}"
    path = folder / stored_name
    partial = folder / f".{stored_name}.part"
    partial.write_bytes(data)
    os.replace(partial, path)
    try:
        photo = ConferencePhoto(conference_id=conference.id, stored_name=stored_name, original_name=shown_name(filename),
                                content_type=info.content_type, size_bytes=len(data), width=info.width,
                                height=info.height, caption=caption, uploaded_by_id=getattr(actor, "id", None))
        conference.photos.append(photo)
        db.session.flush()
        add_event(conference, "photo_added", actor, text=photo.original_name or stored_name, photo_id=photo.id,
                  content_type=info.content_type, size_bytes=len(data))
        db.session.commit()
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        raise
    return photo


def _photo(conference: PressConference, photo_id: int | None) -> ConferencePhoto:
    photo = next((p for p in conference.photos if p.id == photo_id), None) if photo_id else None
    if photo is None:
        raise NotFound(_("این عکس در این نشست نیست."))
    return photo


@dataclass(frozen=True)
class PhotoFile:
    path: Path
    content_type: str
    download_name: str  # ASCII, made here: never the uploaded name


def photo_file(conference_id: int, photo_id: int) -> PhotoFile:
    """The stored file of a photo, for the view that serves it.

    :raise NotFound: the conference is not in the reader's scope, the photo not of it, or its
        file is gone.
    """
    photo = _photo(get_conference(conference_id), photo_id)
    path = photo_folder() / photo.stored_name
    if os.sep in photo.stored_name or not path.is_file():
        raise NotFound(_("این عکس در این نشست نیست."))
    ext = EXTENSIONS.get(photo.content_type, "bin")
    return PhotoFile(path, photo.content_type, f"conference-{photo.conference_id}-photo-{photo.id}.{ext}")


def remove_photo(conference_id: int, photo_id: int | None, actor) -> str:
    """Delete a photo (its row, then its file); timeline, audit, commit. Returns its shown name."""
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    photo = _photo(conference, photo_id)
    name, stored = photo.original_name or photo.stored_name, photo.stored_name
    conference.photos.remove(photo)
    add_event(conference, "photo_removed", actor, text=name, photo_id=photo_id)
    db.session.commit()
    (photo_folder() / stored).unlink(missing_ok=True)
    return name


def photos_section(conference: PressConference, actor) -> dict:
    """The conference page's photos and whether the reader may add or remove them."""
    return {"photos": list(conference.photos),
            "can_write": can_write_conference(actor, conference.agency_id) and conference.status != "cancelled",
            "max_mb": _megabytes(max_bytes())}
