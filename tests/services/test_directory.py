"""The media directory's services: outlets and journalists are checked whole (phones in E.164,
nothing saved when one field is bad), likely duplicates are named before anything is created,
every change is audited, each agency's notes are its own."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.scoping import agency_scope
from app.services import NotAllowed, NotFound, ServiceError
from app.services.directory import (
    DuplicateFound,
    InvalidInput,
    OutletInput,
    create_outlet,
    set_outlet_active,
    update_outlet,
)
from app.services.directory_journalists import (
    JournalistInput,
    PhoneInput,
    create_journalist,
    set_journalist_active,
    update_journalist,
)
from app.services.directory_notes import add_note, delete_note, notes_for
from app.services.directory_pages import (
    JournalistQuery,
    OutletQuery,
    journalist_list,
    outlet_list,
    outlet_page,
)
from app.services.feeds import get_or_create_outlet
from models import AuditEntry, DirectoryNote, Journalist, JournalistPhone, Outlet


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def staff(make_user, make_agency):
    return make_user(role="staff", agency=make_agency(slug="water"))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_journalist_with_phones_in_every_script_is_stored_in_e164(ctx, staff):
    paper = create_outlet(OutletInput(name="روزنامهٔ شهر", kind="newspaper", scope="local", city="مرکز استان"),
                          actor=staff)
    journalist = create_journalist(JournalistInput(
        name="علي رضائي", outlet_ids=[paper.id], beat="شهری",
        phones=[PhoneInput("۰۹۱۲۱۲۳۴۵۶۷"), PhoneInput("٠٢١-٨٨٧٧٦٦٥٥", "office"), PhoneInput("")],
        email=" Reporter@Example.ir ", handles={"telegram": "@ali_r", "eitaa": ""}, preferred_channel="telegram"),
        actor=staff)
    db.session.expire_all()
    journalist = db.session.get(Journalist, journalist.id)
    assert journalist.name == "علی رضائی"  # stored normalized: ي→ی (ئ is kept)
    assert [(p.e164, p.label) for p in journalist.phones] == [("+989121234567", "mobile"), ("+982188776655", "office")]
    assert [o.name for o in journalist.outlets] == ["روزنامهٔ شهر"]
    assert journalist.email == "Reporter@example.ir"
    assert journalist.handles == {"telegram": "@ali_r"}
    assert _actions() == ["outlet.created", "journalist.created"]


def test_an_unparseable_phone_is_refused_and_nothing_is_saved(ctx, staff):
    with pytest.raises(InvalidInput) as refused:
        create_journalist(JournalistInput(name="مریم کاظمی", phones=[PhoneInput("09121234567"),
                                                                    PhoneInput("۰۹۱۲")]), actor=staff)
    assert set(refused.value.errors) == {"phones-1"}
    assert "۰۹۱۲" in refused.value.errors["phones-1"] and "تلفن" in refused.value.errors["phones-1"]
    assert _count(Journalist) == 0 and _count(JournalistPhone) == 0 and _actions() == []


def test_every_bad_field_is_named(ctx, staff):
    with pytest.raises(InvalidInput) as refused:
        create_journalist(JournalistInput(name="  ", email="not-an-email", handles={"telegram": "a b"},
                                          preferred_channel="pigeon"), actor=staff)
    assert set(refused.value.errors) == {"name", "email", "handle_telegram", "preferred_channel"}
    with pytest.raises(InvalidInput) as refused:
        create_outlet(OutletInput(name="", scope="galactic", website="example"), actor=staff)
    assert set(refused.value.errors) == {"name", "scope", "website"}


def test_handles_are_latin_whatsapp_a_number_and_digits_any_digits(ctx, staff):
    """A handle typed with the Persian layout on («@شمهقهئ») was kept (a broken link), «@ali_۱۲» kept
    its Persian digits, WhatsApp's «۰۹۱۲…» stayed as typed and «+98 912 555 0098» was refused, and
    «ali۱۲@example.ir» was an address (a review of the directory commands, round 4)."""
    with pytest.raises(InvalidInput) as refused:
        create_journalist(JournalistInput(name="پرستو", handles={"telegram": "@شمهقهئ", "instagram": "عکاس_شهر"}),
                          actor=staff)
    assert set(refused.value.errors) == {"handle_telegram", "handle_instagram"}
    assert "لاتین" in refused.value.errors["handle_telegram"]
    journalist = create_journalist(JournalistInput(
        name="سارا", email="sara۱۲@example.ir", handles={"telegram": "@sara_۱۲", "whatsapp": "۰۹۱۲ ۵۵۵ ۰۰۹۹"}),
        actor=staff)
    assert journalist.handles == {"telegram": "@sara_12", "whatsapp": "+989125550099"}
    assert journalist.email == "sara12@example.ir"
    other = create_journalist(JournalistInput(name="مینا", handles={"whatsapp": "+98 912 555 0098"}), actor=staff)
    assert other.handles == {"whatsapp": "+989125550098"}


def test_an_update_with_a_bad_phone_keeps_the_old_phones(ctx, staff):
    journalist = create_journalist(JournalistInput(name="حسن نوری", phones=[PhoneInput("09121111111")]), actor=staff)
    with pytest.raises(InvalidInput):
        update_journalist(journalist.id, JournalistInput(name="حسن نوری تازه", phones=[PhoneInput("abc")]), actor=staff)
    db.session.rollback()
    db.session.expire_all()
    journalist = db.session.get(Journalist, journalist.id)
    assert journalist.name == "حسن نوری" and [p.e164 for p in journalist.phones] == ["+989121111111"]


def test_update_replaces_phones_and_outlets_and_audits_the_fields(ctx, staff):
    one = create_outlet(OutletInput(name="رادیو استان", kind="radio", scope="provincial"), actor=staff)
    two = create_outlet(OutletInput(name="پایگاه خبری جاده", scope="local"), actor=staff)
    journalist = create_journalist(JournalistInput(name="سارا امینی", outlet_ids=[one.id],
                                                   phones=[PhoneInput("09121111111")]), actor=staff)
    update_journalist(journalist.id, JournalistInput(
        name="سارا امینی", outlet_ids=[two.id], beat="راه",
        phones=[PhoneInput("09121111111", "office"), PhoneInput("+98 912 222 2222")]), actor=staff)
    db.session.expire_all()
    journalist = db.session.get(Journalist, journalist.id)
    assert [o.id for o in journalist.outlets] == [two.id]
    assert [(p.e164, p.label) for p in journalist.phones] == [("+989121111111", "office"), ("+989122222222", "mobile")]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "journalist.updated"))
    assert set(entry.details["fields"]) == {"beat", "outlets", "phones"}


def test_duplicate_by_name_with_arabic_letters(ctx, staff):
    first = create_journalist(JournalistInput(name="علی کریمی"), actor=staff)
    with pytest.raises(DuplicateFound) as found:
        create_journalist(JournalistInput(name="علي  كريمي"), actor=staff)
    assert [(d.id, d.reason) for d in found.value.duplicates] == [(first.id, "name")]
    assert _count(Journalist) == 1
    second = create_journalist(JournalistInput(name="علي  كريمي"), actor=staff, allow_duplicate=True)
    assert second.id != first.id and _count(Journalist) == 2


def test_duplicate_by_phone_in_another_spelling(ctx, staff):
    first = create_journalist(JournalistInput(name="زهرا احمدی", phones=[PhoneInput("09125550000")]), actor=staff)
    with pytest.raises(DuplicateFound) as found:
        create_journalist(JournalistInput(name="ز. احمدی", phones=[PhoneInput("۰۰۹۸۹۱۲۵۵۵۰۰۰۰")]), actor=staff)
    assert [(d.id, d.reason, d.phone) for d in found.value.duplicates] == [(first.id, "phone", "+989125550000")]


def test_outlet_duplicates_same_name_refused_normalized_name_warned(ctx, staff):
    create_outlet(OutletInput(name="خبرگزاری استان"), actor=staff)
    with pytest.raises(InvalidInput):
        create_outlet(OutletInput(name="خبرگزاري استان"), actor=staff)  # stored the same: refused outright
    with pytest.raises(DuplicateFound):
        create_outlet(OutletInput(name="خبرگزاری\u200cاستان"), actor=staff)
    assert create_outlet(OutletInput(name="خبرگزاری\u200cاستان"), actor=staff, allow_duplicate=True).id


@pytest.mark.parametrize("name, city", [("صدا؛ سیما", ""), ("خبر;روز", ""), ("رادیو شهر", "کرج؛ فردیس")])
def test_an_outlet_name_or_city_holding_the_sheets_separator_is_refused(ctx, staff, name, city):
    """The directory's sheet separates a journalist's outlets (and their cities) with «؛» or «;»:
    an outlet named «خبر;روز» came back from its own export as two outlets, «صدا؛ سیما» made the
    import refuse the whole file. Said under the field, nothing stored."""
    with pytest.raises(InvalidInput) as refused:
        create_outlet(OutletInput(name=name, city=city), actor=staff)
    field = "city" if city else "name"
    assert "«؛» و «;»" in refused.value.errors[field]
    assert db.session.scalar(select(func.count()).select_from(Outlet)) == 0


def test_feeds_outlet_creation_fills_the_name_key_and_finds_arabic_spellings(ctx):
    outlet = get_or_create_outlet("روزنامه  محلی", scope="local")
    db.session.commit()
    assert outlet.name_key == "روزنامهمحلی"
    assert get_or_create_outlet("روزنامه\u200cمحلی").id == outlet.id


def test_viewers_read_only_and_managers_deactivate(ctx, make_user, staff):
    viewer = make_user(role="viewer", agency=staff.agency)
    with pytest.raises(NotAllowed):
        create_outlet(OutletInput(name="رسانه"), actor=viewer)
    outlet = create_outlet(OutletInput(name="رسانه"), actor=staff)
    with pytest.raises(NotAllowed):
        set_outlet_active(outlet.id, False, actor=staff)
    manager = make_user(role="manager", agency=staff.agency)
    set_outlet_active(outlet.id, False, actor=manager)
    assert outlet_list(OutletQuery()).total == 0 and outlet_list(OutletQuery(inactive=True)).total == 1
    supervisor = make_user(role="supervisor")
    update_outlet(outlet.id, OutletInput(name="رسانهٔ نو", scope="national", kind="tv"), actor=supervisor)
    assert _actions()[-2:] == ["outlet.deactivated", "outlet.updated"]


def test_lists_search_normalized_names_phones_and_filters(ctx, staff):
    local = create_outlet(OutletInput(name="روزنامهٔ شهر", scope="local", city="مرکز استان", kind="newspaper"),
                          actor=staff)
    national = create_outlet(OutletInput(name="خبرگزاری سراسری", scope="national", kind="news_agency"), actor=staff)
    create_journalist(JournalistInput(name="علی رضایی", outlet_ids=[local.id], beat="آب و برق",
                                      phones=[PhoneInput("09121234567")]), actor=staff)
    gone = create_journalist(JournalistInput(name="رضا علوی", outlet_ids=[national.id], beat="اقتصاد"), actor=staff)
    set_journalist_active(gone.id, False, actor=None)

    def names(**query):
        return [j.name for j in journalist_list(JournalistQuery(**query)).rows]

    assert names(q="علي رضائي") == ["علی رضایی"]
    assert names(q="۰۹۱۲ ۱۲۳ ۴۵۶۷") == ["علی رضایی"]
    assert names(scope="national") == [] and names(scope="national", inactive=True) == ["رضا علوی"]
    assert names(outlet_id=local.id, beat="برق") == ["علی رضایی"]
    assert names(q="50%") == []
    assert [o.name for o, _ in outlet_list(OutletQuery(city="مرکز استان")).rows] == ["روزنامهٔ شهر"]
    assert [(o.name, n) for o, n in outlet_list(OutletQuery(kind="newspaper")).rows] == [("روزنامهٔ شهر", 1)]
    listing = outlet_list(OutletQuery(), page=1, page_size=1)
    assert listing.total == 2 and listing.has_next and len(listing.rows) == 1


def test_notes_are_each_agencys_own(ctx, make_user, make_agency, staff):
    other = make_user(role="staff", agency=make_agency(slug="power"))
    supervisor = make_user(role="supervisor")
    journalist = create_journalist(JournalistInput(name="خبرنگار"), actor=staff)
    mine = add_note(staff, "پاسخ‌ها را زود می‌خواهد", journalist_id=journalist.id)
    theirs = add_note(other, "یادداشت برق", journalist_id=journalist.id)
    assert mine.agency_id == staff.agency_id
    with agency_scope(staff.agency_id):
        assert [n.body for n in notes_for(staff, journalist_id=journalist.id)] == ["پاسخ‌ها را زود می‌خواهد"]
        with pytest.raises(NotFound):
            delete_note(theirs.id, staff)
    with agency_scope(None):
        rows = notes_for(supervisor, journalist_id=journalist.id)
        assert {(n.body, n.agency_name) for n in rows} == {("پاسخ‌ها را زود می‌خواهد", staff.agency.name_fa),
                                                           ("یادداشت برق", other.agency.name_fa)}
        assert not any(n.can_delete for n in rows)
    with pytest.raises(NotAllowed):
        add_note(supervisor, "ناظر", journalist_id=journalist.id)  # the governorate belongs to no agency
    with pytest.raises(ServiceError):
        add_note(staff, "   ", journalist_id=journalist.id)
    viewer = make_user(role="viewer", agency=staff.agency)
    with pytest.raises(NotAllowed):
        add_note(viewer, "خواندنی", journalist_id=journalist.id)
    with agency_scope(staff.agency_id):
        assert delete_note(mine.id, staff) == ("journalist", journalist.id)
    assert _count(DirectoryNote) == 1
    assert "directory_note.deleted" in _actions()


def test_outlet_page_shows_its_journalists_feeds_and_sections(ctx, staff, monkeypatch):
    from app.services import directory_pages
    from app.services.directory_pages import PageSection
    from models import Feed

    outlet = create_outlet(OutletInput(name="رادیو استان", kind="radio", scope="provincial"), actor=staff)
    create_journalist(JournalistInput(name="مجری رادیو", outlet_ids=[outlet.id]), actor=staff)
    db.session.add(Feed(url="https://radio.example.ir/rss", title="خوراک رادیو", outlet_id=outlet.id))
    db.session.commit()
    monkeypatch.setitem(directory_pages.PAGE_SECTIONS, "outlet", [
        lambda user, subject: PageSection("contacts", "x.html", subject.name),
        lambda user, subject: None])
    page = outlet_page(outlet.id, staff)
    assert [j.name for j in page.journalists] == ["مجری رادیو"]
    assert [f.title for f in page.feeds] == ["خوراک رادیو"]
    assert [(s.key, s.data) for s in page.sections] == [("contacts", "رادیو استان")]
    with pytest.raises(NotFound):
        outlet_page(outlet.id + 100, staff)
    assert _count(Outlet) == 1


def test_limits_in_the_messages_are_in_persian_digits_and_ascii_in_english(app, staff):
    """«بیش از 200 نویسه»: the limits were said in Latin digits inside Persian text."""
    from flask_babel import force_locale

    def messages():
        with pytest.raises(InvalidInput) as outlet:
            create_outlet(OutletInput(name="ر" * 201), actor=staff)
        phones = [PhoneInput(f"0912123456{n}") for n in range(7)]
        with pytest.raises(InvalidInput) as journalist:
            create_journalist(JournalistInput(name="علی", phones=phones), actor=staff)
        outlet_id = get_or_create_outlet("روزنامه همشهری").id
        with pytest.raises(ServiceError) as note:
            add_note(staff, "ی" * 4001, outlet_id=outlet_id)
        db.session.rollback()
        return outlet.value.errors["name"], journalist.value.errors["phones"], str(note.value)

    with app.test_request_context():
        persian = messages()
    assert [("۲۰۰" in persian[0]), ("۶" in persian[1]), ("۴۰۰۰" in persian[2])] == [True] * 3, persian
    assert not any(re_digit(m) for m in persian), persian
    with app.test_request_context(), force_locale("en"):
        english = messages()
    assert ["200" in english[0], "6" in english[1], "4000" in english[2]] == [True] * 3, english
    assert not any("۰" in m or "۶" in m for m in english), english


def re_digit(text: str) -> bool:
    return any("0" <= c <= "9" for c in text)


def test_a_feeds_new_outlet_holding_the_separator_is_refused(ctx):
    """The feeds' path created outlets the directory's form refuses («؛» or «;» in the name)."""
    for name in ("صدا؛ سیما", "خبر;روز"):
        with pytest.raises(ServiceError) as refused:
            get_or_create_outlet(name)
        assert "«؛» و «;»" in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(Outlet)) == 0


def test_an_outlet_website_typed_without_its_scheme_is_taken_as_https(ctx, staff):
    """A walk through the pages: «www.shahr-daily.ir» was refused («write it whole»); a word with
    no dot, or another scheme, still is."""
    outlet = create_outlet(OutletInput(name="روزنامهٔ شهر", scope="local", kind="newspaper",
                                       website=" www.shahr-daily.ir "), actor=staff)
    assert outlet.website == "https://www.shahr-daily.ir"
    for bad in ("shahr", "ftp://shahr.ir"):
        with pytest.raises(InvalidInput) as refused:
            create_outlet(OutletInput(name="رادیو شهر", scope="local", kind="radio", website=bad), actor=staff)
        assert set(refused.value.errors) == {"website"}


def test_an_outlet_website_holding_the_separator_is_refused(ctx, staff):
    with pytest.raises(InvalidInput) as refused:
        create_outlet(OutletInput(name="رادیو شهر", website="https://radio.example.ir/a;b"), actor=staff)
    assert "«؛» و «;»" in refused.value.errors["website"]


@pytest.mark.parametrize(("stored", "typed"), [
    ("علی رضایی", "علیرضایی"),  # joined
    ("محمد‌رضا نیک‌نام", "محمدرضا نيكنام"),  # ZWNJ against joined, Arabic letters
    ("محمد رضا نیک نام", "محمد‌رضا نیک‌نام"),
])
def test_a_journalist_written_with_other_spacing_is_a_duplicate_and_found(ctx, staff, stored, typed):
    """Persian writes the parts of one name apart, with a ZWNJ or joined: each was a new journalist,
    and the list's search missed it (a review of the directory)."""
    create_journalist(JournalistInput(name=stored), actor=staff)
    with pytest.raises(DuplicateFound):
        create_journalist(JournalistInput(name=typed), actor=staff)
    assert journalist_list(JournalistQuery(q=typed)).total == 1
    assert journalist_list(JournalistQuery(q=typed.split()[0])).total == 1


