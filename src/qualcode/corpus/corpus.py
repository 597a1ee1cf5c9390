"""A corpus: the interview records of one folder, joined to the respondents table."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from qualcode.corpus.build import read_transcript
from qualcode.corpus.model import Segment, Transcript, Unit
from qualcode.corpus.readers import DEFAULT_MAX_BYTES, QualcodeWarning
from qualcode.corpus.respondents import Respondent, RespondentsTable, read_respondents
from qualcode.errors import CorpusError
from qualcode.files.folder import folder_files

__all__ = ["Corpus", "CorpusIssue", "load_corpus"]

#: Files in a transcripts folder that are data, not interviews: skipped silently.
_DATA_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx", ".xls", ".json", ".yaml", ".yml", ".db"})


@dataclass(frozen=True)
class CorpusIssue:
    """A problem with one file or table row; the rest of the corpus is still usable."""

    file: str
    error: str


@dataclass(frozen=True)
class Corpus:
    """Transcripts in file-name order, plus the problems met while loading them."""

    root: Path
    transcripts: tuple[Transcript, ...]
    errors: tuple[CorpusIssue, ...] = ()
    respondents: RespondentsTable | None = None
    _by_file: dict[str, Transcript] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_file.update({t.file: t for t in self.transcripts})

    def __iter__(self) -> Iterator[Transcript]:
        return iter(self.transcripts)

    def __len__(self) -> int:
        return len(self.transcripts)

    def __getitem__(self, file: str) -> Transcript:
        return self.get(file)

    @property
    def files(self) -> tuple[str, ...]:
        """The file names of the transcripts."""
        return tuple(t.file for t in self.transcripts)

    def sources(self) -> tuple[Path, ...]:
        """Every file this corpus was read from (transcripts, unreadable ones, the table).

        These are the inputs an output must never replace.
        """
        names = {t.file for t in self.transcripts} | {e.file for e in self.errors if e.file}
        paths = [self.root / name for name in sorted(names)]
        if self.respondents is not None:
            paths.append(self.respondents.path)
        return tuple(paths)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Problems that leave the corpus usable but its results poorer, one line each.

        Today: no respondents table, so that no quote can name its organisation.
        """
        if self.respondents is not None or not self.transcripts:
            return ()
        if any(t.organisation for t in self.transcripts):
            return ()  # read from a project, which keeps the organisations
        return (no_table_warning(self.root),)

    def get(self, file: str) -> Transcript:
        """The transcript read from *file* (its name in the folder)."""
        try:
            return self._by_file[file]
        except KeyError:
            known = ", ".join(self.files[:8]) + (" ..." if len(self.files) > 8 else "")
            raise CorpusError(
                f"{file}: no such transcript in {self.root}; known files: {known}"
            ) from None

    def attribute_columns(self) -> list[str]:
        """Attribute columns of the respondents table, in table order."""
        seen: dict[str, None] = {}
        for t in self.transcripts:
            for key in t.attributes:
                seen.setdefault(key, None)
        return list(seen)

    def iter_segments(self, unit: Unit = "paragraph") -> Iterator[tuple[Transcript, Segment]]:
        """Every segment of every transcript, with its transcript."""
        for t in self.transcripts:
            for seg in t.segments(unit):
                yield t, seg

    def segments(self, unit: Unit = "paragraph") -> pd.DataFrame:
        """All segments as a table.

        Columns: file, respondent, organisation, the attribute columns, segment,
        start, end, speaker, is_respondent, text.
        """
        attrs = self.attribute_columns()
        records = []
        for t, seg in self.iter_segments(unit):
            rec: dict[str, object] = {
                "file": t.file,
                "respondent": t.respondent,
                "organisation": t.organisation,
            }
            for a in attrs:
                rec[a] = t.attributes.get(a, "")
            rec.update(
                segment=seg.index,
                start=seg.start,
                end=seg.end,
                speaker=seg.speaker,
                is_respondent=seg.is_respondent,
                text=seg.text,
            )
            records.append(rec)
        columns = [
            "file",
            "respondent",
            "organisation",
            *attrs,
            "segment",
            "start",
            "end",
            "speaker",
            "is_respondent",
            "text",
        ]
        return pd.DataFrame.from_records(records, columns=columns)

    def overview(self) -> pd.DataFrame:
        """One row per transcript.

        Columns: file, respondent, organisation, format, words, turns, paragraphs.
        """
        rows = [
            {
                "file": t.file,
                "respondent": t.respondent,
                "organisation": t.organisation,
                "format": t.format,
                "words": t.words,
                "turns": sum(1 for turn in t.turns if turn.speaker),
                "paragraphs": len(t.paragraphs),
            }
            for t in self.transcripts
        ]
        cols = ["file", "respondent", "organisation", "format", "words", "turns", "paragraphs"]
        return pd.DataFrame.from_records(rows, columns=cols)


