"""An agency named on the command line: the refusal says what there is (session 36, a review of the
case commands: with no agency yet it listed none, «شناسهٔ سازمان‌ها: .»)."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.services import ServiceError
from app.services.agencies import agency_by_slug
from models import Agency


def test_with_no_active_agency_the_refusal_says_so(app):
    with pytest.raises(ServiceError) as refused:
        agency_by_slug("water")
    assert str(refused.value) == "سازمانی با شناسهٔ «water» نیست؛ هنوز هیچ سازمانی فعال نیست."
    db.session.add(Agency(slug="water", name_fa="آب و فاضلاب"))
    db.session.commit()
    with pytest.raises(ServiceError) as refused:
        agency_by_slug("power")
    assert str(refused.value) == "سازمانی با شناسهٔ «power» نیست؛ شناسهٔ سازمان‌ها: water."
