"""One holder of an IPv6 /56 against the login wave (session 44): does it keep the site's wave going?

The stuffer sends A pairs an hour for H hours, each at a name of its own and from the next /64 of its
/56 (256 of them, in turn), every pair wrong, through the real ``login_throttle.take_attempt`` on SQLite
(its clock moved by the simulation; no password is checked: a try let through is a pair checked). Each
minute, a stranger elsewhere (an IPv4 address no account knows) asks whether a wave refuses it.

Prints, per A: the pairs checked and refused, and the minutes the site's wave refused the stranger
(during the attack and in the hour after it). Run: .venv/bin/python bench/login_one_holder.py
"""
from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from login_nat import bench_app  # noqa: E402 - its sibling, after the path


def simulate(app, per_hour: int, hours: int, prefix: str) -> dict:
    from app import clock, throttle
    from app.services import login_wave
    from app.services.login_throttle import TooManyAttempts, take_attempt
    from app.services.sessions import Client

    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    now = [start]
    clock.utcnow = lambda: now[0]
    checked = refused = site_minutes = 0
    step = timedelta(hours=1) / per_hour
    next_minute, n = start + timedelta(seconds=1), 0  # between the tries (every whole second or three)
    end = start + timedelta(hours=hours + 1)
    while now[0] < end:
        if now[0] >= next_minute:  # the state before this try, at the minute's sample
            site_minutes += login_wave.wave_seconds(next_minute) > 0
            next_minute += timedelta(minutes=1)
            continue
        if now[0] < start + timedelta(hours=hours):
            address = f"{prefix}{n % 256:02x}::{n // 256 % 65536:x}"
            try:
                take_attempt(f"leaked{per_hour}-{n}", Client(address=address))
                checked += 1
            except TooManyAttempts:
                refused += 1
            n += 1
            now[0] += step
        else:
            now[0] = next_minute
    throttle.clear(login_wave.SITE_KEY)
    return {"checked": checked, "refused": refused, "site_minutes": site_minutes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[1200, 3600])
    parser.add_argument("--hours", type=int, default=2)
    args = parser.parse_args()
    with bench_app("login-one-holder") as app, app.test_request_context():
        budget = app.config["LOGIN_SITE_FAILURES_PER_HOUR"]
        print(f"B {budget}/h, {args.hours} h of attack from one /56, then an hour")
        print(f"{'pairs/h':>7} {'checked':>7} {'refused':>7} {'site wave min':>13}")
        for n, rate in enumerate(args.rates):
            row = simulate(app, rate, args.hours, f"2001:db8:{n + 10:x}:")
            print(f"{rate:>7} {row['checked']:>7} {row['refused']:>7} {row['site_minutes']:>13}", flush=True)


if __name__ == "__main__":
    main()
