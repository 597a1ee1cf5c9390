"""``qualcode batch``: the report sets of many studies, named in a plan file, in one run."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from qualcode.cli import main
from qualcode.cli.options import engine_options, progress, quiet_option


@main.command("batch")
@click.argument("plan", type=click.Path(exists=True, dir_okay=False))
@engine_options
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="With --engine dask: worker processes of the local cluster [default: one per core].",
)
@click.option(
    "--summary",
    "summary",
    default=None,
    type=click.Path(dir_okay=False),
    help="Also write the summary as JSON here (a list of studies: name, out, status, "
    "files, codings, quotes, problems, failure, warnings).",
)
@quiet_option
def batch_command(
    plan: str,
    scheduler: str | None,
    engine: str,
    workers: int | None,
    summary: str | None,
    quiet: bool,
) -> None:
    """Write the report set of every study of a plan file, then a summary.

    The plan (YAML) lists studies, each with name, transcripts, codebook and
    out, and optionally respondents, codings, format, unit, compare,
    max_quotes, anonymise, names and title (as for qualcode report); a
    'defaults' mapping gives keys to every study. A study that fails, or has
    records that cannot be read, does not stop the others. The summary lists
    what was written and what failed; the exit status is 1 when anything
    failed. With --scheduler or --engine dask, every study runs on the Dask
    cluster (docs/scale.md).

    \b
    Example:
      qualcode batch studies.yaml
      qualcode batch studies.yaml --scheduler tcp://10.0.0.5:8786 --summary done.json
    """
    from qualcode.engine import dask_client
    from qualcode.report.studies import load_plan, run_plan

    studies = load_plan(plan)

    def bar(items: Iterator[Any], total: int) -> Iterable[Any]:
        return progress(items, total=total, desc="studies", quiet=quiet)

    dask = scheduler is not None or engine == "dask"
    with dask_client(
        scheduler=scheduler, engine="dask" if dask else "local", workers=workers
    ) as client:
        results = run_plan(studies, client=client, progress=bar)
    width = max(len(r.study.name) for r in results) if results else 0
    for r in results:
        if r.failure:
            click.echo(f"{r.study.name:<{width}}  FAILED   {r.failure}")
            continue
        status = "written " if not r.problems else "PROBLEMS"
        click.echo(
            f"{r.study.name:<{width}}  {status} {len(r.written)} files, {r.codings} codings, "
            f"{r.quotes} quotes in {r.study.out}"
        )
        for problem in r.problems:
            click.echo(f"{'':<{width}}    error: {problem}")
        for warning in r.warnings:
            click.echo(f"{'':<{width}}    warning: {warning}")
    failed = [r for r in results if not r.ok]
    click.echo(
        f"{len(results) - len(failed)} of {len(results)} studies written without problems"
        + (f"; {len(failed)} with problems or failed" if failed else "")
    )
    if summary is not None:
        Path(summary).write_text(
            json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    if failed:
        sys.exit(1)
