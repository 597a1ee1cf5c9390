"""Record metadata: what the top of an interview record says about the record, not speech.

A record often opens with lines that nobody said: a title, ``Key: value`` lines
(``Datum: 3 maart 2023``, ``Respondent: beleidsadviseur participatie``), a
speaker legend (``I = interviewer; R = respondent``), a researcher's note
(``Dit verslag is door de respondent goedgekeurd.``), YAML front matter in a
Markdown file, or a leading table in a ``.docx``. :func:`find_header` finds
them at the start of the normalised text, in any order, with or without blank
lines between them; the header ends at the first line that is none of these.

Several ``Key: value`` pairs may share a line, separated by ``. ``, ``; ``,
`` · `` or `` | ``. Keys come from the study's vocabulary (Dutch and English,
``qualcode/data/record_metadata.yaml``); an unknown short key is accepted only
in a header that also has a title, a known key, a legend or front matter. A
line whose value reads as speech (``Respondent: ja, dat klopt``, a question, a
first-person pronoun) is never metadata, so a transcript that opens with a
speaker turn keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import accumulate

import yaml

__all__ = ["RecordHeader", "find_header"]

_MAX_TITLES = 3
_MAX_NOTE_WORDS = 40
_LEGEND = re.compile(r"[A-Z]{1,3}\d{0,2}\s*=\s*\S")
_KEY = re.compile(
    r"(?P<key>[^\W\d_][\w'’./()&-]*(?:[ \t]+[\w'’./()&-]+){0,3}?)[ \t]*:[ \t]+(?P<value>\S.*)"
)
_PIECES = re.compile(r"(?<=[.;])\s+|\s+[·|]\s+")
_MARKUP = re.compile(r"(?<![\w*_])[*_]+|[*_]+(?![\w*_])")
_BULLET = re.compile(r"[-•]\s+")
_MD_HEADING = re.compile(r"#{1,6}\s+")
_END_MARK = tuple(".,;:!?…\"”’'")


@dataclass(frozen=True)
class RecordHeader:
    """The metadata at the top of a record: its fields, where it is, where the body starts.

    ``spans`` are ``(start, end)`` of each metadata line or block; ``end`` is the
    offset of the first body line (0 when the record has no header).
    """

    metadata: dict[str, str] = field(default_factory=dict)
    spans: tuple[tuple[int, int], ...] = ()
    end: int = 0


@dataclass(frozen=True)
class _Vocabulary:
    keys: frozenset[str]
    speaker_keys: frozenset[str]
    note_openings: tuple[str, ...]
    speech_words: frozenset[str]


@cache
def _vocabulary() -> _Vocabulary:
    raw = yaml.safe_load(
        resources.files("qualcode.data").joinpath("record_metadata.yaml").read_text("utf-8")
    )
    return _Vocabulary(
        frozenset(raw["keys"]),
        frozenset(raw["speaker_keys"]),
        tuple(raw["note_openings"]),
        frozenset(raw["speech_words"]),
    )


def _speech_like(value: str) -> bool:
    """True when *value* reads as something said rather than a description."""
    words = re.findall(r"\w+", value.lower())
    return (
        "?" in value
        or any(q in value for q in '“”"„')
        or len(words) > _MAX_NOTE_WORDS
        or any(w in _vocabulary().speech_words for w in words)
    )


def _base_key(key: str) -> str:
    return re.sub(r"[\s\d]+$", "", key.strip().lower())


def _title_like(line: str) -> bool:
    if _MD_HEADING.match(line):
        return True
    words = line.split()
    return (
        0 < len(words) <= 16
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith(_END_MARK)
        and ": " not in line
        and not _speech_like(line)
    )


def _note(piece: str) -> bool:
    low = piece.lower()
    return low.startswith(_vocabulary().note_openings) and not _speech_like(piece)


@dataclass
class _Line:
    """What one header line holds: fields, notes and legends, and whether a key is known."""

    pairs: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    strong: bool = False


def _parse_line(content: str) -> _Line | None:
    """The metadata on one line, or None when the line is not a header line."""
    vocab = _vocabulary()
    out = _Line()
    pieces = [p.strip() for p in _PIECES.split(content) if p.strip()]
    for i, piece in enumerate(pieces):
        if _LEGEND.match(piece):
            out.legend.append(piece.rstrip(".;,"))
            out.strong = True
            continue
        m = _KEY.fullmatch(piece)
        if m:
            key, value = m.group("key").strip(), m.group("value").strip().rstrip(";")
            base = _base_key(key)
            known = base in vocab.keys
            short = len(value.split()) <= 10 and not value.endswith((".", "!"))
            if _speech_like(value) or not (known or short):
                return None
            if base in vocab.speaker_keys and len(value.split()) > 20:
                return None
            out.pairs.append((key, value.rstrip(".")))
            out.strong = out.strong or known
            continue
        if i == 0 and not _note(piece):
            return None
        if _speech_like(piece):
            return None
        if out.pairs and len(piece.split()) <= 3 and not _note(piece):
            key, value = out.pairs[-1]
            out.pairs[-1] = (key, f"{value}. {piece.rstrip('.')}")
        else:
            out.notes.append(piece.rstrip(";"))
    return out


def _clean(line: str) -> str:
    """A line without Markdown emphasis and bullets."""
    line = _MARKUP.sub("", line.strip()).strip()
    return _BULLET.sub("", line, count=1) if _BULLET.match(line) else line


def _add(metadata: dict[str, str], key: str, value: str) -> None:
    if not value:
        return
    metadata[key] = f"{metadata[key]}; {value}" if metadata.get(key) else value


def _front_matter(lines: list[str]) -> tuple[int, dict[str, str]] | None:
    """Index of the closing line of YAML front matter, and its fields; None when there is none."""
    if not lines or lines[0].strip() != "---":
        return None
    for j in range(1, min(len(lines), 200)):
        if lines[j].strip() in ("---", "..."):
            block = "\n".join(lines[1:j])
            try:
                data = yaml.safe_load(block) if block.strip() else {}
            except yaml.YAMLError:
                data = None
            fields: dict[str, str] = {}
            if isinstance(data, dict):
                for k, v in data.items():
                    if isinstance(v, list):
                        v = ", ".join(str(x) for x in v)
                    _add(fields, str(k), "" if v is None else str(v))
            else:
                _add(fields, "front matter", block.strip())
            return j, fields
    return None


def find_header(
    text: str, *, front: int = 0, front_metadata: Mapping[str, str] | None = None
) -> RecordHeader:
    """The record header at the start of the normalised *text*.

    *front* is the length of a leading part a reader already knows is metadata
    (a ``.docx`` table), with its fields in *front_metadata*.
    """
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    metadata: dict[str, str] = dict(front_metadata or {})
    spans: list[tuple[int, int]] = []
    weak: list[tuple[int, int]] = []  # spans of lines with only unknown keys
    weak_fields: list[tuple[str, str]] = []
    strong = bool(front)
    i = 0
    while front and i < len(lines) and starts[i] < front:
        if lines[i].strip():
            lead = len(lines[i]) - len(lines[i].lstrip())
            spans.append((starts[i] + lead, starts[i] + len(lines[i].rstrip())))
        i += 1
    body = starts[i] if i < len(lines) else len(text)
    fm = _front_matter(lines) if i == 0 else None
    if fm is not None:
        j, fields = fm
        for k, v in fields.items():
            _add(metadata, k, v)
        spans.append((0, starts[j] + len(lines[j].rstrip())))
        strong, i = True, j + 1
        body = starts[i] if i < len(lines) else len(text)
    titles = 0
    title_ok = True
    gap = False
    while i < len(lines):
        raw = lines[i]
        if not raw.strip():
            gap = True
            i += 1
            continue
        if gap and titles:
            title_ok = False
        lead = len(raw) - len(raw.lstrip())
        span = (starts[i] + lead, starts[i] + len(raw.rstrip()))
        content = _clean(raw)
        parsed = _parse_line(content) if content else None
        if parsed is not None:
            title_ok = False
            target = spans if parsed.strong else weak
            target.append(span)
            for k, v in parsed.pairs:
                if parsed.strong or strong:
                    _add(metadata, k, v)
                else:
                    weak_fields.append((k, v))
            for note in parsed.notes:
                _add(metadata, "note", note)
            for legend in parsed.legend:
                _add(metadata, "speakers", legend)
            strong = strong or parsed.strong
        elif title_ok and titles < _MAX_TITLES and _title_like(content or raw.strip()):
            title = _MD_HEADING.sub("", raw.strip(), count=1).strip("*_ ")
            _add(metadata, "title" if not titles else "subtitle", title)
            spans.append(span)
            titles += 1
            strong = True
        else:
            break
        gap = False
        i += 1
        body = starts[i] if i < len(lines) else len(text)
    if strong:
        spans.extend(weak)
        for k, v in weak_fields:
            _add(metadata, k, v)
    if not spans:
        return RecordHeader(metadata)
    return RecordHeader(metadata, tuple(sorted(spans)), body)
