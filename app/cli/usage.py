"""The commands' usage errors in Persian, as JSON under --json.

Click reports a missing option, an unknown option, a value that is not a number or not one of
the choices, or an extra argument in English on standard error, before the command runs: a
script that asked for ``--json`` got nothing on standard output. ``Group`` (every group of
``flask --app app …``) says it as the commands say their own refusals: a Persian message, exit
status 2, and ``{"error": "…"}`` on standard output when the command line holds ``--json``.
The sentences themselves are in app/cli/usage_messages.py.
"""
from __future__ import annotations

import contextlib
import functools
import json
import sys
from itertools import pairwise
from typing import NoReturn

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.cli.data_folder import storage_problem
from app.cli.output_files import reader_gone, stdout_reader_gone
from app.cli.usage_messages import BlankOption, OppositeFlags, RepeatedOption, param_name, with_subcommands
from app.extensions import db
from app.services.digits import MAX_ROW_ID
from search_index.normalization import printable
from search_index.persian import ascii_digits, fold_pasted

USAGE_EXIT = 2
# A row id typed on the command line: a number past the largest id overflowed the database driver
# (a traceback, no JSON: a review of the commands, round 3).
class _Digits(click.IntRange):
    """``click.IntRange`` of digits only (Persian and Arabic-Indic too): Python's int() reads «1_0» as
    10 and «+5», « 5 » as 5, and `directory merge-journalists 1 1_0` planned a merge of journalist 10
    (a review of the commands, round 5)."""

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            # Copied from a right-to-left line: direction marks, ZWNJ, spaces around it, read as a
            # case number's are (fold_pasted; refused, the message showed what looked like the id).
            typed, value = value, fold_pasted(value).strip()
            if not value.isdecimal():
                self.fail(f"{typed!r} is not a valid integer.", param, ctx)
        return super().convert(value, param, ctx)


ROW_ID = _Digits(1, MAX_ROW_ID)


def digits(low: int, high: int) -> click.IntRange:
    """A count or a year typed as digits only (Persian too; marks pasted around them aside), as ids are:
    «۵» and a ZWNJ was refused and «1_405» read as 1405 by ``click.IntRange`` (session 47)."""
    return _Digits(low, high)


class DigitChoice(click.Choice):
    """``click.Choice`` that reads Persian and Arabic-Indic digits as digits (`routing apply --days ۷`
    was refused: a review of the commands, round 5)."""

    def convert(self, value, param, ctx):
        return super().convert(ascii_digits(value) if isinstance(value, str) else value, param, ctx)


def refuse(message: str, as_json: bool) -> NoReturn:
    """A command's own refusal, said as its usage errors are: ``{"error": …}`` on standard output
    under --json, else «خطا: …» on standard error; exit status 2."""
    if as_json:
        click.echo(json_text({"error": message}, ensure_ascii=False))
    else:
        click.echo(_("خطا: %(message)s", message=message), err=True)
    sys.exit(USAGE_EXIT)


def not_utf8(ctx: click.Context) -> str | None:
    """The Persian refusal of the first option or argument of ``ctx`` whose value held bytes that
    are not UTF-8 (Python reads them from the command line as lone surrogates, which no database,
    JSON or terminal takes), naming it; None when every value is text."""
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return _("مقدار «%(name)s» با نویسه‌گذاری UTF-8 نوشته نشده است؛ آن را UTF-8 بفرستید.",
                         name=param_name(param))
    return None


def asks_json(words: list[str]) -> bool:
    """Whether a command line asks for JSON: «--json», or the flag given a value («--json=yes», refused
    as a usage error: the refusal was said as text on standard error to a script reading JSON)."""
    return any(word == "--json" or word.startswith("--json=") for word in words)


def _takes_json(command: click.Command | None) -> bool:
    return command is not None and any("--json" in getattr(p, "opts", ()) for p in command.params)


def json_text(obj, **options) -> str:
    """``json.dumps`` as every command prints JSON, with U+2028 and U+2029 escaped: written raw (as
    ``ensure_ascii=False`` leaves them), a reader splitting lines the Unicode way (Python's
    ``splitlines``, JavaScript) cut one case title in several (a review of the commands)."""
    return json.dumps(obj, **options).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _in_app_context(ctx: click.Context, build):
    if current_app:
        return build()
    info = ctx.find_object(ScriptInfo)
    if info is None:
        return None
    with info.load_app().app_context():
        return build()


