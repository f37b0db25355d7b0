"""Roles × permissions: the table below is the specification (DESIGN.md "Users and roles"),
written out by hand so that a change to app/policy.py has to change it too.

The access matrix (tests/test_access_matrix.py) then checks every route against the views'
``@access`` declarations, which are these same sets.
"""
from __future__ import annotations

import pytest

from app import policy
from app.policy import ROLES
from models import User

OWN, OTHER = 1, 2  # the user's agency, another agency

# permission → what each role gets, in the order of ROLES: admin, supervisor, manager, staff, viewer
TABLE = {
    "sees_all_agencies":               (1, 1, 0, 0, 0),
    "needs_agency":                    (0, 0, 1, 1, 1),
    "can_write":                       (1, 1, 1, 1, 0),
    "can_manage_users":                (1, 0, 0, 0, 0),
    "can_manage_agencies":             (1, 0, 0, 0, 0),
    "can_manage_feeds":                (1, 0, 0, 0, 0),
    "can_edit_calendar":               (1, 0, 0, 0, 0),
    "can_read_audit":                  (1, 1, 1, 0, 0),
    "can_create_rules":                (1, 1, 1, 0, 0),
    "can_edit_rules own agency":       (1, 1, 1, 0, 0),
    "can_edit_rules other agency":     (1, 1, 0, 0, 0),
    "can_edit_rules no agency":        (1, 1, 0, 0, 0),
    "can_triage":                      (1, 1, 1, 1, 0),
    "can_reassign":                    (1, 1, 0, 0, 0),
    "can_request_reassignment own":    (0, 0, 1, 1, 0),
    "can_request_reassignment other":  (0, 0, 0, 0, 0),
    "can_filter_by_agency own":        (1, 1, 1, 1, 1),
    "can_filter_by_agency other":      (1, 1, 0, 0, 0),
    "can_filter_by_agency no agency":  (1, 1, 0, 0, 0),
    "can_write_case own":              (1, 1, 1, 1, 0),
    "can_write_case other":            (1, 1, 0, 0, 0),
    "can_write_case no agency":        (1, 1, 0, 0, 0),
    "can_transfer_case":               (1, 1, 0, 0, 0),
    "can_be_assigned_case own":        (0, 0, 1, 1, 0),
    "can_be_assigned_case other":      (0, 0, 0, 0, 0),
    "can_edit_case_settings":          (1, 0, 0, 0, 0),
}

# Case moves (app/services/case_workflow.TRANSITIONS) → what each role may do on a case of its own
# agency, first when the case is (for "assign": will be) assigned to the user, then when it is
# someone else's; a case of another agency: only admins and supervisors, for the moves they make.
CASE_MOVES = {
    #            as assignee       someone else's    other agency
    "accept":   ((1, 1, 1, 1, 0), (1, 1, 1, 1, 0), (1, 1, 0, 0, 0)),
    "reject":   ((1, 1, 1, 1, 0), (1, 1, 1, 1, 0), (1, 1, 0, 0, 0)),
    "merge":    ((1, 1, 1, 1, 0), (1, 1, 1, 1, 0), (1, 1, 0, 0, 0)),
    "assign":   ((0, 0, 1, 1, 0), (0, 0, 1, 0, 0), (0, 0, 0, 0, 0)),
    "reassign": ((0, 0, 1, 0, 0), (0, 0, 1, 0, 0), (0, 0, 0, 0, 0)),
    "return":   ((0, 0, 1, 0, 0), (0, 0, 1, 0, 0), (0, 0, 0, 0, 0)),
    "draft":    ((0, 0, 1, 1, 0), (0, 0, 1, 0, 0), (0, 0, 0, 0, 0)),
    "approve":  ((0, 0, 1, 0, 0), (0, 0, 1, 0, 0), (0, 0, 0, 0, 0)),
    "publish":  ((0, 0, 1, 1, 0), (0, 0, 1, 1, 0), (0, 0, 0, 0, 0)),
    "close":    ((1, 1, 1, 1, 0), (1, 1, 1, 1, 0), (1, 1, 0, 0, 0)),
    "reopen":   ((1, 1, 1, 0, 0), (1, 1, 1, 0, 0), (1, 1, 0, 0, 0)),
}


def _ask(permission: str, user) -> bool:
    name, _, target = permission.partition(" ")
    check = getattr(policy, name)
    if name == "needs_agency":
        return check(user.role)
    if target.startswith("own"):
        return check(user, OWN)
    if target.startswith("other"):
        return check(user, OTHER)
    if target == "no agency":
        return check(user, None)
    return check(user)


