"""The reports page, its jobs (progress, a killed worker, the owner only), the report commands
and the daily press digest e-mail received by a real SMTP server on localhost (aiosmtpd)."""
from __future__ import annotations

import email
import email.policy
import io
import json
import os
import re
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from openpyxl import load_workbook

from app.extensions import db
from app.services import NotFound
from app.services import report_jobs as jobs
from app.services.press_digest import send_press_digests, set_digest_setting
from app.services.report_jobs import (
    report_file,
    report_jobs_job,
    report_status,
    start_report,
)
from models import Setting
from tests.conftest import csrf_token, login
from tests.reports import report_fixtures as rf
from tests.reports.test_report_documents import pdf_text, plain
from tests.services.test_alert_digest import Mailbox, free_port

world, desk, make_item = rf.world, rf.desk, rf.make_item


def _post(client, **data):
    token = csrf_token(client, "/reports/")
    return client.post("/reports/", data={"csrf_token": token, "kind": "cases", "agency": "water",
                                          "period": "1405-02", "format": "pdf", **data})


def test_a_small_report_is_the_file_itself(client, login_as, world):
    login_as(world.desk.manager)
    page = client.get("/reports/").get_data(as_text=True)
    assert 'value="water"' in page and 'value="power"' not in page  # own agency only
    response = _post(client, format="xlsx")
    assert response.status_code == 200
    assert 'filename="cases-water-1405-02.xlsx"' in response.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.data)).active.sheet_view.rightToLeft


def test_the_days_digest_with_the_pages_month_left_as_it_was_is_todays(client, login_as, world):
    """A newcomer's walk: the page proposes this month («1405-09»); choosing the daily digest and
    pressing the button was refused («روز «1405-09» خوانده نشد»), though the help says empty is
    today. The proposed month is today for the digest; another month is still refused."""
    from app.services.reports import default_period

    login_as(world.desk.manager)
    response = _post(client, kind="digest", period=default_period(), format="xlsx")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert 'filename="digest-water-' in response.headers["Content-Disposition"]
    assert _post(client, kind="digest", period="1404-01", format="xlsx").status_code == 400


def test_the_proposed_month_is_written_in_persian_digits_and_read_back(client, login_as, world):
    """A browser walk (session 40): the period field proposed «1405-09» in Latin digits beside a
    help written «۱۴۰۵-۰۹». Shown in Persian digits on a Persian page (English keeps its own), and
    that proposal sent back for the daily digest is still today's."""
    from app.services.reports import default_period
    from search_index.persian import to_persian_digits

    login_as(world.desk.manager)
    shown = to_persian_digits(default_period())
    page = client.get("/reports/").get_data(as_text=True)
    assert f'value="{shown}"' in page
    # The help said a season «۱۴۰۵-S3», a Latin letter a Persian reader had to guess (session 43's
    # note): a season is said by its name; the digest's day without «(خالی یا ماهِ پیش‌نهاده: امروز)».
    hint = re.search(r'<div class="form-text">([^<]*)</div>', page).group(1)
    assert "«پاییز ۱۴۰۵»" in hint and not re.search("[A-Za-z]", hint) and "پیش‌نهاده" not in hint, hint
    response = _post(client, kind="digest", period=shown, format="xlsx")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert 'filename="digest-water-' in response.headers["Content-Disposition"]
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/reports/")})
    assert f'value="{default_period()}"' in client.get("/reports/").get_data(as_text=True)


def test_another_agencys_report_is_forbidden_and_bad_input_is_said_in_persian(client, login_as, world):
    login_as(world.desk.staff)
    assert _post(client, agency="power").status_code == 403
    response = _post(client, period="1405-13")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "خوانده نشد" in html and 'value="1405-13"' in html  # kept as typed
    assert "پشتیبانی نمی‌شود" in _post(client, format="docx").get_data(as_text=True)


def test_a_supervisor_picks_any_agency(client, login_as, world):
    login_as(world.desk.supervisor)
    response = _post(client, agency="power")
    assert response.status_code == 200 and plain(rf.POWER_QUESTION) in plain(pdf_text(response.data))


