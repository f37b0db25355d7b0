"""Error pages speak Persian, inside the normal layout, with the right status."""
from __future__ import annotations

from sqlalchemy import delete, func, select

from app.extensions import db
from app.services.directory import OutletInput, outlet_version, update_outlet
from app.web.access import access
from app.web.requests import URLENCODED_BYTES_MAX, URLENCODED_FIELDS_MAX
from models import AuditEntry, Outlet
from tests.conftest import TEST_PASSWORD, csrf_token, login


def test_404_is_persian(client, make_user):
    login(client, make_user(role="staff"))
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "پیدا نشد" in html and 'dir="rtl"' in html


def test_403_is_persian(client, make_user):
    login(client, make_user(role="viewer"))
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "دسترسی ندارید" in response.get_data(as_text=True)


def test_405_is_persian(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "روش درخواست نادرست" in response.get_data(as_text=True)


def test_500_is_persian_and_hides_the_details(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @access(public=True)
    def explode():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "خطای سامانه" in html and "secret internal detail" not in html


def test_api_paths_get_json_errors(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_too_large_upload_is_refused_in_persian(app, client, make_user):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    login(client, make_user(role="staff"))
    response = client.post("/login", data={"x": "y" * 4096})
    assert response.status_code == 413
    assert "بسیار بزرگ" in response.get_data(as_text=True)


def _raw_form(client, path, body: bytes):
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded")


def test_a_form_body_that_is_not_utf8_is_refused_as_such_not_as_an_expired_form(client, make_user):
    """Raw bytes that are not UTF-8 once emptied the whole form, so the CSRF check read no token
    and the user was told the form had expired. They are refused for what they are."""
    user = make_user(role="staff")
    token = csrf_token(client).encode()
    response = _raw_form(client, "/login", b"username=\xff\xfe&password=x&csrf_token=" + token)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "متن فرستاده‌شده درست نیست" in html and "منقضی" not in html
    assert _audit_count() == 0  # not even a failed login: nothing was read
    # The same bytes percent-encoded stand for no text either: Werkzeug kept «%FF%FE» as those six
    # characters (a password or a name saved so); refused the same way.
    encoded = _raw_form(client, "/login", b"username=%FF%FE&password=x&csrf_token=" + token)
    assert encoded.status_code == 400 and "متن فرستاده‌شده درست نیست" in encoded.get_data(as_text=True)
    assert _audit_count() == 0
    # Persian percent-encoded in UTF-8, as browsers send it, is read: an ordinary failed login.
    persian = _raw_form(client, "/login", b"username=%D8%B9%D9%84%DB%8C&password=x&csrf_token=" + token)
    assert persian.status_code == 401
    # And the form still works.
    ok = _raw_form(client, "/login", f"username={user.username}&password={TEST_PASSWORD}".encode().replace(b" ", b"+")
                   + b"&csrf_token=" + token)
    assert ok.status_code == 302


def test_a_query_string_that_is_not_utf8_is_refused_in_persian_not_searched_as_its_escapes(client, make_user):
    """«?q=%D3%E1» (a link written on a windows-1256 page) was searched as the text «%D3%E1» and
    found nothing, unsaid; a list's filter of it showed an empty list. The page says what is
    wrong with its address, in Persian, in the layout; the same search in UTF-8 is read."""
    login(client, make_user(role="staff"))
    for query in ("q=%D3%E1%C7%E3", "q=\xd3\xe1", "status=%FF&page=2"):  # WSGI: bytes as Latin-1
        response = client.get("/items/", environ_overrides={"QUERY_STRING": query})
        html = response.get_data(as_text=True)
        assert response.status_code == 400, query
        assert "نشانی صفحه درست نیست" in html and "پس از «؟»" in html and "<nav" in html
    as_json = client.get("/items/", environ_overrides={"QUERY_STRING": "q=%D3"}, headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and "پس از «؟»" in as_json.get_json()["error"]["message"]
    persian = client.get("/items/", query_string={"q": "سلام"})  # UTF-8, escaped by the client
    assert persian.status_code == 200


def test_a_form_body_of_too_many_fields_is_refused_before_it_is_split(client, make_user):
    """An urlencoded body was bounded only by MAX_CONTENT_LENGTH (16 MB, for uploads): 16 MB of
    empty fields posted to /login by anyone cost 6.9 s and 750 MB before any check ran. Past
    URLENCODED_FIELDS_MAX fields the body is refused unread; a long single field is not."""
    user = make_user(role="staff")
    token = csrf_token(client).encode()
    login_fields = b"username=" + user.username.encode() + b"&password=x&csrf_token=" + token
    flood = _raw_form(client, "/login", login_fields + b"&a=" * URLENCODED_FIELDS_MAX)
    assert flood.status_code == 413
    assert "فرم بسیار بزرگ است" in flood.get_data(as_text=True) and "۱۰۰۰۰ خانه" in flood.get_data(as_text=True)
    assert _audit_count() == 0  # no failed login: the form was never read
    # Just under the bound, and one long field: an ordinary (failed) login, the form's own checks.
    under = _raw_form(client, "/login", login_fields + b"&a=" * (URLENCODED_FIELDS_MAX - 4))
    assert under.status_code == 401
    long_field = _raw_form(client, "/login", login_fields.replace(b"password=x", b"password=" + b"x" * 200_000))
    assert long_field.status_code == 400 and "۱۲۸" in long_field.get_data(as_text=True)


def test_a_form_body_of_escapes_past_the_byte_bound_is_refused_unread(client, make_user):
    """16 MB of ``%00`` in one field cost 3.8 s to un-escape before the CSRF check could refuse it
    (eight at once: 2.5 GB). Past URLENCODED_BYTES_MAX bytes an urlencoded body is refused (413)
    unread; the longest text a form takes, escaped, passes."""
    user = make_user(role="staff")
    token = csrf_token(client).encode()
    login_fields = b"username=" + user.username.encode() + b"&csrf_token=" + token + b"&password="
    flood = _raw_form(client, "/login", login_fields + b"%00" * (URLENCODED_BYTES_MAX // 3))
    assert flood.status_code == 413 and "بیش از ۲ مگابایت" in flood.get_data(as_text=True)
    assert _audit_count() == 0
    persian_text = "ب".encode() * 20_000  # 20,000 letters, escaped as a browser sends them
    escaped = b"".join(b"%%%02X" % byte for byte in persian_text)
    under = _raw_form(client, "/login", login_fields + escaped)
    assert under.status_code == 400 and "۱۲۸" in under.get_data(as_text=True)  # the form's own message


def test_every_form_refuses_a_body_that_is_not_utf8_and_nothing_changes(app, client, make_user):
    admin = make_user(role="admin")
    user = make_user(role="staff", display_name="نام درست")
    login(client, admin)
    token = csrf_token(client, f"/admin/users/{user.id}").encode()
    before = _audit_count()
    response = _raw_form(client, f"/admin/users/{user.id}",
                         b"username=" + user.username.encode() + b"&display_name=\xd9&role=staff&is_active=y"
                         b"&csrf_token=" + token)
    assert response.status_code == 400
    assert "متن فرستاده‌شده درست نیست" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.display_name == "نام درست" and _audit_count() == before
    # «سلام» escaped from a windows-1256 page: the escapes are no UTF-8; the name was saved as «%D3%E1%C7%E3».
    response = _raw_form(client, f"/admin/users/{user.id}",
                         b"username=" + user.username.encode() + b"&display_name=%D3%E1%C7%E3&role=staff&is_active=y"
                         b"&csrf_token=" + token)
    assert response.status_code == 400 and "متن فرستاده‌شده درست نیست" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.display_name == "نام درست" and _audit_count() == before


def _multipart(client, path: str, fields: list[tuple[str, bytes]], file: tuple[str, bytes] | None = None):
    """A multipart body written byte for byte (the test client would encode str values as UTF-8)."""
    boundary = b"----hamzaban-test-boundary"
    parts = [b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value
             for name, value in fields]
    if file is not None:
        name, content = file
        parts.append(b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + name.encode()
                     + b'"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n' + content)
    body = b"\r\n".join(parts) + b"\r\n--" + boundary + b"--\r\n"
    return client.post(path, data=body, content_type="multipart/form-data; boundary=" + boundary.decode())


def test_a_multipart_form_with_broken_bytes_is_refused_not_saved_with_replacement_marks(client, make_user):
    """Werkzeug decodes a multipart field with ``errors="replace"``: «\\xff» arrived as U+FFFD and
    the login read a username nobody typed. Refused like a urlencoded body; the files stay bytes."""
    user = make_user(role="staff")
    token = csrf_token(client).encode()
    response = _multipart(client, "/login", [("username", b"\xff\xfe"), ("password", b"x"), ("csrf_token", token)])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "متن فرستاده‌شده درست نیست" in html and "منقضی" not in html
    assert _audit_count() == 0
    # Right text in a multipart body logs in, Persian included.
    ok = _multipart(client, "/login", [("username", user.username.encode()), ("password", TEST_PASSWORD.encode()),
                                       ("csrf_token", token)])
    assert ok.status_code == 302


def test_a_file_of_any_bytes_is_still_taken_beside_right_text(client, make_user):
    login(client, make_user(role="staff"))
    token = csrf_token(client, "/directory/import/").encode()
    broken_file = _multipart(client, "/directory/import/", [("csrf_token", token)], file=("file", b"\xff\xfe\x00 not a sheet"))
    assert "متن فرستاده‌شده درست نیست" not in broken_file.get_data(as_text=True)  # the file is read as a file
    broken_field = _multipart(client, "/directory/import/", [("csrf_token", token + b"\xd9")],
                              file=("file", "نام,رسانه\nعلی,ایرنا\n".encode()))
    assert broken_field.status_code == 400
    assert "متن فرستاده‌شده درست نیست" in broken_field.get_data(as_text=True)


def test_a_file_posted_under_a_text_fields_name_is_no_value_of_it(app, client, make_user):
    """A review of the login, round 5: a file part named «username» reached the length check as a
    FileStorage — a 500 with a traceback, before login, on every form (the code step, the password
    page, a new contact, a saved search). The field is read as not filled in: the form's refusal."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    token = csrf_token(client).encode()
    response = _multipart(client, "/login", [("password", b"x"), ("csrf_token", token)], file=("username", b"b"))
    assert response.status_code == 400 and "خطای سامانه" not in response.get_data(as_text=True)
    user = make_user(role="staff")
    login(client, user)
    token = csrf_token(client, "/account/password").encode()
    response = _multipart(client, "/account/password", [("new", b"x"), ("confirm", b"x"), ("csrf_token", token)],
                          file=("current", b"b"))
    assert response.status_code in (200, 400) and "خطای سامانه" not in response.get_data(as_text=True)


def _audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def test_a_write_whose_row_was_deleted_meanwhile_is_a_persian_409_not_a_system_error(app, make_user):
    """Someone deleted the record this request read and is saving (a contact, an evidence entry):
    the save finds no row. Nothing is stored, and the page says so in Persian instead of «خطای
    سامانه»."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    outlet = Outlet(name="روزنامهٔ شهر", name_key="روزنامه شهر", scope="local", kind="newspaper")
    db.session.add(outlet)
    db.session.commit()
    outlet_id = outlet.id

    @access(public=True)
    def save_deleted():
        mine = db.session.get(Outlet, outlet_id)  # this request's read
        with db.engine.begin() as other:  # another person's delete, committed meanwhile
            other.execute(delete(Outlet.__table__).where(Outlet.__table__.c.id == outlet_id))
        mine.city = "مرکز استان"
        db.session.commit()
        return "saved"

    app.add_url_rule("/save-deleted", "save_deleted", save_deleted)
    response = app.test_client().get("/save-deleted")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "هم‌زمان به دست کس دیگری پاک شد" in html and "خطای سامانه" not in html
    assert db.session.scalar(select(func.count()).select_from(Outlet)) == 0


def test_an_edit_page_saved_after_its_record_was_deleted_is_a_persian_409(app, make_user):
    """The outlet was deleted while its edit page was being saved: the save's second read (under
    the row's write lock) finds no row, and the page says so instead of «خطای سامانه»."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    outlet = Outlet(name="روزنامهٔ شهر", name_key="روزنامه شهر", scope="local", kind="newspaper")
    db.session.add(outlet)
    db.session.commit()
    outlet_id, seen = outlet.id, outlet_version(outlet)

    @access(public=True)
    def save_deleted_page():
        first = db.session.get(Outlet, outlet_id)  # this request's first read (the view's), still held
        with db.engine.begin() as other:  # deleted meanwhile
            other.execute(delete(Outlet.__table__).where(Outlet.__table__.c.id == outlet_id))
        assert first is not None
        update_outlet(outlet_id, OutletInput(name="روزنامهٔ شهر", kind="newspaper", scope="provincial"), seen=seen)
        return "saved"

    app.add_url_rule("/save-deleted-page", "save_deleted_page", save_deleted_page)
    response = app.test_client().get("/save-deleted-page")
    assert response.status_code == 409 and "هم‌زمان به دست کس دیگری پاک شد" in response.get_data(as_text=True)


def test_a_database_error_is_the_persian_500_page_for_a_logged_in_user(app, client, make_user):
    """A failed flush leaves the session unusable; the 500 page's menu reads the logged-in user
    again and raised once more, so the server's English «Internal Server Error» was shown (found
    by a review: the merge of an outlet with feed items). The handler rolls back first."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @access(public=True)
    def broken_write():
        db.session.add(Outlet(name="الف", name_key="الف", scope="local", kind="newspaper"))
        db.session.commit()  # the logged-in user's attributes are expired by the commit
        db.session.add(Outlet(id=db.session.scalar(select(func.max(Outlet.id))), name="ب", name_key="ب",
                              scope="local", kind="newspaper"))
        db.session.flush()  # the same primary key: IntegrityError
        return "stored"

    app.add_url_rule("/broken-write", "broken_write", broken_write)
    login(client, make_user(role="staff"))
    response = client.get("/broken-write")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "خطای سامانه" in html and 'dir="rtl"' in html


def test_a_refused_login_form_leads_back_to_the_login_with_its_next(client, make_user):
    """Session 48 (session 47's note): a login form refused (sent from another address, its form expired)
    offered «بازگشت به پیشخوان», as if its sender were logged in; now the login, with the ``next`` it had."""
    user = make_user(role="staff")
    token = csrf_token(client)
    refusals = [
        client.post("/login?next=/cases", headers={"Origin": "http://evil.example"},
                    data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": token}),
        client.post("/login?next=/cases", data={"username": user.username, "password": TEST_PASSWORD,
                                                "csrf_token": "stale"}),
        client.get("/no/such/page"),
    ]
    for response, back in zip(refusals, ["/login?next=/cases", "/login?next=/cases", "/login"]):
        html = response.get_data(as_text=True)
        assert response.status_code in (400, 404)
        assert f'id="back-to-login" href="{back}"' in html and "بازگشت به صفحهٔ ورود" in html
        assert "بازگشت به پیشخوان" not in html
    login(client, user)
    assert "بازگشت به پیشخوان" in client.get("/no/such/page").get_data(as_text=True)


def test_a_refused_login_forms_next_off_the_site_is_not_offered(client):
    response = client.post("/login?next=//evil.example/x", headers={"Origin": "http://evil.example"},
                           data={"username": "a", "password": "b", "csrf_token": "x"})
    assert response.status_code == 400
    assert 'id="back-to-login" href="/login"' in response.get_data(as_text=True)
