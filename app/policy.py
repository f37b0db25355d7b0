"""Who may do what: the roles, the named role sets and the permission predicates (one place).

Views declare ``@access(<role set>)`` with these sets; services, the menu, the templates and the
tests (tests/test_policy.py, tests/test_access_matrix.py) ask the same names, so a rule changes
here and nowhere else. See DESIGN.md "Users and roles".

The predicates take a user, or any actor with a ``role`` (and ``agency_id``) attribute; one
without a role (None, the CLI's anonymous actor) is allowed nothing here. Services that let the
system itself act (``actor=None``) say so at the call site.
"""
from __future__ import annotations

ADMIN, SUPERVISOR, MANAGER, STAFF, VIEWER = "admin", "supervisor", "manager", "staff", "viewer"
# Ordered from most to least powerful (the order of the user form's choices).
ROLES = (ADMIN, SUPERVISOR, MANAGER, STAFF, VIEWER)
ALL_ROLES = frozenset(ROLES)

# The governorate's roles: they belong to no agency and see every agency's rows.
CROSS_AGENCY_ROLES = frozenset({ADMIN, SUPERVISOR})
# The rest belong to one agency (a user of these roles must have one) and see only its rows.
AGENCY_ROLES = ALL_ROLES - CROSS_AGENCY_ROLES
# Everyone but the read-only viewer changes something.
WRITER_ROLES = ALL_ROLES - {VIEWER}
# The system administrator alone: users, agencies, feeds (editing), the working calendar.
ADMIN_ROLES = frozenset({ADMIN})

# Shared lists of the whole province, read by the governorate: the feeds and the agencies.
FEED_READERS = CROSS_AGENCY_ROLES
AGENCY_READERS = CROSS_AGENCY_ROLES
FEED_EDITORS = AGENCY_EDITORS = USER_ADMINS = CALENDAR_EDITORS = ADMIN_ROLES
# The classifier beside the rules (issue 15): its page, retraining on demand, learning per agency.
LEARNING_MANAGERS = ADMIN_ROLES
# Routing rules: admins and supervisors edit every agency's, a manager their own agency's.
RULE_EDITORS = CROSS_AGENCY_ROLES | {MANAGER}
# The audit log (and its preview on the dashboard).
AUDIT_READERS = CROSS_AGENCY_ROLES | {MANAGER}
# The agency inbox: triage (new / seen / accepted / dismissed), reassignment to another agency
# (the governorate), and a request for one (the agency's own writers).
TRIAGE_ROLES = WRITER_ROLES
REASSIGN_ROLES = CROSS_AGENCY_ROLES
REQUEST_ROLES = AGENCY_ROLES & WRITER_ROLES
# The inbox in the menu: the administrator (no agency, no supervision duty) reaches it by URL only.
ROLES_WITH_INBOX = ALL_ROLES - {ADMIN}


def role_of(user) -> str | None:
    return getattr(user, "role", None)


def needs_agency(role: str) -> bool:
    """Whether a user of ``role`` must belong to an agency."""
    return role in AGENCY_ROLES


def sees_all_agencies(user) -> bool:
    """Admins and supervisors read every agency's rows; the others only their own agency's."""
    return role_of(user) in CROSS_AGENCY_ROLES


def may_sign_in(user) -> bool:
    """An active account; one of an agency's own users (who read only its rows) only while the agency
    is active: a deactivated agency's staff kept their sessions, logins and every page (a review of
    the login, round 7). Admins and supervisors read every agency's: their agency is no bound."""
    if user is None or not user.is_active:
        return False
    agency = getattr(user, "agency", None)
    return sees_all_agencies(user) or agency is None or bool(agency.is_active)


def can_write(user) -> bool:
    return role_of(user) in WRITER_ROLES


def can_manage_users(user) -> bool:
    return role_of(user) in USER_ADMINS


def can_manage_agencies(user) -> bool:
    return role_of(user) in AGENCY_EDITORS


def can_manage_learning(user) -> bool:
    """The classifier (issue 15): switching learning per agency, retraining on demand."""
    return role_of(user) in LEARNING_MANAGERS


def can_manage_feeds(user) -> bool:
    return role_of(user) in FEED_EDITORS


def can_edit_calendar(user) -> bool:
    return role_of(user) in CALENDAR_EDITORS


def can_read_audit(user) -> bool:
    return role_of(user) in AUDIT_READERS


def can_create_rules(user) -> bool:
    """Whether the user edits some agency's rules (the "new rule" button)."""
    return role_of(user) in RULE_EDITORS


