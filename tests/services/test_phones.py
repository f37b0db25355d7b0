"""Phone numbers as PR staff type them end up in E.164, or are refused with a message."""
import pytest

from app.services import ServiceError
from app.services.phones import display_phone, parse_phone

pytestmark = pytest.mark.one_database  # phone numbers parsed (libphonenumber) and said in Persian: no database


@pytest.mark.parametrize("typed", [
    "09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "0912 123 4567", "0912-123-4567",
    "+98 912 123 4567", "00989121234567", "9121234567", "(0912) 123 4567",
])
def test_mobile_numbers_in_every_spelling_become_one_e164(app, typed):
    with app.test_request_context():
        assert parse_phone(typed) == "+989121234567"


def test_landline_with_area_code(app):
    with app.test_request_context():
        assert parse_phone("۰۲۱-۸۸۷۷۶۶۵۵") == "+982188776655"
        assert display_phone("+982188776655") == "+98 21 8877 6655"


@pytest.mark.parametrize("typed", ["", "   ", "12", "abc", "0912", "۰۹۱۲۱۲۳۴۵۶۷۸۹۰۱۲", "x" * 300])
def test_a_number_that_does_not_parse_is_refused_in_persian(app, typed):
    with app.test_request_context(), pytest.raises(ServiceError) as refused:
        parse_phone(typed)
    assert "تلفن" in str(refused.value)


@pytest.mark.parametrize("typed, extension", [
    ("0912 123 4575 ext 12", "12"), ("021 8877 6655 x 3", "3"), ("+98 912 123 4567 #12", "12"),
    ("021 8877 6655 ext. 99", "99"),
    ("021 5500 1109 داخلی 12", "12"), ("۰۲۱ ۵۵۰۰ ۱۱۰۹ داخلي: ۱۲", "۱۲"), ("021 5500 1109 - داخلی ۱۲", "۱۲"),
])
def test_a_number_with_an_extension_is_refused_not_cut(app, typed, extension):
    """The review of the commands (session 26): the extension was dropped and the number stored
    without it, unsaid; «داخلی ۱۲», as Persian users write it, got «not a valid number» (session 27)."""
    with app.test_request_context(), pytest.raises(ServiceError) as refused:
        parse_phone(typed)
    assert "داخلی" in str(refused.value) and f"«{extension}»" in str(refused.value)


def test_a_landlines_kind_is_office_a_mobiles_mobile(app):
    from app.services.phones import phone_kind

    assert (phone_kind("+982188776655"), phone_kind("+989121234567")) == ("office", "mobile")


@pytest.mark.parametrize("typed", [
    "0912\u200e123\u200e4567",            # LRMs a Persian line puts between the groups
    "0912\u200f-123\u200f-4567",          # RLMs
    "\u2066+98\u2069 912 123 4567",       # isolates, as this app's own example is written
    "۰۹۱۲\u200c۱۲۳\u200c۴۵۶۷",             # ZWNJ (Shift+Space) typed as the separator
    "0912\u2009123\u20094567",            # thin spaces
    "0912\u202f123\u202f4567",            # narrow no-break spaces (a word processor's)
])
def test_a_number_copied_with_invisible_marks_or_other_spaces_between_its_digits_is_read(app, typed):
    """A review of the directory commands (session 38): libphonenumber skips such characters
    before the first digit only; between the groups the number was refused as «not valid», in an
    import and on the journalist's form, though the reader saw a good number."""
    with app.test_request_context():
        assert parse_phone(typed) == "+989121234567"
