"""Paragraphs and speaker turns of a normalised text.

A paragraph is a block of lines between blank lines; a line that opens with a
speaker label also starts a new paragraph. A speaker label at the start of a
paragraph starts a turn, which runs until the next label; text before any
label, or in a record without labels, is respondent speech.

Labels recognised: the usual interview labels (``I:``, ``R:``, ``R1:``,
``Interviewer:``, ``Respondent:``, ``Vraag:``/``Antwoord:`` ...), labels the
caller declares, and a name followed by a colon (``Annemiek:``,
``Jan de Vries:``) when the same name opens at least two paragraphs, so that a
one-off header such as ``Datum: 3 maart`` is not taken for a speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from qualcode.corpus.model import Turn

__all__ = ["INTERVIEWER_LABELS", "Paragraph", "find_paragraphs", "find_turns"]

#: Labels (lower case, digits stripped) that mark interviewer speech.
INTERVIEWER_LABELS = frozenset(
    {
        "i",
        "int",
        "interviewer",
        "interviewster",
        "onderzoeker",
        "q",
        "vraag",
        "moderator",
        "gespreksleider",
    }
)
_KNOWN_LABELS = INTERVIEWER_LABELS | {
    "r",
    "resp",
    "respondent",
    "a",
    "antwoord",
    "geïnterviewde",
    "geinterviewde",
}

_LABEL = re.compile(
    r"(?P<label>[A-ZÀ-Ý][\w'’.-]*"
    r"(?:[ \t]+(?:[A-ZÀ-Ý0-9][\w'’.-]*|van|de|der|den|ter|ten|het|'t|op|in))"
    r"{0,3}|[A-Z]{1,3}\d{0,2})[ \t]*:[ \t]+"
)
#: Words that open a line with a colon but never name a speaker.
_NOT_SPEAKERS = frozenset(
    {
        "aanwezig",
        "aanwezigen",
        "actiepunt",
        "actiepunten",
        "bron",
        "citaat",
        "conclusie",
        "conclusies",
        "datum",
        "duur",
        "functie",
        "kortom",
        "let op",
        "locatie",
        "nb",
        "noot",
        "onderwerp",
        "opmerking",
        "organisatie",
        "plaats",
        "ps",
        "samenvatting",
        "thema",
        "tijd",
        "tip",
        "toelichting",
        "voorbeeld",
        "interviewers",
        "opname",
        "transcriptie",
        "notulist",
    }
)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's span; ``body_start`` is after its speaker label, if any."""

    start: int
    end: int
    body_start: int
    label: str | None
    heading: bool = False


def _base(label: str) -> str:
    return re.sub(r"[\s\d]+$", "", label.strip().lower())


def _known(label: str) -> bool:
    return _base(label) in _KNOWN_LABELS


def _candidate(line: str) -> tuple[str, int] | None:
    """A label-like opening of *line* and where the text after it starts, or None."""
    m = _LABEL.match(line)
    if not m:
        return None
    label = m.group("label").strip()
    if len(label) > 40 or label.lower() in _NOT_SPEAKERS:
        return None
    return label, m.end()


_HEADING_END = tuple(".,;:!?…\"”’'")
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s")


def _heading_like(line: str, *, question: bool = False) -> bool:
    """A title line: Markdown ``#``, a bold line, or a short capitalised line without end mark.

    With *question*, a short question (``Wie zat er aan tafel?``) is a title too: only
    for a line glued to the text below it, where a spoken question would rarely stand.
    """
    line = line.strip()
    if _MARKDOWN_HEADING.match(line) or (line.startswith("**") and line.endswith("**")):
        return True
    if len(line) > 120:  # far more than eight words: not worth splitting
        return False
    return (
        0 < len(line.split()) <= 8
        and line[0].isupper()
        and (not line.endswith(_HEADING_END) or (question and line.endswith("?")))
        and ": " not in line
    )


def find_paragraphs(text: str, *, labels: Iterable[str] = ()) -> list[Paragraph]:
    """Split *text* into paragraphs, recognising speaker labels.

    *labels* are extra speaker labels to accept even when they occur once.
    """
    declared = {lab.strip().lower() for lab in labels}
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    # Pass 1: label-like openings of every line, counted to accept recurring names.
    leads = [len(line) - len(line.lstrip()) for line in lines]
    candidates = [
        _candidate(line[lead:]) if ":" in line else None  # no colon, no label
        for line, lead in zip(lines, leads, strict=True)
    ]
    counts = Counter(c[0] for c in candidates if c)

    def accepted(label: str) -> bool:
        return _known(label) or label.lower() in declared or counts[label] >= 2

    paragraphs: list[Paragraph] = []
    cur: list[int] | None = None  # [start, end, body_start]
    cur_label: str | None = None
    for i, line in enumerate(lines):
        if not line or line.isspace():
            if cur is not None:  # the blank line ends the paragraph
                paragraphs.append(Paragraph(cur[0], cur[1], cur[2], cur_label))
                cur, cur_label = None, None
            continue
        a, lead, cand = starts[i], leads[i], candidates[i]
        end = a + len(line.rstrip())
        if cand is not None and accepted(cand[0]):
            if cur is not None:
                paragraphs.append(Paragraph(cur[0], cur[1], cur[2], cur_label))
            cur, cur_label = [a + lead, end, a + lead + cand[1]], cand[0]
        elif cur is None:
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if nxt.strip() and _heading_like(line, question=True):  # a title glued to text
                paragraphs.append(Paragraph(a + lead, end, a + lead, None, heading=True))
                continue
            cur = [a + lead, end, a + lead]
        else:
            cur[1] = end
    if cur is not None:
        paragraphs.append(Paragraph(cur[0], cur[1], cur[2], cur_label))
    out = [p for p in paragraphs if p.end > p.body_start]
    # A one-line paragraph that reads as a title, with text after it, is a heading too.
    for i, p in enumerate(out[:-1]):
        if p.label is not None or p.heading:
            continue
        if p.end - p.start > 120 and text[p.start] not in "#*":  # too long for a title
            continue
        one_line = text[p.start : p.end]
        if "\n" not in one_line and _heading_like(one_line):
            out[i] = Paragraph(p.start, p.end, p.body_start, None, heading=True)
    return out


def find_turns(
    paragraphs: list[Paragraph],
    *,
    interviewer_labels: Iterable[str] = (),
) -> list[Turn]:
    """Group paragraphs into speaker turns.

    A labelled paragraph starts a turn; unlabelled paragraphs continue the turn
    before them. Unlabelled paragraphs before the first label form respondent
    turns with an empty speaker. Headings belong to no turn.
    """
    extra = {lab.strip().lower() for lab in interviewer_labels}
    turns: list[Turn] = []
    for p in paragraphs:
        if p.heading:
            continue
        if p.label is not None:
            is_int = _base(p.label) in INTERVIEWER_LABELS or p.label.lower() in extra
            turns.append(Turn(p.body_start, p.end, p.label, not is_int, p.start))
        elif turns and turns[-1].speaker:
            last = turns[-1]
            turns[-1] = Turn(last.start, p.end, last.speaker, last.is_respondent, last.label_start)
        else:
            turns.append(Turn(p.body_start, p.end, "", True, None))
    return turns
