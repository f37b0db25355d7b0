"""The Persian sentences of the command lines click cannot parse (app/cli/usage.py says them):
what went wrong, with click's own words kept only where no Persian one fits, and the usage
errors the groups raise themselves (an option given twice, empty, or with its opposite)."""
from __future__ import annotations

import re

import click
from flask_babel import gettext as _

from app.services.digits import shown_number


def param_name(param: click.Parameter | None, fallback: str = "") -> str:
    if param is None:
        return fallback
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return (param.human_readable_name or fallback).upper()


def persian_message(error: click.UsageError) -> str:
    """What went wrong in the command line, in Persian (click's own words kept for the rest)."""
    if isinstance(error, BlankOption):
        return _("گزینهٔ %(option)s خالی آمده است؛ مقداری بنویسید یا گزینه را بردارید.", option=error.option_name)
    if isinstance(error, RepeatedOption):
        return _("گزینهٔ «%(name)s» %(count)s بار آمده است و یک مقدار می‌پذیرد؛ آن را یک بار بنویسید.",
                 name=error.option_name, count=shown_number(error.given))
    if isinstance(error, OppositeFlags):
        return _("گزینه‌های «%(on)s» و «%(off)s» با هم آمده‌اند؛ تنها یکی را بنویسید.", on=error.on, off=error.off)
    if isinstance(error, click.exceptions.NoArgsIsHelpError):  # a group alone: its English help was printed
        return _("پس از «%(group)s» نام یکی از فرمان‌های آن را بنویسید.", group=error.ctx.command_path)
    if isinstance(error, click.MissingParameter):
        if isinstance(error.param, click.Option):
            return _("گزینهٔ «%(name)s» را بنویسید.", name=param_name(error.param))
        return _("«%(name)s» را پس از نام فرمان بنویسید.", name=param_name(error.param, error.param_hint or ""))
    if isinstance(error, click.NoSuchOption):
        if error.option_name[1:].replace(".", "", 1).isdigit():  # «-3»: a number below zero, read as an option
            return _("«%(value)s» عددی منفی است و این‌جا پذیرفته نیست؛ عددی از صفر به بالا بنویسید.",
                     value=error.option_name)
        if not error.option_name.isascii():  # «search query "-سیل …"»: an excluded word read as an option
            return _("متنی که با «-» آغاز می‌شود گزینهٔ فرمان خوانده شد؛ آن را پس از گزینه‌ها و «--» بنویسید، مانند: "
                     "search query --json -- \"-سیل زلزله\"")
        known = "، ".join(f"«{option}»" for option in sorted(error.possibilities or ()))
        message = _("گزینهٔ «%(name)s» در این فرمان نیست.", name=error.option_name)
        return message + (" " + _("شاید منظورتان %(options)s بود.", options=known) if known else "")
    if isinstance(error, click.BadOptionUsage):
        if "does not take a value" in error.message:  # a flag given one: «--overdue=yes»
            return _("گزینهٔ «%(name)s» مقداری نمی‌پذیرد؛ تنها خودش را بنویسید.", name=error.option_name)
        return _("گزینهٔ «%(name)s» مقدار می‌خواهد.", name=error.option_name)
    if isinstance(error, click.BadParameter):
        name = param_name(error.param, error.param_hint or "")
        if error.param is not None and isinstance(error.param.type, click.Choice):
            choices = "، ".join(f"«{choice}»" for choice in error.param.type.choices)
            return _("مقدار «%(name)s» یکی از این‌ها باشد: %(choices)s.", name=name, choices=choices)
        if error.param is not None and isinstance(error.param.type, (click.types.IntParamType,
                                                                      click.types.FloatParamType)):
            return _number_message(name, error.param.type, error.message)
        if error.param is not None and isinstance(error.param.type, click.Path):
            path_message = _path_message(error.message)
            if path_message:
                return path_message
        if _PERSIAN.search(error.message):  # a reason of ours (a Jalali date's): one sentence, not «(….).»
            return _("مقدار «%(name)s» درست نیست: %(detail)s", name=name, detail=error.message)
        return _("مقدار «%(name)s» درست نیست (%(detail)s).", name=name, detail=error.message)
    unknown = _NO_COMMAND.match(error.message)
    if unknown:
        return _("فرمان «%(name)s» نیست (راهنما: --help).", name=unknown.group(1))
    extra = _EXTRA.match(error.message)
    if extra:
        return _("این‌ها در فرمان زیادی است: %(words)s (راهنما: --help).", words=extra.group(1))
    return _("فرمان درست نوشته نشده است (%(detail)s). راهنما: --help", detail=error.message)


