"""One blueprint per area; thin views that parse input, call one service, render or redirect."""
from views.admin import bp as admin_bp
from views.alerts import bp as alerts_bp
from views.auth import bp as auth_bp
from views.calendar import bp as calendar_bp
from views.cases import bp as cases_bp
from views.conference_followup import bp as conference_followup_bp
from views.conferences import bp as conferences_bp
from views.contacts import bp as contacts_bp
from views.dashboards import bp as dashboards_bp
from views.directory import bp as directory_bp
from views.directory_import import bp as directory_import_bp
from views.evidence import bp as evidence_bp
from views.feeds import bp as feeds_bp
from views.inbox import bp as inbox_bp
from views.items import bp as items_bp
from views.learning import bp as learning_bp
from views.main import bp as main_bp
from views.portals import bp as portals_bp
from views.reminders import bp as reminders_bp
from views.reports import bp as reports_bp
from views.rules import bp as rules_bp
from views.scorecard import bp as scorecard_bp
from views.search import bp as search_bp

BLUEPRINTS = [auth_bp, main_bp, admin_bp, calendar_bp, feeds_bp, items_bp, search_bp, inbox_bp, rules_bp, alerts_bp,
              cases_bp, reminders_bp, directory_bp, contacts_bp, directory_import_bp, conferences_bp,
              conference_followup_bp, portals_bp, evidence_bp, scorecard_bp, reports_bp, dashboards_bp, learning_bp]
