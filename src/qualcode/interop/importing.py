"""Building a qualcode project from a REFI-QDA project record.

Text sources become transcripts (their text already normalised by the reader,
positions already mapped onto it), cases the respondents, codes a codebook
(qualcode's own YAML when the file carries a matching one, otherwise ids made
from the names), codings stay with their coder, notes become memos. What a
qualcode project cannot hold is reported as dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.codebook import Codebook, parse_codebook
from qualcode.coding.model import Coding
from qualcode.corpus import Corpus, Transcript, transcript_from_text
from qualcode.corpus.spans import check_span
from qualcode.errors import CodebookError, CodingError, InteropError
from qualcode.interop import model as refi
from qualcode.interop.codes import codebook_yaml, derive_ids, guess_language
from qualcode.interop.project import ORGANISATION, file_name

__all__ = ["Plan", "plan_import"]

# How much of each source the language guess reads.
_GUESS_CHARS = 20_000


@dataclass(frozen=True)
class Plan:
    """What will be stored: transcripts, codebook, codings, memos; and what was dropped."""

    corpus: Corpus
    codebook: Codebook
    codings: tuple[Coding, ...]
    memos: tuple[tuple[str, str, str, str], ...]  # (kind, target, coder, text)
    dropped: tuple[refi.Dropped, ...] = ()
    warnings: tuple[str, ...] = ()
    language: str = ""
    files: dict[str, str] = field(default_factory=dict)  # source guid -> transcript file


def _codebook(
    project: refi.Project,
    *,
    name: str,
    language: str | None,
    own_yaml: str | None,
    texts: list[str],
    warnings: list[str],
) -> tuple[Codebook, dict[str, str]]:
    """The codebook to store and the map from code GUIDs to code ids."""
    codes = project.codebook
    if not codes.codes:
        raise InteropError(
            f"{name}: the project has no codes; qualcode needs a codebook "
            "(add codes in the other program, or start a project with 'qualcode project init')"
        )
    if own_yaml is not None:
        try:
            own = parse_codebook(own_yaml, path=f"{name}:qualcode/codebook.yaml")
        except CodebookError as exc:
            warnings.append(f"{name}: its qualcode codebook cannot be used ({exc})")
        else:
            by_path = {_path(own, c.id): c.id for c in own.codes}
            ids = {c.guid: by_path.get(codes.path(c.guid), "") for c in codes.codes}
            if all(ids.values()) and len(set(ids.values())) == len(own.codes) == len(ids):
                return own, ids
            warnings.append(
                f"{name}: the codes were changed after qualcode exported them; "
                "code ids are made from the code names"
            )
    if language is None:
        language = guess_language([*texts, *(f"{c.name} {c.description}" for c in codes.codes)])
    ids = derive_ids(codes.codes)
    text = codebook_yaml(
        codes, name=project.name, language=language, ids=ids, description=project.description
    )
    return parse_codebook(text, path=f"{name} (codes)"), ids


def _path(book: Codebook, code_id: str) -> tuple[str, ...]:
    names: list[str] = []
    code = book.get(code_id)
    while True:
        names.append(code.name)
        if code.parent is None:
            return tuple(reversed(names))
        code = book.get(code.parent)


def _respondents(project: refi.Project, dropped: list[refi.Dropped]) -> dict[str, refi.Case]:
    """The case of each source GUID."""
    case_of: dict[str, refi.Case] = {}
    for case in project.cases:
        label = case.name or case.guid
        if not case.sources:
            why = "it groups selections, not sources" if case.selections else "it has no sources"
            dropped.append(refi.Dropped("case", label, why))
            continue
        for source in case.sources:
            case_of.setdefault(source, case)
    return case_of


def _transcript(
    source: refi.Source, file: str, case: refi.Case | None, project: refi.Project
) -> Transcript:
    names = {v.guid: v.name for v in project.variables}
    values = {names[v.variable]: v.value for v in source.values if v.variable in names}
    if case is not None:
        values.update({names[v.variable]: v.value for v in case.values if v.variable in names})
    organisation = next(
        (values.pop(k) for k in list(values) if k.lower() in (ORGANISATION, "organisatie")), ""
    )
    t = transcript_from_text(source.text or "", file=file)
    return t.with_metadata(
        respondent=case.name if case is not None else "",
        organisation=organisation,
        attributes=values,
    )


def plan_import(
    project: refi.Project,
    report: refi.Report,
    *,
    name: str,
    language: str | None = None,
    own_yaml: str | None = None,
    root: Path | None = None,
) -> Plan:
    """Turn *project* (read from file *name*) into what a new qualcode project will hold.

    *root* is where the transcripts are recorded as coming from: the ``.qdpx`` file's
    absolute path (default: *name*).
    """
    dropped = list(report.dropped)
    warnings = list(report.warnings)
    texts = [(s.text or "")[:_GUESS_CHARS] for s in project.sources]
    codebook, ids = _codebook(
        project, name=name, language=language, own_yaml=own_yaml, texts=texts, warnings=warnings
    )
    case_of = _respondents(project, dropped)
    taken: set[str] = set()
    transcripts: list[Transcript] = []
    files: dict[str, str] = {}
    for source in project.sources:
        if not (source.text or "").strip():
            dropped.append(refi.Dropped("text source", source.name, "its text is empty"))
            continue
        files[source.guid] = file_name(source.name, taken=taken)
        transcripts.append(
            _transcript(source, files[source.guid], case_of.get(source.guid), project)
        )
    by_file = {t.file: t for t in transcripts}
    notes_on: dict[str, list[refi.Note]] = defaultdict(list)
    for note in project.notes:
        for target in note.targets:
            notes_on[target].append(note)
    codings: list[Coding] = []
    fallback = project.user_name(project.creating_user) or project.origin or "imported"

    def add(
        source: refi.Source,
        start: int,
        end: int,
        coding: refi.Coding,
        *,
        owner: str,
        extra_memo: str,
    ) -> None:
        file = files[source.guid]
        coder = project.user_name(coding.creating_user) or project.user_name(owner) or fallback
        memo = "\n\n".join(
            [m for m in (extra_memo, *(n.text for n in notes_on.get(coding.guid, []))) if m]
        )
        where = f"{file} [{start}:{end}]"
        try:
            check_span(by_file[file], start, end, where=where)
        except CodingError as exc:
            dropped.append(refi.Dropped("coding", where, str(exc).removeprefix(f"{where}: ")))
            return
        codings.append(Coding(file, start, end, ids[coding.code], coder, memo=memo))

    for source in project.sources:
        if source.guid not in files:
            continue
        for selection in source.selections:
            memo = "\n\n".join(
                [selection.description, *(n.text for n in notes_on.get(selection.guid, []))]
            ).strip()
            for coding in selection.codings:
                add(
                    source,
                    selection.start,
                    selection.end,
                    coding,
                    owner=selection.creating_user,
                    extra_memo=memo,
                )
        for coding in source.codings:
            text = source.text or ""
            start = len(text) - len(text.lstrip())
            add(
                source, start, len(text.rstrip()), coding, owner=source.creating_user, extra_memo=""
            )
    memos = _memos(project, ids, files, dropped, fallback)
    return Plan(
        corpus=Corpus(root or Path(name), tuple(transcripts)),
        codebook=codebook,
        codings=tuple(codings),
        memos=memos,
        dropped=tuple(dropped),
        warnings=tuple(warnings),
        language=codebook.language,
        files=files,
    )


def _memos(
    project: refi.Project,
    ids: dict[str, str],
    files: dict[str, str],
    dropped: list[refi.Dropped],
    fallback: str,
) -> tuple[tuple[str, str, str, str], ...]:
    selection_guids = {s.guid for _, s in project.selections()}
    coding_guids = {c.guid for _, s in project.selections() for c in s.codings}
    coding_guids |= {c.guid for src in project.sources for c in src.codings}
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for note in project.notes:
        coder = project.user_name(note.creating_user) or fallback
        placed = False
        for target in note.targets:
            if target in ids:
                grouped[("code", ids[target], coder)].append(note.text)
                placed = True
            elif target in files:
                grouped[("transcript", files[target], coder)].append(note.text)
                placed = True
            elif target in selection_guids or target in coding_guids:
                placed = True  # carried as the memo of the coding
        if not placed and note.text:
            where = "the project" if not note.targets else "an object qualcode does not import"
            dropped.append(
                refi.Dropped(
                    "note",
                    note.name or note.guid,
                    f"attached to {where}; qualcode keeps memos on codes, transcripts and codings",
                )
            )
    return tuple(
        (k, t, c, "\n\n".join(x for x in texts if x)) for (k, t, c), texts in grouped.items()
    )
