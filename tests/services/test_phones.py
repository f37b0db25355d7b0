"""Phone numbers as PR staff type them end up in E.164, or are refused with a message."""
import pytest

from app.services import ServiceError
from app.services.phones import display_phone, parse_phone


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
