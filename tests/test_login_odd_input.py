"""What people paste or type into the login's boxes from a Persian desktop: direction marks, a
ZWNJ (Shift+Space), a NUL, Persian and Arabic-Indic digits, megabytes. The owner gets in with the
name and code they meant; everything else is a clear Persian answer, never a 500 or an echo."""
from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD, csrf_token
from tests.test_two_factor import _code, _code_step, _password_step, enrolled  # noqa: F401 - the fixture


def _post(client, username: str, password: str):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(client)})


@pytest.mark.parametrize("typed", ["\u200f{}", "{}\u200c", "\u200c{}", " {} ", "{}\x00", "\u202a{}\u202c", "\u2066{}\u2069",
                                   "\ufeff{}", "{}\u200d"])
def test_a_username_with_invisible_characters_around_it_logs_its_owner_in(app, make_user, typed):
    user = make_user(role="staff")
    assert _post(app.test_client(), typed.format(user.username), TEST_PASSWORD).status_code == 302


@pytest.mark.parametrize("typed", ["ＡＤＭＩＮ.ＴＥＳＴ", "ａｄｍｉｎ.test", "admin\uff0etest", "\u200cＡdmin.test\u200d"])
def test_a_username_typed_in_full_width_letters_logs_its_owner_in(app, make_user, typed):
    """NFKC at the login (session 41): a full-width «ＡＤＭＩＮ» (an East Asian input method, a
    phone's keyboard) was not folded, and its owner read «wrong username or password»."""
    make_user(role="staff", username="admin.test")
    assert _post(app.test_client(), typed, TEST_PASSWORD).status_code == 302


def test_megabytes_in_the_boxes_are_refused_in_persian_and_not_sent_back(app, client, make_user):
    user = make_user(role="staff")
    response = _post(client, "a" * 200_000, TEST_PASSWORD)
    assert response.status_code == 400 and len(response.data) < 20_000
    assert "حداکثر" in response.get_data(as_text=True)
    response = _post(client, user.username, "a" * 1_000_000)
    assert response.status_code == 400 and "۱۲۸" in response.get_data(as_text=True)


def _feedback(response, field: str) -> str:
    return response.get_data(as_text=True).split(f'id="{field}-feedback">')[1].split("<")[0]


def test_a_box_typed_past_its_bound_is_named_in_its_message(app, client):
    """«طول فیلد حداکثر باید ۶۴ حرف باشد» under both boxes said neither which box nor in a word a
    Persian reader uses («فیلد»); a screen reader reads the message alone (session 44). Now each
    names its box and its bound, in Persian and in English."""
    response = _post(client, "a" * 65, "p" * 129)
    assert response.status_code == 400
    assert _feedback(response, "username") == "«نام کاربری» حداکثر ۶۴ نویسه است؛ ۶۵ نوشته شد."
    assert _feedback(response, "password") == "«گذرواژه» حداکثر ۱۲۸ نویسه است؛ ۱۲۹ نوشته شد."
    english = app.test_client()
    english.post("/language/en", data={"csrf_token": csrf_token(english), "next": "/login"})
    response = _post(english, "a" * 65, "x")
    assert _feedback(response, "username") == "«Username» takes at most 64 characters; 65 were typed."


@pytest.mark.parametrize("wrap", ["\u200f{}", "\u200e{}\u200e", "\u2066{}\u2069", "\u202b{}\u202c", "{}\x00", "\ufeff{}"])
def test_a_code_pasted_with_direction_marks_in_persian_digits_is_read(app, enrolled, clock, wrap):
    user, _codes = enrolled
    browser = app.test_client()
    _password_step(browser, user)
    persian = _code(user, clock).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert _code_step(browser, wrap.format(persian)).status_code == 302


def test_a_code_typed_is_never_sent_back_in_the_page(app, enrolled, clock):
    """The code box wrote what was typed back into the page: 400,000 characters typed came back
    in a 400 KB page (to anyone holding the password step), and a mistyped recovery code (a
    secret until used) stood in the page's source. Found by session 41's round."""
    user, codes = enrolled
    browser = app.test_client()
    _password_step(browser, user)
    token = csrf_token(browser, "/login/code")
    long = browser.post("/login/code", data={"code": "7" * 400_000, "csrf_token": token})
    assert long.status_code == 400 and len(long.data) < 20_000
    assert "۴۰" in long.get_data(as_text=True)
    almost = codes[0][:-1] + ("x" if codes[0][-1] != "x" else "y")
    wrong = browser.post("/login/code", data={"code": almost, "csrf_token": token})
    assert wrong.status_code == 401 and almost not in wrong.get_data(as_text=True)
    assert _code_step(browser, codes[0]).status_code == 302


@pytest.mark.parametrize("typed", ["علـی.رضایی", "عـلـی.رضـایـی", "عَلی.رِضایی", "علیّ.رضایی", "عليّ.رضايي",
                                   "\ufecb\ufee0\ufef2.رضایی", "علی.رضایی\u0670"])
def test_a_username_typed_with_a_tatweel_or_harakat_logs_its_owner_in(app, make_user, typed):
    """Session 48 (session 47's note): «علـی» or «عَلی» answered «wrong username or password». No
    username holds a tatweel or a haraka (the users page refuses them), so the login drops them as search
    does and reaches the one account they draw."""
    make_user(role="staff", username="علی.رضایی")
    assert _post(app.test_client(), typed, TEST_PASSWORD).status_code == 302


def test_a_tatweel_or_a_haraka_does_not_dodge_the_names_wait(app, make_user):
    make_user(role="staff", username="علی.رضایی")
    spellings = ["علـی.رضایی", "عَلی.رضایی", "علی.رضـایی", "عُلی.رضایی", "علی.رِضایی"]
    answers = [_post(app.test_client(), typed, "Wrong-pass-2019").status_code for typed in spellings]
    assert answers == [401] * 5
    assert _post(app.test_client(), "علی.رضایی", "Wrong-pass-2019").status_code == 429  # the same name's count
