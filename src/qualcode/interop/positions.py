"""Text positions across programs: how a producer counted, and mapping onto qualcode's text.

REFI-QDA says selections count Unicode code points from 0 in the plain-text file;
exporters differ (see ``NOTES.md`` of the REFI-QDA material): NVivo counts UTF-16
code units with CRLF as two, ATLAS.ti counts code points with CRLF as one, and a
leading BOM is never counted. A ``TextMap`` takes the producer's raw text and a
``Counting`` and maps the producer's positions onto qualcode's normalised text
(NFC, LF, no BOM), where every offset is a code-point offset, end exclusive.

On export qualcode writes LF-only NFC text without BOM, so every model agrees
except after a character outside the Basic Multilingual Plane (an emoji), where
code points (the spec) and UTF-16 units (NVivo) part. ``EXPORT_COUNTING`` is the
one place that choice is made: code points, as the spec says; NVivo then shows a
selection that follows an emoji shifted by one character per emoji before it.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from qualcode.corpus.model import normalise

__all__ = [
    "CODE_POINTS",
    "CODE_POINTS_CRLF1",
    "COUNTINGS",
    "Counting",
    "EXPORT_COUNTING",
    "Fit",
    "TextMap",
    "UTF16",
    "UTF16_CRLF1",
    "choose_counting",
    "counting_for_origin",
    "on_boundary",
    "to_producer",
]

# Share of selections that must start and end on a word or line boundary before a
# counting model is trusted without trying the others.
GOOD_FIT = 0.8


@dataclass(frozen=True)
class Counting:
    """A way of counting text positions: code points or UTF-16 units; CRLF as one or two."""

    name: str
    utf16: bool
    crlf_as_one: bool


CODE_POINTS = Counting("code points", utf16=False, crlf_as_one=False)
CODE_POINTS_CRLF1 = Counting("code points, CRLF as 1", utf16=False, crlf_as_one=True)
UTF16 = Counting("UTF-16 units", utf16=True, crlf_as_one=False)
UTF16_CRLF1 = Counting("UTF-16 units, CRLF as 1", utf16=True, crlf_as_one=True)
COUNTINGS: tuple[Counting, ...] = (CODE_POINTS, CODE_POINTS_CRLF1, UTF16, UTF16_CRLF1)
EXPORT_COUNTING = CODE_POINTS


def counting_for_origin(origin: str) -> Counting:
    """The counting model that the program named in *origin* is known (or believed) to use."""
    lowered = origin.lower()
    if "nvivo" in lowered:
        return UTF16
    if "atlas" in lowered or "maxqda" in lowered:
        return CODE_POINTS_CRLF1
    return CODE_POINTS


def to_producer(text: str, offset: int, counting: Counting = EXPORT_COUNTING) -> int:
    """The position of code-point *offset* of the LF-only *text*, counted with *counting*."""
    if not counting.utf16:
        return offset
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)


def _nfc_map(text: str) -> list[int] | None:
    """Index map from *text* into ``NFC(text)`` (None when *text* is already NFC)."""
    if unicodedata.is_normalized("NFC", text):
        return None
    starts = [i for i, ch in enumerate(text) if i == 0 or unicodedata.combining(ch) == 0]
    starts.append(len(text))
    mapping = [0] * (len(text) + 1)
    out = 0
    group_start = 0
    for k in range(1, len(starts)):
        end = starts[k]
        nxt = starts[k + 1] if k + 1 < len(starts) else None
        group = text[group_start:end]
        if nxt is not None:
            following = text[end:nxt]
            joined = unicodedata.normalize("NFC", group + following)
            if joined != unicodedata.normalize("NFC", group) + unicodedata.normalize(
                "NFC", following
            ):
                continue  # the two compose together: keep growing the group
        normal = unicodedata.normalize("NFC", group)
        if normal == group:
            for i in range(group_start, end):
                mapping[i] = out + (i - group_start)
        else:
            for i in range(group_start, end):
                mapping[i] = out
        out += len(normal)
        group_start = end
    mapping[len(text)] = out
    return mapping


class TextMap:
    """A producer's raw text and how its positions map onto the normalised text.

    ``text`` is the normalised text; :meth:`to_text` converts a producer position.
    """

    def __init__(self, raw: str, counting: Counting) -> None:
        if raw.startswith("\ufeff"):
            raw = raw[1:]
        self.counting = counting
        self.text = normalise(raw)
        self._identity = (
            "\r" not in raw
            and (not counting.utf16 or all(ord(ch) <= 0xFFFF for ch in raw))
            and len(self.text) == len(raw)
        )
        if self._identity:
            self.length = len(raw)
            return
        weights = [
            0
            if counting.crlf_as_one and ch == "\r" and raw[i + 1 : i + 2] == "\n"
            else (2 if counting.utf16 and ord(ch) > 0xFFFF else 1)
            for i, ch in enumerate(raw)
        ]
        self._units = list(accumulate(weights, initial=0))
        self.length = self._units[-1]
        lf_map: list[int] = []
        k = 0
        for i, ch in enumerate(raw):
            lf_map.append(k)
            if not (ch == "\r" and raw[i + 1 : i + 2] == "\n"):
                k += 1
        lf_map.append(k)
        lf_text = raw.replace("\r\n", "\n").replace("\r", "\n")
        nfc = _nfc_map(lf_text)
        self._norm = lf_map if nfc is None else [nfc[j] for j in lf_map]

    def to_text(self, position: int, *, end: bool = False) -> int | None:
        """The normalised-text offset of producer *position*; None when outside the text.

        A position inside a character (between the two UTF-16 units of an emoji)
        moves to the character's start, or to its end when *end* is true.
        """
        if position < 0 or position > self.length:
            return None
        if self._identity:
            return position
        i = bisect_left(self._units, position)
        if self._units[i] != position and not end:
            i -= 1
        return self._norm[i]


def on_boundary(text: str, offset: int) -> bool:
    """True when *offset* of *text* does not split a word (nor a run of letters or digits)."""
    if offset <= 0 or offset >= len(text):
        return True
    return not (text[offset - 1].isalnum() and text[offset].isalnum())


@dataclass(frozen=True)
class Fit:
    """How well a counting model fits a source's selections."""

    counting: Counting
    total: int
    inside: int
    on_boundaries: int

    @property
    def good(self) -> bool:
        """All selections inside the text, and most of them on word boundaries."""
        return self.inside == self.total and self.on_boundaries >= GOOD_FIT * self.total

    def describe(self) -> str:
        """E.g. ``295 of 303 selections on word boundaries (UTF-16 units)``."""
        outside = self.total - self.inside
        out = f", {outside} outside the text" if outside else ""
        return (
            f"{self.on_boundaries} of {self.total} selections on word boundaries"
            f"{out} ({self.counting.name})"
        )