def can_edit_rules(user, agency_id: int | None) -> bool:
    """Admins and supervisors edit every agency's rules; a manager only their own agency's."""
    role = role_of(user)
    if role not in RULE_EDITORS:
        return False
    return role in CROSS_AGENCY_ROLES or (agency_id is not None and getattr(user, "agency_id", None) == agency_id)


def can_triage(user) -> bool:
    return role_of(user) in TRIAGE_ROLES


def can_reassign(user) -> bool:
    """Send a routed item to another agency, or decide a request for that."""
    return role_of(user) in REASSIGN_ROLES


def can_request_reassignment(user, agency_id: int | None) -> bool:
    """Ask that an item routed to ``agency_id`` go elsewhere: a writer of that same agency."""
    return role_of(user) in REQUEST_ROLES and getattr(user, "agency_id", None) == agency_id


def can_filter_by_agency(user, agency_id: int | None) -> bool:
    """Filter searches and saved-search alerts by the items routed to ``agency_id`` (which agency
    an item went to is that agency's business): admins and supervisors every agency; the others
    only their own."""
    role = role_of(user)
    if role not in ALL_ROLES:
        return False
    return role in CROSS_AGENCY_ROLES or (agency_id is not None and getattr(user, "agency_id", None) == agency_id)


# Public-question cases (clause 12). The governorate (admins, supervisors) routes and decides for
# every agency: opens, accepts into an agency, rejects, merges, closes, reopens, moves a case to
# another agency. The agency does the work on its own cases: staff and manager open, accept,
# reject, merge, record the publication and close; the manager assigns, sends a draft back,
# approves the answer (nobody else: the answer is the agency's word), reassigns and reopens; staff
# take an unassigned case themselves (assign it to themselves) and draft the answer of the cases assigned to them.
# Viewers read. Moves are named by app/services/case_workflow.TRANSITIONS.
CASE_READERS = ALL_ROLES
CASE_WRITERS = WRITER_ROLES  # open cases, add notes, sources and links, edit the details
CASE_ASSIGNEE_ROLES = frozenset({MANAGER, STAFF})  # who a case can be assigned to
CASE_TRANSFER_ROLES = CROSS_AGENCY_ROLES  # set or change a case's agency
CASE_SETTINGS_EDITORS = ADMIN_ROLES  # deadline days by priority
CASE_MOVE_ROLES = {
    "accept": WRITER_ROLES,
    "reject": WRITER_ROLES,
    "merge": WRITER_ROLES,
    "assign": frozenset({MANAGER, STAFF}),  # staff: only to themselves (taking an unassigned case)
    "reassign": frozenset({MANAGER}),  # to another assignee
    "return": frozenset({MANAGER}),
    "draft": frozenset({MANAGER, STAFF}),  # staff: only a case assigned to them
    "approve": frozenset({MANAGER}),
    "publish": frozenset({MANAGER, STAFF}),
    "close": WRITER_ROLES,
    "reopen": CROSS_AGENCY_ROLES | {MANAGER},
}
# The moves a staff user makes only on their own behalf (the assignee is themselves).
CASE_SELF_ONLY_MOVES = frozenset({"assign", "draft"})


def _in_agency(user, agency_id: int | None) -> bool:
    return agency_id is not None and getattr(user, "agency_id", None) == agency_id


def can_write_case(user, agency_id: int | None) -> bool:
    """Open a case for ``agency_id`` (None: no agency yet), add notes, sources and links: any
    writer of that agency; admins and supervisors for every agency."""
    role = role_of(user)
    if role not in CASE_WRITERS:
        return False
    return role in CROSS_AGENCY_ROLES or _in_agency(user, agency_id)


def can_move_case(user, move: str, agency_id: int | None, assignee_id: int | None = None) -> bool:
    """Whether ``user`` may make ``move`` on a case of ``agency_id``. ``assignee_id`` is who the
    case is (for "assign": will be) assigned to; staff assign and draft only for themselves."""
    role = role_of(user)
    if role not in CASE_MOVE_ROLES.get(move, ()):
        return False
    if role in CROSS_AGENCY_ROLES:
        return True
    if not _in_agency(user, agency_id):
        return False
    if role == STAFF and move in CASE_SELF_ONLY_MOVES:
        return assignee_id is not None and assignee_id == getattr(user, "id", None)
    return True


def can_transfer_case(user) -> bool:
    """Set a case's agency or move it to another agency (the governorate routes)."""
    return role_of(user) in CASE_TRANSFER_ROLES


def can_be_assigned_case(user, agency_id: int | None) -> bool:
    """A manager or staff user of the case's agency (an active account is checked by the service)."""
    return role_of(user) in CASE_ASSIGNEE_ROLES and _in_agency(user, agency_id)


def can_edit_case_settings(user) -> bool:
    return role_of(user) in CASE_SETTINGS_EDITORS


