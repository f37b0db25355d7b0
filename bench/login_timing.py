"""Does the login's answer time tell which usernames exist? (session 42)

An outsider posts the login form with a wrong password at many names and times each answer: a name
with an account, a name without one, an account switched off, an account with a second factor, and a
password that the keyboard folding changes («۱۲۳…», checked twice). The real app through its test
client (the real form, CSRF token included, the production argon2id parameters, SQLite in a temporary
folder), the categories interleaved in a random order, the throttle's free tries raised so that no
answer is a wait. Prints, per category, the median, the 10th and 90th percentiles and the mean in
milliseconds, and for each category the median's difference from «unknown» with a 95 % bootstrap
interval, and how often a single answer's time puts it on the right side of the two medians' midpoint
(50 %: no better than a coin).

Run: .venv/bin/python bench/login_timing.py [--samples 200]
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PASSWORD = "a long Right passphrase 1405"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()

    from datetime import UTC, datetime

    from app import create_app
    from app.extensions import db
    from app.passwords import hash_password
    from models import Agency, User

    folder = Path(tempfile.mkdtemp(prefix="hamzaban-login-timing-"))
    app = create_app({"SECRET_KEY": "bench-secret-key-long-enough-to-be-used", "DATA_DIR": str(folder),
                      "SEARCH_INDEX_DIR": str(folder / "index"), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/b.db",
                      "MFA_REQUIRED_ROLES": (), "LOGIN_FREE_ATTEMPTS": 10**6,
                      "LOGIN_FREE_ATTEMPTS_PER_ADDRESS": 10**6, "LEARNING": False})
    with app.app_context():
        db.create_all()
        agency = Agency(slug="a1", name_fa="سازمان", name_en="Agency")
        db.session.add(agency)
        db.session.flush()
        hashed = hash_password(PASSWORD)
        now = datetime.now(UTC)
        for name, active, second in (("known.user", True, False), ("switched.off", False, False),
                                     ("two.step", True, True)):
            db.session.add(User(username=name, display_name=name, role="staff", agency_id=agency.id,
                                password_hash=hashed, session_token=name, is_active_account=active,
                                totp_enabled_at=now if second else None,
                                totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" if second else None))
        db.session.commit()
    # the requests outside that app context: each its own, as in production (Flask-WTF keeps a
    # request's CSRF token in ``g``, which a shared context hands to the next client's page)
    cases = {"unknown": ("no.such.user", "Wrong guess 2024!"), "known": ("known.user", "Wrong guess 2024!"),
             "switched off": ("switched.off", "Wrong guess 2024!"), "two-step": ("two.step", "Wrong guess 2024!"),
             "unknown, folded": ("no.such.user", "رمز۱۲۳۴۵۶۷۸"), "known, folded": ("known.user", "رمز۱۲۳۴۵۶۷۸")}
    clients = {}
    for case in cases:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.{len(clients)}.1"
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(as_text=True))
        clients[case] = (client, token.group(1))
    order = [case for case in cases for _ in range(args.samples)]
    random.Random(42).shuffle(order)
    for case in cases:  # warm up: the dummy hash, templates, the statement cache
        client, token = clients[case]
        client.post("/login", data={"username": cases[case][0], "password": cases[case][1], "csrf_token": token})
    times: dict[str, list[float]] = {case: [] for case in cases}
    cpu: dict[str, list[float]] = {case: [] for case in cases}
    for case in order:
        client, token = clients[case]
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.post("/login", data={"username": cases[case][0], "password": cases[case][1],
                                               "csrf_token": token})
        cpu[case].append((time.process_time() - started_cpu) * 1000)
        times[case].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 401, (case, response.status_code)

    for label, measured in (("wall clock", times), ("CPU time of this process", cpu)):
        report(label, measured, args.samples)


def report(label: str, times: dict[str, list[float]], samples: int) -> None:
    def describe(values: list[float]) -> str:
        cuts = statistics.quantiles(values, n=10)
        return (f"median {statistics.median(values):7.1f}  p10 {cuts[0]:7.1f}  p90 {cuts[-1]:7.1f}  "
                f"mean {statistics.fmean(values):7.1f}")

    rng = random.Random(7)
    print(f"{label}: {samples} answers per case, ms")
    for case, values in times.items():
        print(f"  {case:16} {describe(values)}")
    for case, base in (("known", "unknown"), ("switched off", "unknown"), ("two-step", "unknown"),
                       ("known, folded", "unknown, folded")):
        a, b = times[case], times[base]
        diffs = sorted(statistics.median(rng.choices(a, k=len(a))) - statistics.median(rng.choices(b, k=len(b)))
                       for _ in range(2000))
        middle = (statistics.median(a) + statistics.median(b)) / 2
        above = statistics.median(a) > statistics.median(b)
        right = sum((t > middle) == above for t in a) + sum((t > middle) != above for t in b)
        print(f"  {case} − {base}: median {statistics.median(a) - statistics.median(b):+6.1f} ms "
              f"(95 % {diffs[50]:+.1f} … {diffs[1949]:+.1f}); one answer told apart {right / (len(a) + len(b)):.0%}")

if __name__ == "__main__":
    main()
