"""``Project``: one coding project in one SQLite file, the entry point for manual coding.

A project holds the transcripts (their normalised text, so that offsets stay
valid however the folder changes), the codebook, the coders, their codings,
memos and an append-only change log. Every method that changes something runs
as one transaction; two processes may code the same project at once.

Example::

    project = Project.create("studie.db", transcripts="transcripts_sample",
                             codebook="codebook/msm.yaml")
    project.code_phrase("divosa.txt", "Het tempo was soms moordend", "PLANNING", coder="anna")
    project.codings(coder="anna")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.codebook import Codebook, load_codebook, parse_codebook
from qualcode.coding.codings import read_codings
from qualcode.coding.model import Coding
from qualcode.coding.reanchor import FUZZY_THRESHOLD, Anchor
from qualcode.corpus import Corpus, Segment, Transcript
from qualcode.corpus.model import Unit
from qualcode.corpus.segments import check_unit
from qualcode.corpus.spans import check_span, find_phrase
from qualcode.errors import CodingError, StoreError
from qualcode.store import frames, suggestions
from qualcode.store.create import fill, load_transcripts, replace_codebook, who, write_new
from qualcode.store.db import MEMORY, Database
from qualcode.store.imports import AUTO_CODER, ImportResult, coder_name, run_import
from qualcode.store.records import NewCoding, ProjectInfo, StoredCoding, check_statuses
from qualcode.store.refresh import RefreshResult, refresh_project
from qualcode.store.texts import check_code, corpus_of

if TYPE_CHECKING:
    from qualcode.coding.autocoder import Selection

__all__ = ["Project", "ProjectInfo", "SegmentRef"]

#: A segment given by (file, unit, index).
SegmentRef = tuple[str, str, int]


class Project:
    """A coding project stored in one SQLite file (or in memory, with path ``":memory:"``).

    Make one with :meth:`create`, reopen it with :meth:`open`; use it as a
    context manager or call :meth:`close`.
    """

    def __init__(self, db: Database) -> None:
        """Wrap an open :class:`Database`; use :meth:`create` or :meth:`open` instead."""
        self._db = db
        self._corpus: Corpus | None = None
        self._corpus_version = ""
        self._codebook: Codebook | None = None
        self._codebook_version = ""
        self._variables: dict[str, str] = {}
        self._variables_version = ""

    # -- making and opening ---------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        transcripts: str | Path | Corpus,
        respondents: str | Path | None = None,
        codebook: str | Path | Codebook,
    ) -> Project:
        """Create a project file at *path* from a transcripts folder (or ``Corpus``) and a codebook.

        *respondents* is the respondents table (default: ``respondents.csv`` in the
        folder). The file appears complete or not at all; an existing file is never
        overwritten. Raises ``StoreError``, ``CorpusError`` or ``CodebookError``.
        """
        if str(path) != MEMORY and Path(path).exists():
            raise StoreError(
                f"{path}: already exists; choose a new file name, or open it with Project.open"
            )
        corpus = load_transcripts(transcripts, respondents)
        book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        if str(path) == MEMORY:
            db = Database.create(MEMORY)
            fill(db, corpus, book)
            return cls(db)
        write_new(Path(path), corpus, book)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path) -> Project:
        """Open the project file at *path*.

        Raises ``StoreError`` when the file is missing, not a project, damaged, or
        written by a newer qualcode.
        """
        return cls(Database.open(path))

    def close(self) -> None:
        """Close the project file."""
        self._db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({self.path!r})"

    # -- what the project holds -----------------------------------------------------------

    @property
    def path(self) -> str:
        """The project file (``":memory:"`` for an in-memory project)."""
        return self._db.path

    @property
    def id(self) -> str:
        """A stable identifier of this project (a UUID made at creation)."""
        return self._db.get_meta("project_id")

    @property
    def transcripts_dir(self) -> Path:
        """The folder the transcripts were read from (and are refreshed from)."""
        return Path(self._db.get_meta("transcripts_dir"))

    @property
    def corpus(self) -> Corpus:
        """The stored transcripts as a ``Corpus`` (their text as stored: offsets stay valid)."""
        version = self._db.get_meta("text_version")
        if self._corpus is None or version != self._corpus_version:
            self._corpus = corpus_of(self._db.transcripts(), self.transcripts_dir)
            self._corpus_version = version
        return self._corpus

    @property
    def codebook(self) -> Codebook:
        """The project's codebook, as stored."""
        version = self._db.get_meta("codebook_version")
        if self._codebook is None or version != self._codebook_version:
            text, source = self._db.codebook_source()
            self._codebook = parse_codebook(text, path=source)
            self._codebook_version = version
        return self._codebook

    def variables(self) -> dict[str, str]:
        """Every code id of the codebook, mapped to its variable (in codebook order)."""
        version = self._db.get_meta("codebook_version")
        if version != self._variables_version:
            self._variables = {row.id: row.variable for row in self._db.codes()}
            self._variables_version = version
        return self._variables

    def _check_code(self, code: str, where: str) -> None:
        check_code(code, known=self.variables(), codebook=lambda: self.codebook, where=where)

    def set_codebook(self, codebook: str | Path | Codebook, *, coder: str) -> None:
        """Replace the project's codebook (a refined version of it): one transaction.

        Codes may be added, renamed or redefined; a code id that codings still use
        must stay. Raises ``CodingError`` listing the codes in use that the new
        codebook lacks.
        """
        coder = coder_name(coder)
        book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        with self._db.transaction():
            replace_codebook(self._db, book, coder=coder)

    def transcript(self, file: str) -> Transcript:
        """The stored transcript *file*; ``CorpusError`` naming the known files when absent."""
        return self.corpus.get(file)

    def coders(self) -> tuple[str, ...]:
        """Everyone who has coded, in the order they started."""
        return tuple(self._db.coders())

    def info(self) -> ProjectInfo:
        """Counts of transcripts, codes, coders, codings by status, memos and log entries."""
        return ProjectInfo(
            path=self.path,
            id=self.id,
            schema_version=self._db.schema_version(),
            transcripts_dir=str(self.transcripts_dir),
            transcripts=len(self.corpus),
            codes=len(self.variables()),
            coders=self.coders(),
            codings=dict(sorted(self._db.status_counts().items())),
            memos=len(self._db.memos()),
            log_entries=len(self._db.log()),
        )

    # -- coding ---------------------------------------------------------------------------

    def code(
        self, file: str, start: int, end: int, code: str, *, coder: str, memo: str = ""
    ) -> int:
        """Apply *code* to ``text[start:end]`` of *file* for *coder*; the coding's id.

        Coding the same span with the same code twice keeps one coding. Raises
        ``CodingError`` for an unknown file or code, offsets outside the text, or
        a span in interviewer speech.
        """
        coder = coder_name(coder)
        with self._db.transaction():
            t = self.transcript(file)
            where = f"{file}, {start}-{end}"
            self._check_code(code, where)
            check_span(t, start, end, where=where)
            found = self._db.find_coding(file, start, end, code, coder, ("active",))
            if found is not None:
                if memo:
                    self._db.set_coding_memo(found, memo)
                return found
            (new_id,) = self._db.add_codings(
                [
                    NewCoding(
                        file=file,
                        start=start,
                        end=end,
                        code=code,
                        coder=coder,
                        origin="manual",
                        status="active",
                        anchor=Anchor.of(t.text, start, end),
                        memo=memo,
                    )
                ]
            )
            self._db.append_log(
                coder,
                "code",
                {"id": new_id, "file": file, "start": start, "end": end, "code": code},
            )
        return new_id

    def segment(self, ref: Segment | SegmentRef) -> Segment:
        """The segment *ref* (a ``Segment``, or ``(file, unit, index)``) of a stored transcript."""
        if isinstance(ref, Segment):
            t = self.transcript(ref.file)
            if t.text[ref.start : ref.end] != ref.text:
                raise CodingError(
                    f"{ref.file}, {ref.unit} {ref.index}: the segment is from another "
                    "version of the text; take segments from project.corpus"
                )
            return ref
        file, unit, index = ref
        segments = self.transcript(file).segments(check_unit(unit))
        if not 0 <= index < len(segments):
            raise CodingError(
                f"{file}: no {unit} {index}; it has {len(segments)} {unit} segments "
                f"(0-{len(segments) - 1})"
            )
        return segments[index]

    def code_segment(
        self, segment: Segment | SegmentRef, code: str, *, coder: str, memo: str = ""
    ) -> int:
        """Apply *code* to a whole segment (a ``Segment`` or ``(file, unit, index)``)."""
        seg = self.segment(segment)
        if not seg.is_respondent:
            what = f"interviewer speech ({seg.speaker!r})" if seg.speaker else "a heading"
            raise CodingError(
                f"{seg.file}, {seg.unit} {seg.index}: {what}; only respondent speech is coded"
            )
        return self.code(seg.file, seg.start, seg.end, code, coder=coder, memo=memo)

    def find_phrase(
        self, file: str, phrase: str, *, segment: Segment | SegmentRef | None = None
    ) -> tuple[int, int]:
        """``(start, end)`` of *phrase* in *file* (inside *segment* when given).

        Raises ``CodingError`` when the phrase does not occur, occurs more than
        once, or occurs only in interviewer speech.
        """
        t = self.transcript(file)
        seg = self.segment(segment) if segment is not None else None
        return find_phrase(t, phrase, segment=seg)

    def code_phrase(
        self,
        file: str,
        phrase: str,
        code: str,
        *,
        coder: str,
        segment: Segment | SegmentRef | None = None,
        memo: str = "",
    ) -> int:
        """Apply *code* to *phrase*, found (once) in *file* or inside *segment*."""
        start, end = self.find_phrase(file, phrase, segment=segment)
        return self.code(file, start, end, code, coder=coder, memo=memo)

    def coding(self, coding_id: int) -> StoredCoding:
        """The stored coding *coding_id*; ``CodingError`` when there is none."""
        found = self._db.coding(int(coding_id))
        if found is None:
            raise CodingError(f"no coding with id {coding_id}; see project.codings(status=None)")
        return found

    def _own(self, coding_id: int, coder: str, *, action: str) -> StoredCoding:
        c = self.coding(coding_id)
        if c.status != "active":
            raise CodingError(
                f"coding {c.id} is {c.status}, not active; only active codings can "
                f"be {action}"
                + (" (accept or reject suggestions)" if c.status == "suggested" else "")
            )
        if c.coder != coder:
            raise CodingError(
                f"coding {c.id} belongs to coder {c.coder!r}; only its coder can have it {action}"
            )
        return c

    def recode(self, coding_id: int, start: int, end: int, *, coder: str) -> None:
        """Give *coder*'s coding new offsets (narrow it to a phrase, widen it, move it)."""
        coder = coder_name(coder)
        with self._db.transaction():
            c = self._own(coding_id, coder, action="moved")
            t = self.transcript(c.file)
            check_span(t, start, end, where=f"{c.file}, {start}-{end}")
            if (start, end) == (c.start, c.end):
                return
            self._db.move_coding(c.id, start, end, Anchor.of(t.text, start, end))
            self._db.append_log(
                coder,
                "recode",
                {"id": c.id, "file": c.file, "old": [c.start, c.end], "new": [start, end]},
            )

    def uncode(self, coding_id: int, *, coder: str) -> None:
        """Remove *coder*'s coding *coding_id* (the change log keeps what it was)."""
        coder = coder_name(coder)
        with self._db.transaction():
            c = self._own(coding_id, coder, action="removed")
            self._db.delete_coding(c.id)
            suggestions.reopen(self._db, c)
            self._db.append_log(
                coder,
                "uncode",
                {
                    "id": c.id,
                    "file": c.file,
                    "start": c.start,
                    "end": c.end,
                    "code": c.code,
                    "memo": c.memo,
                    "snippet": c.anchor.snippet,
                },
            )

    def memo(
        self,
        text: str,
        *,
        coder: str,
        coding: int | None = None,
        code: str | None = None,
        transcript: str | None = None,
    ) -> None:
        """Write *coder*'s memo on one of: a coding (id), a code, or a transcript (file).

        An empty *text* removes the memo.
        """
        coder = coder_name(coder)
        targets = [t for t in (coding, code, transcript) if t is not None]
        if len(targets) != 1:
            raise CodingError(
                "memo needs exactly one of coding=ID, code=CODE_ID or transcript=FILE"
            )
        with self._db.transaction():
            if coding is not None:
                c = self._own(coding, coder, action="given a memo")
                self._db.set_coding_memo(c.id, text)
                target: dict[str, object] = {"coding": c.id}
            elif code is not None:
                self._check_code(code, f"memo on code {code}")
                self._db.set_memo("code", code, coder, text)
                target = {"code": code}
            else:
                assert transcript is not None
                self.transcript(transcript)
                self._db.set_memo("transcript", transcript, coder, text)
                target = {"transcript": transcript}
            self._db.append_log(coder, "memo", {**target, "text": text})

    # -- reading codings ------------------------------------------------------------------

    def coding_records(
        self,
        *,
        file: str | None = None,
        coder: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = "active",
        code: str | None = None,
        overlapping: tuple[int, int] | None = None,
    ) -> list[StoredCoding]:
        """Stored codings (records) matching every filter given; ``status=None`` for all.

        *coder* is one coder's name or several names.
        """
        return self._db.codings(
            file=file,
            coder=coder,
            statuses=check_statuses(status),
            code=code,
            overlapping=overlapping,
        )

    def codings(
        self,
        *,
        coder: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = "active",
        file: str | None = None,
        code: str | None = None,
    ) -> pd.DataFrame:
        """Codings as a DataFrame: the codings CSV contract plus ``id, origin, status, memo,
        created, updated``. By default the active codings of every coder; *coder* (one name
        or several), *status* (one, several, or None for all), *file* and *code* filter."""
        records = self.coding_records(file=file, coder=coder, status=status, code=code)
        return frames.codings_table(records, self.corpus, self.variables())

    def memos(self) -> pd.DataFrame:
        """Every memo: on codes, transcripts and codings (``kind, target, coder, text, ...``)."""
        return frames.memos_table(self._db.memos(), self._db.codings())

    def log(self) -> pd.DataFrame:
        """The append-only change log: ``id, at, coder, action, details`` (JSON)."""
        return frames.log_table(self._db.log())

    # -- importing, suggestions -----------------------------------------------------------

    def import_codings(
        self,
        codings: str | Path | pd.DataFrame | Iterable[Coding],
        *,
        source: str | None = None,
    ) -> ImportResult:
        """Import codings in the codings CSV contract (``file, start, end, code, coder``).

        *codings* is a codings CSV path, a DataFrame or ``Coding`` records. A row
        whose ``text`` is not the transcript's text at its offsets moves to the
        nearest place where that text is. Rows by coder ``auto`` become
        suggestions, others active codings; rows already present are skipped.
        One refused row refuses them all (``CodingsRefused``, one line per row,
        named after *source*, default the CSV's name).
        """
        if isinstance(codings, str | Path):
            source = source or Path(codings).name
            codings = read_codings(codings)
        source = source or "codings"
        return run_import(
            self._db,
            codings,
            self.corpus,
            self.codebook,
            action="import-codings",
            who=who(),
            source=source,
        )

    def import_suggestions(
        self, codings: pd.DataFrame | Iterable[Coding], *, coder: str = AUTO_CODER
    ) -> ImportResult:
        """Store auto-coder results as suggestions (status ``suggested``) under *coder*.

        Suggestions already stored (also decided ones) are skipped, so re-running
        the auto-coder adds only new ones.
        """
        coder = coder_name(coder, manual=False)
        return run_import(
            self._db,
            codings,
            self.corpus,
            self.codebook,
            action="import-suggestions",
            who=coder,
            source="suggestions",
            coder=coder,
            status_for={coder: "suggested"},
        )

    def suggest(
        self, *, learn: bool = True, unit: Unit = "paragraph", selection: Selection | None = None
    ) -> ImportResult:
        """Auto-code the segments nobody coded yet; store the results as suggestions.

        With *learn*, the model first learns from the project's active codings by
        people (accepted suggestions included). Coded segments are left alone.
        """
        from qualcode.coding.autocoder import autocode
        from qualcode.coding.learning import learn_from_frame

        own = self.codings(status="active")
        model = learn_from_frame(self.codebook, own, name=self.path) if learn else True
        made = autocode(self.corpus, self.codebook, unit=unit, selection=selection, model=model)
        return self.import_suggestions(suggestions.uncoded_in(self._db, made))

    def accept(self, suggestion_id: int, *, coder: str) -> int:
        """Accept a suggestion: *coder* gets an active coding of it; its id."""
        coder = coder_name(coder)
        with self._db.transaction():
            s = suggestions.pending(self._db, suggestion_id)
            return suggestions.accept(self._db, s, self.transcript(s.file), coder=coder)

    def decide(
        self,
        suggestion_id: int,
        decision: str,
        *,
        coder: str,
        code: str | None = None,
        memo: str = "",
    ) -> bool:
        """Accept, reject or change (to *code*) a suggestion, with an optional *memo*.

        False when it was already decided the same way (nothing changes: a repeated
        review is harmless); ``CodingError`` when it was decided otherwise.
        """
        coder = coder_name(coder)
        with self._db.transaction():
            s = self._db.coding(int(suggestion_id))
            if s is None or s.origin != "auto":
                raise CodingError(f"no suggestion with id {suggestion_id}")
            if code is not None:
                self._check_code(code, f"suggestion {suggestion_id}")
            return suggestions.decide(
                self._db, s, self.transcript(s.file), decision, coder=coder, code=code, memo=memo
            )

    def log_action(self, coder: str, action: str, details: dict[str, object]) -> None:
        """Add a line to the project's change log (for work done outside one method)."""
        with self._db.transaction():
            self._db.append_log(coder_name(coder), action, details)

    def reject(self, suggestion_id: int, *, coder: str) -> None:
        """Reject a suggestion (it stays stored, with status ``rejected``)."""
        coder = coder_name(coder)
        with self._db.transaction():
            suggestions.reject(self._db, suggestions.pending(self._db, suggestion_id), coder=coder)

    # -- changed transcripts --------------------------------------------------------------

    def refresh(
        self,
        transcripts_dir: str | Path | None = None,
        *,
        respondents: str | Path | None = None,
        threshold: float = FUZZY_THRESHOLD,
    ) -> RefreshResult:
        """Re-read the transcripts folder and move every coding to where its text now is.

        *transcripts_dir* defaults to the folder the project was made from (a new
        folder given here is remembered). Codings whose passage is gone become
        orphaned, never deleted. One transaction.
        """
        return refresh_project(
            self._db,
            transcripts_dir=transcripts_dir,
            respondents=respondents,
            who=who(),
            threshold=threshold,
        )

    def orphans(self) -> pd.DataFrame:
        """Codings whose text disappeared: ``id, file, code, coder, status, snippet, old_start,
        old_end, memo, updated`` (status: what they were before)."""
        return frames.orphans_table(self._db.codings(statuses=("orphaned",)))

    def restore(self, coding_id: int, start: int, end: int, *, coder: str) -> None:
        """Put an orphaned coding back at ``[start:end]`` of its transcript's current text."""
        coder = coder_name(coder)
        with self._db.transaction():
            c = self.coding(coding_id)
            if c.status != "orphaned":
                raise CodingError(f"coding {c.id} is {c.status}, not orphaned; nothing to restore")
            t = self.transcript(c.file)
            check_span(t, start, end, where=f"{c.file}, {start}-{end}")
            self._db.move_coding(c.id, start, end, Anchor.of(t.text, start, end))
            self._db.set_status(c.id, c.orphaned_from or "active")
            self._db.append_log(
                coder, "restore", {"id": c.id, "file": c.file, "start": start, "end": end}
            )
