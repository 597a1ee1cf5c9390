"""Options shared by several commands, defined once."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

transcripts_option = click.option(
    "--transcripts",
    "transcripts",
    required=True,
    type=click.Path(exists=True, file_okay=False, dir_okay=True),
    help="Folder of interview records (.txt .md .docx .odt .vtt .srt).",
)

respondents_option = click.option(
    "--respondents",
    "respondents",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Respondents table (.csv or .xlsx); default: respondents.csv in the transcripts folder.",
)

codebook_option = click.option(
    "--codebook",
    "codebook",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Codebook file (YAML, see docs/codebook.md).",
)

project_transcripts_option = click.option(
    "--transcripts",
    "transcripts",
    default=None,
    type=click.Path(exists=True, file_okay=False, dir_okay=True),
    help="Folder of interview records [default with --project: the project's own].",
)

project_codebook_option = click.option(
    "--codebook",
    "codebook",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="Codebook file (YAML) [default with --project: the project's own].",
)

unit_option = click.option(
    "--unit",
    type=click.Choice(["paragraph", "turn", "sentence"]),
    default="paragraph",
    show_default=True,
    help="Segment unit.",
)

quiet_option = click.option("--quiet", is_flag=True, help="No progress bar on stderr.")


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    """A ``--format`` option offering *choices* (first one is the default)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default or choices[0],
        show_default=True,
        help="Output format.",
    )


def progress(items: Iterable[Any], *, total: int | None, desc: str, quiet: bool) -> Iterator[Any]:
    """Wrap *items* in a progress bar on stderr, unless quiet or stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=desc, file=sys.stderr, leave=False)


def echo_corpus_warnings(warnings: Iterable[str]) -> None:
    """Print the corpus *warnings* on stderr, with the command-line way to fix them."""
    for message in warnings:
        hint = " or pass --respondents PATH" if "respondents table" in message else ""
        say("warning", f"{message}{hint}")


def say(kind: str, message: object) -> None:
    """Print ``kind: message`` on stderr as one line (a newline in a file name is escaped)."""
    from qualcode.files.folder import shown

    click.echo(f"{kind}: {shown(str(message))}", err=True)


class RecordsPath(click.ParamType):
    """A folder of interview records, or an fsspec URL of one (``s3://bucket/study``)."""

    name = "FOLDER|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if "://" in text:
            return text
        return str(
            click.Path(exists=True, file_okay=False, dir_okay=True).convert(text, param, ctx)
        )


def engine_options(func: F) -> F:
    """``--engine`` and ``--scheduler``: run on this machine's processes or a Dask cluster."""
    func = click.option(
        "--scheduler",
        "scheduler",
        default=None,
        metavar="ADDRESS",
        help="Run on this dask.distributed scheduler (e.g. tcp://10.0.0.5:8786); "
        "needs qualcode[dask]. Implies --engine dask.",
    )(func)
    return click.option(
        "--engine",
        type=click.Choice(["local", "dask"]),
        default="local",
        show_default=True,
        help="local: this machine's process pool; dask: a Dask cluster (a LocalCluster "
        "of --workers processes unless --scheduler names one).",
    )(func)


def check_engine(transcripts: str | None, scheduler: str | None, engine: str) -> bool:
    """Whether the Dask engine was asked for; a URL of records needs it (``UsageError``)."""
    dask = scheduler is not None or engine == "dask"
    if transcripts is not None and "://" in transcripts and not dask:
        raise click.UsageError(
            f"--transcripts {transcripts} is a URL: its records are read by Dask workers; "
            "add --engine dask or --scheduler ADDRESS"
        )
    return dask
