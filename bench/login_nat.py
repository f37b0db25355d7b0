"""How often does a per-network budget on failed logins make innocent people wait? (session 40)

The question: should the login throttle add a budget per IPv6 /48 (today it counts per IPv4 address
and per IPv6 /64, LOGIN_FREE_ATTEMPTS_PER_ADDRESS = 20)? A /48 is a whole site (RFC 6177): in a
province's intranet, an agency's building or the governorate's whole network. A budget on it is
the per-address budget of today applied to more people, as an office behind one NAT already is.
So this measures the per-network count with the real ``app.throttle`` (take, refund, the 60-minute
memory, the doubling waits up to 300 s) on SQLite, its clock moved by the simulation, for
networks of U people, budgets F, under stated assumptions (no real login logs exist to fit them):

- a working day 07:30-14:30, each person logging in L = 4 times a day at random moments (the
  30-minute idle timeout ends sessions over lunch and meetings);
- a share r of those logins from a browser not remembered for that person (a shared PC, a new
  browser, after a password change, a cleared profile): only those count on the address;
- a typo with probability p = 0.1 at each try, retried 10-30 s later until right; a refused try
  waits out its Retry-After and tries again.

Prints, per (U, F, r): failures counted on the network per day, the share of logins made to wait,
and the mean and longest wait. Run: .venv/bin/python bench/login_nat.py [--days 3]

Session 41: ``--leaks`` compares the address's count as it was (0: forgotten after 60 quiet
minutes) with the leaking count (LOGIN_ADDRESS_LEAK_PER_HOUR: that many failures fade each hour).
"""
from __future__ import annotations

import argparse
import heapq
import itertools
import random
import sys
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LOGINS_PER_DAY, TYPO, DAY_START, DAY_HOURS = 4, 0.1, timedelta(hours=7, minutes=30), 7


def simulate(users: int, free: int, not_remembered: float, days: int, seed: int = 40, leak: int = 0) -> dict:
    from app import throttle

    rng = random.Random(seed * 1_000_003 + users * 7 + free)
    allowance = throttle.Allowance(free, timedelta(seconds=300), timedelta(minutes=60),
                                   timedelta(hours=1) / leak if leak else None)
    key = f"bench:net:{users}:{free}:{not_remembered}:{leak}"
    logins = waited = 0
    waits: list[float] = []
    failures = 0
    for day in range(days):
        start = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(days=day) + DAY_START
        queue = []  # (time, login id, waited so far)
        for person in range(users):
            for _ in range(LOGINS_PER_DAY):
                if rng.random() < not_remembered:
                    at = start + timedelta(seconds=rng.uniform(0, DAY_HOURS * 3600))
                    heapq.heappush(queue, (at, len(queue) + person * 100, 0.0))
        logins += len(queue)
        while queue:
            at, login, wait = heapq.heappop(queue)
            until = throttle.take({key: allowance}, at)
            if until is not None:
                heapq.heappush(queue, (until, login, wait + (until - at).total_seconds()))
                continue
            if rng.random() < TYPO:
                failures += 1
                heapq.heappush(queue, (at + timedelta(seconds=rng.uniform(10, 30)), login, wait))
                continue
            throttle.refund(key, allowance, at)
            if wait:
                waited += 1
                waits.append(wait)
    return {"users": users, "free": free, "leak": leak, "not_remembered": not_remembered, "logins_per_day": logins / days,
            "failures_per_day": failures / days, "waited_share": waited / logins if logins else 0.0,
            "mean_wait_s": sum(waits) / len(waits) if waits else 0.0, "max_wait_s": max(waits, default=0.0)}


@contextmanager
def bench_app(name: str):
    """An app on a new SQLite database of its own (its tables made), in its context."""
    from app import create_app
    from app.extensions import db

    data_dir = tempfile.mkdtemp(prefix=f"bench-{name}-")
    app = create_app({"SECRET_KEY": f"bench-{name}-secret-key-long-enough-to-be-used", "DATA_DIR": data_dir,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir}/bench.db"})
    with app.app_context():
        db.create_all()
        yield app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--people", type=int, nargs="+", default=[50, 200, 500, 2000])
    parser.add_argument("--budgets", type=int, nargs="+", default=[20, 100, 200])
    parser.add_argument("--shares", type=float, nargs="+", default=[0.1, 0.3])
    parser.add_argument("--leaks", type=int, nargs="+", default=[0],
                        help="failures fading per hour on the address (0: forgotten after 60 quiet minutes)")
    args = parser.parse_args()
    with bench_app("login-nat"):
        print(f"{'people':>6} {'budget':>6} {'leak/h':>6} {'r':>4} {'logins/d':>8} {'fails/d':>7} {'waited':>7} {'mean s':>7} {'max s':>6}")
        for users, free, share, leak in itertools.product(args.people, args.budgets, args.shares, args.leaks):
            row = simulate(users, free, share, args.days, leak=leak)
            print(f"{users:>6} {free:>6} {leak:>6} {share:>4} {row['logins_per_day']:>8.0f} {row['failures_per_day']:>7.1f} "
                  f"{row['waited_share']:>7.1%} {row['mean_wait_s']:>7.0f} {row['max_wait_s']:>6.0f}", flush=True)

if __name__ == "__main__":
    main()
