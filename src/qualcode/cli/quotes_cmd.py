"""``qualcode check-quotes``: was every quote of a draft report said, and by whom it says?"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import NoReturn

import click

from qualcode.cli import main
from qualcode.cli.options import (
    format_option,
    progress,
    quiet_option,
    respondents_option,
    say,
    transcripts_option,
)
from qualcode.errors import QualcodeError


@main.command("check-quotes")
@click.argument("report", type=click.Path(dir_okay=False))
@transcripts_option
@respondents_option
@format_option("text", "json", "html")
@click.option(
    "--min-words",
    type=int,
    default=6,
    show_default=True,
    help="Quoted passages with fewer words are terms, not quotes.",
)
@click.option(
    "--threshold",
    type=float,
    default=0.7,
    show_default=True,
    help="Least word similarity (0-1) for a passage to count as an altered source.",
)
@quiet_option
def check_quotes_command(
    report: str,
    transcripts: str,
    respondents: str | None,
    fmt: str,
    min_words: int,
    threshold: float,
    quiet: bool,
) -> None:
    """Check every quote in REPORT (.txt, .md, .docx, .odt, PDF text) against the transcripts.

    Each quote gets a status: verified, altered (with a word diff),
    misattributed, not_found, or unattributed (no organisation named, or a
    document quoted). Problems are listed first. Exit status: 0 when every
    quote is verified or unattributed, 1 otherwise, 2 for bad input.

    \b
    Example:
      qualcode check-quotes draft.md --transcripts transcripts_sample
      qualcode check-quotes draft.docx --transcripts transcripts_sample --format html > check.html
    """
    from qualcode.review import check_quotes
    from qualcode.review.render import to_html, to_json, to_text

    if min_words < 1:
        _bad_input(f"--min-words must be at least 1, got {min_words}")
    if not 0 < threshold <= 1:
        _bad_input(f"--threshold must be above 0 and at most 1, got {threshold}")

    def bar(steps: Iterable[int]) -> Iterable[int]:
        items = list(steps)
        return progress(items, total=len(items), desc="quotes", quiet=quiet)

    try:
        check = check_quotes(
            report,
            transcripts,
            respondents=respondents,
            min_words=min_words,
            threshold=threshold,
            progress=bar,
        )
    except QualcodeError as exc:
        _bad_input(str(exc))
    render = {"json": to_json, "html": to_html}.get(fmt, to_text)
    click.echo(render(check), nl=fmt == "json")
    sys.exit(check.exit_code)


def _bad_input(message: str) -> NoReturn:
    """Bad input to check-quotes: one line on stderr, exit status 2 (its documented contract)."""
    say("error", message)
    sys.exit(2)
