"""Building a report set: figures, CSVs and the per-variable reports, written into one folder.

The files are first written into a temporary folder inside the output folder
and moved into place only when everything succeeded: a failed run leaves an
earlier report set as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from qualcode.analysis import QUOTE_COLUMNS, Analysis
from qualcode.analysis.summary import QuoteTables, Summary, Tables
from qualcode.errors import ArgumentError, OutputError
from qualcode.files.output import check_output, write_failure
from qualcode.report.anonymise import Anonymiser
from qualcode.report.html import write_html
from qualcode.report.markdown import write_markdown
from qualcode.report.model import ReportContent, ReportSet

if TYPE_CHECKING:  # matplotlib is imported only when a report is built
    from matplotlib.figure import Figure

    from qualcode.codebook import Codebook
    from qualcode.corpus import Transcript
    from qualcode.report.content import FigureJob

__all__ = [
    "DEFAULT_FORMATS",
    "DEFAULT_MAX_QUOTES",
    "FREQUENCY_COLUMNS",
    "REPORT_FORMATS",
    "build_report",
    "frequency_table",
    "parse_formats",
    "quote_table",
    "write_report",
]

REPORT_FORMATS = ("html", "md", "docx", "xlsx")
DEFAULT_FORMATS = ("html", "md")
#: Quotes shown per code and valence in a report; quotes.csv always has them all.
DEFAULT_MAX_QUOTES = 25
#: The ``frequencies.csv`` contract, then extra columns (add, never rename or drop).
FREQUENCY_COLUMNS = ("variable", "code", "organisation", "segments", "respondents", "name")

#: One unit of work for the progress bar: a label and what to do.
Step = tuple[str, Callable[[], list[str]]]


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """Formats from ``"html,md"`` or a list; ``ArgumentError`` naming an unknown one."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    out = tuple(dict.fromkeys(f.strip().lower() for f in items if f.strip()))
    unknown = [f for f in out if f not in REPORT_FORMATS]
    if unknown or not out:
        raise ArgumentError(
            f"unknown report format {', '.join(unknown) or repr('')}; choose "
            f"from {', '.join(REPORT_FORMATS)} (comma-separated)"
        )
    return out


def frequency_table(analysis: Tables) -> pd.DataFrame:
    """``frequencies.csv``: every code x organisation, with segments and respondents."""
    freq = analysis.frequencies(by="organisation", level="code")
    return freq[list(FREQUENCY_COLUMNS)]


def quote_table(quotes: pd.DataFrame, anonymiser: Anonymiser | None = None) -> pd.DataFrame:
    """``quotes.csv``: one row per quote in ``QUOTE_COLUMNS``; names replaced when anonymising."""
    frame = quotes[list(QUOTE_COLUMNS)]
    if anonymiser:
        frame = anonymiser.frame(frame, ["text", "respondent"])
    return frame


def _csv_column(series: pd.Series) -> list[str]:
    """The cells of one column as CSV text, quoted where ``csv.QUOTE_MINIMAL`` would."""
    if series.dtype.kind in "iufb":
        return [str(v) for v in series.tolist()]
    codes, uniques = pd.factorize(series.astype(str), use_na_sentinel=False)
    quoted = np.array(
        [
            '"' + v.replace('"', '""') + '"'
            if ('"' in v or "," in v or "\n" in v or "\r" in v)
            else v
            for v in uniques.tolist()
        ],
        dtype=object,
    )
    return quoted[codes].tolist()


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """*frame* as UTF-8 CSV, byte for byte as ``DataFrame.to_csv`` writes it, but faster."""
    columns = [_csv_column(frame[name]) for name in frame.columns]
    header = ",".join(_csv_column(pd.Series([str(c) for c in frame.columns])))
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(header + "\n")
        for start in range(0, len(frame), 20_000):
            chunk = [col[start : start + 20_000] for col in columns]
            fh.write("".join(",".join(row) + "\n" for row in zip(*chunk, strict=True)))


def _refuse_records_folder(out: Path, root: Path) -> None:
    """Refuse a report folder that is the records folder *root* or inside it.

    The report's ``.md`` files and figures would be read as interview records
    (or refused as unknown files) the next time the folder is read.
    """
    try:
        where, records = Path(os.path.realpath(out)), Path(os.path.realpath(root))
    except (OSError, ValueError):
        return
    if where == records or records in where.parents:
        raise OutputError(
            f"{out}: is inside the transcripts folder {root}; the report's files would be read "
            f"as interview records next time: choose a folder outside it, e.g. "
            f"{records.parent / 'reports'}"
        )