def _user(role: str) -> User:
    return User(username=f"u-{role}", role=role, agency_id=OWN if policy.needs_agency(role) else None)


def test_roles_are_the_designed_five_in_order():
    assert ROLES == ("admin", "supervisor", "manager", "staff", "viewer")
    assert policy.ALL_ROLES == set(ROLES)
    assert policy.CROSS_AGENCY_ROLES | policy.AGENCY_ROLES == policy.ALL_ROLES
    assert not policy.CROSS_AGENCY_ROLES & policy.AGENCY_ROLES


@pytest.mark.parametrize("permission", TABLE)
@pytest.mark.parametrize("role", ROLES)
def test_role_permission_table(role, permission):
    expected = bool(TABLE[permission][ROLES.index(role)])
    assert _ask(permission, _user(role)) is expected, f"{role} {permission}"


@pytest.mark.parametrize("permission", [p for p in TABLE if p != "needs_agency"])
def test_no_role_no_permission(permission):
    """None and an actor without a role (the CLI's nobody) get nothing from a predicate."""
    assert _ask(permission, None) is False

    class Roleless:
        agency_id = OWN

    assert _ask(permission, Roleless()) is False


def test_every_case_move_has_roles_and_a_row():
    assert set(CASE_MOVES) == set(policy.CASE_MOVE_ROLES)


@pytest.mark.parametrize("move", CASE_MOVES)
@pytest.mark.parametrize("role", ROLES)
def test_case_move_table(role, move):
    user = _user(role)
    user.id = 7
    mine, someone_elses, other_agency = (bool(row[ROLES.index(role)]) for row in CASE_MOVES[move])
    assert policy.can_move_case(user, move, OWN, assignee_id=7) is mine, f"{role} {move} as assignee"
    assert policy.can_move_case(user, move, OWN, assignee_id=8) is someone_elses, f"{role} {move} other's"
    assert policy.can_move_case(user, move, OTHER, assignee_id=7) is other_agency, f"{role} {move} other agency"
    assert policy.can_move_case(None, move, OWN) is False
    assert policy.can_move_case(user, "fly", OWN, assignee_id=7) is False


def test_a_manager_without_an_agency_edits_no_rules():
    user = User(username="m", role="manager", agency_id=None)
    assert policy.can_edit_rules(user, None) is False
    assert policy.can_edit_rules(user, OWN) is False


@pytest.mark.parametrize("role", ROLES)
def test_user_properties_ask_the_policy(role):
    user = _user(role)
    assert user.sees_all_agencies is policy.sees_all_agencies(user)
    assert user.can_write is policy.can_write(user)


def test_every_role_has_a_label_and_a_cli_choice(app):
    from app.cli.users import user_create_command
    from app.web.forms.accounts import ROLE_LABELS, UserForm

    assert tuple(ROLE_LABELS) == ROLES
    role_option = next(p for p in user_create_command.params if p.name == "role")
    assert tuple(role_option.type.choices) == ROLES
    with app.test_request_context():
        assert [c.value for c in UserForm().role.iter_choices()] == list(ROLES)


def test_menu_links_lead_to_pages_their_roles_may_open(app):
    """A menu item shown to a role never answers that role with 403."""
    from app.web.navigation import NAV_ITEMS

    for item in NAV_ITEMS:
        view = app.view_functions[item.endpoint]
        assert item.roles <= view.access_roles, f"{item.endpoint}: menu {sorted(item.roles)} vs @access"


@pytest.mark.parametrize("endpoint, allowed", [
    ("admin.users", policy.USER_ADMINS),
    ("admin.user_edit", policy.USER_ADMINS),
    ("admin.agencies", policy.AGENCY_READERS),
    ("admin.agency_edit", policy.AGENCY_EDITORS),
    ("admin.audit", policy.AUDIT_READERS),
    ("calendar.holidays", policy.CALENDAR_EDITORS),
    ("feeds.index", policy.FEED_READERS),
    ("rules.new", policy.RULE_EDITORS),
    ("inbox.reassign_route", policy.REASSIGN_ROLES),
    ("inbox.request_route", policy.REQUEST_ROLES),
    ("inbox.mark", policy.TRIAGE_ROLES),
    ("inbox.question", policy.TRIAGE_ROLES),
    ("main.index", policy.ALL_ROLES),
])
def test_views_declare_the_policy_sets(app, endpoint, allowed):
    assert app.view_functions[endpoint].access_roles == allowed


def test_access_refuses_an_unknown_role_name():
    from app.web.access import access

    with pytest.raises(ValueError, match="admn"):
        access("admn")