@pytest.mark.parametrize("typed", ["روزنامه‌ی شهر", "روزنامهء شهر", "روزنامه ی شهر", "روزنامه شهر", "روزنامهٔ‌شهر"])
def test_an_outlet_with_the_ezafe_written_out_is_a_duplicate_and_found(ctx, staff, typed):
    """«روزنامه‌ی شهر» and «روزنامهء شهر» were new outlets beside «روزنامهٔ شهر» (the search side
    already read them as one spelling)."""
    create_outlet(OutletInput(name="روزنامهٔ شهر"), actor=staff)
    with pytest.raises(DuplicateFound):
        create_outlet(OutletInput(name=typed), actor=staff)
    assert outlet_list(OutletQuery(q=typed)).total == 1
    create_outlet(OutletInput(name="روزنامهٔ شهرستان"), actor=staff)  # another name stays another
    assert outlet_list(OutletQuery(q="روزنامه")).total == 2


@pytest.mark.parametrize("typed", ["4567", "۴۵۶۷", "34567", " 234 567"])
def test_the_last_digits_of_a_phone_find_its_journalist(ctx, staff, typed):
    """A desk remembers «the one ending in 4567»: a search of a number's last digits found nothing
    (only a whole number was looked up; a review of the directory)."""
    create_journalist(JournalistInput(name="مریم احمدی", phones=[PhoneInput("09121234567")]), actor=staff)
    create_journalist(JournalistInput(name="رضا کریمی", phones=[PhoneInput("09351110000")]), actor=staff)
    assert [r.name for r in journalist_list(JournalistQuery(q=typed)).rows] == ["مریم احمدی"]
