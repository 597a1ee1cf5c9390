"""Where the records of a distributed run are, and how a worker reads its partition.

The client only lists the records (names and sizes) and reads the respondents
table; every worker reads the records of its partition itself, from a folder
every worker sees under the same path (a network share) or from an fsspec URL
(``s3://``, ``gs://``, ``file://``...; the protocol's library, such as ``s3fs``,
must be installed on every worker). A record is read by the same function the
local engine uses, so an unreadable record is reported in the same words.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from qualcode.corpus import DEFAULT_MAX_BYTES, Corpus, CorpusIssue, Respondent, Transcript
from qualcode.corpus.corpus import (
    is_record_name,
    missing_records,
    no_table_warning,
    read_record,
    record_files,
    table_issues,
)
from qualcode.corpus.respondents import RespondentsTable, read_respondents
from qualcode.errors import CorpusError, DependencyError

__all__ = ["Part", "RecordSource", "is_url", "partition", "read_part"]

#: A partition holds about this many bytes of records at most ...
_PART_MAX_BYTES = 8_000_000
#: ... and at least this many (fewer, larger tasks cost less in scheduling).
_PART_MIN_BYTES = 64_000
#: Partitions per worker to aim for, so that a slow or lost worker delays little.
_PARTS_PER_WORKER = 4


def is_url(root: str | Path) -> bool:
    """Whether *root* is an fsspec URL (``s3://...``) rather than a local path."""
    return "://" in str(root)


@dataclass(frozen=True)
class Part:
    """One partition: the records a task reads (or is given) and codes.

    Small by design (names and their respondents-table rows), since one goes
    with every task; *transcripts* carries records already read by the caller.
    """

    index: int
    root: str
    names: tuple[str, ...]
    rows: dict[str, Respondent | None] = field(default_factory=dict)
    table: str | None = None  # the respondents table's file name
    labels: tuple[str, ...] = ()
    interviewer_labels: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    transcripts: tuple[Transcript, ...] | None = None
    codings: Any = None  # a codings frame of these records, when given (not auto-coded)


@dataclass(frozen=True)
class RecordSource:
    """The records of a corpus as the client sees them: names, sizes, respondents table.

    Build with :meth:`open`; :meth:`parts` cuts it into partitions.
    """

    root: str
    names: tuple[str, ...]
    sizes: tuple[int, ...]
    table: RespondentsTable | None = None
    labels: tuple[str, ...] = ()
    interviewer_labels: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def open(
        cls,
        root: str | Path,
        *,
        respondents: str | Path | None = None,
        labels: Iterable[str] = (),
        interviewer_labels: Iterable[str] = (),
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> RecordSource:
        """List the records under *root* (a folder or URL) as ``load_corpus`` would.

        *respondents* is the respondents table (a path or URL; default:
        ``respondents.csv`` under *root* when there is one). Raises
        ``CorpusError`` when *root* is not a folder or the table is unusable.
        """
        options = {
            "labels": tuple(labels),
            "interviewer_labels": tuple(interviewer_labels),
            "max_bytes": max_bytes,
        }
        if not is_url(root):
            folder = Path(root)
            if not folder.is_dir():
                raise CorpusError(
                    f"{folder}: transcripts folder not found; pass an existing folder"
                )
            table_path = Path(respondents) if respondents else folder / "respondents.csv"
            table = read_respondents(table_path) if respondents or table_path.exists() else None
            files = record_files(folder, table_path if table is not None else None)
            return cls(
                str(folder.resolve()),
                tuple(p.relative_to(folder).as_posix() for p in files),
                tuple(p.stat().st_size for p in files),
                table,
                **options,  # type: ignore[arg-type]
            )
        fs, base = _filesystem(str(root))
        if not fs.isdir(base):
            raise CorpusError(f"{root}: transcripts folder not found; pass an existing folder")
        table_url = str(respondents) if respondents else f"{str(root).rstrip('/')}/respondents.csv"
        table_fs, table_key = _filesystem(table_url)
        table = None
        if respondents or table_fs.exists(table_key):
            with tempfile.TemporaryDirectory(prefix="qualcode-table-") as tmp:
                local = Path(tmp) / PurePosixPath(table_key).name
                table_fs.get(table_key, str(local))
                table = read_respondents(local)
        found = fs.find(base, detail=True)
        names: list[str] = []
        sizes: list[int] = []
        prefix = base.rstrip("/") + "/"
        for key in sorted(found):
            name = key[len(prefix) :] if key.startswith(prefix) else PurePosixPath(key).name
            parts = tuple(PurePosixPath(name).parts)
            if found[key].get("type") == "directory" or not is_record_name(parts):
                continue
            if table is not None and key == table_key:
                continue
            names.append(name)
            sizes.append(int(found[key].get("size") or 0))
        return cls(str(root).rstrip("/"), tuple(names), tuple(sizes), table, **options)  # type: ignore[arg-type]

    def paths(self) -> tuple[Path, ...]:
        """The local files the records come from (none for a URL): inputs never to replace."""
        if is_url(self.root):
            return ()
        table = (self.table.path,) if self.table is not None else ()
        return (*(Path(self.root) / name for name in self.names), *table)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What ``Corpus.warnings`` says of the same folder: no respondents table."""
        return () if self.table is not None or not self.names else (no_table_warning(self.root),)

    def issues_before(self) -> list[CorpusIssue]:
        """The problems reported before the records' own: the respondents table's."""
        return table_issues(self.table)

    def issues_after(self) -> list[CorpusIssue]:
        """The problems reported after the records' own: table rows without a record."""
        return missing_records(self.table, self.names, self.root)

    def parts(self, workers: int) -> list[Part]:
        """The records cut into partitions of whole files, in name order."""
        meta = self.table.by_file() if self.table is not None else {}
        table = self.table.path.name if self.table is not None else None
        return [
            Part(
                index,
                self.root,
                tuple(names),
                {n: meta.get(n) for n in names},
                table,
                self.labels,
                self.interviewer_labels,
                self.max_bytes,
            )
            for index, names in enumerate(partition(self.names, self.sizes, workers))
        ]


def partition(names: Sequence[str], sizes: Sequence[int], workers: int) -> list[list[str]]:
    """*names* in runs of consecutive items of about equal total *sizes*, several per worker."""
    total = sum(sizes)
    target = min(_PART_MAX_BYTES, max(_PART_MIN_BYTES, total // (_PARTS_PER_WORKER * workers)))
    parts: list[list[str]] = []
    current: list[str] = []
    held = 0
    for name, size in zip(names, sizes, strict=True):
        current.append(name)
        held += size
        if held >= target:
            parts.append(current)
            current, held = [], 0
    if current:
        parts.append(current)
    return parts


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError:
        raise DependencyError(
            f"{url}: reading records from a URL needs fsspec; install it with: "
            "pip install 'qualcode[dask]'"
        ) from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise CorpusError(
            f"{url}: cannot open this URL ({exc}); install the library for its protocol "
            "(s3fs for s3://, gcsfs for gs://) on this machine and every worker"
        ) from None
    return fs, str(path)


def read_part(part: Part) -> Corpus:
    """The corpus of one partition, read on the worker (problems in ``Corpus.errors``)."""
    if part.transcripts is not None:
        return Corpus(Path(part.root), part.transcripts)
    options = {
        "labels": part.labels,
        "interviewer_labels": part.interviewer_labels,
        "max_bytes": part.max_bytes,
    }
    transcripts: list[Transcript] = []
    issues: list[CorpusIssue] = []
    with ExitStack() as stack:
        fs, base = _filesystem(part.root) if is_url(part.root) else (None, "")
        if fs is not None:  # the records are fetched into a folder of this task's own
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="qualcode-part-"))
        for name in part.names:
            row = part.rows.get(name)
            if fs is None:
                path = Path(part.root) / name
            else:
                # fetched under its own name, so that messages name the record as locally
                path = Path(tmp) / str(len(transcripts) + len(issues)) / PurePosixPath(name).name
                path.parent.mkdir()
                try:
                    fs.get(f"{base.rstrip('/')}/{name}", str(path))
                except OSError as exc:
                    issues.append(
                        CorpusIssue(name, f"{name}: cannot read the file ({_reason(exc)})")
                    )
                    continue
            t, issue = read_record(path, name, part.table, row, **options)  # type: ignore[arg-type]
            if issue is not None:
                issues.append(issue)
            if t is not None:
                transcripts.append(t)
    return Corpus(Path(part.root), tuple(transcripts), tuple(issues))


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc).strip().splitlines()[0] or type(exc).__name__