def _say(ctx: click.Context, error: click.UsageError, command: click.Command | None, words: list[str]) -> None:
    """Say ``error`` in Persian (``{"error"}`` on standard output when ``words`` hold --json and the
    command takes it) and exit 2; re-raise it when no app can be loaded to translate it."""
    message = _in_app_context(ctx, functools.partial(with_subcommands, error, command))
    if message is None:
        raise error
    _answer(ctx, printable(message), command, words)  # it quotes what was typed: no terminal escape codes


def _answer(ctx: click.Context, message: str, command: click.Command | None, words: list[str]) -> None:
    """Say a refused command line's ``message`` (JSON when asked) and exit 2."""
    # An unknown subcommand («cases bogus --json») has no command to ask: --json typed is enough
    # (it was said as text on standard error, where the root group's unknown command is JSON).
    if asks_json(words) and (command is None or isinstance(command, click.Group) or _takes_json(command)):
        # A command whose refusals carry more keys (directory import) says how: json_refusal(message).
        refusal = getattr(command, "json_refusal", None)
        click.echo(json_text(refusal(message) if refusal else {"error": message}, ensure_ascii=False))
    else:
        click.echo(_in_app_context(ctx, functools.partial(_, "خطا: %(message)s", message=message)), err=True)
    ctx.exit(USAGE_EXIT)


def schema_missing(error: Exception) -> bool:
    """Whether the database answered that a table or column is not there: `init` never ran on it
    (a wrong data folder: its default, «instance», is relative to the current one), or its schema is
    behind the code. SQLite says «no such table/column», PostgreSQL SQLSTATE 42P01 / 42703."""
    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None) in ("42P01", "42703"):
        return True
    return isinstance(error, OperationalError) and str(orig or "").startswith(("no such table", "no such column"))


def _database_unavailable(ctx: click.Context, error: OperationalError | ProgrammingError, command,
                          words: list[str]) -> None:
    with contextlib.suppress(OperationalError, ProgrammingError):
        db.session.rollback()
    reason = printable(str(getattr(error, "orig", error)).splitlines()[0] if str(error) else type(error).__name__)
    if schema_missing(error):  # told «locked, run it again shortly» (SQLite), a traceback (PostgreSQL)
        message = functools.partial(
            _, "پایگاه داده جدول‌های همزبان را ندارد یا از نسخهٔ برنامه عقب است (%(reason)s)؛ چیزی ذخیره نشد. پوشهٔ "
               "داده‌ها (HAMZABAN_DATA_DIR) یا نشانی پایگاه داده (HAMZABAN_DATABASE_URL) را درست بدهید، یا "
               "«flask --app app init» را اجرا کنید.", reason=reason)
    elif _in_app_context(ctx, functools.partial(storage_problem, reason)):  # no wait mends these (session 47)
        message = functools.partial(storage_problem, reason)
    else:
        message = functools.partial(
            _, "پایگاه داده پاسخ نداد (قفل بود یا در دسترس نبود: %(reason)s)؛ چیزی ذخیره نشد. اندکی بعد دوباره اجرا "
               "کنید.", reason=reason)
    _answer(ctx, _in_app_context(ctx, message), command, words)


def _refuse_repeated(command: click.Command | None, words: list[str]) -> None:
    """An option that takes one value, given twice («--agency water --agency power»), is a usage
    error: click kept the last, silently (the review of the commands: water's cases were dropped);
    so is an option whose value would be another option («--days --json»), and a flag given with
    its opposite («--on --off»: click kept the last). Words after «--» are arguments, not options
    («search query -- "--agency"» repeats nothing)."""
    if command is None or isinstance(command, click.Group):
        return
    if "--" in words:
        words = words[:words.index("--")]
    options = [p for p in command.params if isinstance(p, click.Option)]
    for option in options:
        if option.secondary_opts and any(word in option.opts for word in words) \
                and any(word in option.secondary_opts for word in words):
            raise OppositeFlags(option.opts[0], option.secondary_opts[0])
    every_name = {name for option in options for name in option.opts}
    valued = [option for option in options if not (option.is_flag or option.count)]
    for word, following in pairwise(words):
        if following in every_name and any(word in option.opts for option in valued):
            # «--days --json»: click took «--json» as the days, and the refusal came as text
            raise click.BadOptionUsage(word, f"Option '{word}' requires an argument.")
    for option in valued:
        if option.multiple:
            continue
        names = [name for name in option.opts if name.startswith("--")]
        given = sum(1 for word in words for name in names if word == name or word.startswith(name + "="))
        if given > 1:
            raise RepeatedOption(names[0], given)


def not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """An option's callback: its value, "" when it was not given — and refused when it was given
    empty or blank. «--by ""» (a script's «--by "$USER"» with the variable unset) listed every
    agency's cases and acted as the shell, «--status " "» listed every status (a review of the
    commands, round 4): an empty value is a script's mistake, not a choice."""
    if value is None:
        return ""
    if not value.strip():
        raise BlankOption(param.opts[0] if param.opts else (param.name or ""))
    return value


