#!/usr/bin/env python3
"""Write README.md's configuration table from the declarations in app/config.py.

    python scripts/config_reference.py          # rewrite the table in README.md
    python scripts/config_reference.py check    # change nothing; exit 1 if README.md differs

The table sits between the two `config-reference` comment lines of README.md's Configuration
section. tests/test_config.py uses `table()` and `section()` from here.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import OPTIONS, Option, env_name  # noqa: E402

README = ROOT / "README.md"
BEGIN = "<!-- config-reference: generated from app/config.py by scripts/config_reference.py -->"
END = "<!-- /config-reference -->"


def shown_default(option: Option) -> str:
    if option.shown_default:
        return option.shown_default
    value = option.default
    if option.type is bool:
        return f"`{int(value)}`"
    if option.type is tuple:
        value = ",".join(value)
    if option.type is float:
        value = f"{value:g}"
    return f"`{value}`" if value != "" else "empty"


def table() -> str:
    """The Markdown table: one row per key, in declaration order."""
    rows = ["| key | default | meaning |", "|---|---|---|"]
    rows += [f"| `{env_name(o)}` | {shown_default(o)} | {o.description} |" for o in OPTIONS]
    return "\n".join(rows) + "\n"


def section(readme: str) -> str:
    """What README.md holds between the markers ("" when they are missing)."""
    if BEGIN not in readme or END not in readme:
        return ""
    return readme.split(BEGIN, 1)[1].split(END, 1)[0].lstrip("\n")


def main(argv: list[str]) -> int:
    readme = README.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        print(f"README.md lacks the markers {BEGIN} … {END}", file=sys.stderr)
        return 1
    if section(readme) == table():
        return 0
    if argv[1:2] == ["check"]:
        print("README.md's configuration table differs from app/config.py: "
              "run `python scripts/config_reference.py`", file=sys.stderr)
        return 1
    head, rest = readme.split(BEGIN, 1)
    README.write_text(f"{head}{BEGIN}\n{table()}{END}{rest.split(END, 1)[1]}", encoding="utf-8")
    print("README.md: configuration table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
