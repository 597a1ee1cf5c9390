"""The ``qualcode`` command line: one group, each command a thin layer over the library.

Every command parses its options, calls one library function and prints. A
``QualcodeError`` becomes one line on stderr (``error: ...``) and exit status 1
(a problem with the data); usage mistakes (click's, and the library's
``ArgumentError``) exit with status 2.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

import click

from qualcode.cli.options import say
from qualcode.errors import ArgumentError, QualcodeError, QualcodeWarning

__all__ = ["main"]


class _Group(click.Group):
    """A click group that turns ``QualcodeError`` into a one-line message."""

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("always", QualcodeWarning)
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except QualcodeError as exc:
                say("error", f"{exc}{_flag_hint(exc.option)}")
                sys.exit(2 if isinstance(exc, ArgumentError) else 1)


def _flag_hint(option: str | None) -> str:
    """`` (--flag)`` for the library argument *option*, when a command has such an option."""
    if option is None:
        return ""
    flags = {
        param.name: param.opts[0]
        for command in _commands(main)
        for param in command.params
        if isinstance(param, click.Option) and param.opts[0].startswith("--")
    }
    return f" ({flags[option]})" if option in flags else ""


def _commands(command: click.Command) -> list[click.Command]:
    found = [command]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found += _commands(sub)
    return found


def _show_warning(
    message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any
) -> None:
    if issubclass(category, QualcodeWarning):
        say("warning", message)
    else:
        say("warning", f"{category.__name__}: {message}")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qualcode")
def main() -> None:
    """Code and analyse qualitative interviews.

    \b
    Example:
      qualcode corpus --transcripts transcripts_sample
    """


def _register() -> None:
    # Imported here so that each command module can import ``main`` from this package.
    from qualcode.cli import commands  # noqa: F401


_register()