def test_a_large_report_is_a_job_with_progress_for_its_owner_only(app, client, login_as, world, monkeypatch):
    monkeypatch.setattr(jobs, "DIRECT_ROWS", 1)
    login_as(world.desk.manager)
    response = _post(client)
    assert response.status_code == 302 and "/reports/jobs/" in response.headers["Location"]
    token = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/reports/jobs/{token}")
    assert page.headers["Refresh"] == "2" and 'data-state="queued"' in page.get_data(as_text=True)
    assert client.get(f"/reports/jobs/{token}/file").status_code == 404  # not built yet
    assert _post(client).headers["Location"].endswith(token)  # asked again: the same job
    # Another user of the same agency, and a supervisor: not theirs.
    for other in (world.desk.staff, world.desk.supervisor):
        with pytest.raises(NotFound):
            report_status(token, actor=other)
    assert report_jobs_job(app).startswith("1 reports written")
    done = client.get(f"/reports/jobs/{token}")
    assert "Refresh" not in done.headers and 'id="report-download"' in done.get_data(as_text=True)
    pdf = client.get(f"/reports/jobs/{token}/file")
    assert pdf.status_code == 200 and plain(rf.LATE_QUESTION) in plain(pdf_text(pdf.data))
    assert pdf.headers["Cache-Control"] == "no-store"  # send_file's «no-cache» let it stay in a shared PC's cache
    other = app.test_client()
    login(other, world.desk.manager_b)
    assert other.get(f"/reports/jobs/{token}").status_code == 404
    assert other.get(f"/reports/jobs/{token}/file").status_code == 404
    assert report_jobs_job(app).startswith("0 reports written")  # idempotent


def test_progress_is_recorded_step_by_step_and_a_killed_job_is_built_again(app, world, monkeypatch):
    status = start_report("media", "water", "1405-02", "xlsx", actor=world.desk.supervisor, force_job=True)
    assert (status.state, status.done, status.total, status.percent) == ("queued", 0, 3, 0)
    seen = []
    real = jobs.record_state
    monkeypatch.setattr(jobs, "record_state", lambda key, job: (seen.append((job["state"], job["done"])), real(key, job)))
    # A worker killed half-way left the job "running" at step 1 and half a file.
    row = db.session.get(Setting, jobs.KEY_PREFIX + status.token)
    row.value = {**row.value, "state": "running", "done": 1}
    db.session.commit()
    folder = Path(app.config["DATA_DIR"]) / "reports"
    folder.mkdir()
    (folder / f"{status.token}.xlsx.part").write_bytes(b"half a file")
    assert report_jobs_job(app).startswith("1 reports written")
    assert seen == [("running", 0), ("running", 1), ("running", 2), ("done", 3)]
    path, name, _ = report_file(status.token, actor=world.desk.supervisor)
    assert name == "media-water-1405-02.xlsx" and not path.with_name(path.name + ".part").exists()
    assert load_workbook(path)["نشست‌های خبری"]["B2"].value == rf.CONFERENCE
    assert report_status(status.token, actor=world.desk.supervisor).percent == 100


def test_a_job_whose_owner_left_the_agency_fails(app, world):
    status = start_report("cases", "", "1405-02", "pdf", actor=world.desk.staff, force_job=True)
    world.desk.staff.agency_id = world.desk.b.id
    db.session.commit()
    assert report_jobs_job(app).startswith("0 reports written, 1 failed")
    assert report_status(status.token, actor=world.desk.staff).state == "failed"


