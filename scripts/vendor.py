#!/usr/bin/env python3
"""Fetch the vendored front-end assets from the npm registry and record them.

    python scripts/vendor.py fetch   # npm pack each pinned package, copy the files, rewrite MANIFEST.json
    python scripts/vendor.py check   # verify static/vendor against MANIFEST.json and look for remote URLs

The intranet has no internet access, so the browser must never be asked to load anything from
another host: the files are committed under static/vendor/ and nothing points at a CDN. `fetch`
needs `npm` and the npm registry; `check` needs neither (it is what CI runs).

To upgrade a package: change its version here, run `fetch` once with the new version, paste the
integrity it reports into PACKAGES, run `fetch` again, review the diff of static/vendor/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
VENDOR = STATIC / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"
# Files in static/vendor/ that are ours, not a package's.
OWN_FILES = {"MANIFEST.json", "README.md"}


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # the npm tarball's sha512 (dist.integrity); a mismatch stops the fetch
    licence: str  # SPDX identifier
    folder: str  # under static/vendor/
    files: dict[str, str]  # path inside the tarball (below package/) -> file name in folder
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # file name -> text we write ourselves


VAZIRMATN_CSS = """\
/* Vazirmatn variable font (weights 100-900), served from our own origin. */
@font-face {
  font-family: "Vazirmatn";
  src: url("Vazirmatn-Variable.woff2") format("woff2-variations"),
       url("Vazirmatn-Variable.woff2") format("woff2");
  font-weight: 100 900;
  font-style: normal;
  font-display: swap;
}
"""

PACKAGES = [
    Package(
        name="bootstrap",
        version="5.3.9",
        integrity="sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w==",
        licence="MIT",
        folder="bootstrap",
        files={
            "dist/css/bootstrap.rtl.min.css": "bootstrap.rtl.min.css",
            "dist/css/bootstrap.min.css": "bootstrap.min.css",
            "dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
            "LICENSE": "LICENSE",
        },
    ),
    Package(
        name="@popperjs/core",
        version="2.11.8",
        integrity="sha512-P1st0aksCrn9sGZhp8GMYwBnQsbvAWsZAX44oXNNvLHGqAOcoVxmjZiohstwQ7SqKnbR47akdNi+uleWD8+g6A==",
        licence="MIT",
        folder="bootstrap",
        files={"LICENSE.md": "LICENSE-popper"},
        note="Popper is compiled into bootstrap.bundle.min.js; only its licence is copied.",
    ),
    Package(
        name="htmx.org",
        version="2.0.11",
        integrity="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==",
        licence="0BSD",
        folder="htmx",
        files={"dist/htmx.min.js": "htmx.min.js", "LICENSE": "LICENSE"},
        note="Pinned to 2.0.x on purpose: npm's latest tag is htmx 4, which is a different API.",
    ),
    Package(
        name="vazirmatn",
        version="33.0.3",
        integrity="sha512-fbjNc0CMjazZpIegWzz9OHGzI1APFboT+x7ZecXlUCtDe/nkyx7gtCTZnWS/+eeXG7fbfXymCPKJI8EsnM3iqw==",
        licence="OFL-1.1",
        folder="vazirmatn",
        files={
            "fonts/webfonts/Vazirmatn[wght].woff2": "Vazirmatn-Variable.woff2",
            "OFL.txt": "LICENSE",
        },
        note="Only the variable woff2 (Persian and Latin glyphs); vazirmatn.css is ours.",
        extra={"vazirmatn.css": VAZIRMATN_CSS},
    ),
    Package(
        name="@majidh1/jalalidatepicker",
        version="0.9.12",
        integrity="sha512-KsQ8yEXQph46CLeKxhrUvdYxD3now5EvhulDWlAOnV5YZKwX8PHcEBUy0EZUxDBgN54H9n31uy2kBMARgi7OWA==",
        licence="MIT",
        folder="jalalidatepicker",
        files={
            "dist/jalalidatepicker.min.js": "jalalidatepicker.min.js",
            "dist/jalalidatepicker.min.css": "jalalidatepicker.min.css",
            "LICENSE": "LICENSE",
        },
    ),
    Package(
        name="chart.js",
        version="4.6.1",
        integrity="sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g==",
        licence="MIT",
        folder="chartjs",
        files={"dist/chart.umd.min.js": "chart.umd.min.js", "LICENSE.md": "LICENSE"},
        note="@kurkle/color (MIT) is compiled in; its notice stays in the file's header comment.",
    ),
]

# A source-map comment makes devtools fetch the .map file, which we do not ship.
SOURCE_MAP_LINE = re.compile(r"^\s*(?://[#@]|/\*[#@])\s*sourceMappingURL=.*$\n?", re.MULTILINE)

# What makes a browser load something from another host. Each pattern needs the scheme (or //)
# right after the opening, so Bootstrap's url("data:image/svg+xml,...xmlns='http://www.w3.org/...'")
# and URLs inside comments or JS strings do not count.
REMOTE_PATTERNS = {
    "url()": re.compile(r"""url\(\s*['"]?\s*(?:https?:)?//""", re.IGNORECASE),
    "@import": re.compile(r"""@import\s+(?:url\(\s*)?['"]?\s*(?:https?:)?//""", re.IGNORECASE),
    "attribute": re.compile(
        r"""\b(?:src|href|srcset|action|formaction|poster|data|background)\s*=\s*['"]?\s*(?:https?:)?//""",
        re.IGNORECASE,
    ),
    "sourceMappingURL": re.compile(r"sourceMappingURL=", re.IGNORECASE),
}
SCANNED_SUFFIXES = {".css", ".js", ".html", ".htm", ".svg"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm_pack(package: Package, workdir: Path) -> Path:
    """Download one tarball with `npm pack`; raises SystemExit if its integrity is not the pinned one."""
    spec = f"{package.name}@{package.version}"
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(result.stdout)[0]
    if info["integrity"] != package.integrity:
        raise SystemExit(f"{spec}: integrity {info['integrity']} is not the pinned {package.integrity}")
    return workdir / info["filename"]


def copy_files(package: Package, tarball: Path) -> list[dict]:
    """Copy the package's chosen files into static/vendor/<folder>/, without source-map comments."""
    target = VENDOR / package.folder
    target.mkdir(parents=True, exist_ok=True)
    records = []
    with tarfile.open(tarball, "r:gz") as archive:
        for inner, name in package.files.items():
            member = archive.extractfile(f"package/{inner}")
            if member is None:
                raise SystemExit(f"{package.name}: package/{inner} is not a file")
            data = member.read()
            record = {"source": inner, "upstream_sha256": hashlib.sha256(data).hexdigest()}
            if name.endswith((".js", ".css")):
                text = data.decode("utf-8")
                stripped = SOURCE_MAP_LINE.sub("", text)
                if stripped != text:
                    record["modified"] = "source-map comment removed"
                data = stripped.encode("utf-8")
            (target / name).write_bytes(data)
            records.append({"path": f"{package.folder}/{name}", **record})
    for name, text in package.extra.items():
        (target / name).write_text(text, encoding="utf-8")
        records.append({"path": f"{package.folder}/{name}", "source": "written by scripts/vendor.py"})
    for record in records:
        record["sha256"] = sha256(VENDOR / record["path"])
    return records


def fetch() -> None:
    """Rebuild static/vendor/ from the npm registry and rewrite MANIFEST.json."""
    for folder in {p.folder for p in PACKAGES}:
        shutil.rmtree(VENDOR / folder, ignore_errors=True)
    entries = []
    with tempfile.TemporaryDirectory(prefix="hamzaban-vendor-") as tmp:
        for package in PACKAGES:
            tarball = npm_pack(package, Path(tmp))
            entries.append(
                {
                    "package": package.name,
                    "version": package.version,
                    "licence": package.licence,
                    "integrity": package.integrity,
                    **({"note": package.note} if package.note else {}),
                    "files": copy_files(package, tarball),
                }
            )
    MANIFEST.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST.relative_to(ROOT)} ({sum(len(e['files']) for e in entries)} files)")


def find_remote_references(root: Path) -> list[str]:
    """Every place under root where a browser would be sent to another host."""
    problems = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SCANNED_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for label, pattern in REMOTE_PATTERNS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                excerpt = text[match.start() : match.start() + 60]
                problems.append(f"{path.relative_to(ROOT)}:{line}: {label}: {excerpt!r}")
    return problems


def check() -> int:
    """Compare static/vendor/ with MANIFEST.json and scan static/ for remote references."""
    problems = []
    entries = json.loads(MANIFEST.read_text(encoding="utf-8"))
    listed = set()
    for entry in entries:
        for record in entry["files"]:
            listed.add(record["path"])
            path = VENDOR / record["path"]
            if not path.is_file():
                problems.append(f"missing: {record['path']}")
            elif sha256(path) != record["sha256"]:
                problems.append(f"sha256 differs from MANIFEST.json: {record['path']}")
    for path in VENDOR.rglob("*"):
        relative = path.relative_to(VENDOR).as_posix()
        if path.is_file() and relative not in listed and relative not in OWN_FILES:
            problems.append(f"not in MANIFEST.json: {relative}")
    problems += find_remote_references(STATIC)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(listed)} vendored files, {len(problems)} problems")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["fetch", "check"])
    args = parser.parse_args()
    if args.command == "fetch":
        fetch()
        return check()
    return check()


if __name__ == "__main__":
    sys.exit(main())
