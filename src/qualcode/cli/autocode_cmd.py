"""``qualcode autocode`` (apply a codebook to a corpus) and ``qualcode evaluate``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from qualcode.cli import main
from qualcode.cli.options import (
    RecordsPath,
    check_engine,
    codebook_option,
    echo_corpus_warnings,
    engine_options,
    format_option,
    progress,
    quiet_option,
    respondents_option,
    say,
    unit_option,
)
from qualcode.codebook.model import Codebook
from qualcode.coding.autocoder import (
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_MIN_SCORE,
    DEFAULT_RELATIVE,
    DEFAULT_VALENCE_MIN_CONFIDENCE,
    DEFAULT_VALENCE_MIN_SCORE,
    Selection,
)
from qualcode.corpus.model import Unit
from qualcode.files.folder import folder_files
from qualcode.files.output import check_output, check_suffix

rules_only_option = click.option(
    "--rules-only",
    is_flag=True,
    help="Use the codebook's patterns alone, without the learned model.",
)


@main.command("autocode")
@click.option(
    "--transcripts",
    "transcripts",
    required=True,
    type=RecordsPath(),
    help="Folder of interview records (.txt .md .docx .odt .vtt .srt); with the Dask "
    "engine also an fsspec URL (s3://bucket/study) every worker can read.",
)
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
    "--min-confidence",
    type=click.FloatRange(min=0, max=1),
    default=DEFAULT_MIN_CONFIDENCE,
    show_default=True,
    help="Probability a variable other than a segment's best needs (learned model).",
)
@click.option(
    "--valence-min-confidence",
    type=click.FloatRange(min=0, max=1),
    default=DEFAULT_VALENCE_MIN_CONFIDENCE,
    show_default=True,
    help="Probability a valence code needs (learned model).",
)
@click.option(
    "--learn-from",
    "learn_from",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="CODINGS.csv",
    help="Hand-coded codings CSV to learn from (repeatable; rows of coder 'auto' are skipped).",
)
@rules_only_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to use [default: 1 for small corpora, every core for large ones; "
    "with --engine dask: one per core].",
)
@engine_options
@quiet_option
def autocode_command(
    transcripts: str,
    respondents: str | None,
    codebook: str,
    out: str,
    unit: Unit,
    min_score: float,
    relative: float,
    valence_min_score: float,
    min_confidence: float,
    valence_min_confidence: float,
    learn_from: tuple[str, ...],
    rules_only: bool,
    workers: int | None,
    scheduler: str | None,
    engine: str,
    quiet: bool,
) -> None:
    """Auto-code the respondent speech of a corpus: the codebook's patterns plus a learned model.

    Writes a codings CSV (coder 'auto'). Every respondent segment gets its best
    variable (rank 1) with a calibrated confidence; other variables and valence
    codes where their probability passes the thresholds. Evidence names the
    matched patterns and the words that weighed most for the model. With
    --learn-from, the model also learns from your own coding (the text column
    of each hand-coded row). Interviewer turns are never coded. Files that cannot
    be read are reported as 'error:' lines after the others were coded, and the
    exit status is then 1. With --scheduler (or
    --engine dask) the records are read and coded by Dask workers, a partition of
    files each; the codings are the same, row for row (docs/scale.md).

    \b
    Example:
      qualcode autocode --transcripts transcripts_sample \\
          --codebook codebook/msm.yaml --out codings_auto.csv
      qualcode autocode --transcripts interviews --codebook codebook/msm.yaml \\
          --learn-from my_coding.csv --out codings_auto.csv
      qualcode autocode --transcripts /shared/study --codebook codebook/msm.yaml \\
          --out codings_auto.csv --scheduler tcp://10.0.0.5:8786
    """
    from qualcode.codebook import load_codebook
    from qualcode.coding.autocoder import autocode_corpus
    from qualcode.corpus import load_corpus

    # Before any work: the codings go to a .csv that is none of the inputs (--learn-from too).
    if Path(transcripts).is_dir():
        check_output(out, inputs=(*learn_from, codebook, *folder_files(Path(transcripts))[0]))
    check_suffix(out, (".csv",), "codings")
    book = load_codebook(codebook)
    selection = Selection(
        min_score, relative, valence_min_score, min_confidence, valence_min_confidence
    )
    if check_engine(transcripts, scheduler, engine):
        if learn_from:
            raise click.UsageError(
                "--learn-from trains a model in this process, which Dask workers cannot "
                "load; leave out --learn-from, or --scheduler and --engine dask"
            )
        _autocode_dask(
            transcripts,
            respondents,
            book,
            out,
            unit,
            selection,
            not rules_only,
            scheduler,
            workers,
            quiet,
        )
        return
    corpus = load_corpus(transcripts, respondents=respondents)
    model = _model(book, learn_from, rules_only, quiet)

    def bar(items: Iterator[Any]) -> Iterator[Any]:
        return progress(items, total=len(corpus), desc="auto-coding", quiet=quiet)

    frame = autocode_corpus(
        corpus, book, out, unit=unit, selection=selection, workers=workers, wrap=bar, model=model
    )
    _done(len(frame), frame["variable"].nunique(), len(corpus), out, corpus)


def _done(codings: int, variables: int, transcripts: int, out: str, corpus: Any) -> None:
    """Say what was written, then the *corpus*'s warnings and errors (exit 1 on errors)."""
    click.echo(
        f"wrote {codings} codings ({variables} variables) for {transcripts} transcripts to {out}"
    )
    echo_corpus_warnings(corpus.warnings)
    for issue in corpus.errors:
        say("error", issue.error)
    if corpus.errors:
        sys.exit(1)


