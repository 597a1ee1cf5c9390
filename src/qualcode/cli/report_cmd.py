"""``qualcode report``: the per-variable reports of a coded (or auto-coded) corpus."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import click

from qualcode.cli import main
from qualcode.cli.options import (
    RecordsPath,
    check_engine,
    echo_corpus_warnings,
    engine_options,
    progress,
    project_codebook_option,
    quiet_option,
    respondents_option,
    say,
    unit_option,
)
from qualcode.corpus.model import Unit
from qualcode.report import AUTO_COMPARE, DEFAULT_MAX_QUOTES, REPORT_FORMATS


@main.command("report")
@click.option(
    "--transcripts",
    "transcripts",
    default=None,
    type=RecordsPath(),
    help="Folder of interview records [default with --project: the project's own]; with "
    "the Dask engine also an fsspec URL (s3://bucket/study) every worker can read.",
)
@respondents_option
@project_codebook_option
@click.option(
    "--codings",
    "codings",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Codings CSV to report on [default: auto-code the corpus first].",
)
@click.option(
    "--project",
    "project",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Project file whose codings to report on (instead of --codings).",
)
@click.option(
    "--coder",
    "coder",
    multiple=True,
    help="Only this coder's project codings (repeat for several) [default: every coder].",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write the report set into (made when missing).",
)
@click.option(
    "--format",
    "fmt",
    default="html,md",
    show_default=True,
    help=f"Report formats, comma-separated: {', '.join(REPORT_FORMATS)} "
    "(docx and xlsx need qualcode[office]).",
)
@unit_option
@click.option(
    "--compare",
    "compare",
    default=AUTO_COMPARE,
    show_default=True,
    help="Respondent attribute whose groups to compare ('auto': steering_group when the "
    "respondents table has it; 'none': no comparison).",
)
@click.option(
    "--max-quotes",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_QUOTES,
    show_default=True,
    help="Quotes shown per code and valence, best scored first (0: all); quotes.csv has all.",
)
@click.option(
    "--anonymise",
    is_flag=True,
    help="Replace person names in quotes and tables by "
    "[respondent] (names of the respondents table) or [person] (--names).",
)
@click.option(
    "--names",
    "names",
    default="",
    help="More person names to replace with "
    "--anonymise, separated by ';' (e.g. \"Jan de Vries;Fatima\").",
)
@click.option("--title", default="", help="Title of the report set [default: the codebook's name].")
@click.option(
    "--reviewed",
    is_flag=True,
    help="Only reviewed codings: leave out the auto-coder's unreviewed suggestions.",
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="Language of the pages [default: the codebook's language].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes drawing the figures [default: one per core, at most 4].",
)
@engine_options
@quiet_option
def report_command(
    transcripts: str | None,
    respondents: str | None,
    codebook: str | None,
    codings: str | None,
    project: str | None,
    coder: tuple[str, ...],
    out: str,
    fmt: str,
    unit: Unit,
    compare: str,
    max_quotes: int,
    anonymise: bool,
    names: str,
    title: str,
    language: str | None,
    reviewed: bool,
    workers: int | None,
    scheduler: str | None,
    engine: str,
    quiet: bool,
) -> None:
    """Write one report per MSM variable, with the overview, CSVs and figures, into a folder.

    Each report (VARIABLE.html and .md) gives the variable's definition, how
    many segments, respondents and organisations raised each of its codes,
    charts, and the quotes grouped by code and valence, each attributed to
    its organisation. index.html links them with the variable x organisation
    heat map. frequencies.csv (variable, code, organisation, segments,
    respondents) and quotes.csv (variable, code, file, respondent,
    organisation, start, end, valence, text) hold every number and quote.
    Without --codings or --project the corpus is auto-coded first (the
    codings are kept in codings_auto.csv). Open index.html from the folder,
    or zip the folder and send it: every link is relative. With --scheduler
    (or --engine dask) Dask workers read, code and count the records, a
    partition of files each; the report set is the same (docs/scale.md).

    \b
    Example:
      qualcode report --transcripts transcripts_sample \\
          --codebook codebook/msm.yaml --out reports
      qualcode report --transcripts transcripts_sample --codebook codebook/msm.yaml \\
          --codings transcripts_sample/codings_gold.csv --out reports --anonymise
      qualcode report --transcripts /shared/study --codebook codebook/msm.yaml \\
          --out reports --scheduler tcp://10.0.0.5:8786
    """
    from qualcode.report import parse_formats, report_corpus

    if transcripts is None and project is None:
        raise click.UsageError("give --transcripts (with --codebook), or --project")
    if codebook is None and project is None:
        raise click.UsageError("give --codebook, or --project")
    if names and not anonymise:
        raise click.UsageError("--names lists names to replace; add --anonymise")
    if codings is not None and project is not None:
        raise click.UsageError("give --codings or --project, not both")
    if coder and project is None:
        raise click.UsageError("--coder chooses codings of a project; add --project")
    formats = parse_formats(fmt)
    dask = check_engine(transcripts, scheduler, engine)

    def autocode_bar(items: Iterator[Any], total: int) -> Iterable[Any]:
        return progress(items, total=total, desc="auto-coding", quiet=quiet)

    def report_bar(steps: Sequence[Any]) -> Iterable[Any]:
        return progress(steps, total=len(steps), desc="writing report", quiet=quiet)

    from qualcode.engine import dask_client

    with dask_client(scheduler=scheduler, engine="dask" if dask else "local") as client:
        run = report_corpus(
            out,
            transcripts=transcripts,
            respondents=respondents,
            codebook=codebook,
            codings=codings,
            project=project,
            coder=coder,
            unit=unit,
            formats=formats,
            compare=None if compare.lower() == "none" else compare,
            max_quotes=max_quotes,
            anonymise=anonymise,
            names=[n for n in names.split(";") if n.strip()],
            title=title,
            language=language,
            reviewed=reviewed,
            workers=workers,
            autocode_progress=autocode_bar,
            progress=report_bar,
            client=client,
        )
    report = run.report
    variables = len(
        {
            f.rsplit(".", 1)[0]
            for f in report.files
            if "/" not in f and f.endswith((".html", ".md", ".docx"))
        }
        - {"index"}
    )
    figures = sum(1 for f in report.files if f.startswith("figures/"))
    if run.autocoded is not None:
        click.echo(f"auto-coded the corpus: {run.codings} codings in {run.autocoded}")
    click.echo(
        f"wrote {variables} variable reports ({', '.join(formats)}), frequencies.csv, quotes.csv "
        f"({report.quotes} quotes) and {figures} figure files to {report.folder}"
    )
    click.echo(f"open {report.index}")
    echo_corpus_warnings(run.warnings)
    for issue in run.errors:
        say("error", issue.error)
    if run.errors:
        sys.exit(1)
