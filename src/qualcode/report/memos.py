"""Memos in the output: coders' notes on codes, codings and transcripts, and what they are about.

A project keeps memos on a code, on a coding and on a transcript
(``Project.memo``). :func:`project_memos` gives them as one table that says
what each memo is about (the code and its variable; for a coding also the
file, offsets, organisation and the coded passage). Reports show a variable's
code and coding memos on that variable's page and every memo in the memo
report (``memos.html``, ``memos.md``); :func:`write_memos` exports them as
``.md``, ``.csv`` or ``.docx`` (``qualcode project export-memos``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from qualcode.errors import QualcodeError
from qualcode.report.i18n import Strings, strings

if TYPE_CHECKING:
    from qualcode.report.anonymise import Anonymiser
    from qualcode.report.model import ReportContent
    from qualcode.store import Project

__all__ = [
    "MEMO_EXPORT_COLUMNS",
    "MEMO_FORMATS",
    "MemoNote",
    "add_memos_docx",
    "memo_notes",
    "memos_html",
    "memos_markdown",
    "project_memos",
    "with_memos",
    "write_memos",
]

#: Columns of :func:`project_memos` (and of ``memos.csv``).
MEMO_EXPORT_COLUMNS = (
    "kind",
    "target",
    "coder",
    "text",
    "created",
    "updated",
    "variable",
    "code",
    "file",
    "organisation",
    "start",
    "end",
    "passage",
)
#: File types :func:`write_memos` writes.
MEMO_FORMATS = (".md", ".csv", ".docx")
_KINDS = ("code", "coding", "transcript")


@dataclass(frozen=True)
class MemoNote:
    """One memo and what it is about, ready to show."""

    kind: str
    target: str
    coder: str
    text: str
    updated: str = ""
    variable: str = ""
    code: str = ""
    file: str = ""
    organisation: str = ""
    start: int = -1
    end: int = -1
    passage: str = ""

    def about(self, s: Strings) -> str:
        """What the memo is about, in *s*'s language (``code GELD``, ``coding 12, GELD: VNG
        (vng.txt, characters 120-300)``)."""
        organisation = self.organisation or s("no_organisation")
        if self.kind == "code":
            return s("memo_code", code=self.code)
        if self.kind == "transcript":
            return s("memo_transcript", file=self.file, organisation=organisation)
        where = s("characters", start=self.start, end=self.end)
        return s(
            "memo_coding",
            id=self.target,
            code=self.code,
            organisation=organisation,
            file=self.file,
            where=where,
        )


def project_memos(project: Project) -> pd.DataFrame:
    """Every memo of *project* with what it is about, in ``MEMO_EXPORT_COLUMNS``.

    Code memos first (codebook order), then coding memos (by file and
    position), then transcript memos; ``start``/``end`` are -1 and
    ``passage`` is empty where they do not apply.
    """
    memos = project.memos()
    codebook = project.codebook
    corpus = project.corpus
    records = {str(c.id): c for c in project.coding_records(status=None)}
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    rows = []
    for m in memos.itertuples(index=False):
        row = {c: getattr(m, c) for c in ("kind", "target", "coder", "text", "created", "updated")}
        row.update(variable="", code="", file="", organisation="", start=-1, end=-1, passage="")
        if m.kind == "code":
            row.update(code=m.target, variable=_variable(codebook, m.target))
        elif m.kind == "coding" and m.target in records:
            c = records[m.target]
            transcript = corpus.get(c.file)
            row.update(
                code=c.code,
                variable=_variable(codebook, c.code),
                file=c.file,
                organisation=transcript.organisation,
                start=c.start,
                end=c.end,
                passage=transcript.text[c.start : c.end],
            )
        elif m.kind == "transcript":
            row.update(file=m.target, organisation=corpus.get(m.target).organisation)
        rows.append(row)
    frame = pd.DataFrame.from_records(rows, columns=list(MEMO_EXPORT_COLUMNS))
    if frame.empty:
        return frame
    frame["_kind"] = frame["kind"].map({k: i for i, k in enumerate(_KINDS)})
    frame["_code"] = frame["code"].map(order).fillna(len(order))
    frame = frame.sort_values(["_kind", "_code", "file", "start", "target"], kind="stable")
    return frame.drop(columns=["_kind", "_code"]).reset_index(drop=True)


def _variable(codebook: object, code: str) -> str:
    try:
        return str(codebook.variable_of(code))  # type: ignore[attr-defined]
    except QualcodeError:
        return ""


def memo_notes(frame: pd.DataFrame, anonymiser: Anonymiser | None = None) -> tuple[MemoNote, ...]:
    """The rows of :func:`project_memos` as ``MemoNote`` records, texts anonymised if asked."""
    hide = anonymiser.apply if anonymiser else (lambda text: text)
    return tuple(
        MemoNote(
            kind=str(r.kind),
            target=str(r.target),
            coder=str(r.coder),
            text=hide(str(r.text)),
            updated=str(r.updated),
            variable=str(r.variable),
            code=str(r.code),
            file=str(r.file),
            organisation=str(r.organisation),
            start=int(r.start),
            end=int(r.end),
            passage=hide(str(r.passage)),
        )
        for r in frame.itertuples(index=False)
    )


def with_memos(content: ReportContent, notes: Sequence[MemoNote]) -> ReportContent:
    """*content* with every memo in the memo report and each variable's on its page."""
    sections = tuple(
        replace(s, memos=tuple(n for n in notes if n.variable == s.code.id))
        for s in content.sections
    )
    return replace(content, sections=sections, memos=tuple(notes))


