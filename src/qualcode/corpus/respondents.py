"""The respondents table: which file is which respondent of which organisation.

Required columns ``file``, ``respondent``, ``organisation``; recommended
``org_type``, ``steering_group``, ``aliases`` (``;``-separated other names of
the organisation); every further column is an attribute carried along.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from qualcode.corpus.readers import decode_text, open_package
from qualcode.errors import CorpusError
from qualcode.files.zips import open_regular

__all__ = ["REQUIRED_COLUMNS", "Respondent", "RespondentsTable", "read_respondents"]

REQUIRED_COLUMNS = ("file", "respondent", "organisation")


@dataclass(frozen=True)
class Respondent:
    """One row of the respondents table."""

    file: str
    respondent: str
    organisation: str
    attributes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    row: int = 0  # 1-based line in the table (header is line 1)

    @property
    def aliases(self) -> tuple[str, ...]:
        """Other names the organisation goes by (the ``aliases`` column, ``;``-separated)."""
        raw = self.attributes.get("aliases", "")
        return tuple(a.strip() for a in raw.split(";") if a.strip())


@dataclass(frozen=True)
class RespondentsTable:
    """The rows that could be used, and one error per row that could not."""

    path: Path
    rows: tuple[Respondent, ...]
    columns: tuple[str, ...]
    errors: tuple[tuple[str, str], ...] = ()  # (file, message)

    def by_file(self) -> dict[str, Respondent]:
        """Rows keyed by file name."""
        return {r.file: r for r in self.rows}


def _read_rows(path: Path) -> list[dict[str, str]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            import openpyxl
        except ImportError:
            raise CorpusError(
                f"{path.name}: reading .xlsx needs openpyxl; "
                "install qualcode[office] or save as .csv"
            ) from None
        from xml.etree.ElementTree import ParseError
        from zipfile import BadZipFile

        from lxml.etree import XMLSyntaxError
        from openpyxl.utils.exceptions import InvalidFileException

        with open_regular(path, CorpusError) as handle:
            package = open_package(path, handle.read(), kind=".xlsx")
        broken = (BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError,
                  OSError, XMLSyntaxError, ParseError, InvalidFileException)  # fmt: skip
        try:
            book = openpyxl.load_workbook(package, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            values = [
                ["" if v is None else str(v).strip() for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            book.close()
        except broken as exc:
            raise CorpusError(
                f"{path.name}: not a readable .xlsx file ({_short(exc)}); re-save it or use .csv"
            ) from None
        if not values:
            return []
        header = _header(path, values[0])
        return [dict(zip(header, row, strict=False)) for row in values[1:]]
    if suffix not in (".csv", ".tsv", ".txt"):
        raise CorpusError(f"{path.name}: a respondents table must be .csv or .xlsx")
    with open_regular(path, CorpusError) as handle:
        data = handle.read()
    content = decode_text(path.name, data, fix="save the table as CSV (UTF-8) or .xlsx")
    sample = content[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content), dialect=dialect)
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise CorpusError(
            f"{path.name}, line {reader.line_num}: not a readable CSV ({exc}); "
            "save the table again as CSV (UTF-8)"
        ) from None
    if not lines:
        return []
    header = _header(path, lines[0])
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        row = {h: cells[i].strip() if i < len(cells) else "" for i, h in enumerate(header)}
        for column in REQUIRED_COLUMNS:
            if "\n" in row.get(column, "") or "\r" in row.get(column, ""):
                raise CorpusError(
                    f"{path.name}, row {number}: the {column} cell runs over several lines "
                    f'({row[column][:30]!r}...): a quote (") opened there is never closed; '
                    "remove the stray quote or close it"
                )
        rows.append(row)
    return rows


def _header(path: Path, cells: list[str]) -> list[str]:
    """The column names (trimmed, lower case); a name given twice is refused."""
    header = [c.strip().lower() for c in cells]
    seen: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if name and name in seen:
            raise CorpusError(
                f"{path.name}: column {name!r} appears twice (columns {seen[name]} and "
                f"{number}); keep one of them"
            )
        seen[name] = number
    return header


def read_respondents(path: str | Path) -> RespondentsTable:
    """Read the respondents table at *path*.

    Raises ``CorpusError`` when the table as a whole is unusable (unreadable,
    empty, a required column missing). Row problems (an empty required cell, a
    file listed twice) are returned in ``errors`` and those rows left out.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(
            f"{path}: respondents table not found; give the path of the respondents table",
            option="respondents",
        )
    rows = _read_rows(path)
    columns = tuple(rows[0].keys()) if rows else ()
    if not rows:
        raise CorpusError(
            f"{path.name}: the respondents table has no rows; add one row per transcript"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CorpusError(
            f"{path.name}: missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}; "
            f"the header needs: {', '.join(REQUIRED_COLUMNS)}"
        )
    errors: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    out: list[Respondent] = []
    for line, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        empty = [c for c in REQUIRED_COLUMNS if not row.get(c)]
        if empty:
            errors.append(
                (
                    row.get("file", ""),
                    f"{path.name}, row {line}: empty {', '.join(empty)}; "
                    "fill in every required column",
                )
            )
            continue
        name = row["file"]
        if name in seen:
            errors.append(
                (
                    name,
                    f"{path.name}, row {line}: {name} is listed twice (also row {seen[name]}); "
                    "keep one row per file",
                )
            )
            continue
        seen[name] = line
        attrs = {k: v for k, v in row.items() if k not in REQUIRED_COLUMNS}
        out.append(
            Respondent(name, row["respondent"], row["organisation"], MappingProxyType(attrs), line)
        )
    return RespondentsTable(path, tuple(out), columns, tuple(errors))


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:80]