def _prepare_folder(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose a folder for the report set")
    try:
        out.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".qualcode-report-", dir=out))
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot write the report set there ({exc.strerror}); choose another folder"
        ) from None


def _render(stem: str, draw: Callable[[], Figure], folder: Path) -> list[str]:
    """Draw one figure and save it as PNG and SVG; the paths relative to *folder*."""
    from qualcode.plots import save_figure

    return [
        p.relative_to(folder).as_posix() for p in save_figure(draw(), folder / "figures" / stem)
    ]


def _figure_steps(jobs: list[FigureJob], tmp: Path, pool: Executor | None) -> list[Step]:
    if pool is None:
        return [(ref.stem, partial(_render, ref.stem, draw, tmp)) for ref, draw in jobs]
    futures = [(ref.stem, pool.submit(_render, ref.stem, draw, tmp)) for ref, draw in jobs]
    return [(stem, future.result) for stem, future in futures]


def _text_steps(
    analysis: Summary,
    content: ReportContent,
    tmp: Path,
    formats: Sequence[str],
    quotes: pd.DataFrame,
    anonymiser: Anonymiser,
) -> tuple[list[Step], list[Step]]:
    """The steps that need no figures (CSVs, HTML, Markdown), and those that do (docx, xlsx)."""
    freq = frequency_table(analysis)
    quote_rows = quote_table(quotes, anonymiser)

    def tables() -> list[str]:
        _write_csv(freq, tmp / "frequencies.csv")
        _write_csv(quote_rows, tmp / "quotes.csv")
        return ["frequencies.csv", "quotes.csv"]

    text: list[Step] = [("csv", tables)]
    office: list[Step] = []
    if "html" in formats:
        text.append(("html", partial(write_html, content, tmp)))
    if "md" in formats:
        text.append(("md", partial(write_markdown, content, tmp)))
    if "docx" in formats:
        from qualcode.report.office import write_docx

        office.append(("docx", partial(write_docx, content, tmp)))
    if "xlsx" in formats:
        from qualcode.report.office import write_xlsx

        sheets = {
            "Frequencies": freq,
            "Quotes": quote_rows,
            "Framework matrix": analysis.framework_matrix().reset_index(),
            "Co-occurrence": analysis.cooccurrence().reset_index(),
        }
        office.append(("xlsx", partial(write_xlsx, content, tmp, sheets)))
    return text, office


def _check_options(formats: str | Iterable[str], max_quotes: int) -> tuple[str, ...]:
    chosen = parse_formats(formats)
    if "docx" in chosen or "xlsx" in chosen:
        from qualcode.report.office import require

        require(chosen)
    if max_quotes < 0:
        raise ArgumentError(f"max_quotes must be 0 (all) or more, not {max_quotes}")
    return chosen


def transcript_pages(
    transcripts: Iterable[Transcript],
    codings: pd.DataFrame,
    codebook: Codebook,
    language: str | None,
    folder: Path,
) -> list[str]:
    """The transcript view of *transcripts*, the *codings* (with ``variable``) as stripes."""
    from qualcode import plots
    from qualcode.report.html import css
    from qualcode.report.i18n import strings
    from qualcode.report.transcripts import write_transcripts

    valence = {c.id for c in codebook.valence_codes()}
    codings = codings[~codings["code"].isin(valence)]
    return write_transcripts(
        list(transcripts),
        codings,
        folder,
        names={c.id: c.name for c in codebook.codes},
        colours=plots.code_colours(codebook),
        s=strings(language or codebook.language, strict=language is not None),
        css=css(),
    )


def _transcript_pages(analysis: Analysis, language: str | None, folder: Path) -> list[str]:
    return transcript_pages(
        analysis.corpus.transcripts, analysis.codings, analysis.codebook, language, folder
    )


