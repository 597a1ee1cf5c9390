"""The four exchange operations behind ``qualcode export|import qdc|qdpx``.

Each reads one thing, converts, writes one thing, and returns what it did: the
numbers of objects per kind and the report of warnings and dropped objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.codebook import load_codebook, parse_codebook
from qualcode.errors import InteropError
from qualcode.files.output import write_output
from qualcode.interop import model as refi
from qualcode.interop.archive import Archive, Limits
from qualcode.interop.codes import (
    codebook_losses,
    codebook_yaml,
    guess_language,
    namespace_for,
    refi_codebook,
)
from qualcode.interop.qdc import read_qdc, write_qdc
from qualcode.interop.qdpx import read_qdpx
from qualcode.interop.qdpx_write import write_qdpx

__all__ = [
    "Exchange",
    "export_codebook",
    "export_project",
    "import_codebook",
    "import_project",
    "origin",
]


@dataclass(frozen=True)
class Exchange:
    """What an import or export did: *counts* of what was carried, and the *report*."""

    counts: refi.Counts
    report: refi.Report = refi.Report()
    language: str = ""
    origin: str = ""
    read: refi.Counts | None = None  # what the imported file holds (imports only)
    #: codings not carried, by status (exports: a .qdpx holds the active codings only)
    left_out: tuple[tuple[str, int], ...] = ()


def origin() -> str:
    """The ``origin`` qualcode writes into exported files (``qualcode 0.1.0``)."""
    from qualcode import __version__

    return f"qualcode {__version__}"


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise InteropError(
            f"{path}: already exists; import into a new file name, or delete the old file first"
        )


def export_codebook(codebook: str | Path, out: str | Path) -> Exchange:
    """Write the qualcode codebook file *codebook* as the REFI-QDA codebook *out* (``.qdc``).

    The report lists, as dropped, what the exchange format has no place for (patterns,
    criteria, examples, dimensions, ...; see :func:`codebook_losses`).
    """
    book = load_codebook(codebook)
    codes = refi_codebook(book, namespace=namespace_for(f"codebook:{book.name}"))
    write_qdc(codes, out, origin=origin(), inputs=(codebook,))
    return Exchange(
        counts=refi.Counts(codes=len(codes.codes)),
        report=refi.Report(dropped=codebook_losses(book)),
        language=book.language,
    )


def import_codebook(qdc: str | Path, out: str | Path, *, language: str | None = None) -> Exchange:
    """Convert the REFI-QDA codebook *qdc* (or a ``.qdpx`` project's codes) into YAML *out*.

    Code ids are derived from the code names; *language* defaults to a guess from
    the names and definitions. *out* must not exist yet.
    """
    out = Path(out)
    _refuse_existing(out)
    if Path(qdc).suffix.lower() == ".qdpx":
        project, report = read_qdpx(qdc)
        codes = project.codebook
        if not codes.codes:
            raise InteropError(f"{Path(qdc).name}: the project has no codes")
        made_by = codes.origin or project.origin
    else:
        codes, report = read_qdc(qdc)
        made_by = codes.origin
    warnings = report.warnings
    if made_by.startswith("qualcode"):
        warnings += (
            f"{Path(qdc).name}: written by {made_by}; REFI-QDA codes carry no patterns, "
            f"criteria, examples or dimensions, so {out.name} has none: they are in the "
            "codebook that was exported",
        )
    if language is None:
        language = guess_language(f"{c.name} {c.description}" for c in codes.codes)
    text = codebook_yaml(codes, name=Path(qdc).stem, language=language)
    parse_codebook(text, path=out.name)  # never write a codebook that qualcode cannot load
    write_output(out, text.encode("utf-8"), inputs=(qdc,))
    dropped = tuple(
        refi.Dropped("code set", s.name, f"qualcode codebooks have no sets ({len(s.codes)} codes)")
        for s in codes.sets
    )
    report = refi.Report(warnings=warnings, dropped=report.dropped + dropped)
    return Exchange(
        counts=refi.Counts(codes=len(codes.codes), sets=len(codes.sets)),
        report=report,
        language=language,
        origin=codes.origin,
    )


def export_project(db: str | Path, out: str | Path) -> Exchange:
    """Write the qualcode project *db* as the REFI-QDA project *out* (``.qdpx``)."""
    from qualcode.interop.project import CODEBOOK_MEMBER, project_record
    from qualcode.store import Project

    with Project.open(db) as project:
        record = project_record(project, origin=origin())
        own = project.codebook.source_text.encode("utf-8")
        language = project.codebook.language
        statuses = project.info().codings
    write_qdpx(record, out, extra=[(CODEBOOK_MEMBER, own)], inputs=(db,))
    # an accepted suggestion is exported as the active coding its acceptance made
    left_out = tuple(
        (status, statuses[status])
        for status in ("suggested", "rejected", "orphaned")
        if statuses.get(status)
    )
    return Exchange(counts=record.counts(), language=language, left_out=left_out)


def _own_codebook(path: Path, limits: Limits | None) -> str | None:
    from qualcode.interop.project import CODEBOOK_MEMBER

    with Archive(path, limits=limits) as archive:
        if CODEBOOK_MEMBER not in archive.names:
            return None
        return archive.read(CODEBOOK_MEMBER).decode("utf-8", errors="replace")


def import_project(
    qdpx: str | Path, db: str | Path, *, language: str | None = None, limits: Limits | None = None
) -> Exchange:
    """Create the qualcode project *db* from the REFI-QDA project *qdpx*.

    *db* must not exist yet; when anything fails, no project file is left behind.
    *language* (of the codebook) defaults to a guess from the texts.
    """
    from qualcode.interop.importing import plan_import
    from qualcode.store import Project

    qdpx, db = Path(qdpx), Path(db)
    _refuse_existing(db)
    record, report = read_qdpx(qdpx, limits=limits)
    plan = plan_import(
        record,
        report,
        name=qdpx.name,
        language=language,
        own_yaml=_own_codebook(qdpx, limits),
        root=qdpx.resolve(),  # as a project records its transcripts folder, whatever the cwd
    )
    project = Project.create(db, transcripts=plan.corpus, codebook=plan.codebook)
    try:
        with project:
            result = project.import_codings(plan.codings, source=qdpx.name)
            for kind, target, coder, text in plan.memos:
                if kind == "code":
                    project.memo(text, coder=coder, code=target)
                else:
                    project.memo(text, coder=coder, transcript=target)
    except BaseException:
        for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    spans = {(c.file, c.start, c.end) for c in plan.codings}
    attributes = {a for t in plan.corpus for a in t.attributes}
    attributes |= {"organisation"} if any(t.organisation for t in plan.corpus) else set()
    counts = refi.Counts(
        codes=len(plan.codebook.codes),
        sources=len(plan.corpus),
        selections=len(spans),
        codings=result.added,
        cases=len({t.respondent for t in plan.corpus if t.respondent}),
        variables=len(attributes),
        notes=len(plan.memos) + sum(1 for c in plan.codings if c.memo),
        users=len({c.coder for c in plan.codings} | {m[2] for m in plan.memos}),
    )
    return Exchange(
        counts=counts,
        report=refi.Report(warnings=plan.warnings, dropped=plan.dropped),
        language=plan.language,
        origin=record.origin,
        read=record.counts(),
    )