def _by_kind(notes: Iterable[MemoNote], s: Strings) -> list[tuple[str, list[MemoNote]]]:
    """*notes* grouped by kind (code, coding, transcript), with the heading of each group."""
    notes = list(notes)
    groups = [(s(f"memos_on_{k}"), [n for n in notes if n.kind == k]) for k in _KINDS]
    return [(heading, part) for heading, part in groups if part]


def memos_markdown(notes: Iterable[MemoNote], *, level: int = 2, language: str = "en") -> str:
    """*notes* as Markdown under a heading of *level*, grouped by what they are about."""
    from qualcode.report.markdown import md_escape

    s = strings(language)
    groups = _by_kind(notes, s)
    if not groups:
        return ""
    out = [f"{'#' * level} {md_escape(s('memos'))}\n\n"]
    for heading, part in groups:
        out.append(f"{'#' * (level + 1)} {heading}\n\n")
        for n in part:
            about, coder, text = (md_escape(t) for t in (n.about(s), n.coder, n.text))
            out.append(f"- **{about}** ({coder}): {text}\n")
            if n.passage:
                out.append(f"  > {md_escape(' '.join(n.passage.split()))}\n")
        out.append("\n")
    return "".join(out)


def memos_html(notes: Iterable[MemoNote], *, level: int = 2, language: str = "en") -> str:
    """*notes* as HTML under a heading of *level*, grouped by what they are about."""
    s = strings(language)
    groups = _by_kind(notes, s)
    if not groups:
        return ""
    out = [f'<h{level} id="memos">{escape(s("memos"))}</h{level}>\n']
    for heading, part in groups:
        out.append(f'<h{level + 1}>{heading}</h{level + 1}>\n<ul class="memos">\n')
        for n in part:
            passage = f"<blockquote>{escape(n.passage)}</blockquote>" if n.passage else ""
            out.append(
                f"<li><strong>{escape(n.about(s))}</strong> ({escape(n.coder)}): "
                f"{escape(n.text)}{passage}</li>\n"
            )
        out.append("</ul>\n")
    return "".join(out)


def add_memos_docx(
    document: Any, notes: Sequence[MemoNote], *, level: int = 2, language: str = "en"
) -> None:
    """Add *notes* to a python-docx *document* under a heading of *level* (nothing if none)."""
    if not notes:
        return
    s = strings(language)
    document.add_heading(s("memos"), level=level)
    for heading, part in _by_kind(notes, s):
        document.add_heading(heading, level=level + 1)
        for n in part:
            about = document.add_paragraph()
            about.add_run(n.about(s)).bold = True
            about.add_run(f" ({n.coder})")
            document.add_paragraph(n.text)
            if n.passage:
                document.add_paragraph(n.passage, style="Quote")


def _docx(notes: Sequence[MemoNote], language: str) -> bytes:
    import docx

    document = docx.Document()
    if notes:
        add_memos_docx(document, notes, level=1, language=language)
    else:
        s = strings(language)
        document.add_heading(s("memos"), level=1)
        document.add_paragraph(s("no_memos"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_memos(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    language: str = "en",
    inputs: Iterable[str | Path] = (),
) -> Path:
    """Write the memos of :func:`project_memos` to *path* (``.md``, ``.csv`` or ``.docx``).

    Headings and descriptions are in *language* (``en``, ``nl``). The file goes
    through ``qualcode.files.output`` (never over one of *inputs*, whole or not
    at all).
    """
    from qualcode.files.output import check_suffix, write_output

    path = Path(path)
    suffix = check_suffix(path, MEMO_FORMATS, "memos")
    if suffix == ".csv":
        data = frame.to_csv(index=False).encode("utf-8")
    elif suffix == ".md":
        notes = memo_notes(frame)
        s = strings(language)
        empty = f"# {s('memos')}\n\n{s('no_memos')}\n"
        data = (memos_markdown(notes, level=1, language=language) or empty).encode("utf-8")
    else:
        data = _docx(memo_notes(frame), language)
    write_output(path, data, inputs=inputs)
    return path