def build_report(
    analysis: Analysis,
    out: str | Path,
    *,
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    compare: str | None = None,
    max_quotes: int = DEFAULT_MAX_QUOTES,
    anonymise: bool = False,
    names: Iterable[str] = (),
    title: str = "",
    language: str | None = None,
    progress: Callable[[Sequence[Step]], Iterable[Step]] | None = None,
    workers: int | None = None,
    inputs: Iterable[str | Path] = (),
    memos: pd.DataFrame | None = None,
    client: Any = None,
) -> ReportSet:
    """Write the report set of *analysis* into the folder *out*.

    Writes ``index.html`` (overview, heat map, links), one ``<VARIABLE>.html``
    and ``.md`` per variable (definition, frequency tables and charts, quotes
    grouped by code and valence), ``frequencies.csv``, ``quotes.csv`` and the
    charts in ``figures/`` (PNG and SVG), all linked relatively. *formats*
    adds ``docx`` (one document per variable) and ``xlsx`` (``report.xlsx``).
    *compare* names a respondent attribute (``steering_group``) whose groups
    are compared. Each report shows the *max_quotes* best-scored quotes per
    code and valence (0: all); ``quotes.csv`` has every quote. *anonymise*
    replaces the respondents' names (the ``name`` column) and *names* by
    placeholders in quotes and tables. *language* (``nl`` or ``en``) sets the
    language of the pages (default: the codebook's). *progress* wraps the list of steps (a
    progress bar). The figures are drawn by *workers* processes (default: one
    per core, at most 4). No file is written over one of *inputs* (the files the
    report is made from), nor over anything but a regular file. *memos* (the
    table of ``qualcode.report.memos.project_memos``) puts each variable's memos
    on its page and all of them in ``memos.html`` and ``memos.md``. With a
    ``dask.distributed`` *client*, the counts and quotes are computed per
    partition of files on its cluster and put together (the same report set).
    """
    _check_options(formats, max_quotes)
    _refuse_records_folder(Path(out), analysis.corpus.root)
    if compare is not None:
        analysis.group_sizes(compare)  # an unknown attribute fails before anything is written
    if client is None:
        summary = Summary.of(analysis)
        quotes = QuoteTables.of(analysis)
    else:
        from qualcode.engine.report import summarise_analysis

        summary, quotes = summarise_analysis(analysis, client)
    return write_report(
        summary,
        quotes,
        out,
        formats=formats,
        compare=compare,
        max_quotes=max_quotes,
        anonymise=anonymise,
        names=names,
        title=title,
        language=language,
        progress=progress,
        workers=workers,
        inputs=inputs,
        memos=memos,
        pages=partial(_transcript_pages, analysis, language),
    )


def write_report(
    summary: Summary,
    quotes: QuoteTables,
    out: str | Path,
    *,
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    compare: str | None = None,
    max_quotes: int = DEFAULT_MAX_QUOTES,
    anonymise: bool = False,
    names: Iterable[str] = (),
    title: str = "",
    language: str | None = None,
    progress: Callable[[Sequence[Step]], Iterable[Step]] | None = None,
    workers: int | None = None,
    inputs: Iterable[str | Path] = (),
    memos: pd.DataFrame | None = None,
    pages: Callable[[Path], list[str]] | None = None,
) -> ReportSet:
    """Write the report set of *summary* and its *quotes* (``QuoteTables``) into *out*.

    What both engines end with; the options are those of :func:`build_report`.
    *pages* writes the transcript view into the folder it is given (the quotes
    link to it); without it, or when anonymising, the quotes link nowhere.
    """
    chosen = _check_options(formats, max_quotes)
    if compare is not None:
        summary.group_sizes(compare)  # an unknown attribute fails before anything is written
    from qualcode.report.content import ReportPlan

    anonymiser = Anonymiser.for_records(summary.records, names=names) if anonymise else Anonymiser()
    plan = ReportPlan(
        summary,
        compare=compare,
        max_quotes=max_quotes,
        anonymiser=anonymiser,
        title=title,
        language=language,
    )
    plan.links = plan.links and pages is not None and bool({"html", "md"} & set(chosen))
    jobs = plan.figures()
    out = Path(out)
    tmp = _prepare_folder(out)
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    try:
        with ExitStack() as stack:
            pool = (
                stack.enter_context(ProcessPoolExecutor(max_workers=workers))
                if workers > 1 and len(jobs) > 1
                else None
            )
            figures = _figure_steps(jobs, tmp, pool)  # with a pool, drawn while the rest runs
            content = plan.content(quotes)
            if memos is not None and len(memos):
                from qualcode.report.memos import memo_notes, with_memos

                content = with_memos(content, memo_notes(memos, anonymiser))
            text, office = _text_steps(summary, content, tmp, chosen, quotes.quotes, anonymiser)
            if plan.links:
                assert pages is not None
                text.append(("transcripts", partial(pages, tmp)))
            steps = text + figures + office
            written: list[str] = []
            for _label, run in progress(steps) if progress is not None else steps:
                written.extend(run())
        inputs = tuple(inputs)
        for name in written:  # every file checked before the first one is moved
            check_output(out / name, inputs=inputs)
        (out / "figures").mkdir(exist_ok=True)
        (out / "transcripts").mkdir(exist_ok=True)
        for name in written:
            os.replace(tmp / name, Path(os.path.realpath(out / name)))
    except OSError as exc:
        raise write_failure(out, exc) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ReportSet(out, tuple(written), quotes=len(quotes.quotes))
