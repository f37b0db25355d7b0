"""Conference photos: images only (by their content), size-limited, stored outside static/ under
a random name, served through the conference (another agency's photo: 404) with the stored kind,
nosniff and an inline, safe file name; the served bytes are the uploaded bytes."""
from __future__ import annotations

import random
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from models import ConferencePhoto
from tests.conftest import csrf_token, login
from tests.services import conference_fixtures
from tests.services.conference_followup_fixtures import held

conf = conference_fixtures.conf


def image_bytes(kind: str = "PNG", size=(40, 30)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format=kind)
    return out.getvalue()


def _upload(client, conference_id: int, data: bytes, filename: str, caption: str = ""):
    token = csrf_token(client, f"/conferences/{conference_id}")
    return client.post(f"/conferences/{conference_id}/photos", content_type="multipart/form-data",
                       data={"csrf_token": token, "caption": caption, "photo": (BytesIO(data), filename)})


def _photos() -> list[ConferencePhoto]:
    return list(db.session.scalars(select(ConferencePhoto)))


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_an_image_is_stored_outside_static_and_served_back_byte_for_byte(app, client, conf, kind):
    c = held(conf)
    data = image_bytes(kind)
    login(client, conf.staff)
    response = _upload(client, c.id, data, "عکس نشست.bin", caption="سخنگو در نشست")
    assert response.status_code == 302
    (photo,) = _photos()
    stored = Path(app.config["DATA_DIR"]) / "conference-photos" / photo.stored_name
    assert stored.read_bytes() == data and "static" not in stored.parts
    assert photo.original_name == "عکس نشست.bin" and photo.stored_name != photo.original_name
    assert (photo.width, photo.height, photo.content_type) == (40, 30, f"image/{kind.lower()}")
    served = client.get(f"/conferences/{c.id}/photos/{photo.id}")
    assert served.status_code == 200 and served.data == data
    assert served.headers["Content-Type"] == f"image/{kind.lower()}"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "no-store"  # not kept on a shared PC after logout
    assert served.headers["Content-Disposition"] == f'inline; filename="conference-{c.id}-photo-{photo.id}.{ {"JPEG": "jpg"}.get(kind, kind.lower())}"'
    page = client.get(f"/conferences/{c.id}").get_data(as_text=True)
    assert f"/conferences/{c.id}/photos/{photo.id}" in page and "سخنگو در نشست" in page


def test_a_file_named_like_a_path_is_stored_under_a_random_name(app, client, conf):
    c = held(conf)
    login(client, conf.staff)
    assert _upload(client, c.id, image_bytes(), "../../x").status_code == 302
    (photo,) = _photos()
    folder = Path(app.config["DATA_DIR"]) / "conference-photos"
    assert [p.name for p in folder.iterdir()] == [photo.stored_name]
    assert photo.stored_name.endswith(".png") and "/" not in photo.stored_name and ".." not in photo.stored_name
    assert not (Path(app.config["DATA_DIR"]).parent / "x").exists()
    assert photo.original_name == "x"  # its last part, to show; never a path


@pytest.mark.parametrize(("data", "name"), [
    (b"%PDF-1.7 not an image at all", "report.png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.svg"),
    (image_bytes("PNG")[:60], "truncated.png"),  # a real PNG header, the rest cut off
    (image_bytes("GIF"), "anim.gif"),             # an image, but not a kind we take
    (b"", "empty.jpg"),
], ids=["pdf", "svg", "truncated-png", "gif", "empty"])
def test_what_is_not_a_whole_jpeg_png_or_webp_is_refused_and_nothing_is_stored(app, client, conf, data, name):
    c = held(conf)
    login(client, conf.staff)
    response = _upload(client, c.id, data, name, caption="شرح نگه‌داشته")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert ("تصویر JPEG، PNG یا WebP نیست" in html) or ("برگزیده نشد" in html)
    assert "شرح نگه‌داشته" in html  # what was typed is kept
    assert _photos() == []
    folder = Path(app.config["DATA_DIR"]) / "conference-photos"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_an_oversized_photo_is_refused_before_it_is_stored(app, client, conf):
    app.config["CONFERENCE_PHOTO_MAX_BYTES"] = 2048
    c = held(conf)
    login(client, conf.staff)
    noise = Image.frombytes("RGB", (64, 64), random.Random(12).randbytes(64 * 64 * 3))
    out = BytesIO()
    noise.save(out, format="PNG")
    big = out.getvalue()
    assert len(big) > 2048
    response = _upload(client, c.id, big, "big.png")
    assert response.status_code == 400 and "مگابایت است و ذخیره نشد" in response.get_data(as_text=True)
    assert _photos() == []


def test_a_request_over_the_request_cap_is_a_413(app, client, conf):
    c = held(conf)
    login(client, conf.staff)
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = _upload(client, c.id, b"\0" * 10_000, "huge.png")
    assert response.status_code == 413
    assert _photos() == []


def test_another_agencys_photo_is_not_served(app, client, conf):
    c = held(conf)
    login(client, conf.staff)
    _upload(client, c.id, image_bytes(), "a.png")
    (photo,) = _photos()
    other = app.test_client()
    login(other, conf.staff_b)
    assert other.get(f"/conferences/{c.id}/photos/{photo.id}").status_code == 404
    token = csrf_token(other, "/")
    assert other.post(f"/conferences/{c.id}/photos/remove", data={"csrf_token": token, "photo_id": photo.id}).status_code == 404
    assert len(_photos()) == 1


def test_a_photo_is_served_only_through_its_own_conference(app, client, conf):
    first, second = held(conf, title="یکم"), held(conf, title="دوم")
    login(client, conf.staff)
    _upload(client, first.id, image_bytes(), "a.png")
    (photo,) = _photos()
    assert client.get(f"/conferences/{second.id}/photos/{photo.id}").status_code == 404


def test_a_viewer_sees_the_photo_but_cannot_upload_or_remove(app, client, conf):
    c = held(conf)
    login(client, conf.staff)
    _upload(client, c.id, image_bytes(), "a.png")
    (photo,) = _photos()
    viewer = app.test_client()
    login(viewer, conf.viewer)
    assert viewer.get(f"/conferences/{c.id}/photos/{photo.id}").status_code == 200
    assert _upload(viewer, c.id, image_bytes(), "b.png").status_code == 403
    token = csrf_token(viewer, "/")
    assert viewer.post(f"/conferences/{c.id}/photos/remove", data={"csrf_token": token, "photo_id": photo.id}).status_code == 403


def test_removing_a_photo_deletes_its_file(app, client, conf):
    c = held(conf)
    login(client, conf.staff)
    _upload(client, c.id, image_bytes(), "a.png")
    (photo,) = _photos()
    stored = Path(app.config["DATA_DIR"]) / "conference-photos" / photo.stored_name
    token = csrf_token(client, f"/conferences/{c.id}")
    assert client.post(f"/conferences/{c.id}/photos/remove", data={"csrf_token": token, "photo_id": photo.id}).status_code == 302
    assert _photos() == [] and not stored.exists()
    assert client.get(f"/conferences/{c.id}/photos/{photo.id}").status_code == 404
