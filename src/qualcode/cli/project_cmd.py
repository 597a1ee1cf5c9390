"""``qualcode project ...``: make a coding project, move codings in and out, refresh its texts."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import click

from qualcode.cli import main
from qualcode.cli.options import (
    codebook_option,
    format_option,
    respondents_option,
    say,
    transcripts_option,
)
from qualcode.coding.csvio import write_codings_csv
from qualcode.store import CODING_STATUSES, CodingsRefused, Project, RefreshResult

_db_argument = click.argument("db", type=click.Path(dir_okay=False))
_existing_db = click.argument("db", type=click.Path(exists=True, dir_okay=False))


@main.group("project")
def project_group() -> None:
    """A coding project: transcripts, codebook and everyone's codings in one file.

    \b
    Example:
      qualcode project init studie.db --transcripts transcripts_sample \\
          --codebook codebook/msm.yaml
      qualcode project import-codings studie.db codings.csv
      qualcode project export-codings studie.db --out alle_coderingen.csv
    """


@project_group.command("init")
@_db_argument
@transcripts_option
@respondents_option
@codebook_option
def init_command(db: str, transcripts: str, respondents: str | None, codebook: str) -> None:
    """Create the project file DB from a transcripts folder and a codebook.

    The transcripts' text is stored in DB, so codings stay valid when the folder
    changes (see 'qualcode project refresh'). An existing DB is never overwritten.

    \b
    Example:
      qualcode project init studie.db --transcripts transcripts_sample \\
          --codebook codebook/msm.yaml
    """
    with Project.create(
        db, transcripts=transcripts, respondents=respondents, codebook=codebook
    ) as project:
        info = project.info()
    click.echo(f"created {db}: {info.transcripts} transcripts, {info.codes} codes")


@project_group.command("import-codings")
@_existing_db
@click.argument("codings", type=click.Path(exists=True, dir_okay=False))
def import_command(db: str, codings: str) -> None:
    """Add the codings of CODINGS (a codings CSV) to DB.

    Needs the columns file, start, end, code, coder. A row whose text column is
    not the transcript's text at its offsets is moved to where that text is; rows
    of coder 'auto' become suggestions. When any row is refused, nothing is
    imported, every refused row is listed and the exit status is 1.

    \b
    Example:
      qualcode project import-codings studie.db codings_anna.csv
    """
    with Project.open(db) as project:
        try:
            result = project.import_codings(codings)
        except CodingsRefused as refused:
            for problem in refused.problems:
                say("error", problem)
            click.echo(f"{len(refused.problems)} refused row(s); nothing was imported", err=True)
            sys.exit(1)
    click.echo(
        f"imported {result.added} codings into {db} ({result.reanchored} moved to their text, "
        f"{result.skipped} already present)"
    )


@project_group.command("export-codings")
@_existing_db
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False), help="The codings CSV to write."
)
@click.option("--coder", default=None, metavar="NAME", help="Only this coder's codings.")
@click.option(
    "--status",
    type=click.Choice([*CODING_STATUSES, "all"]),
    default="active",
    show_default=True,
    help="Which codings: the coders' own (active), the auto-coder's suggestions, ... or all.",
)
def export_command(db: str, out: str, coder: str | None, status: str) -> None:
    """Write the codings of DB to a codings CSV.

    Columns: the codings CSV contract (file, respondent, organisation, start,
    end, code, variable, coder, score, text, evidence), then id, origin, status,
    memo, created, updated.

    \b
    Example:
      qualcode project export-codings studie.db --out codings_anna.csv --coder anna
    """
    with Project.open(db) as project:
        frame = project.codings(coder=coder, status=None if status == "all" else status)
        hint = "" if len(frame) else _nothing_exported(project, db, coder=coder, status=status)
    write_codings_csv(frame, out, inputs=(db,))
    click.echo(f"wrote {len(frame)} codings to {out}")
    if hint:
        click.echo(hint)


def _nothing_exported(project: Project, db: str, *, coder: str | None, status: str) -> str:
    """Why an export found no codings, and the option that finds them ("" when none would)."""
    if coder is not None and coder not in project.coders():
        known = ", ".join(project.coders()) or "none yet"
        return f"{db} has no coder {coder!r}; coders: {known}"
    counts = Counter(r.status for r in project.coding_records(coder=coder, status=None))
    if not counts:
        return ""
    whose = f"coder {coder}" if coder is not None else db
    found = " and ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    options = " or ".join(f"--status {s}" for s in sorted(counts))
    also = ", or --status all for every status" if len(counts) > 1 else ""
    return f"{whose} has no {status} codings but {found}: add {options}{also}"


@project_group.command("export-memos")
@_existing_db
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="memos.md (a memo report), memos.csv (a table) or memos.docx.",
)
@click.option(
    "--lang",
    "lang",
    type=click.Choice(["en", "nl"]),
    default=None,
    help="Language of headings and descriptions [default: the codebook's].",
)
def export_memos_command(db: str, out: str, lang: str | None) -> None:
    """Write every memo of DB (on codes, codings and transcripts) to a file.

    Each memo says what it is about: the code and its variable; for a coding
    also the organisation, file, offsets and the coded passage. CSV columns:
    kind, target, coder, text, created, updated, variable, code, file,
    organisation, start, end, passage.

    \b
    Example:
      qualcode project export-memos studie.db --out memos.md
      qualcode project export-memos studie.db --out memos.docx
    """
    from qualcode.report.memos import project_memos, write_memos

    with Project.open(db) as project:
        frame = project_memos(project)
        language = project.codebook.language
        sources: list[str | Path] = [db, *project.corpus.sources()]
    write_memos(frame, out, language=lang or language, inputs=sources)
    click.echo(f"wrote {len(frame)} memos to {out}")


def _print_refresh(result: RefreshResult) -> None:
    click.echo(f"unchanged: {result.unchanged}\nmoved: {result.moved}\norphaned: {result.orphaned}")
    if result.restored:
        click.echo(f"restored: {result.restored}")
    for label, files in (
        ("changed", result.changed_files),
        ("added", result.added_files),
        ("missing (kept as stored)", result.missing_files),
    ):
        if files:
            click.echo(f"{label}: {', '.join(files)}")
    for o in result.orphans:
        snippet = o.snippet if len(o.snippet) <= 60 else o.snippet[:57] + "..."
        click.echo(
            f"  orphan {o.id}: {o.file} {o.code} ({o.coder}), was {o.old_start}-{o.old_end}: "
            f"{snippet!r}"
        )
    if result.orphans or result.still_orphaned:
        click.echo(
            "orphaned codings are kept: list them with project.orphans(), put one back "
            "with project.restore(id, start, end, coder=...)"
        )


@project_group.command("refresh")
@_existing_db
@click.option(
    "--transcripts",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="The folder the transcripts are in now (default: the folder DB was made from).",
)
@format_option("table", "json")
def refresh_command(db: str, transcripts: str | None, fmt: str) -> None:
    """Re-read the transcripts of DB and move every coding to where its text now is.

    Codings whose text is gone become orphaned: listed, never deleted. JSON:
    {"unchanged": n, "moved": n, "orphaned": n, "orphans": [{"id", "file", "code",
    "coder", "status", "snippet", "old_start", "old_end"}], ...}.

    \b
    Example:
      qualcode project refresh studie.db --format json
    """
    with Project.open(db) as project:
        result = project.refresh(transcripts)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_refresh(result)
    for problem in result.problems:
        say("warning", f"{problem} (the stored text was kept)")


@project_group.command("info")
@_existing_db
@format_option("table", "json")
def info_command(db: str, fmt: str) -> None:
    """Show what DB holds: transcripts, codes, coders, codings by status.

    \b
    Example:
      qualcode project info studie.db
    """
    with Project.open(db) as project:
        info = project.info()
    if fmt == "json":
        click.echo(json.dumps(asdict(info), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"project:      {info.path} (schema version {info.schema_version})\n"
        f"transcripts:  {info.transcripts} (from {info.transcripts_dir})\n"
        f"codes:        {info.codes}\n"
        f"coders:       {', '.join(info.coders) or '-'}"
    )
    codings = ", ".join(f"{n} {status}" for status, n in info.codings.items()) or "none"
    click.echo(
        f"codings:      {codings}\nmemos:        {info.memos}\nlog entries:  {info.log_entries}"
    )
