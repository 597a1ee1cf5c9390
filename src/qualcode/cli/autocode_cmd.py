"""``qualcode autocode`` (apply a codebook to a corpus) and ``qualcode evaluate``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from qualcode.cli import main
from qualcode.cli.options import (
    codebook_option,
    echo_corpus_warnings,
    format_option,
    progress,
    quiet_option,
    respondents_option,
    transcripts_option,
    unit_option,
)
from qualcode.coding.autocoder import (
    DEFAULT_MIN_SCORE,
    DEFAULT_RELATIVE,
    DEFAULT_VALENCE_MIN_SCORE,
    Selection,
)


@main.command("autocode")
@transcripts_option
@respondents_option
@codebook_option
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="Codings CSV to write (columns: see docs/codebook.md).",
)
@unit_option
@click.option(
    "--min-score",
    type=click.FloatRange(min=0),
    default=DEFAULT_MIN_SCORE,
    show_default=True,
    help="Evidence a variable needs in a segment.",
)
@click.option(
    "--relative",
    type=click.FloatRange(min=0, max=1),
    default=DEFAULT_RELATIVE,
    show_default=True,
    help="Share of the segment's best variable score a variable needs.",
)
@click.option(
    "--valence-min-score",
    type=click.FloatRange(min=0),
    default=DEFAULT_VALENCE_MIN_SCORE,
    show_default=True,
    help="Evidence a valence code needs (only where a variable was coded).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to use [default: 1 for small corpora, every core for large ones].",
)
@quiet_option
def autocode_command(
    transcripts: str,
    respondents: str | None,
    codebook: str,
    out: str,
    unit: str,
    min_score: float,
    relative: float,
    valence_min_score: float,
    workers: int | None,
    quiet: bool,
) -> None:
    """Auto-code the respondent speech of a corpus with a codebook's patterns.

    Writes a codings CSV (coder 'auto') with a score and the evidence (matched
    words and patterns) for every coding. Interviewer turns are never coded.
    Files that cannot be read are reported as 'error:' lines after the others
    were coded, and the exit status is then 1.

    \b
    Example:
      qualcode autocode --transcripts transcripts_sample \\
          --codebook codebook/msm.yaml --out codings_auto.csv
    """
    from qualcode.codebook import load_codebook
    from qualcode.coding.autocoder import autocode_corpus
    from qualcode.corpus import load_corpus

    book = load_codebook(codebook)
    corpus = load_corpus(transcripts, respondents=respondents)
    selection = Selection(min_score, relative, valence_min_score)

    def bar(items: Iterator[Any]) -> Iterator[Any]:
        return progress(items, total=len(corpus), desc="auto-coding", quiet=quiet)

    frame = autocode_corpus(
        corpus, book, out, unit=unit, selection=selection, workers=workers, wrap=bar
    )
    click.echo(
        f"wrote {len(frame)} codings ({frame['variable'].nunique()} variables) for "
        f"{len(corpus)} transcripts to {out}"
    )
    echo_corpus_warnings(corpus.warnings)
    for issue in corpus.errors:
        click.echo(f"error: {issue.error}", err=True)
    if corpus.errors:
        sys.exit(1)


@main.command("evaluate")
@click.option(
    "--codings",
    "codings",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Predicted codings CSV (e.g. from qualcode autocode).",
)
@click.option(
    "--gold",
    "gold",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Gold-standard codings CSV, same columns.",
)
@click.option(
    "--transcripts",
    "transcripts",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="Folder the codings were made on [default: the gold file's folder].",
)
@respondents_option
@unit_option
@click.option(
    "--codebook",
    "codebook",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Roll codes up by this codebook's tree (needed for --cross-validate).",
)
@click.option(
    "--file",
    "files",
    multiple=True,
    metavar="NAME",
    help="Evaluate only this transcript (repeatable); default: every transcript.",
)
@click.option(
    "--cross-validate",
    "cross",
    is_flag=True,
    help="Auto-code with --codebook and tune its thresholds leave-one-organisation-out.",
)
@format_option("table", "json")
def evaluate_command(
    codings: str | None,
    gold: str,
    transcripts: str | None,
    respondents: str | None,
    unit: str,
    codebook: str | None,
    files: tuple[str, ...],
    cross: bool,
    fmt: str,
) -> None:
    """Measure codings against a gold standard, per segment of a unit.

    Per variable (and valence code): precision, recall, F1. For the top
    variable per segment: accuracy and Cohen's kappa. With --cross-validate,
    the auto-coder's thresholds are tuned on all organisations but one and
    scored on that one, in turn: figures for interviews nobody tuned on.

    \b
    Example:
      qualcode evaluate --codings codings_auto.csv \\
          --gold transcripts_sample/codings_gold.csv
      qualcode evaluate --cross-validate --codebook codebook/msm.yaml \\
          --gold transcripts_sample/codings_gold.csv
    """
    from qualcode.evaluate import CrossValidation, Evaluation, cross_validate_files, evaluate_files

    result: Evaluation | CrossValidation
    if cross:
        if codebook is None:
            raise click.UsageError("--cross-validate needs --codebook (the auto-coder's patterns)")
        result = cross_validate_files(
            gold, codebook=codebook, transcripts=transcripts, respondents=respondents, unit=unit
        )
    else:
        if codings is None:
            raise click.UsageError("pass --codings PRED.csv, or --cross-validate with --codebook")
        result = evaluate_files(
            codings,
            gold,
            transcripts=transcripts,
            respondents=respondents,
            unit=unit,
            codebook=codebook,
            files=files or None,
        )
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.format_table())
