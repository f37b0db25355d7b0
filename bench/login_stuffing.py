"""A site-wide budget of failed logins against credential stuffing: what it costs and what it stops (session 43).

The site's failed logins (every try not from a browser remembered for its username) count on one
leaky bucket of LOGIN_SITE_FAILURES_PER_HOUR (B) that leaks B an hour (app/services/login_wave.py);
while it holds B or more, a stranger's try (no session of that account from its network in 30 days)
is refused before it is checked. Simulated with the real ``app.throttle`` on SQLite, its clock moved
by the simulation, under stated assumptions (no real login logs exist to fit them):

- a working day 07:30-14:30; each person logs in L = 4 times a day; a share M of the day's logins
  come in its first hour (arrivals), the rest spread over the day;
- a share r of logins from a browser not remembered for that person (only those count on the site);
  of those, a share k come from a network the account logged in from in the last 30 days (the
  office's NAT, home): a wave lets them through; k = 0 is the worst case;
- a typo with probability p = 0.1 at each try, retried 10-30 s later until right; a refused try
  waits out its Retry-After and tries again;
- the attack: a stuffer sends A pairs an hour from 09:00 to 12:00, each from an address and at a
  name of its own (no per-address or per-name count ever waits), every pair wrong.

Prints, per (people, B, r, A): the site's failures counted per day, the people's logins refused by a
wave (share of all logins, mean and longest wait), and the stuffer's pairs checked (and refused).
Run: .venv/bin/python bench/login_stuffing.py
"""
from __future__ import annotations

import argparse
import heapq
import itertools
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from login_nat import bench_app  # noqa: E402 - its sibling, after the path

LOGINS_PER_DAY, TYPO, DAY_START, DAY_HOURS = 4, 0.1, timedelta(hours=7, minutes=30), 7


def simulate(people: int, budget: int, not_remembered: float, known: float, attack: int, morning: float,
             seed: int = 43) -> dict:
    from app import throttle

    rng = random.Random(seed * 1_000_003 + people * 7 + budget + attack)
    allowance = throttle.Allowance(2 ** 30, timedelta(seconds=1), timedelta(days=1), timedelta(hours=1) / budget)
    key = f"bench:site:{people}:{budget}:{not_remembered}:{known}:{attack}:{morning}"
    start = datetime(2026, 12, 1, tzinfo=UTC) + DAY_START
    queue: list = []  # (time, order, kind, waited so far); kind "person" (not remembered, not known) or "stuffer"
    order = itertools.count()
    logins = 0
    for _person in range(people):
        for _ in range(LOGINS_PER_DAY):
            logins += 1
            if rng.random() >= not_remembered:
                continue  # a remembered browser: never counted on the site, never refused by a wave
            first_hour = rng.random() < morning
            at = start + timedelta(seconds=rng.uniform(0, 3600 if first_hour else DAY_HOURS * 3600))
            kind = "known" if rng.random() < known else "person"
            heapq.heappush(queue, (at, next(order), kind, 0.0))
    attack_start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    for n in range(attack * 3):
        heapq.heappush(queue, (attack_start + timedelta(seconds=n * 3600 / attack), next(order), "stuffer", 0.0))
    failures = refused_people = checked = refused_pairs = 0
    waits: list[float] = []
    while queue:
        at, login, kind, wait = heapq.heappop(queue)
        level = throttle.level(key, allowance, at)
        if level >= budget and kind != "known":
            if kind == "stuffer":
                refused_pairs += 1
                continue
            seconds = max(1, (level - budget + 1) * allowance.leak_every.total_seconds())
            heapq.heappush(queue, (at + timedelta(seconds=seconds), login, kind, wait + seconds))
            continue
        throttle.take({key: allowance}, at)
        if kind == "stuffer":
            checked += 1
            failures += 1
            continue
        if rng.random() < TYPO:
            failures += 1
            heapq.heappush(queue, (at + timedelta(seconds=rng.uniform(10, 30)), login, kind, wait))
            continue
        throttle.refund(key, allowance, at)
        if wait:
            refused_people += 1
            waits.append(wait)
    return {"logins": logins, "failures": failures, "refused_share": refused_people / logins if logins else 0.0,
            "mean_wait_s": sum(waits) / len(waits) if waits else 0.0, "max_wait_s": max(waits, default=0.0),
            "checked": checked, "refused_pairs": refused_pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--budgets", type=int, nargs="+", default=[100, 300, 600])
    parser.add_argument("--shares", type=float, nargs="+", default=[0.3, 1.0])
    parser.add_argument("--known", type=float, nargs="+", default=[0.0])
    parser.add_argument("--attacks", type=int, nargs="+", default=[0, 10_000])
    parser.add_argument("--morning", type=float, default=0.5, help="share of the day's logins in its first hour")
    args = parser.parse_args()
    with bench_app("login-stuffing"):
        print(f"{'people':>6} {'B/h':>5} {'r':>4} {'k':>4} {'pairs/h':>7} {'fails/d':>7} {'refused':>7} "
              f"{'mean s':>7} {'max s':>6} {'checked':>7} {'refused':>8}")
        for people, budget, share, known, attack in itertools.product(args.people, args.budgets, args.shares,
                                                                     args.known, args.attacks):
            row = simulate(people, budget, share, known, attack, args.morning)
            print(f"{people:>6} {budget:>5} {share:>4} {known:>4} {attack:>7} {row['failures']:>7} "
                  f"{row['refused_share']:>7.2%} {row['mean_wait_s']:>7.0f} {row['max_wait_s']:>6.0f} "
                  f"{row['checked']:>7} {row['refused_pairs']:>8}", flush=True)


if __name__ == "__main__":
    main()
