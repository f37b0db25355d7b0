"""The administrator's user form and its e-mail field (the alert digest goes to that address).

WTForms' `Email()` imports `email_validator` when it validates; without it every submission that
carries an address answered 500. These tests go through the real form, CSRF included.
"""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.services.accounts import UserInput, update_user
from models import User
from tests.conftest import csrf_token

DIGEST_ADDRESS = "@".join(("ravabet.omumi", "ostandari.example.ir"))
NEW_ADDRESS = "@".join(("press", "water.example.ir"))
OLD_ADDRESS = "@".join(("old", "water.example.ir"))


def _post_user_form(client, path, **fields):
    data = {"csrf_token": csrf_token(client, path), "username": "", "display_name": "", "email": "",
            "role": "supervisor", "agency": "", "password": "", "is_active": "y", **fields}
    return client.post(path, data=data)


def _seen(client, path: str) -> str:
    return re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', client.get(path).get_data(as_text=True)).group(1)


def _email_errors(html: str) -> list[str]:
    return re.findall(r'<div class="invalid-feedback d-block" id="email-feedback">([^<]*)</div>', html)


def test_admin_creates_a_user_with_an_email_address(client, login_as, make_user):
    login_as(make_user(role="admin"))
    response = _post_user_form(client, "/admin/users/new", username="digest.reader",
                               email=DIGEST_ADDRESS, password="a long enough phrase")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    user = db.session.scalar(select(User).where(User.username == "digest.reader"))
    assert user.email == DIGEST_ADDRESS


def test_admin_sets_an_existing_users_email_address(client, login_as, make_user):
    login_as(make_user(role="admin"))
    reader = make_user(role="supervisor")
    response = _post_user_form(client, f"/admin/users/{reader.id}", username=reader.username,
                               display_name=reader.display_name, email=f"  {NEW_ADDRESS} ")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.refresh(reader)
    assert reader.email == NEW_ADDRESS


def test_a_bad_address_is_shown_next_to_the_field_in_persian_and_kept(client, login_as, make_user):
    login_as(make_user(role="admin"))
    typed = "press office@ostan"
    response = _post_user_form(client, "/admin/users/new", username="someone", email=typed,
                               password="a long enough phrase")
    html = response.get_data(as_text=True)
    assert response.status_code == 400  # a refused form, as every other form answers it (it was 200)
    assert _email_errors(html) == ["نشانی رایانامه درست نیست."]
    assert "Invalid email address" not in html
    assert f'value="{typed}"' in html  # what was typed stays in the box
    assert db.session.scalar(select(func.count(User.id)).where(User.username == "someone")) == 0


def test_a_bad_address_on_the_edit_form_changes_nothing(client, login_as, make_user):
    login_as(make_user(role="admin"))
    reader = make_user(role="supervisor", email=OLD_ADDRESS)
    response = _post_user_form(client, f"/admin/users/{reader.id}", username=reader.username,
                               email="news@@ostan.example.ir")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _email_errors(html) == ["نشانی رایانامه درست نیست."]
    assert 'value="news@@ostan.example.ir"' in html
    db.session.refresh(reader)
    assert reader.email == OLD_ADDRESS


def test_the_bad_address_message_in_english(client, login_as, make_user):
    login_as(make_user(role="admin"))
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    response = _post_user_form(client, "/admin/users/new", username="someone", email="not an address",
                               password="a long enough phrase")
    assert response.status_code == 400
    assert _email_errors(response.get_data(as_text=True)) == ["The email address is not valid."]


LOOK_ALIKES = {
    "zero-width space": "water\u200bstaff",
    "a Cyrillic а": "w\u0430ter.staff",
    "a space": "water staff",
    "a ZWNJ": "علی\u200cرضا",
    "a tatweel": "علـی",  # «علی» drawn longer
    "a fatha": "عَلی",  # session 48: the login drops it («علی»), so it would be stored as a name never typed
    "a shadda at the end": "علیّ",
    "heh goal": "زہرا",  # «زهرا» in Urdu's heh
    "heh doachashmee": "زھرا",
    "alef wasla": "ٱمیر",  # «امیر»
    # Found by a review of the forms: the form dropped these before the check, so «water\u202estaff»
    # was saved as «waterstaff», and a later «water\x00staff» refused as taken (a name never typed).
    "a right-to-left override": "water\u202estaff",
    "a NUL": "water\x00staff",
    "a right-to-left mark": "water\u200fstaff",
}


