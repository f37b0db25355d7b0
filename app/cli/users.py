"""`flask --app app user …`: accounts from the server's shell (whoever has it is the administrator).

``create`` makes an account (the first administrator, or a new one when none can log in);
``unlock`` lets a username whose logins wait, or whose code step closed after wrong codes in a
row, try again at once; ``reset-2fa`` turns an account's second factor off (a lost phone) and
ends its sessions; ``rekey-2fa`` seals every second-factor secret again after the secret key
changed. ``unlock`` and ``reset-2fa`` are what the users page's buttons do, for the installation whose
only administrator is the one locked out. A refusal exits 2 with a Persian message
(``{"error"}`` under --json); each change is audited as done by "cli".
"""
from __future__ import annotations

import codecs
import sys

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.cli import usage
from app.cli.standard_input import StdinClosed, stdin_bytes, stdin_text
from app.cli.usage import json_text
from app.passwords import PasswordRejected
from app.policy import ROLES
from app.services import ServiceError
from app.services import two_factor as second_factor
from app.services.accounts import UserInput, account_named, create_user
from app.services.digits import shown_number
from app.services.login_waits import lift_wait
from app.web.forms.accounts import ROLE_LABELS

user_cli = usage.Group("user", help="Manage user accounts.")
PASSWORD_BYTES_MAX = 64 * 1024  # a password's line and more: not a whole file piped in by mistake
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@user_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--agency", "agency_slug", default=None, help="Agency slug (required for manager, staff, viewer).")
@click.option("--display-name", default="")
@click.option("--email", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def user_create_command(username, role, agency_slug, display_name, email, password_stdin) -> None:
    """Create a user account; the password comes from standard input or a prompt."""
    try:
        stdin_text()  # closed («<&-»): the prompt reads it too
    except StdinClosed as closed:
        usage.refuse(str(closed), False)
    if password_stdin:
        password = _piped_password()
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            UserInput(username=username, role=role, password=password, display_name=display_name,
                      email=email, agency_slug=agency_slug),
            actor_label="cli",
        )
    except (ServiceError, PasswordRejected) as exc:
        usage.refuse(str(exc), False)  # «خطا: …», exit 2, as every command's refusal
    role = f"{ROLE_LABELS[user.role]} ({user.role})"
    click.echo(_("حساب %(username)s ساخته شد (نقش: %(role)s).", username=user.username, role=role))


def _piped_password() -> str:
    """The first line piped in, as UTF-8 or UTF-16 with its BOM, the BOM dropped: a password file saved by Notepad
    or PowerShell kept it in the password (an account nobody could log in to; session 47). Other bytes are
    refused as not UTF-8 (they were judged «too common»). The first line is read, not the whole input: a password
    typed at a terminal (or a pipe held open) waited for Ctrl-D (review of session 47); UTF-16, which no terminal
    types (a file saved by Notepad), is read to its end, its «\n» being two bytes."""
    stream = stdin_bytes()
    data = stream.readline(PASSWORD_BYTES_MAX)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data += stream.read(PASSWORD_BYTES_MAX)
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        usage.refuse(_("گذرواژه در ورودی استاندارد UTF-8 نیست؛ آن را با نویسه‌گذاری UTF-8 بفرستید. حسابی ساخته نشد."),
                     False)
    return text.splitlines()[0] if text else ""


@user_cli.command("unlock")
@click.argument("username")
@JSON_OPTION
@with_appcontext
def user_unlock_command(username: str, as_json: bool) -> None:
    """Let USERNAME log in again at once: its failed logins are forgotten and its closed code step
    (wrong codes in a row) opens, as the users page's «unlock» does."""
    try:
        user = account_named(username)
        lifted = lift_wait(user, actor=None, actor_label="cli")
    except ServiceError as exc:
        usage.refuse(str(exc), as_json)
    # run again (nothing waits): exit 0, "unlocked": false, nothing audited (README's re-run rule)
    _done({"username": user.username, "unlocked": lifted}, as_json,
          _("محدودیت ورود «%(username)s» برداشته شد.", username=user.username) if lifted else
          _("«%(username)s» محدودیت ورودی نداشت؛ چیزی تغییر نکرد.", username=user.username))


@user_cli.command("reset-2fa")
@click.argument("username")
@JSON_OPTION
@with_appcontext
def user_reset_two_factor_command(username: str, as_json: bool) -> None:
    """Turn USERNAME's second factor off (a lost phone) and end its sessions; an administrator or
    supervisor is asked to set it up again at the next login."""
    try:
        user = account_named(username)
        had = user.totp_secret is not None
        ended = second_factor.reset(user, actor=None, actor_label="cli")
    except ServiceError as exc:
        usage.refuse(str(exc), as_json)
    if ended is None:  # run again: nothing to reset (README's re-run rule)
        text = _("ورود دومرحله‌ای «%(username)s» راه‌اندازی نشده بود و نشستی از آن باز نبود؛ چیزی تغییر نکرد.",
                 username=user.username)
    elif had:
        text = _("ورود دومرحله‌ای «%(username)s» خاموش شد و %(count)s نشست آن پایان یافت.", username=user.username,
                 count=shown_number(ended))
    else:
        text = _("ورود دومرحله‌ای «%(username)s» راه‌اندازی نشده بود؛ %(count)s نشست آن پایان یافت.",
                 username=user.username, count=shown_number(ended))
    _done({"username": user.username, "second_factor_was_on": had, "sessions_ended": ended or 0}, as_json, text)


@user_cli.command("rekey-2fa")
@JSON_OPTION
@with_appcontext
def user_rekey_two_factor_command(as_json: bool) -> None:
    """Seal every account's second-factor secret again with the current secret key: after changing
    the key, with the old one in HAMZABAN_SECRET_KEY_PREVIOUS (unset it afterwards). Accounts whose
    secret no key opens are named and left (exit 1): reset their second factor (reset-2fa)."""
    try:
        done = second_factor.reseal_all(actor_label="cli")
    except ServiceError as exc:
        usage.refuse(str(exc), as_json)
    if as_json:
        click.echo(json_text({"resealed": done.resealed, "unreadable": done.unreadable}, ensure_ascii=False))
    else:
        click.echo(_("کلید ورود دومرحله‌ای %(count)s حساب با کلید کنونی کارساز دوباره رمزگذاری شد.", count=done.resealed))
        if done.unreadable:
            click.echo(_("کلید این حساب‌ها با هیچ کلیدی باز نمی‌شود؛ ورود دومرحله‌ای‌شان را با «user reset-2fa» "
                         "از نو بگذارید: %(names)s", names="، ".join(done.unreadable)), err=True)
    sys.exit(1 if done.unreadable else 0)


def _done(data: dict, as_json: bool, text: str) -> None:
    click.echo(json_text(data, ensure_ascii=False) if as_json else text)
