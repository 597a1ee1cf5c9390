"""``qualcode agreement``: intercoder agreement of two or more coders' codings."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qualcode.cli import main
from qualcode.cli.options import format_option, respondents_option, transcripts_option
from qualcode.files.output import check_output


@main.command("agreement")
@click.argument("codings", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@transcripts_option
@respondents_option
@click.option(
    "--unit",
    type=click.Choice(["paragraph", "sentence", "turn", "character"]),
    default="paragraph",
    show_default=True,
    help="Unit of comparison: segments, or every character.",
)
@click.option(
    "--units",
    "scope",
    type=click.Choice(["codable", "all"]),
    default="codable",
    show_default=True,
    help="Count respondent speech only (codable), or every unit, interviewer turns, "
    "headings and metadata included (all, as programs that count the whole source).",
)
@click.option(
    "--bootstrap",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    metavar="N",
    help="Add a 95% interval for every alpha from N bootstrap samples (e.g. 1000).",
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    help="Seed of the bootstrap samples: the same seed gives the same intervals.",
)
@click.option(
    "--variable",
    default=None,
    metavar="ID",
    help="Compare the sub-codes of this code (they exclude each other); needs --codebook.",
)
@click.option(
    "--codes",
    default=None,
    metavar="A,B,...",
    help="Compare these codes, which exclude each other (comma-separated).",
)
@click.option(
    "--codebook",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Codebook (YAML): checks code ids; a coding counts for the codes above it too.",
)
@click.option(
    "--file",
    "files",
    multiple=True,
    metavar="NAME",
    help="Compare only this transcript (repeatable); default: those every coder coded.",
)
@click.option(
    "--disagreements",
    "disagreements_out",
    default=None,
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the disagreements to this CSV (one row per unit, a column per coder).",
)
@format_option("table", "json", "html")
def agreement_command(
    codings: tuple[str, ...],
    transcripts: str,
    respondents: str | None,
    unit: str,
    scope: str,
    bootstrap: int,
    seed: int,
    variable: str | None,
    codes: str | None,
    codebook: str | None,
    files: tuple[str, ...],
    disagreements_out: str | None,
    fmt: str,
) -> None:
    """Intercoder agreement of the coders in CODINGS (one or more codings CSVs).

    Every distinct value of the coder column is one coder; a CSV may hold
    several. Per code: percent agreement, Cohen's kappa (two coders),
    Fleiss' kappa, Gwet's AC1 and Krippendorff's alpha, judged against
    Krippendorff's thresholds (0.800 reliable, 0.667 tentative); with
    --variable or --codes the same over those codes, which exclude each
    other. The units are the codable segments (respondent speech) of the
    transcripts every coder coded; --units all counts every segment.

    \b
    Example:
      qualcode agreement anna.csv bram.csv --transcripts transcripts_sample
      qualcode agreement team.csv --transcripts transcripts_sample \\
          --variable PLANNING --codebook codebook/msm.yaml --format json
      qualcode agreement team.csv --transcripts transcripts_sample \
          --bootstrap 1000 --format html > agreement.html
    """
    from qualcode.agreement import (
        agreement,
        format_html,
        format_table,
        read_codings,
        variable_codes,
    )
    from qualcode.coding import write_codings_csv
    from qualcode.corpus import load_corpus

    if variable is not None and codes is not None:
        raise click.UsageError("use either --variable or --codes, not both")
    if variable is not None and codebook is None:
        raise click.UsageError(
            "--variable needs --codebook: the codebook says which codes are under the variable"
        )
    if disagreements_out is not None:  # refused before the work, not after it
        check_output(disagreements_out, inputs=codings)
    book = None
    if codebook is not None:
        from qualcode.codebook import load_codebook

        book = load_codebook(codebook)
    domain: tuple[str, ...] | None = None
    if variable is not None and book is not None:
        domain = variable_codes(book, variable)
    elif codes is not None:
        domain = tuple(c.strip() for c in codes.split(",") if c.strip())
    corpus = load_corpus(transcripts, respondents=respondents)
    result = agreement(
        read_codings(codings),
        corpus,
        unit=unit,
        domain=domain,
        codebook=book,
        files=files or None,
        units=scope,
        bootstrap=bootstrap,
        seed=seed,
    )
    if disagreements_out is not None:
        inputs: list[str | Path] = [*codings, *corpus.sources()]
        if codebook is not None:
            inputs.append(codebook)
        write_codings_csv(result.disagreements_frame(), disagreements_out, inputs=inputs)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "html":
        click.echo(format_html(result), nl=False)
    else:
        click.echo(format_table(result))
