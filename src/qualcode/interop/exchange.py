"""The four exchange operations behind ``qualcode export|import qdc|qdpx``.

Each reads one thing, converts, writes one thing, and returns what it did: the
numbers of objects per kind and the report of warnings and dropped objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.codebook import load_codebook, parse_codebook
from qualcode.errors import InteropError
from qualcode.interop import model as refi
from qualcode.interop.codes import codebook_yaml, guess_language, namespace_for, refi_codebook
from qualcode.interop.qdc import read_qdc, write_atomic, write_qdc

__all__ = ["Exchange", "export_codebook", "import_codebook", "origin"]


@dataclass(frozen=True)
class Exchange:
    """What an import or export did: *counts* of what was carried, and the *report*."""

    counts: refi.Counts
    report: refi.Report = refi.Report()
    language: str = ""
    origin: str = ""


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
    """Write the qualcode codebook file *codebook* as the REFI-QDA codebook *out* (``.qdc``)."""
    book = load_codebook(codebook)
    codes = refi_codebook(book, namespace=namespace_for(f"codebook:{book.name}"))
    write_qdc(codes, out, origin=origin())
    return Exchange(counts=refi.Counts(codes=len(codes.codes)), language=book.language)


def import_codebook(qdc: str | Path, out: str | Path, *, language: str | None = None) -> Exchange:
    """Convert the REFI-QDA codebook *qdc* into a qualcode codebook YAML file *out*.

    Code ids are derived from the code names; *language* defaults to a guess from
    the names and definitions. *out* must not exist yet.
    """
    out = Path(out)
    _refuse_existing(out)
    codes, report = read_qdc(qdc)
    if language is None:
        language = guess_language(f"{c.name} {c.description}" for c in codes.codes)
    text = codebook_yaml(codes, name=Path(qdc).stem, language=language)
    parse_codebook(text, path=out.name)  # never write a codebook that qualcode cannot load
    write_atomic(out, text.encode("utf-8"))
    dropped = tuple(
        refi.Dropped("code set", s.name, f"qualcode codebooks have no sets ({len(s.codes)} codes)")
        for s in codes.sets
    )
    report = refi.Report(warnings=report.warnings, dropped=report.dropped + dropped)
    return Exchange(
        counts=refi.Counts(codes=len(codes.codes), sets=len(codes.sets)),
        report=report,
        language=language,
        origin=codes.origin,
    )
