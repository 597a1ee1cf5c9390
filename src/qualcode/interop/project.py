"""Between a qualcode project (``qualcode.store.Project``) and a REFI-QDA project record.

Export: transcripts become text sources, respondents cases (their attributes
variables), coders users, active codings selections with codings, memos notes.
Every GUID is derived from the project's id and the object's stable key, so
exporting the same project twice gives the same GUIDs. qualcode's own codebook
YAML rides along as ``qualcode/codebook.yaml`` (other programs ignore it), so
that a round trip keeps code ids, dimensions and patterns.

Import: the reverse, for what a qualcode project can hold; the rest is reported
as dropped, with why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from qualcode.codebook import Codebook
from qualcode.interop import model as refi
from qualcode.interop.codes import make_guid, namespace_for, refi_codebook
from qualcode.store import Project
from qualcode.store.frames import within_texts

__all__ = ["CODEBOOK_MEMBER", "ORGANISATION", "project_record"]

CODEBOOK_MEMBER = "qualcode/codebook.yaml"
# The variable that carries a respondent's organisation (attribution is by organisation).
ORGANISATION = "organisation"
_UNSAFE_NAME = re.compile(r"[^\w\-. ()]+")


@dataclass(frozen=True)
class _Key:
    namespace_key: str

    def guid(self, kind: str, key: str) -> str:
        return make_guid(namespace_for(self.namespace_key), kind, key)


def _users(names: Iterable[str], key: _Key) -> tuple[refi.User, ...]:
    return tuple(refi.User(guid=key.guid("user", n), name=n) for n in dict.fromkeys(names) if n)


def _variables(project: Project, key: _Key) -> tuple[refi.Variable, ...]:
    names: list[str] = []
    if any(t.organisation for t in project.corpus):
        names.append(ORGANISATION)
    for t in project.corpus:
        names.extend(a for a in t.attributes if a not in names and a != ORGANISATION)
    return tuple(refi.Variable(guid=key.guid("variable", n), name=n) for n in names)


def _cases(
    project: Project, variables: tuple[refi.Variable, ...], key: _Key
) -> tuple[refi.Case, ...]:
    by_respondent: dict[str, list[str]] = defaultdict(list)
    for t in project.corpus:
        if t.respondent:
            by_respondent[t.respondent].append(t.file)
    cases: list[refi.Case] = []
    for respondent, files in by_respondent.items():
        first = project.corpus.get(files[0])
        given = dict(first.attributes)
        if first.organisation:
            given[ORGANISATION] = first.organisation
        values = tuple(
            refi.VariableValue(variable=v.guid, value=given[v.name])
            for v in variables
            if v.name in given
        )
        cases.append(
            refi.Case(
                guid=key.guid("case", respondent),
                name=respondent,
                values=values,
                sources=tuple(key.guid("source", f) for f in files),
            )
        )
    return tuple(cases)


def _sources(project: Project, key: _Key, code_guids: dict[str, str]) -> tuple[refi.Source, ...]:
    spans: dict[tuple[str, int, int], list[refi.Coding]] = defaultdict(list)
    for c in within_texts(project.coding_records(status="active"), project.corpus):
        spans[(c.file, c.start, c.end)].append(
            refi.Coding(
                guid=key.guid("coding", str(c.id)),
                code=code_guids[c.code],
                creating_user=key.guid("user", c.coder),
                created=c.created,
            )
        )
    sources: list[refi.Source] = []
    for t in project.corpus:
        mine = sorted((span, codings) for span, codings in spans.items() if span[0] == t.file)
        selections = tuple(
            refi.PlainTextSelection(
                guid=key.guid("selection", f"{file}:{start}:{end}"),
                start=start,
                end=end,
                codings=tuple(codings),
                creating_user=codings[0].creating_user,
                created=min(c.created for c in codings),
            )
            for (file, start, end), codings in mine
        )
        sources.append(
            refi.Source(
                guid=key.guid("source", t.file), name=t.file, text=t.text, selections=selections
            )
        )
    return tuple(sources)


def _notes(project: Project, key: _Key, code_guids: dict[str, str]) -> tuple[refi.Note, ...]:
    notes: list[refi.Note] = []
    coding_guid = {
        str(c.id): key.guid("coding", str(c.id)) for c in project.coding_records(status="active")
    }
    for memo in project.memos().itertuples(index=False):
        kind, target, coder = str(memo.kind), str(memo.target), str(memo.coder)
        if kind == "code":
            guid = code_guids.get(target)
        elif kind == "transcript":
            guid = key.guid("source", target)
        else:
            guid = coding_guid.get(target)
        if not guid:
            continue  # a memo on a coding that is not exported (a rejected suggestion)
        notes.append(
            refi.Note(
                guid=key.guid("note", f"{kind}:{target}:{coder}"),
                name=f"memo by {coder}",
                text=str(memo.text),
                targets=(guid,),
                creating_user=key.guid("user", coder),
                created=str(memo.created),
            )
        )
    return tuple(notes)


def project_record(project: Project, *, origin: str) -> refi.Project:
    """The REFI-QDA record of *project*: everything an export writes."""
    key = _Key(f"project:{project.id}")
    codebook: Codebook = project.codebook
    codes = refi_codebook(codebook, namespace=namespace_for(key.namespace_key))
    code_guids = {c.id: key.guid("code", c.id) for c in codebook.codes}
    variables = _variables(project, key)
    notes = _notes(project, key, code_guids)
    coders = [c.coder for c in project.coding_records(status="active")]
    authors = [str(m) for m in project.memos()["coder"]]
    users = _users([*coders, *authors], key)
    return refi.Project(
        name=Path(project.path).stem,
        origin=origin,
        users=users,
        codebook=refi.Codebook(codes=codes.codes, origin=origin),
        variables=variables,
        cases=_cases(project, variables, key),
        sources=_sources(project, key, code_guids),
        notes=notes,
    )


def file_name(name: str, *, taken: set[str]) -> str:
    """A transcript file name made from source *name*: safe, with a suffix, unique in *taken*."""
    base = (
        _UNSAFE_NAME.sub("_", PurePosixPath(name.replace("\\", "/")).name).strip(" .") or "source"
    )
    if not PurePosixPath(base).suffix:
        base += ".txt"
    candidate, n = base, 1
    stem, suffix = PurePosixPath(base).stem, PurePosixPath(base).suffix
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    taken.add(candidate.lower())
    return candidate
