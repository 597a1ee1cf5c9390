"""``qualcode export`` and ``qualcode import``: REFI-QDA codebooks (.qdc) and projects (.qdpx)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict

import click

from qualcode.cli import main
from qualcode.cli.options import format_option, say
from qualcode.interop.exchange import (
    Exchange,
    export_codebook,
    export_project,
    import_codebook,
    import_project,
)

# How many dropped groups the text summary lists before counting the rest.
MAX_LISTED = 20
# How much of the first dropped object's name (a pattern, a criterion) the summary shows.
MAX_NAME = 60

language_option = click.option(
    "--language",
    default=None,
    help="Language of the codebook (ISO code such as nl or en); default: guessed from the texts.",
)


@main.group("export")
def export_group() -> None:
    """Write a codebook or project for other QDA programs (REFI-QDA).

    \b
    Example:
      qualcode export qdpx project.db project.qdpx
    """


@main.group("import")
def import_group() -> None:
    """Read a codebook or project written by another QDA program (REFI-QDA).

    \b
    Example:
      qualcode import qdpx nvivo-export.qdpx project.db
    """


@export_group.command("qdc")
@click.argument("codebook", type=click.Path(exists=True, dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
def export_qdc(codebook: str, out: str) -> None:
    """Write CODEBOOK (qualcode YAML) as the REFI-QDA codebook OUT (.qdc).

    Codes keep their hierarchy, colours and definitions; GUIDs are the same on
    every export of the same codebook. What a .qdc has no place for (patterns,
    include/exclude criteria, examples, dimensions, the codebook's name, language
    and version, ids that differ from the names) is listed as dropped, with counts.

    \b
    Example:
      qualcode export qdc codebook/msm.yaml msm.qdc
    """
    done = export_codebook(codebook, out)
    click.echo(f"wrote {out}: {done.counts.codes} codes")
    _print_dropped(done)


@export_group.command("qdpx")
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
def export_qdpx(db: str, out: str) -> None:
    """Write the project DB as the REFI-QDA project OUT (.qdpx).

    Transcripts become text sources, respondents cases with their attributes as
    variables, coders users, active codings selections, memos notes. GUIDs are the
    same on every export of the same project. Suggested, rejected and orphaned
    codings are not exported; a second line counts them.

    \b
    Example:
      qualcode export qdpx project.db project.qdpx
    """
    done = export_project(db, out)
    click.echo(f"wrote {out}: {done.counts.describe()}")
    if done.left_out:
        counts = ", ".join(f"{n} {status}" for status, n in done.left_out)
        hint = (
            "; accept suggestions first to export them (qualcode review export/import)"
            if any(status == "suggested" for status, _ in done.left_out)
            else ""
        )
        click.echo(f"not exported: {counts} (a .qdpx holds the active codings only{hint})")


def _report(done: Exchange, *, file: str, target: str, fmt: str) -> None:
    if fmt == "json":
        payload = {
            "file": file,
            "origin": done.origin,
            "read": asdict(done.read) if done.read is not None else None,
            "imported": asdict(done.counts),
            "language": done.language,
            "warnings": list(done.report.warnings),
            "dropped": [asdict(d) for d in done.report.dropped],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for warning in done.report.warnings:
        say("warning", warning)
    made_by = f" ({done.origin})" if done.origin else ""
    if done.read is not None:
        click.echo(f"read {file}{made_by}: {done.read.describe()}")
    imported = done.counts.describe() if done.read is not None else f"{done.counts.codes} codes"
    click.echo(f"imported into {target}: {imported}; codebook language {done.language}")
    _print_dropped(done)


def _plural(kind: str) -> str:
    return kind.removesuffix("criterion") + "criteria" if kind.endswith("criterion") else kind + "s"


def _print_dropped(done: Exchange) -> None:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in done.report.dropped:
        groups[(item.kind, item.reason)].append(item.name)
    if not groups:
        click.echo("dropped: nothing")
        return
    click.echo(f"dropped: {len(done.report.dropped)}")
    for n, ((kind, reason), names) in enumerate(groups.items()):
        if n == MAX_LISTED:
            click.echo(f"  ... and {len(groups) - MAX_LISTED} more (see --format json)")
            break
        first = names[0] if len(names[0]) <= MAX_NAME else names[0][: MAX_NAME - 3] + "..."
        shown = first + (f" and {len(names) - 1} more" if len(names) > 1 else "")
        click.echo(
            f"  {len(names)} {_plural(kind) if len(names) > 1 else kind} ({shown}): {reason}"
        )


@import_group.command("qdc")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False))
@language_option
@format_option("text", "json")
def import_qdc(file: str, out: str, language: str | None, fmt: str) -> None:
    """Convert the REFI-QDA codebook FILE (.qdc, or the codes of a .qdpx) into OUT (YAML).

    Code ids are made from the names (UPPER_SNAKE, unique); colours and
    definitions are kept. OUT must not exist yet.

    \b
    Example:
      qualcode import qdc atlas-codes.qdc codebook/atlas.yaml --language nl
    """
    done = import_codebook(file, out, language=language)
    _report(done, file=file, target=out, fmt=fmt)


@import_group.command("qdpx")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("db", type=click.Path(dir_okay=False))
@language_option
@format_option("text", "json")
def import_qdpx(file: str, db: str, language: str | None, fmt: str) -> None:
    """Create the project DB from the REFI-QDA project FILE (.qdpx).

    Text sources become transcripts, codings keep their coders, cases become
    respondents with their variables as attributes, notes memos. Prints what was
    imported and what was dropped, and why. DB must not exist yet.

    \b
    Example:
      qualcode import qdpx nvivo-export.qdpx project.db
    """
    done = import_project(file, db, language=language)
    _report(done, file=file, target=db, fmt=fmt)
