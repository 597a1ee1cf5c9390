"""Optional writers for office formats: ``<VARIABLE>.docx`` (python-docx) and ``report.xlsx``
(openpyxl, the ``office`` extra). Both are imported only when asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from qualcode.errors import DependencyError
from qualcode.report.i18n import strings
from qualcode.report.memos import add_memos_docx
from qualcode.report.model import QuoteMarks, ReportContent, Table, VariableSection, time_note

__all__ = ["XLSX_NAME", "require", "write_docx", "write_xlsx"]

XLSX_NAME = "report.xlsx"


def _need(module: str, package: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise DependencyError(
            f"writing this format needs {package}, which is not installed; install "
            f"qualcode[{extra}] (pip install 'qualcode[{extra}]') or leave the format out"
        ) from None


def require(formats: Iterable[str]) -> None:
    """Fail now, with what to install, when a library for one of *formats* is missing."""
    if "docx" in formats:
        _need("docx", "python-docx", "office")
    if "xlsx" in formats:
        _need("openpyxl", "openpyxl", "office")


def _text(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _italic(document: Any, text: str) -> None:
    document.add_paragraph().add_run(text).italic = True


def _docx_table(document: Any, table: Table) -> None:
    document.add_paragraph(table.caption, style="Heading 3")
    frame = table.frame
    grid = document.add_table(rows=1, cols=len(frame.columns))
    grid.style = "Table Grid"
    for cell, name in zip(grid.rows[0].cells, frame.columns, strict=True):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for record in frame.itertuples(index=False):
        for cell, value in zip(grid.add_row().cells, record, strict=True):
            cell.text = _text(value)
    if table.note:
        _italic(document, table.note)


def _docx_section(content: ReportContent, section: VariableSection, folder: Path) -> str:
    docx = _need("docx", "python-docx", "office")
    from docx.shared import Cm

    document = docx.Document()
    code = section.code
    document.add_heading(f"{code.name} ({code.id})", level=1)
    _italic(document, code.description)
    document.add_paragraph(section.summary)
    s = strings(content.language)
    document.add_heading(s("frequencies"), level=2)
    for table in section.tables:
        _docx_table(document, table)
    for ref in section.figures:
        document.add_picture(str(folder / ref.path("png")), width=Cm(16))
        _italic(document, ref.caption)
    document.add_heading(s("quotes_heading"), level=2)
    for group in section.quote_groups:
        document.add_heading(f"{group.label} ({group.count_text(s)})", level=3)
        marks = group.marks or tuple(QuoteMarks() for _ in group.quotes)
        for q, mark in zip(group.quotes, marks, strict=True):
            document.add_paragraph(q.text, style="Quote")
            attribution = document.add_paragraph()
            attribution.add_run(q.organisation or s("no_organisation")).italic = True
            where = s("characters", start=q.start, end=q.end)
            attribution.add_run(
                f"{time_note(q)} ({q.file}, {where}, {s('score', score=f'{q.score:g}')})"
            )
            if mark.tags:
                attribution.add_run(" · " + ", ".join(name for name, _ in mark.tags))
    add_memos_docx(document, section.memos, language=content.language)
    name = f"{section.file_stem}.docx"
    document.save(str(folder / name))
    return name


def write_docx(content: ReportContent, folder: Path) -> list[str]:
    """Write ``<VARIABLE>.docx`` for every section (figures must already be in *folder*)."""
    _need("docx", "python-docx", "office")
    return [_docx_section(content, s, folder) for s in content.sections]


def write_xlsx(
    content: ReportContent, folder: Path, sheets: Mapping[str, pd.DataFrame]
) -> list[str]:
    """Write ``report.xlsx``: the overview tables, then one sheet per frame of *sheets*."""
    openpyxl = _need("openpyxl", "openpyxl", "office")
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)

    def add(title: str, frame: pd.DataFrame) -> None:
        sheet = book.create_sheet(title=title[:31])
        header = []
        for name in frame.columns:
            cell = WriteOnlyCell(sheet, value=str(name))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for record in frame.itertuples(index=False):
            row = []
            for value in record:
                if isinstance(value, (list, tuple)):
                    value = "\n\n".join(map(str, value))
                if isinstance(value, str):
                    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    row.append(cell)
                else:
                    row.append(value.item() if hasattr(value, "item") else value)
            sheet.append(row)

    for table in content.tables:
        add(table.caption, table.frame)
    for title, frame in sheets.items():
        add(title, frame)
    add("Transcripts", content.corpus.frame)  # sheet names are read by scripts: not translated
    book.save(str(folder / XLSX_NAME))
    return [XLSX_NAME]
