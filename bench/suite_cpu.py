"""The CPU a part of the test suite takes: the pytest process tree's (user + system, its child
processes included) and, given a PostgreSQL cluster of one's own, its backends' (the postmaster's
reaped children: every backend, autovacuum worker and parallel worker that ended during the run).

    bench/suite_cpu.py [--postmaster-pid PID] [--tree DIR] -- PYTEST ARGS...

Runs ``python -m pytest -p no:xdist -p no:cacheprovider -q ARGS`` in DIR (default: this tree) with
CI=true and bytecode written, as `make test` does, and prints one JSON line: wall, client CPU,
server CPU, the load average at the start and the end, pytest's exit status. On a shared machine
compare CPU, not wall, and alternate the trees being compared.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def reaped_children_cpu(pid: int) -> float:
    """cutime + cstime of ``pid`` (fields 16 and 17 of /proc/PID/stat), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / TICKS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postmaster-pid", type=int, help="a PostgreSQL cluster of one's own (not a shared one)")
    parser.add_argument("--tree", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    args = [a for a in options.pytest_args if a != "--"]
    env = dict(os.environ, CI=os.environ.get("CI", "true"), PYTHONDONTWRITEBYTECODE="")
    server_before = reaped_children_cpu(options.postmaster_pid) if options.postmaster_pid else None
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q", *args],
                          check=False, cwd=options.tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    time.sleep(0.5)  # the backends' exits, after the client closed its connections
    result = {
        "tree": options.tree, "args": args, "exit": done.returncode, "wall_s": round(wall, 1),
        "client_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "summary": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
    }
    if options.postmaster_pid:
        result["server_cpu_s"] = round(reaped_children_cpu(options.postmaster_pid) - server_before, 2)
    print(json.dumps(result, ensure_ascii=False))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