def _number_message(name: str, kind: click.ParamType, detail: str) -> str:
    """A number option's refusal in Persian: what it takes (a whole number, a range) and what was
    typed (click's English «'abc' is not a valid integer.» was kept inside the sentence)."""
    typed = _TYPED.match(detail)
    typed_text = (typed.group(1) or typed.group(2)) if typed else ""
    whole = isinstance(kind, click.types.IntParamType)
    low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    if low is not None and high is not None:
        wanted = _("عددی از %(low)s تا %(high)s", low=shown_number(low), high=shown_number(high))
    elif low is not None:
        wanted = _("عددی دست‌کم %(low)s", low=shown_number(low))
    elif high is not None:
        wanted = _("عددی دست‌بالا %(high)s", high=shown_number(high))
    else:
        wanted = _("عددی درست") if whole else _("عدد")
    if typed_text:
        return _("مقدار «%(name)s» باید %(wanted)s باشد؛ «%(typed)s» نوشته شد.", name=name, wanted=wanted,
                 typed=typed_text)
    return _("مقدار «%(name)s» باید %(wanted)s باشد.", name=name, wanted=wanted)


def _path_message(detail: str) -> str | None:
    """click.Path's refusals (a folder for a file, a missing file) in Persian: its English «File '/tmp' is a
    directory.» was kept inside the Persian sentence (session 47)."""
    said = _PATH.match(detail)
    if said is None:
        return None
    path, what = said.group(1), said.group(2)
    if what == "is a directory":
        return _("«%(path)s» پوشه است، نه فایل؛ نشانی خود فایل را بدهید.", path=path)
    if what == "does not exist":
        return _("فایل «%(path)s» نیست؛ نشانی آن را درست بنویسید.", path=path)
    if what == "is a file":
        return _("«%(path)s» فایل است، نه پوشه.", path=path)
    return _("«%(path)s» خواندنی یا نوشتنی نیست (دسترسی به آن نیست).", path=path)


_PATH = re.compile(r"^(?:File|Directory|Path) '(.*)' (is a directory|does not exist|is a file|is not readable|"
                   r"is not writable|is not executable)\.$", re.DOTALL)
_PERSIAN = re.compile("[\u0600-\u06ff]")
_TYPED = re.compile(r"'(.*)' is not a valid|^(\S+) is not in the range")
_NO_COMMAND = re.compile(r"No such command '(.*)'\.$")
_EXTRA = re.compile(r"Got unexpected extra arguments? \((.*)\)$")

def with_subcommands(error: click.UsageError, command: click.Command | None) -> str:
    """``persian_message``, and for a group's own command line («cases --json», «cases» alone) the
    subcommands it has: what the writer of the script was looking for."""
    message = persian_message(error)
    if isinstance(command, click.Group) and error.ctx is not None and error.ctx.command is command:
        names = "، ".join(command.list_commands(error.ctx))
        message += " " + _("فرمان‌های «%(group)s»: %(names)s.", group=error.ctx.command_path, names=names)
    return message

class BlankOption(click.UsageError):
    def __init__(self, name: str):
        super().__init__(f"Option '{name}' was given empty.")
        self.option_name = name

class OppositeFlags(click.UsageError):
    def __init__(self, on: str, off: str):
        super().__init__(f"Options '{on}' and '{off}' were both given.")
        self.on, self.off = on, off


class RepeatedOption(click.UsageError):
    def __init__(self, name: str, given: int):
        super().__init__(f"Option '{name}' was given {given} times.")
        self.option_name, self.given = name, given
