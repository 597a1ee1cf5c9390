"""``qualcode corpus`` and ``qualcode text``: look at what was read."""

from __future__ import annotations

import json
import sys

import click

from qualcode.cli import main
from qualcode.cli.options import (
    echo_corpus_warnings,
    format_option,
    respondents_option,
    say,
    transcripts_option,
)
from qualcode.corpus import DEFAULT_MAX_BYTES, load_corpus

max_size_option = click.option(
    "--max-size",
    "max_mb",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_MAX_BYTES / 1024 / 1024,
    show_default=True,
    help="Refuse files larger than this many MiB, unread.",
)


@main.command("corpus")
@transcripts_option
@respondents_option
@format_option("table", "json")
@max_size_option
def corpus_command(transcripts: str, respondents: str | None, fmt: str, max_mb: float) -> None:
    """List the interview records of a folder: one row per transcript.

    Problems with single files go to stderr, one line each; the exit status is 1
    when anything was wrong.

    \b
    Example:
      qualcode corpus --transcripts transcripts_sample --format json
    """
    corpus = load_corpus(transcripts, respondents=respondents, max_bytes=int(max_mb * 1024 * 1024))
    overview = corpus.overview()
    if fmt == "json":
        payload = {
            "transcripts": overview.to_dict(orient="records"),
            "errors": [{"file": e.file, "error": e.error} for e in corpus.errors],
            "warnings": list(corpus.warnings),
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(overview.to_string(index=False) if len(overview) else "(no transcripts)")
        total = int(overview["words"].sum()) if len(overview) else 0
        n = len(overview)
        click.echo(f"\n{n} transcript{'s' * (n != 1)}, {total} word{'s' * (total != 1)}")
    echo_corpus_warnings(corpus.warnings)
    for issue in corpus.errors:
        say("error", issue.error)
    if corpus.errors:
        sys.exit(1)


@main.command("text")
@transcripts_option
@click.argument("file")
def text_command(transcripts: str, file: str) -> None:
    """Print FILE's normalised text exactly: the reference for every offset.

    FILE is a file inside the transcripts folder (links leading outside it are
    refused).

    \b
    Example:
      qualcode text --transcripts transcripts_sample divosa.txt
    """
    from pathlib import Path

    from qualcode.corpus import read_transcript
    from qualcode.errors import CorpusError
    from qualcode.files.folder import file_inside

    path = file_inside(Path(transcripts), file, error=CorpusError)
    transcript = read_transcript(path, name=file)
    sys.stdout.flush()
    sys.stdout.buffer.write(transcript.text.encode("utf-8"))
    sys.stdout.buffer.flush()