def test_a_username_that_could_pass_for_another_is_refused_in_persian(client, login_as, make_user):
    login_as(make_user(role="admin"))
    for label, typed in LOOK_ALIKES.items():
        response = _post_user_form(client, "/admin/users/new", username=typed, password="a long enough phrase")
        html = response.get_data(as_text=True)
        assert response.status_code == 400, label
        assert f'value="{typed}"' in html or label in ("a NUL",), label  # what was typed stays in the box
        assert "نام کاربری تنها حرف لاتین یا فارسی، رقم و نشانه‌های" in html, label
    assert db.session.scalar(select(func.count(User.id)).where(User.role == "supervisor")) == 0


def test_a_username_that_reads_as_an_existing_one_is_refused_in_persian(client, login_as, make_user):
    """Found by a login review: «admin.» beside «admin», «t.4» beside «t4» and «أحمد» beside «احمد»
    were accepted; in the list of accounts and the audit trail each reads as the other. A mark at
    either end is refused, and so is a name that differs from an existing one only by its marks or
    a hamza seat."""
    login_as(make_user(role="admin", username="admin"))
    make_user(role="supervisor", username="t4")
    make_user(role="supervisor", username="احمد")
    cases = {"admin.": "آغاز می‌شود و پایان می‌یابد", "_t4": "آغاز می‌شود و پایان می‌یابد",
             "t.4": "یکی خوانده می‌شود", "t-4": "یکی خوانده می‌شود", "أحمد": "یکی خوانده می‌شود",
             "ad.min": "یکی خوانده می‌شود"}
    for typed, message in cases.items():
        response = _post_user_form(client, "/admin/users/new", username=typed, password="a long enough phrase")
        assert response.status_code == 400 and message in response.get_data(as_text=True), typed
    assert set(db.session.scalars(select(User.username))) >= {"admin", "t4", "احمد"}
    assert db.session.scalar(select(func.count(User.id))) == 3
    ok = _post_user_form(client, "/admin/users/new", username="t.5", password="a long enough phrase")
    assert ok.status_code == 302  # a mark inside a name that reads as no other


def test_persian_digits_in_a_username_are_kept_as_ascii_and_log_in_either_way(client, login_as, make_user, app):
    login_as(make_user(role="admin"))
    response = _post_user_form(client, "/admin/users/new", username="Ali.Rezaei۱۴", password="a long enough phrase")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert db.session.scalar(select(User.username).where(User.role == "supervisor")) == "ali.rezaei14"
    for typed in ("ali.rezaei14", "ALI.REZAEI۱۴", "ali.rezaei١٤"):
        other = app.test_client()  # another browser
        answer = other.post("/login", data={"username": typed, "password": "a long enough phrase",
                                            "csrf_token": csrf_token(other)})
        assert answer.status_code == 302, typed


def test_an_account_deactivated_meanwhile_is_not_reactivated_by_a_stale_page(client, login_as, make_user):
    """Another admin deactivated the account after this admin opened its edit page (whose box still
    says «active»): saving the page would reactivate it unseen. It is refused with a Persian
    message; saving the refreshed page again is a knowing choice."""
    admin, other = make_user(role="admin"), make_user(role="admin")
    reader = make_user(role="supervisor")
    login_as(admin)
    path, name = f"/admin/users/{reader.id}", reader.display_name
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', client.get(path).get_data(as_text=True)).group(1)
    update_user(reader, UserInput(username=reader.username, role="supervisor", display_name=reader.display_name),
                is_active=False, actor=other)  # the other admin's save
    response = _post_user_form(client, path, username=reader.username, display_name="نام تازه", seen=seen)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "به دست کس دیگری تغییر کرد" in html and "نام تازه" in html
    db.session.expire_all()
    assert (db.session.get(User, reader.id).is_active_account, db.session.get(User, reader.id).display_name) == (
        False, name)
    again = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', html).group(1)
    assert _post_user_form(client, path, username=reader.username, display_name="نام تازه",
                           seen=again).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, reader.id).is_active_account