def _model(book: Any, learn_from: tuple[str, ...], rules_only: bool, quiet: bool) -> Any:
    """The model for ``autocode``: none, the shipped one (True), or one that learned."""
    if rules_only:
        if learn_from:
            raise click.UsageError("--learn-from trains the model: leave out --rules-only")
        return False
    if not learn_from:
        return True
    from qualcode.coding.learning import learn_from as learn

    model, n = learn(book, learn_from)
    if model is None:
        click.echo(
            f"note: {n} hand-coded passages are too few to learn from (each of two "
            "variables needs 5); coding with the patterns alone",
            err=True,
        )
        return False
    if not quiet:
        click.echo(f"learned from {n} hand-coded passages in {len(learn_from)} file(s)", err=True)
    return model


def _autocode_dask(
    transcripts: str,
    respondents: str | None,
    book: Codebook,
    out: str,
    unit: str,
    selection: Selection,
    model: bool,
    scheduler: str | None,
    workers: int | None,
    quiet: bool,
) -> None:
    from qualcode.engine import RecordSource, dask_client
    from qualcode.engine.autocode import autocode_records

    source = RecordSource.open(transcripts, respondents=respondents)

    def bar(items: Iterator[Any], total: int) -> Iterator[Any]:
        return progress(items, total=total, desc="auto-coding (partitions)", quiet=quiet)

    with dask_client(scheduler=scheduler, engine="dask", workers=workers) as client:
        run = autocode_records(
            source,
            book,
            out,
            client=client,
            unit=unit,
            selection=selection,
            model=model,
            progress=bar,
        )
    _done(run.codings, run.variables, run.transcripts, out, run)


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
    default=None,
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
    help="Auto-code with --codebook and tune its thresholds leave-one-organisation-out; "
    "and measure what learning from 80%% of the gold does for the other 20%%.",
)
@click.option(
    "--passages",
    "passages",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="PASSAGES.csv",
    help="Labelled passages (id,text,variables,valence) to auto-code and score (repeatable).",
)
@rules_only_option
@format_option("table", "json")
def evaluate_command(
    codings: str | None,
    gold: str | None,
    transcripts: str | None,
    respondents: str | None,
    unit: Unit,
    codebook: str | None,
    files: tuple[str, ...],
    cross: bool,
    passages: tuple[str, ...],
    rules_only: bool,
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
      qualcode evaluate --codebook codebook/msm.yaml \\
          --passages evaluation/independent/t1.csv
    """
    from qualcode.coding.crossval import CrossValidation, cross_validate_files
    from qualcode.coding.evaluation import Evaluation, evaluate_files

    if passages:
        _evaluate_passages(passages, codebook, rules_only, fmt)
        return
    if gold is None:
        raise click.UsageError("pass --gold GOLD.csv (or --passages PASSAGES.csv)")
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
    learning = _learning(gold, codebook) if cross and codebook is not None else None
    if fmt == "json":
        data = result.to_dict()
        if learning is not None:
            data["learning"] = learning.to_dict()
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(result.format_table())
        if learning is not None:
            click.echo("\n" + learning.format_table())


def _learning(gold: str, codebook: str) -> Any:
    from qualcode.codebook import load_codebook
    from qualcode.coding.csvio import read_codings_csv
    from qualcode.coding.learning import cross_validate_learning

    frame = read_codings_csv(gold)
    return cross_validate_learning(frame, load_codebook(codebook), name=Path(gold).name)


def _evaluate_passages(
    passages: tuple[str, ...], codebook: str | None, rules_only: bool, fmt: str
) -> None:
    from qualcode.codebook import load_codebook
    from qualcode.coding.learning import evaluate_passages

    if codebook is None:
        raise click.UsageError("--passages needs --codebook (the auto-coder's codebook)")
    scores = evaluate_passages(passages, load_codebook(codebook), model=not rules_only)
    if fmt == "json":
        click.echo(json.dumps(scores.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(scores.format_table())