# The case pages (views/cases.py): my cases (the people cases are assigned to), my agency's cases
# (every role bound to an agency, viewers read), every agency's cases (the governorate). Opening a
# case and confirming the outlets that reported an answer are CASE_WRITERS' (can_write_case).
MY_CASES_ROLES = CASE_ASSIGNEE_ROLES
AGENCY_CASES_ROLES = AGENCY_ROLES
ALL_CASES_ROLES = CROSS_AGENCY_ROLES


# Press conferences (clause 9). A conference is its agency's own event: the agency's manager and
# staff plan it, invite, record answers, attendance and minutes, and move it (held, postponed,
# back to planned); cancelling is the manager's alone (the agency withdraws a public promise).
# Viewers read their own agency's; admins and supervisors read every agency's but do not write
# them (the governorate supervises: it sets each agency's cadence and sees who is behind).
CONFERENCE_READERS = ALL_ROLES
CONFERENCE_WRITERS = frozenset({MANAGER, STAFF})
CONFERENCE_MOVE_ROLES = {
    "hold": frozenset({MANAGER, STAFF}),
    "postpone": frozenset({MANAGER, STAFF}),
    "replan": frozenset({MANAGER, STAFF}),
    "cancel": frozenset({MANAGER}),
}
# Each agency's target («one conference per Jalali month») and the list of agencies behind it.
CADENCE_EDITORS = CADENCE_READERS = CROSS_AGENCY_ROLES


def can_write_conference(user, agency_id: int | None) -> bool:
    """Plan, edit, invite, record RSVPs, attendance and minutes: the agency's manager and staff."""
    return role_of(user) in CONFERENCE_WRITERS and _in_agency(user, agency_id)


def can_move_conference(user, move: str, agency_id: int | None) -> bool:
    """Whether ``user`` may make ``move`` (app/services/conferences.TRANSITIONS) on a conference."""
    return role_of(user) in CONFERENCE_MOVE_ROLES.get(move, ()) and _in_agency(user, agency_id)


def can_edit_cadence(user) -> bool:
    return role_of(user) in CADENCE_EDITORS
# The contact log (clause 11). It is the agency's own record: its managers and staff log contacts
# for their agency; the logger or the agency's manager corrects or deletes one; everyone reads
# (viewers their agency's, the governorate every agency's). The lapsed-contact list: every role
# (an agency its own; the governorate picks an agency); its number of days is an admin setting.
CONTACT_READERS = ALL_ROLES
CONTACT_WRITERS = AGENCY_ROLES & WRITER_ROLES
LAPSED_READERS = ALL_ROLES
LAPSED_MENU_ROLES = CROSS_AGENCY_ROLES | {MANAGER}  # the menu shows the list to the manager and the governorate
CONTACT_SETTINGS_EDITORS = ADMIN_ROLES


def can_log_contact(user, agency_id: int | None) -> bool:
    """Log a contact for ``agency_id``: a manager or staff user of that agency."""
    return role_of(user) in CONTACT_WRITERS and _in_agency(user, agency_id)


def can_change_contact(user, agency_id: int | None, logged_by_id: int | None) -> bool:
    """Correct or delete a contact: whoever logged it (still a writer of that agency) or the
    agency's manager."""
    if not can_log_contact(user, agency_id):
        return False
    return role_of(user) == MANAGER or (logged_by_id is not None and logged_by_id == getattr(user, "id", None))


def can_edit_contact_settings(user) -> bool:
    return role_of(user) in CONTACT_SETTINGS_EDITORS
# The media directory's file import and export (issue 12, item 4). The directory is shared by the
# province, so every writer (an agency's staff and manager, the governorate) may import into it;
# the export is a bulk copy of journalists' phones and e-mails, so it is the writers' too: a
# viewer reads the directory's pages but does not take the list away.
DIRECTORY_IMPORTERS = WRITER_ROLES
DIRECTORY_EXPORTERS = WRITER_ROLES


def can_import_directory(user) -> bool:
    return role_of(user) in DIRECTORY_IMPORTERS


def can_export_directory(user) -> bool:
    return role_of(user) in DIRECTORY_EXPORTERS


def must_use_second_factor(user, required_roles) -> bool:
    """Whether ``user`` logs in with a second factor: their role is among ``required_roles``
    (HAMZABAN_MFA_REQUIRED_ROLES, admins and supervisors by default) or they turned it on."""
    return role_of(user) in required_roles or getattr(user, "totp_enabled_at", None) is not None


def can_reset_second_factor(user) -> bool:
    return role_of(user) in USER_ADMINS