def _fit(text_map: TextMap, spans: Sequence[tuple[int, int]]) -> Fit:
    inside = boundaries = 0
    text = text_map.text
    for start, end in spans:
        a = text_map.to_text(start)
        b = text_map.to_text(end, end=True)
        if a is None or b is None:
            continue
        inside += 1
        if on_boundary(text, a) and on_boundary(text, b):
            boundaries += 1
    return Fit(text_map.counting, len(spans), inside, boundaries)


def choose_counting(
    raw: str, spans: Sequence[tuple[int, int]], *, origin: str
) -> tuple[TextMap, Fit, str]:
    """Pick the counting model for a source's *raw* text and its selection *spans*.

    Starts from the model of *origin*; when that one does not fit well (selections
    outside the text, or mostly inside words) the other models are tried and the
    best one is kept. Returns the map, its fit, and a warning (``""`` when none).
    """
    preferred = counting_for_origin(origin)
    first = TextMap(raw, preferred)
    fit = _fit(first, spans)
    if fit.good or not spans:
        return first, fit, ""
    best, best_fit = first, fit
    astral = any(ord(c) > 0xFFFF for c in raw)
    crlf = "\r\n" in raw
    for counting in COUNTINGS:
        differs = (astral and counting.utf16 != preferred.utf16) or (
            crlf and counting.crlf_as_one != preferred.crlf_as_one
        )
        if not differs:
            continue  # counts this text exactly like the preferred model
        candidate = TextMap(raw, counting)
        candidate_fit = _fit(candidate, spans)
        if (candidate_fit.inside, candidate_fit.on_boundaries) > (
            best_fit.inside,
            best_fit.on_boundaries,
        ):
            best, best_fit = candidate, candidate_fit
    if best is not first:
        warning = (
            f"positions read as {best.counting.name}, not {preferred.name} as expected for "
            f"{origin or 'an unknown program'}: {best_fit.describe()} against {fit.describe()}"
        )
    else:
        warning = ""
    if not best_fit.good:
        extra = f"only {best_fit.describe()}; positions may be off"
        warning = f"{warning}; {extra}" if warning else extra
    return best, best_fit, warning
