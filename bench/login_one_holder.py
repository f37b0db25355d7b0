"""One holder of an IPv6 /56 against the login wave (session 44): does it keep the site's wave going?

--blocks K: the stuffer sends from K /48s in turn (session 44, helper review4); «its /48 wave min»: the minutes
a stranger inside the first of them (a carrier's subscriber) was refused.

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


def simulate(app, per_hour: int, hours: int, prefix: str, blocks: int = 1) -> dict:
    from app import clock, throttle
    from app.services import login_wave
    from app.services.login_throttle import TooManyAttempts, take_attempt
    from app.services.sessions import Client

    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    now = [start]
    clock.utcnow = lambda: now[0]
    checked = refused = site_minutes = neighbour_minutes = 0
    first, _sep, rest = prefix.rpartition(":")[0].rpartition(":")  # "2001:db8:a" + ":": its /48's last group
    neighbour = f"{prefix}ff00::1"  # a stranger in the stuffer's first /48 (a carrier's subscriber)
    step = timedelta(hours=1) / per_hour
    next_minute, n = start + timedelta(seconds=1), 0  # between the tries (every whole second or three)
    end = start + timedelta(hours=hours + 1)
    while now[0] < end:
        if now[0] >= next_minute:  # the state before this try, at the minute's sample
            site_minutes += login_wave.wave_seconds(next_minute) > 0
            neighbour_minutes += login_wave.wave(next_minute, neighbour)[0] > 0
            next_minute += timedelta(minutes=1)
            continue
        if now[0] < start + timedelta(hours=hours):
            block = f"{first}:{int(rest, 16) + n % blocks:x}:" if blocks > 1 else prefix  # the next /48, in turn
            address = f"{block}{n // blocks % 256:02x}::{n // blocks // 256 % 65536:x}"
            try:
                take_attempt(f"leaked{per_hour}-{n}", Client(address=address))
                checked += 1
            except TooManyAttempts:
                refused += 1
            n += 1
            now[0] += step
        else:
            now[0] = next_minute
    throttle.clear(login_wave.SITE_KEY, *throttle.keys_starting(login_wave.PREFIX_KEY_PREFIX))
    return {"checked": checked, "refused": refused, "site_minutes": site_minutes, "neighbour_minutes": neighbour_minutes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[1200, 3600])
    parser.add_argument("--hours", type=int, default=2)
    parser.add_argument("--blocks", type=int, default=1, help="the /48s the stuffer sends from, in turn (session 44)")
    args = parser.parse_args()
    with bench_app("login-one-holder") as app, app.test_request_context():
        budget = app.config["LOGIN_SITE_FAILURES_PER_HOUR"]
        print(f"B {budget}/h, {args.hours} h of attack from {args.blocks} /48(s), then an hour")
        print(f"{'pairs/h':>7} {'checked':>7} {'refused':>7} {'site wave min':>13} {'its /48 wave min':>16}")
        for n, rate in enumerate(args.rates):
            row = simulate(app, rate, args.hours, f"2001:db8:{(n + 1) * 16:x}:", args.blocks)
            print(f"{rate:>7} {row['checked']:>7} {row['refused']:>7} {row['site_minutes']:>13} "
                  f"{row['neighbour_minutes']:>16}", flush=True)


if __name__ == "__main__":
    main()