class TextCommand(click.Command):
    """A group's command: a value given in bytes that are not UTF-8 is refused in Persian before it
    runs (``not_utf8``); `learning switch $'\\xff'`, `user unlock`, `calendar holidays add` and more
    ended in the database driver's traceback (a review of the commands, round 5)."""

    def invoke(self, ctx: click.Context):
        refusal = not_utf8(ctx)
        if refusal:
            refuse(refusal, bool(ctx.params.get("as_json")))
        if sys.stdout is None:  # started with it closed («>&-»): click.echo drops every line, and it exited 0
            refuse(_("خروجی استاندارد این فرمان بسته است (مانند «>&-»)؛ آن را به فایلی یا «|» بدهید "
                     "(«> /dev/null» اگر خروجی را نمی‌خواهید). کاری انجام نشد."), False)
        return super().invoke(ctx)


class _SaysUsageInPersian:
    """``make_context`` saying the command line's usage error in Persian: a group's own (an option
    given to it, «cases --json», or the group alone printed click's English usage: session 42's
    hostile round), a command's outside the groups (Flask's root group printed click's English)."""

    def make_context(self, info_name, args, parent=None, **extra):
        words = list(args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as error:
            _say(parent if parent is not None else click.Context(self, info_name=info_name), error, self, words)


class Group(_SaysUsageInPersian, click.Group):
    """A ``click.Group`` whose subcommands' usage errors are said in Persian (``persian_message``),
    and its own."""

    command_class = TextCommand

    def invoke(self, ctx: click.Context):
        words = [*getattr(ctx, "_protected_args", ()), *ctx.args]  # before click consumes them
        try:
            _refuse_repeated(self.get_command(ctx, words[0]) if words else None, words[1:])
            return super().invoke(ctx)
        except click.UsageError as error:
            command = error.ctx.command if error.ctx is not None else (
                self.get_command(ctx, words[0]) if words else None)  # click leaves some errors without it
            _say(ctx, error, command, words)
        except BrokenPipeError:
            if not stdout_reader_gone():
                raise  # another pipe or socket broke: a failure to show, not a reader that left
            reader_gone()
        except (OperationalError, ProgrammingError) as error:
            # The database locked past its wait, or not reachable: a Persian line and exit 2, not a
            # traceback (the review of the commands: cases open/move, directory import/export); or
            # without the tables (schema_missing).
            if isinstance(error, ProgrammingError) and not schema_missing(error):
                raise
            _database_unavailable(ctx, error, self.get_command(ctx, words[0]) if words else None, words)


class Command(_SaysUsageInPersian, click.Command):
    """A command outside the groups (``init``, ``seed-demo``, ``backup``, ``restore``) whose usage
    errors are said as the groups' are: Flask's own root group would print click's English."""


def persian(command: click.Command) -> Command:
    """``command`` made again as a ``Command`` from its parts: one defined below the command-line
    layer (``worker``, ``serve`` in app/worker.py), which cannot import this module."""
    return Command(command.name, callback=command.callback, params=command.params, help=command.help,
                   short_help=command.short_help, context_settings=command.context_settings)


class AppCommands(AppGroup):
    """The app's own commands (``app.cli``), answering for a name it does not have with a command
    that says so in Persian: Flask's root group printed click's English «No such command» (a
    script that asked for --json got nothing on standard output)."""

    def get_command(self, ctx: click.Context, cmd_name: str):
        found = super().get_command(ctx, cmd_name)
        if found is not None or ctx.resilient_parsing:  # completing a word (Tab): nothing to say
            return found
        return _Unknown(cmd_name)


class _Unknown(click.Command):
    """What ``flask --app app <typo> …`` runs: a refusal naming the typo and the commands there are."""

    def __init__(self, name: str):
        super().__init__(name, context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                                 "help_option_names": []})

    def make_context(self, info_name, args, parent=None, **extra):
        root = parent.command if parent is not None else None
        names = "، ".join(sorted(root.list_commands(parent))) if isinstance(root, click.Group) else ""
        message = printable(_("فرمان «%(name)s» نیست (راهنما: --help).", name=self.name))
        if names:
            message += " " + _("فرمان‌ها: %(names)s.", names=names)
        if asks_json(args):
            click.echo(json_text({"error": message}, ensure_ascii=False))
        else:
            click.echo(_("خطا: %(message)s", message=message), err=True)
        sys.exit(USAGE_EXIT)