def test_an_account_promoted_to_a_role_of_every_agency_keeps_no_agency(client, login_as, make_user, make_agency):
    """The edit page still shows the manager's agency when the admin makes them a supervisor (and
    an account stored with one before still has it): the save goes through and clears the tie, as
    the role has none; only a new account given one is refused (found by a review)."""
    login_as(make_user(role="admin"))
    water = make_agency(slug="water")
    manager = make_user(role="manager", agency=water)
    legacy = make_user(role="supervisor", agency=water)  # stored before the refusal
    for account, name in ((manager, "مدیر ارتقایافته"), (legacy, "ناظر قدیمی")):
        path = f"/admin/users/{account.id}"
        seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', client.get(path).get_data(as_text=True))
        response = _post_user_form(client, path, username=account.username, display_name=name, role="supervisor",
                                   agency="water", seen=seen.group(1))
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        db.session.expire_all()
        saved = db.session.get(User, account.id)
        assert (saved.role, saved.agency_id, saved.display_name) == ("supervisor", None, name)
    refused = _post_user_form(client, "/admin/users/new", username="tazeh", role="supervisor", agency="water",
                              password="a long enough phrase")
    assert refused.status_code == 400 and "سازمانی نمی‌گیرد" in refused.get_data(as_text=True)
    assert 'value="tazeh"' in refused.get_data(as_text=True)


def test_a_new_user_starts_as_the_least_of_the_roles_and_an_edit_shows_the_users_own(client, login_as, make_user):
    """A newcomer's walk: the new-user form had «مدیر سامانه» (administrator) chosen, kept unless
    changed; it is the viewer now, and an edit shows the user's own role."""
    login_as(make_user(role="admin"))
    html = client.get("/admin/users/new").get_data(as_text=True)
    assert re.search(r'<option selected value="viewer">', html) and not re.search(r'selected value="admin"', html)
    manager = make_user(role="manager")
    edit = client.get(f"/admin/users/{manager.id}").get_data(as_text=True)
    assert re.search(r'<option selected value="manager">', edit)


def test_a_password_set_by_an_admin_says_the_users_sessions_ended(client, login_as, make_user):
    """A newcomer's walk: a reset password said only «تغییرات ذخیره شد» — the user's sessions end
    with it (as every change of password), and the admin is told so."""
    login_as(make_user(role="admin"))
    staff = make_user(role="staff")
    path = f"/admin/users/{staff.id}"
    response = _post_user_form(client, path, username=staff.username, role="staff", agency=staff.agency.slug,
                               password="a brand new long phrase", seen=_seen(client, path))
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert "نشست‌های باز او پایان یافت" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_username_typed_in_full_width_letters_is_stored_as_the_login_reads_it(client, login_as, make_user, app):
    """NFKC at creation as at the login (session 41): «ＲＥＺＡ.ｓｔａｆｆ», typed with a full-width layout
    on, is the account «reza.staff», which its owner logs in with typed either way; and a new
    «ｗａｔｅｒ» beside «water» is that name, taken. Before, creation refused the full-width letters
    while the login did not fold them: the two did not read a name alike."""
    login_as(make_user(role="admin"))
    make_user(role="supervisor", username="water")
    response = _post_user_form(client, "/admin/users/new", username="ＲＥＺＡ.ｓｔａｆｆ", password="a long enough phrase")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db.session.scalar(select(User.username).where(User.username.like("%staff"))) == "reza.staff"
    for typed in ("reza.staff", "ｒｅｚａ.staff", "ＲＥＺＡ．ＳＴＡＦＦ"):
        browser = app.test_client()
        assert browser.post("/login", data={"username": typed, "password": "a long enough phrase",
                                            "csrf_token": csrf_token(browser)}).status_code == 302, typed
    taken = _post_user_form(client, "/admin/users/new", username="ｗａｔｅｒ", password="a long enough phrase")
    assert taken.status_code == 400
    assert db.session.scalar(select(func.count(User.id)).where(User.username == "water")) == 1


def test_agencies_are_named_in_the_pages_language(client, login_as, make_user, make_agency):
    """The English user form and feed form offered the agencies by their Persian names, and a
    portal feed's page and an agency's cadence form named it in Persian (session 42's walk)."""
    from models import Feed

    water = make_agency(slug="water", name_fa="آب و فاضلاب", name_en="Water and Wastewater Company")
    feed = Feed(url="https://abfa.example.ir/rss", agency_id=water.id)
    db.session.add(feed)
    db.session.commit()
    login_as(make_user("admin"))
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    for path in ("/admin/users/new", "/feeds/new", f"/feeds/{feed.id}", f"/conferences/cadence/{water.id}"):
        html = client.get(path).get_data(as_text=True)
        assert "Water and Wastewater Company" in html and "آب و فاضلاب" not in html, path