# The media directory (clause 11): outlets and journalists are shared by the province, so every
# role reads them; staff and managers of any agency and the governorate's supervisors and admins
# add and edit them (a contact list every PR office keeps up, not one agency's property); viewers
# read. Deactivating a record hides it from every agency's lists: the governorate and the
# agencies' managers. Each agency's notes on an outlet or a journalist are its own (DirectoryNote,
# scoped): its staff and manager write them, its viewer reads them; the governorate reads every
# agency's notes with the agency's name and writes none (it belongs to no agency). A note is
# deleted by its author or by their agency's manager.
DIRECTORY_READERS = ALL_ROLES
DIRECTORY_EDITORS = WRITER_ROLES
DIRECTORY_DEACTIVATORS = CROSS_AGENCY_ROLES | {MANAGER}
DIRECTORY_NOTE_WRITERS = AGENCY_ROLES & WRITER_ROLES


def can_edit_directory(user) -> bool:
    return role_of(user) in DIRECTORY_EDITORS


def can_deactivate_directory(user) -> bool:
    return role_of(user) in DIRECTORY_DEACTIVATORS


def can_write_directory_note(user) -> bool:
    """Write a note for one's own agency (the note takes the writer's agency)."""
    return role_of(user) in DIRECTORY_NOTE_WRITERS and getattr(user, "agency_id", None) is not None


def can_delete_directory_note(user, agency_id: int | None, author_id: int | None) -> bool:
    """The note's author, or the manager of the note's agency."""
    if role_of(user) not in DIRECTORY_NOTE_WRITERS or not _in_agency(user, agency_id):
        return False
    return role_of(user) == MANAGER or (author_id is not None and author_id == getattr(user, "id", None))


# Reports (issue 13: the clause-12 and clause-9/11 reports, the scorecard, the daily press digest,
# as PDF and XLSX): every role reads reports; an agency's users (manager, staff, viewer) their own
# agency's only, the governorate (admins, supervisors) any agency's. The daily e-mail of the press
# digest is turned on and off by the governorate.
REPORT_READERS = ALL_ROLES
PRESS_DIGEST_EDITORS = CROSS_AGENCY_ROLES


def can_read_agency_report(user, agency_id: int | None) -> bool:
    role = role_of(user)
    if role not in REPORT_READERS:
        return False
    return role in CROSS_AGENCY_ROLES or (agency_id is not None and getattr(user, "agency_id", None) == agency_id)


def can_edit_press_digest(user) -> bool:
    return role_of(user) in PRESS_DIGEST_EDITORS


# The directive scorecard (issue 13): every role reads it, an agency's users their own agency's
# only; the governorate (supervisors, admins) reads every agency's, ranked, and sets the status rules.
SCORECARD_READERS = ALL_ROLES
SCORECARD_PROVINCE_ROLES = CROSS_AGENCY_ROLES
SCORECARD_RULE_EDITORS = CROSS_AGENCY_ROLES


def can_edit_scorecard_rules(user) -> bool:
    return role_of(user) in SCORECARD_RULE_EDITORS


# Portal freshness (clause 10): every role reads it (an agency its own portal, the governorate
# every agency's, ranked); how many days without a change make a portal stale is the
# governorate's setting (admins and supervisors), as is checking the portals now.
PORTAL_READERS = ALL_ROLES
PORTAL_SETTINGS_EDITORS = CROSS_AGENCY_ROLES


def can_edit_portal_settings(user) -> bool:
    return role_of(user) in PORTAL_SETTINGS_EDITORS


# The evidence register (clauses 1–8, 13, 14): the agency's record of its own staffing, councils,
# training, events, equipment and outsourcing. Its manager and staff add, correct and delete
# their agency's records; the governorate (admins, supervisors) reads every agency's and may also
# record for any agency (a decree or a council membership it issued itself); viewers read their own.
EVIDENCE_READERS = ALL_ROLES
EVIDENCE_WRITERS = CROSS_AGENCY_ROLES | {MANAGER, STAFF}


def can_write_evidence(user, agency_id: int | None) -> bool:
    """Add, edit or delete an evidence record of ``agency_id``: its manager or staff; the
    governorate for every agency."""
    role = role_of(user)
    if role not in EVIDENCE_WRITERS:
        return False
    return role in CROSS_AGENCY_ROLES or _in_agency(user, agency_id)


# The dashboards of directive work (issue 13). The province's: the governorate only. An agency's
# own: every agency role reads their agency's (the manager above all; staff and viewers too); the
# governorate opens any agency's.
PROVINCE_DASHBOARD_READERS = CROSS_AGENCY_ROLES
AGENCY_DASHBOARD_READERS = ALL_ROLES
AGENCY_DASHBOARD_MENU_ROLES = AGENCY_ROLES
