"""``qualcode words``, ``kwic`` and ``matrix``: the words before the codes, the tables after."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

from qualcode.cli import main
from qualcode.cli.options import (
    echo_corpus_warnings,
    format_option,
    project_codebook_option,
    project_transcripts_option,
    respondents_option,
    transcripts_option,
)
from qualcode.corpus import load_corpus

_codings_option = click.option(
    "--codings",
    "codings",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Codings CSV (the codings contract, see docs/codebook.md).",
)


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=2))


@main.command("words")
@transcripts_option
@respondents_option
@click.option(
    "--by",
    default=None,
    metavar="ATTRIBUTE",
    help="Compare groups: organisation, respondent, file or a respondents-table column "
    "(e.g. steering_group). Without it: one frequency list.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=None,
    help="Rows per group (or in the list) [default: 25 in a table, all in csv/json].",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Leave out lemmas used fewer times (in the group).",
)
@click.option(
    "--plot",
    "plot",
    default=None,
    type=click.Path(dir_okay=False),
    help="Also draw the top keywords per group (needs --by) as PATH.png and PATH.svg.",
)
@format_option("table", "csv", "json")
def words_command(
    transcripts: str,
    respondents: str | None,
    by: str | None,
    top: int | None,
    min_count: int,
    plot: str | None,
    fmt: str,
) -> None:
    """Lemma frequencies of respondent speech, and keywords of each group.

    Only respondent speech counts (no interviewer turns, speaker labels,
    headings or record metadata); stop words (spaCy's Dutch list) are left
    out of the list but count in the number of words. With --by, each group
    is compared with the rest of the corpus: count, words of the group,
    per_10000, respondents using the lemma, the same for the rest, the
    log-likelihood g2 with its p-value, and the log ratio (log2 of the ratio
    of relative frequencies). Rows are sorted by keyness: what the group says
    more than the rest first. See docs/explore.md.

    \b
    Example:
      qualcode words --transcripts transcripts_sample --top 20
      qualcode words --transcripts transcripts_sample --by steering_group --plot keywords
    """
    from qualcode.analysis.words import words

    if plot is not None and by is None:
        raise click.UsageError("--plot draws keywords per group; add --by")
    corpus = load_corpus(transcripts, respondents=respondents)
    echo_corpus_warnings(corpus.warnings)
    frame = words(corpus, by=by, min_count=min_count)
    if plot is not None:
        from qualcode.files.output import check_output
        from qualcode.plots import keyword_bars, save_figure

        for suffix in (".png", ".svg"):
            check_output(Path(plot).with_suffix(suffix), inputs=corpus.sources())
        for path in save_figure(keyword_bars(frame, by=str(by), top=top or 10), plot):
            click.echo(f"wrote {path}", err=True)
    shown = top if top is not None else (25 if fmt == "table" else None)
    if shown is not None:
        frame = frame.head(shown) if by is None else frame.groupby(by, sort=False).head(shown)
    if fmt != "table":
        _emit(frame, fmt)
    elif by is None:
        click.echo(frame.to_string(index=False) if len(frame) else "(no words)")
    else:
        for group, rows in frame.groupby(by, sort=False):
            size = int(rows["words"].iloc[0])
            click.echo(f"{by} = {group} ({size} words of respondent speech)")
            click.echo(rows.drop(columns=[by, "words", "rest_words"]).to_string(index=False))
            click.echo()


@main.command("kwic")
@click.argument("term")
@transcripts_option
@respondents_option
@click.option(
    "--lemma", is_flag=True, help="Match every form of the term's lemma (signaal: signalen)."
)
@click.option(
    "--window",
    type=click.IntRange(min=0),
    default=8,
    show_default=True,
    help="Words of context on each side (within the paragraph).",
)
@click.option(
    "--code",
    default=None,
    metavar="ID",
    help="Only occurrences inside codings of this code or its sub-codes (needs --codings "
    "and --codebook).",
)
@_codings_option
@click.option(
    "--codebook",
    "codebook",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Codebook (YAML) of --codings; its language also picks the lemmas.",
)
@format_option("table", "csv", "json")
def kwic_command(
    term: str,
    transcripts: str,
    respondents: str | None,
    lemma: bool,
    window: int,
    code: str | None,
    codings: str | None,
    codebook: str | None,
    fmt: str,
) -> None:
    """Every occurrence of TERM in respondent speech, with its context (keywords in context).

    TERM is written as a codebook pattern: a word, a phrase ("te laat"),
    alternatives (geld|budget) or a wildcard (financ*). A word matches its own
    forms only, unless --lemma. csv and json rows have file, respondent,
    organisation, start, end, left, match, right; text[start:end] is the
    match, in the coordinates of 'qualcode text'.

    \b
    Example:
      qualcode kwic signaal --lemma --transcripts transcripts_sample
      qualcode kwic "geld|budget" --transcripts transcripts_sample --code FINANCIEEL \\
          --codings transcripts_sample/codings_gold.csv --codebook codebook/msm.yaml
    """
    from qualcode.analysis import Analysis
    from qualcode.analysis.kwic import kwic

    if code is not None and (codings is None or codebook is None):
        raise click.UsageError("--code looks inside codings: add --codings CSV and --codebook F")
    if code is None and codings is not None:
        raise click.UsageError("--codings is used with --code ID; add --code or leave it out")
    if code is not None:
        analysis = Analysis.load(
            transcripts=transcripts, respondents=respondents, codebook=codebook, codings=codings
        )
        echo_corpus_warnings(analysis.corpus.warnings)
        frame = analysis.kwic(term, lemma=lemma, window=window, code=code)
    else:
        language = "nl"
        if codebook is not None:
            from qualcode.codebook import load_codebook

            language = load_codebook(codebook).language
        corpus = load_corpus(transcripts, respondents=respondents)
        echo_corpus_warnings(corpus.warnings)
        frame = kwic(corpus, term, lemma=lemma, window=window, language=language)
    if fmt != "table":
        _emit(frame, fmt)
        return
    if not len(frame):
        click.echo(f"no occurrence of {term!r} in respondent speech")
        return
    left = frame["left"].str[-50:]
    width = int(left.str.len().max())
    for row, context in zip(frame.itertuples(index=False), left, strict=True):
        click.echo(f"{context:>{width}} [{row.match}] {row.right[:50]}  ({row.organisation})")
    click.echo(f"\n{len(frame)} occurrences in {frame['file'].nunique()} transcripts")


@main.command("matrix")
@project_transcripts_option
@respondents_option
@project_codebook_option
@_codings_option
@click.option(
    "--project",
    "project",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Project file whose codings to count (instead of --codings).",
)
@click.option(
    "--by",
    default="organisation",
    show_default=True,
    metavar="CASE",
    help="Cases (rows): organisation, respondent, file or a respondents-table column.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="FILE.xlsx (sheets counts, presence, codes) or FILE.csv "
    "(plus FILE_presence.csv and FILE_codes.csv).",
)
def matrix_command(
    transcripts: str | None,
    respondents: str | None,
    codebook: str | None,
    codings: str | None,
    project: str | None,
    by: str,
    out: str,
) -> None:
    """A code-by-case matrix for R or SPSS: coded segments and 0/1 presence per case.

    One row per case with its attributes and number of respondents, one
    column per code (variables, sub-codes and valence codes, named by id; a
    code counts its sub-codes' segments too). The codes sheet (or
    FILE_codes.csv) gives each column's name, variable and parent.

    \b
    Example:
      qualcode matrix --transcripts transcripts_sample --codebook codebook/msm.yaml \\
          --codings transcripts_sample/codings_gold.csv --by organisation --out matrix.xlsx
    """
    from qualcode.analysis import Analysis
    from qualcode.analysis.cases import write_case_matrix

    if (codings is None) == (project is None):
        raise click.UsageError("give a codings CSV (--codings) or a project (--project), not both")
    analysis = Analysis.load(
        transcripts=transcripts,
        respondents=respondents,
        codebook=codebook,
        codings=codings,
        project=project,
    )
    echo_corpus_warnings(analysis.corpus.warnings)
    counts = analysis.case_matrix(by, values="count")
    inputs: list[str | Path] = [*analysis.corpus.sources()]
    inputs += [p for p in (codebook, codings, project) if p is not None]
    written = write_case_matrix(
        counts,
        analysis.case_matrix(by, values="presence"),
        analysis.code_key(),
        out,
        inputs=inputs,
    )
    click.echo(
        f"wrote {len(counts)} cases x {len(analysis.codebook.codes)} codes to "
        + ", ".join(str(p) for p in written)
    )
