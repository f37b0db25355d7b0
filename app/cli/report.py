"""`flask --app app report …`: the scorecard and the reports from the shell (issue 13).

The group is shared: the scorecard's command (app/cli/report_scorecard or this module) and the
documents' commands (app/cli/report_documents.py) add themselves to ``report_cli``.
"""
from __future__ import annotations

import click

report_cli = click.Group("report", help="The scorecard and the reports (clauses 9-12), as JSON, XLSX or PDF.")
