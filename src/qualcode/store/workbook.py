"""The review loop in a workbook: the auto-coder's suggestions out to .xlsx, decisions back in.

``export_review`` writes one sheet per variable, a row per suggestion (pending
or decided) with its passage, organisation, suggested code, confidence and
evidence, its review state, and three columns for the team: ``decision``
(accept, reject, change; a drop-down), ``new code`` (for change; a drop-down
of the variable's codes) and ``memo``. ``import_review`` applies the filled-in
decisions through the project (each one logged), skips rows decided the same
way before (a re-import changes nothing) and reports every row it cannot
apply, naming the sheet, the row and the fix; it never edits the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from qualcode.errors import CodingError, DependencyError, StoreError

if TYPE_CHECKING:
    from qualcode.store.project import Project

__all__ = [
    "DECISIONS",
    "REVIEW_COLUMNS",
    "ReviewImport",
    "export_review",
    "import_review",
    "review_queue",
]

#: What a reviewer may write in the ``decision`` column.
DECISIONS = ("accept", "reject", "change")
#: The columns of a review sheet (a contract: add, never rename or drop).
REVIEW_COLUMNS = (
    "id",
    "file",
    "organisation",
    "start",
    "end",
    "passage",
    "code",
    "code name",
    "confidence",
    "score",
    "evidence",
    "state",
    "decision",
    "new code",
    "memo",
)
_DECIDE = ("decision", "new code", "memo")


def review_queue(
    project: Project, *, variable: str | None = None, pending_only: bool = False
) -> pd.DataFrame:
    """The auto-coder's suggestions with their review state, in ``REVIEW_COLUMNS`` (without
    the three decision columns) plus ``variable``.

    ``state`` is ``unreviewed`` (pending), ``accepted``, ``rejected`` or ``changed``
    (accepted as another code). *variable* keeps one variable's; *pending_only* the
    unreviewed ones (the queue the widget walks through).
    """
    book = project.codebook
    records = project.coding_records(status=("suggested", "accepted", "rejected"))
    records = [r for r in records if r.origin == "auto"]
    replaced = {
        c.source_id: c.code
        for c in project.coding_records(status="active")
        if c.source_id is not None
    }
    corpus = project.corpus
    rows = []
    for r in records:
        var = book.variable_of(r.code)
        if variable is not None and var != variable:
            continue
        state = {"suggested": "unreviewed", "rejected": "rejected"}.get(r.status, "accepted")
        if r.status == "accepted" and replaced.get(r.id, r.code) != r.code:
            state = "changed"
        if pending_only and state != "unreviewed":
            continue
        t = corpus.get(r.file)
        rows.append(
            {
                "id": r.id,
                "file": r.file,
                "organisation": t.organisation,
                "start": r.start,
                "end": r.end,
                "passage": t.text[r.start : r.end],
                "code": r.code,
                "code name": book.get(r.code).name,
                "confidence": getattr(r, "confidence", None),
                "score": r.score,
                "evidence": r.evidence,
                "state": state,
                "variable": var,
            }
        )
    columns = [c for c in REVIEW_COLUMNS if c not in _DECIDE] + ["variable"]
    return pd.DataFrame(rows, columns=columns)


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise DependencyError(
            "a review workbook needs openpyxl; install qualcode[office]"
        ) from None
    return openpyxl


def export_review(project: Project, out: str | Path, *, variable: str | None = None) -> int:
    """Write the review workbook *out*: one sheet per variable; the number of rows written."""
    openpyxl = _openpyxl()
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = project.codebook
    if variable is not None:
        book.get(variable)  # an unknown id fails here, naming the valid ones
    queue = review_queue(project, variable=variable)
    variables = [v for v in book.variables() if variable in (None, v.id)]
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    codes = workbook.create_sheet("codes")
    for col, v in enumerate(variables, start=1):
        ids = [c.id for c in book.descendants(v.id)]
        codes.cell(row=1, column=col, value=v.id)
        for row, code in enumerate(ids, start=2):
            codes.cell(row=row, column=col, value=code)
    codes.sheet_state = "hidden"
    for col, v in enumerate(variables, start=1):
        sheet = workbook.create_sheet(v.id[:31], index=col - 1)
        sheet.append(list(REVIEW_COLUMNS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        rows = queue[queue["variable"] == v.id]
        for record in rows.itertuples(index=False):
            values = [getattr(record, c.replace(" ", "_"), None) for c in REVIEW_COLUMNS[:-3]]
            values = [ILLEGAL_CHARACTERS_RE.sub("", x) if isinstance(x, str) else x for x in values]
            sheet.append([*values, None, None, None])
        last = max(len(rows) + 1, 2) + 200  # room for rows the team adds by copying
        letter = openpyxl.utils.get_column_letter
        decide = DataValidation(
            type="list",
            formula1='"' + ",".join(DECISIONS) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="decision",
            error="Choose accept, reject or change.",
        )
        n_codes = len(list(book.descendants(v.id)))
        new_code = DataValidation(
            type="list",
            formula1=f"=codes!${letter(col)}$2:${letter(col)}${n_codes + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="new code",
            error=f"Choose one of the codes of {v.id}.",
        )
        d_col = letter(REVIEW_COLUMNS.index("decision") + 1)
        n_col = letter(REVIEW_COLUMNS.index("new code") + 1)
        decide.add(f"{d_col}2:{d_col}{last}")
        new_code.add(f"{n_col}2:{n_col}{last}")
        sheet.add_data_validation(decide)
        sheet.add_data_validation(new_code)
        sheet.freeze_panes = "A2"
        widths = {"passage": 70, "evidence": 30, "memo": 40, "file": 22, "code": 24}
        for i, name in enumerate(REVIEW_COLUMNS, start=1):
            sheet.column_dimensions[letter(i)].width = widths.get(name, 12)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = Path(out)
    try:
        workbook.save(str(out))
    except OSError as exc:
        raise StoreError(f"{out}: cannot write the review workbook ({exc.strerror})") from None
    return len(queue)


@dataclass(frozen=True)
class ReviewImport:
    """What an import did: decisions applied, rows already so, and rows it could not apply."""

    applied: int = 0
    unchanged: int = 0
    problems: tuple[str, ...] = field(default_factory=tuple)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def import_review(project: Project, path: str | Path, *, coder: str) -> ReviewImport:
    """Apply the decisions in the review workbook *path* to *project*, as *coder*."""
    openpyxl = _openpyxl()
    path = Path(path)
    try:
        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except (OSError, KeyError, ValueError) as exc:
        raise StoreError(
            f"{path}: not a readable review workbook ({exc}); export one with the review export"
        ) from None
    applied = unchanged = 0
    problems: list[str] = []
    for sheet in workbook.worksheets:
        if sheet.title == "codes":
            continue
        rows = sheet.iter_rows(values_only=True)
        header = [_text(h) for h in next(rows, ())]
        missing = [c for c in ("id", "file", "start", "end", "code", *_DECIDE) if c not in header]
        if missing:
            problems.append(
                f"{path.name}, sheet {sheet.title}: no column {', '.join(missing)}; "
                "export the workbook again and copy the decisions over"
            )
            continue
        for number, row in enumerate(rows, start=2):
            cells = dict(zip(header, row, strict=False))
            decision = _text(cells.get("decision")).lower()
            if not decision:
                continue
            where = f"{path.name}, sheet {sheet.title}, row {number}"
            outcome = _decide(project, cells, decision, coder=coder, where=where)
            if outcome == "applied":
                applied += 1
            elif outcome == "unchanged":
                unchanged += 1
            else:
                problems.append(outcome)
    workbook.close()
    project.log_action(
        coder,
        "review-import",
        {"file": path.name, "applied": applied, "unchanged": unchanged, "problems": len(problems)},
    )
    return ReviewImport(applied, unchanged, tuple(problems))


def _decide(
    project: Project, cells: dict[str, Any], decision: str, *, coder: str, where: str
) -> str:
    """Apply one row: ``applied``, ``unchanged``, or the problem as one line."""
    if decision not in DECISIONS:
        return f"{where}: decision {decision!r} is not one of {', '.join(DECISIONS)}; fix the cell"
    try:
        sid = int(cells["id"])
        start, end = int(cells["start"]), int(cells["end"])
    except (TypeError, ValueError):
        return f"{where}: id, start and end must be whole numbers; export the workbook again"
    book = project.codebook
    try:
        s = project.coding(sid)
    except CodingError:
        s = None
    if s is None or (s.file, s.start, s.end, s.code) != (
        _text(cells["file"]),
        start,
        end,
        _text(cells["code"]),
    ):
        return (
            f"{where}: suggestion {sid} no longer matches the project (its file, span or code "
            "changed, or it was removed); export the workbook again and decide it there"
        )
    new = _text(cells.get("new code")) or None
    if decision == "change":
        variable = book.variable_of(s.code)
        if new is None:
            return f"{where}: 'change' needs a code in the new code column"
        if new not in {c.id for c in book.descendants(variable)}:
            return (
                f"{where}: new code {new!r} is not a code of {variable}; "
                "choose one from the drop-down"
            )
    try:
        changed = project.decide(
            sid, decision, coder=coder, code=new, memo=_text(cells.get("memo"))
        )
    except CodingError as exc:
        return f"{where}: {exc}"
    return "applied" if changed else "unchanged"
