"""The saved-search form (the search page's query and filters, a name, the alert switch)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired

from app.web.forms import BaseForm, Length


class SavedSearchForm(BaseForm):
    # Field names are those of the search page, so its query string fills the form.
    name = StringField(_l("نام جست‌وجو"), validators=[DataRequired(_l("نام جست‌وجو را بنویسید.")), Length(max=200)])
    q = StringField(_l("جست‌وجو"), validators=[DataRequired(_l("متن جست‌وجو را بنویسید."))])
    outlet = SelectField(_l("رسانه"), choices=[], validate_choice=False)
    scope = SelectField(_l("گسترهٔ رسانه"), choices=[], validate_choice=False)
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    sort = HiddenField()
    is_alert_on = BooleanField(_l("هشدار: خبرهای تازهٔ این جست‌وجو را به من اعلام کن"), default=True)

    def filters(self) -> dict:
        return {"outlet_id": self.outlet.data or None, "scope": self.scope.data or None,
                "agency": self.agency.data or None, "sort": self.sort.data or None}