def no_table_warning(root: object) -> str:
    """The warning for a corpus folder *root* read without a respondents table."""
    return (
        f"{root}: no respondents table (respondents.csv), so quotes and tables "
        "cannot name organisations; add respondents.csv to the folder with the columns "
        "file, respondent, organisation (one row per transcript)"
    )


def is_record_name(rel_parts: tuple[str, ...]) -> bool:
    """Whether a file at *rel_parts* (its path inside the folder) is an interview record.

    Hidden and ``_``-prefixed files and folders, data files (``.csv``, ``.xlsx``, ...)
    and Office lock files (``~$...``) are not.
    """
    if any(part.startswith((".", "_")) for part in rel_parts):
        return False
    name = rel_parts[-1]
    return Path(name).suffix.lower() not in _DATA_SUFFIXES and not name.startswith("~$")


def record_files(root: Path, respondents_path: Path | None) -> list[Path]:
    """The interview records in the folder *root*, in name order (not the respondents table)."""
    found, skipped = folder_files(root)  # regular files inside the folder only
    for line in skipped:
        warnings.warn(line, QualcodeWarning, stacklevel=3)
    files = []
    for p in found:
        if not is_record_name(p.relative_to(root).parts):
            continue
        if respondents_path is not None and p.resolve() == respondents_path.resolve():
            continue
        files.append(p)
    return files


def read_record(
    path: Path,
    name: str,
    table: str | None,
    row: Respondent | None,
    *,
    labels: Iterable[str] = (),
    interviewer_labels: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[Transcript | None, CorpusIssue | None]:
    """One record of a corpus folder, joined to its respondents-table *row*.

    *table* is the respondents table's file name (None: no table). Returns the
    transcript (None when it cannot be read) and the problem met, if any: the
    file cannot be read, or the table has no row for it (*row* is None).
    """
    try:
        t = read_transcript(
            path,
            name=name,
            labels=labels,
            interviewer_labels=interviewer_labels,
            max_bytes=max_bytes,
        )
    except CorpusError as exc:
        return None, CorpusIssue(name, str(exc))
    except OSError as exc:
        return None, CorpusIssue(name, f"{name}: cannot read the file ({exc.strerror})")
    if table is None:
        return t, None
    if row is None:
        return t, CorpusIssue(
            name,
            f"{name}: no row in {table}; add a row with file, respondent, organisation",
        )
    t = t.with_metadata(
        respondent=row.respondent, organisation=row.organisation, attributes=row.attributes
    )
    return t, None


def table_issues(table: RespondentsTable | None) -> list[CorpusIssue]:
    """The respondents table's own problems (rows that could not be used)."""
    return [] if table is None else [CorpusIssue(f, e) for f, e in table.errors]


def missing_records(
    table: RespondentsTable | None, found: Iterable[str], root: object
) -> list[CorpusIssue]:
    """A problem for every respondents-table row whose file is not among *found*."""
    if table is None:
        return []
    present = set(found)
    return [
        CorpusIssue(
            row.file,
            f"{table.path.name}, row {row.row}: file {row.file} does not exist in "
            f"{root}; fix the name or remove the row",
        )
        for row in table.rows
        if row.file not in present
    ]


def load_corpus(
    path: str | Path,
    *,
    respondents: str | Path | None = None,
    labels: Iterable[str] = (),
    interviewer_labels: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    strict: bool = False,
) -> Corpus:
    """Read every interview record in the folder *path*.

    *respondents* is the respondents table (default: ``respondents.csv`` in
    *path*, when it exists). *labels* and *interviewer_labels* declare extra
    speaker labels. Files above *max_bytes* are refused unread.

    Problems with single files or rows are collected in ``Corpus.errors`` and
    the other files are still read; with *strict*, the first one raises
    ``CorpusError``. A folder that does not exist, or an unusable respondents
    table, always raises.
    """
    root = Path(path)
    if not root.is_dir():
        raise CorpusError(f"{root}: transcripts folder not found; pass an existing folder")
    table_path = Path(respondents) if respondents is not None else root / "respondents.csv"
    table = (
        read_respondents(table_path) if (respondents is not None or table_path.exists()) else None
    )
    issues = table_issues(table)
    meta = table.by_file() if table is not None else {}
    transcripts: list[Transcript] = []
    found: list[str] = []
    for p in record_files(root, table_path if table is not None else None):
        name = p.relative_to(root).as_posix()
        found.append(name)
        t, issue = read_record(
            p,
            name,
            table.path.name if table is not None else None,
            meta.get(name),
            labels=labels,
            interviewer_labels=interviewer_labels,
            max_bytes=max_bytes,
        )
        if issue is not None:
            issues.append(issue)
        if t is not None:
            transcripts.append(t)
    issues.extend(missing_records(table, found, root))
    if strict and issues:
        raise CorpusError(issues[0].error)
    return Corpus(root, tuple(transcripts), tuple(issues), table)
