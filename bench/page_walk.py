"""Walk the pages as the demo's people use them (session 42): the demo data, Persian and English,
a desktop's and a phone's width, a full-page screenshot of each (to look at) and the faults a
script can see on each.

    .venv/bin/python bench/page_walk.py OUT [--users water.manager,admin] [--pages /,/inbox/,…]
        [--locales fa,en] [--widths 1280,375]

The app is made as the tests make it (a data folder under OUT, SQLite, `seed_demo(history=True)`,
two-step login off, learning on) and served by waitress in a thread; Debian's Chromium through
Playwright. Per page one line: the status, the page's width, and

- ``wide``: elements past the screen's edge with no scrolling box of their own,
- ``empty``: card labels (``td[data-label]``) with nothing after them,
- ``ascii``: text with ASCII digits on a Persian page (outside ``[dir=ltr]``, code, inputs),
- ``mixed``: text nodes mixing Persian and Latin letters outside any isolate (``bdi``, ``[dir]``),
  where a date or a comma may go with the wrong word,
- ``parted``: a middle dot beside a Persian digit (read as that script's zero) or a space before
  «،» (a template's line break before ``{{ sep() }}``), in the page's text and title.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["/", "/inbox/", "/items/", "/search/?q=آب", "/cases/agency", "/cases/1405-000003", "/contacts/",
         "/contacts/new", "/directory/journalists", "/directory/outlets", "/conferences/", "/conferences/commitments",
         "/rules/", "/alerts/", "/reminders/", "/reports/", "/scorecard/", "/evidence/", "/portals/", "/agency-dashboard"]
CHECK = r"""() => {
  const main = document.querySelector('main') || document.body, width = document.documentElement.clientWidth;
  const inside = (n, sel) => { const e = n.parentElement && n.parentElement.closest(sel); return e && main.contains(e); };
  const texts = []; const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT); let n;
  while ((n = walk.nextNode())) if (n.parentElement && n.parentElement.getClientRects().length) texts.push(n);
  const isolated = 'bdi,[dir],code,script,style,option,select,textarea';
  const wide = [...main.querySelectorAll('*')].filter(e => { const r = e.getBoundingClientRect();
    if (!e.getClientRects().length || (r.right <= width + 1 && r.left >= -1)) return false;
    for (let p = e.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return false;
    return true; }).map(e => e.tagName + ':' + (e.innerText || '').slice(0, 30));
  return {
    width: document.documentElement.scrollWidth, wide: wide.slice(0, 5),
    empty: [...new Set([...main.querySelectorAll('td[data-label]')].filter(td => td.offsetParent && !td.innerText.trim()).map(td => td.dataset.label))],
    ascii: document.documentElement.lang === 'fa' ? texts.filter(t => /[0-9]/.test(t.nodeValue) && !inside(t, '[dir=ltr],code,input,textarea')).map(t => t.nodeValue.trim().slice(0, 60)).slice(0, 8) : [],
    parted: (main.innerText + '\n' + document.title).match(/.{0,20}(?:[۰-۹]\s*·|·\s*[۰-۹]|[^\s،]\s+،).{0,12}/g) || [],
    mixed: texts.filter(t => /[\u0600-\u06FF]/.test(t.nodeValue) && /[A-Za-z]/.test(t.nodeValue) && !inside(t, isolated)).map(t => t.nodeValue.trim().replace(/\s+/g, ' ').slice(0, 80)).slice(0, 8),
  }; }"""


def demo_app(data: Path):
    """The demo in a fresh data folder; the demo users' passwords."""
    from app import create_app
    from app.extensions import db
    from app.services.calendar_setup import ensure_calendar_defaults
    from app.services.demo import seed_demo
    from app.services.indexing import drain

    data.mkdir(parents=True, exist_ok=True)
    app = create_app({"SECRET_KEY": "page-walk-secret-key-long-enough-to-be-used", "DATA_DIR": str(data),
                      "SEARCH_INDEX_DIR": str(data / "search-index"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data / 'walk.db'}", "MFA_REQUIRED_ROLES": (), "LEARNING": True})
    with app.app_context():
        db.create_all()
        ensure_calendar_defaults()
        users = {u["username"]: u["password"] for u in seed_demo(history=True)["users"]}
        drain()
    return app, users


def walk(base: str, out: Path, users: dict, args) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        for user in args.users.split(","):
            for locale in args.locales.split(","):
                context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran")
                page = context.new_page()
                errors = []
                page.on("console", lambda msg, errors=errors: msg.type == "error" and errors.append(msg.text[:120]))
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)[:120]))
                page.goto(f"{base}/login")
                page.fill("#username", user)
                page.fill("#password", users[user])
                page.click("main form button[type=submit]")
                page.wait_for_load_state()
                if locale == "en":
                    page.click("form[action*='/language/en'] button")
                    page.wait_for_load_state()
                for width in (int(w) for w in args.widths.split(",")):
                    page.set_viewport_size({"width": width, "height": 900})
                    for path in args.pages.split(","):
                        errors.clear()
                        answer = page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                        name = re.sub(r"[^a-z0-9]+", "_", path.strip("/")) or "home"
                        page.screenshot(path=str(out / f"{user}_{locale}_{width}_{name}.png"), full_page=True)
                        seen = {key: value for key, value in page.evaluate(CHECK).items() if value and key != "width"}
                        if errors:
                            seen["console"] = list(errors)
                        print(f"{user} {locale} {width} {path} {answer.status} width={page.evaluate('document.documentElement.scrollWidth')}",
                              json.dumps(seen, ensure_ascii=False), flush=True)
                context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--users", default="water.manager")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--locales", default="fa,en")
    parser.add_argument("--widths", default="1280,375")
    args = parser.parse_args()
    from waitress import create_server

    app, users = demo_app(args.out / "data")
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    walk(f"http://127.0.0.1:{server.effective_port}", args.out, users, args)


if __name__ == "__main__":
    main()