def test_the_report_commands(app, world, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "cases.pdf"
    result = runner.invoke(args=["report", "cases", "--period", "1405-02", "--agency", "water", "--out", str(out),
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["file"] == str(out)
    assert plain(rf.ON_TIME_QUESTION) in plain(pdf_text(out.read_bytes()))
    xlsx = tmp_path / "media.xlsx"
    assert runner.invoke(args=["report", "media", "--period", "1405", "--agency", "water", "--format", "xlsx",
                               "--out", str(xlsx)]).exit_code == 0
    assert load_workbook(xlsx)["جمع"]["B5"].value == 4  # the year's target
    for args, message in ((["--period", "1405-13", "--agency", "water"], "خوانده نشد"),
                          (["--period", "1405-02", "--agency", "nowhere"], "سازمانی با شناسهٔ «nowhere» نیست"),
                          (["--period", "1405-02", "--agency", "water", "--format", "docx"], "پشتیبانی نمی‌شود")):
        bad = runner.invoke(args=["report", "cases", *args, "--json"])
        assert bad.exit_code == 2 and message in json.loads(bad.output)["error"]


@pytest.fixture
def smtp(app):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_FROM="hamzaban@ostan.example.ir",
                      BASE_URL="https://hamzaban.ostan.example.ir")
    yield mailbox
    controller.stop()


def test_the_daily_digest_is_mailed_once_per_agency_to_its_managers(app, world, smtp, make_user):
    world.desk.manager.email = "water.manager@ostan.example.ir"
    world.desk.staff.email = "water.staff@ostan.example.ir"  # staff: not a recipient
    db.session.commit()
    assert send_press_digests(app, day=rf.DAY) == "press digest: off (setting press_digest)"
    set_digest_setting(True, "0", actor=world.desk.supervisor)
    assert send_press_digests(app, day=rf.DAY) == "press digest: 1 sent, 0 failed, 1 with nothing to send"
    [message] = smtp.messages
    assert message["To"] == "water.manager@ostan.example.ir" and "آب و فاضلاب" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert rf.OTHER in body and rf.STORY + " (بازنشر)" in body and rf.POWER_ITEM not in body
    assert "وضعیت ارجاع: دیده‌شده" in body and "https://hamzaban.ostan.example.ir/items/" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert plain(rf.OTHER) in plain(pdf_text(attachment.get_content()))
    assert send_press_digests(app, day=rf.DAY).startswith("press digest: 0 sent")  # the sent-marker
    assert len(smtp.messages) == 1


def test_a_refused_digest_is_sent_next_run(app, world, smtp):
    world.desk.manager.email = "water.manager@ostan.example.ir"
    db.session.commit()
    smtp.refuse.add("water.manager@ostan.example.ir")
    set_digest_setting(True, 0)
    assert send_press_digests(app, day=rf.DAY).startswith("press digest: 0 sent, 1 failed")
    smtp.refuse.clear()
    assert send_press_digests(app, day=rf.DAY).startswith("press digest: 1 sent")
    assert [m["To"] for m in smtp.messages] == ["water.manager@ostan.example.ir"]
    assert email.message_from_bytes(smtp.envelopes[0].content, policy=email.policy.default)["Subject"]


def test_the_scorecard_as_xlsx_and_pdf_gives_the_json_figures(app, world, tmp_path):
    runner = app.test_cli_runner()
    lines = runner.invoke(args=["report", "scorecard", "--period", "1405-02", "--agency", "water"])
    assert lines.exit_code == 0, lines.output
    card = json.loads(lines.output.splitlines()[0])
    twelve = next(c for c in card["clauses"] if c["clause"] == 12)
    xlsx = tmp_path / "card.xlsx"
    assert runner.invoke(args=["report", "scorecard", "--period", "1405-02", "--agency", "water", "--format", "xlsx",
                               "--out", str(xlsx)]).exit_code == 0
    sheet = load_workbook(xlsx).worksheets[0]
    assert sheet.sheet_view.rightToLeft
    figures = {row[7]: row[6] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2] == 12}
    labels = {row[7]: row[5] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2] == 12}
    assert figures["opened"] == twelve["figures"]["opened"] == 3
    assert figures["answered_on_time"] == twelve["figures"]["answered_on_time"]
    assert labels["opened"] == "پرسش طرح‌شده" and labels["answered_on_time"] == "پاسخ به‌موقع"
    pdf = tmp_path / "card.pdf"
    assert runner.invoke(args=["report", "scorecard", "--period", "1405-02", "--agency", "water", "--format", "pdf",
                               "--out", str(pdf)]).exit_code == 0
    text = plain(pdf_text(pdf.read_bytes()))
    assert plain("کارنامهٔ بخشنامه") in text and plain("آب و فاضلاب") in text and plain(twelve["title"]) in text
    # The figures under the page's Persian labels, not their JSON keys.
    assert plain("پرسش طرح‌شده") in text and plain("میانهٔ روز کاری تا پاسخ") in text
    assert "opened" not in text and "answered_on_time" not in text


def test_a_finished_file_goes_with_its_owners_old_rights(app, client, login_as, world, make_user, monkeypatch):
    """A manager moved to another agency (or made staff, or deactivated) could still download the
    report of their old agency's cases built before: the change ended their sessions but kept the
    file (a review of login, round 4). Files of other users stay."""
    from app.services.accounts import UserInput, update_user

    monkeypatch.setattr(jobs, "DIRECT_ROWS", 1)
    manager = world.desk.manager
    login_as(manager)
    token = _post(client).headers["Location"].rsplit("/", 1)[1]
    kept = start_report("media", "water", "1405-02", "xlsx", actor=world.desk.supervisor, force_job=True)
    assert report_jobs_job(app).startswith("2 reports written")
    path = Path(app.config["DATA_DIR"]) / "reports" / f"{token}.pdf"
    assert client.get(f"/reports/jobs/{token}/file").status_code == 200 and path.exists()
    update_user(manager, UserInput(username=manager.username, role="staff", display_name=manager.display_name,
                                   agency_slug=world.desk.b.slug), is_active=True, actor=make_user("admin"))
    login_as(manager)
    assert client.get(f"/reports/jobs/{token}/file").status_code == 404 and not path.exists()
    assert report_status(kept.token, actor=world.desk.supervisor).state == "done"


def test_a_file_no_job_names_is_removed_with_the_old_jobs(app, world):
    """A job removed while the worker wrote its file left the file behind for good."""
    folder = Path(app.config["DATA_DIR"]) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    orphan, fresh = folder / "gone.pdf", folder / "writing.pdf.part"
    orphan.write_bytes(b"%PDF")
    fresh.write_bytes(b"%PDF")
    old = (jobs.KEEP_HOURS + 1) * 3600
    os.utime(orphan, (time.time() - old, time.time() - old))
    jobs.JOBS.remove_old()
    assert not orphan.exists() and fresh.exists()
