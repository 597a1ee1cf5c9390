"""``qualcode review export`` and ``review import``: the team's review loop in a workbook."""

from __future__ import annotations

import sys

import click

from qualcode.cli import main

_project_option = click.option(
    "--project",
    "project",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="The project file whose suggestions are reviewed.",
)


@main.group("review")
def review_group() -> None:
    """Review the auto-coder's suggestions in a workbook, then apply the decisions.

    \b
    Example:
      qualcode review export --project studie.db --out review.xlsx
      qualcode review import --project studie.db review.xlsx --coder anna
    """


@review_group.command("export")
@_project_option
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False), help="The workbook to write (.xlsx)."
)
@click.option("--variable", default=None, metavar="ID", help="Only this variable's suggestions.")
def export_command(project: str, out: str, variable: str | None) -> None:
    """Write OUT: one sheet per variable, a row per suggestion, columns to decide.

    Each row holds the passage, its organisation, the suggested code, confidence,
    score and evidence, and its review state (unreviewed, accepted, rejected,
    changed). Fill in 'decision' (accept, reject or change; a drop-down), 'new
    code' for a change (a drop-down of the variable's codes) and 'memo', then run
    'qualcode review import'.

    \b
    Example:
      qualcode review export --project studie.db --out review.xlsx --variable PLANNING
    """
    from qualcode.store import Project
    from qualcode.store.workbook import export_review

    with Project.open(project) as opened:
        rows = export_review(opened, out, variable=variable)
    click.echo(f"wrote {rows} suggestion{'s' * (rows != 1)} to {out}")


@review_group.command("import")
@_project_option
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--coder", required=True, metavar="NAME", help="Who decided (for the log).")
def import_command(project: str, workbook: str, coder: str) -> None:
    """Apply the decisions filled in in WORKBOOK to the project.

    Every decision is logged; rows decided the same way before are left as they
    are, so importing twice changes nothing. A row that no longer matches the
    project, or cannot be applied, is listed on stderr (exit status 1); the
    other rows are still applied. The workbook itself is never changed.

    \b
    Example:
      qualcode review import --project studie.db review.xlsx --coder anna
    """
    from qualcode.store import Project
    from qualcode.store.workbook import import_review

    with Project.open(project) as opened:
        result = import_review(opened, workbook, coder=coder)
    click.echo(
        f"applied {result.applied} decision{'s' * (result.applied != 1)}, "
        f"{result.unchanged} already so"
    )
    for problem in result.problems:
        click.echo(f"error: {problem}", err=True)
    if result.problems:
        sys.exit(1)
