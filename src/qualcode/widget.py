"""Coding in Jupyter: walk through the segments of the transcripts and code them by hand.

Two layers:

- :class:`CodingSession`, plain Python: which segments are in view (filters),
  where the coder is, which codes and suggestions lie on the current segment,
  and the actions (toggle a code, narrow a coding to a phrase, write a memo,
  accept or reject a suggestion), each saved at once through the ``Project``;
- :class:`CodingTool`, the ipywidgets view on a session (imported lazily: the
  notebook extra provides ipywidgets).

Only the coder's own codings are shown, never another coder's, so that two
coders code independently and their agreement means something.

Example (in a notebook)::

    from qualcode.store import Project
    from qualcode.widget import CodingTool

    project = Project.open("studie.db")
    CodingTool(project, coder="anna")
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from qualcode.codebook import Code
from qualcode.corpus import Segment, Transcript
from qualcode.corpus.model import Unit
from qualcode.errors import CodingError, DependencyError, QualcodeError
from qualcode.store import Project, StoredCoding

__all__ = ["CodeGroup", "CodingSession", "CodingTool"]

_NO_COLOR = "#7f7f7f"


@dataclass(frozen=True)
class CodeGroup:
    """Codes shown together: a variable with its sub-codes, or a further dimension."""

    title: str
    codes: tuple[Code, ...]


def _rgba(color: str, alpha: float) -> str:
    color = color if len(color) == 7 and color.startswith("#") else _NO_COLOR
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


class CodingSession:
    """Where a coder is in the corpus, and the coding actions on the current segment.

    *transcript*, *organisation*, *code* and *uncoded_only* filter the segments
    in view (see :meth:`set_filters`). Only respondent speech is offered.
    """

    def __init__(
        self,
        project: Project,
        *,
        coder: str,
        unit: Unit = "paragraph",
        transcript: str | None = None,
        organisation: str | None = None,
        code: str | None = None,
        uncoded_only: bool = False,
    ) -> None:
        self.project = project
        self.coder = coder.strip()
        if not self.coder:
            raise CodingError("coder is empty; pass coder='your name'")
        self.unit = unit
        self._key: tuple[str, int] | None = None
        self._index_segments()
        self.transcript: str | None = None
        self.organisation: str | None = None
        self.code: str | None = None
        self.uncoded_only = False
        self.set_filters(
            transcript=transcript, organisation=organisation, code=code, uncoded_only=uncoded_only
        )

    # -- what is in view ------------------------------------------------------------------

    def _index_segments(self) -> None:
        self._corpus = self.project.corpus
        self._all = tuple(
            (t.file, seg) for t, seg in self._corpus.iter_segments(self.unit) if seg.is_respondent
        )
        self._order = {(f, s.index): i for i, (f, s) in enumerate(self._all)}
        if self._key not in self._order:
            self._key = None

    def _sync(self) -> None:
        """Re-read the segments when the project's texts changed (a refresh, here or elsewhere)."""
        if self.project.corpus is self._corpus:
            return
        old = self._all[self._order[self._key]][1] if self._key is not None else None
        self._index_segments()
        if old is not None:  # stay on the same words, wherever they are now
            same = [(f, s.index) for f, s in self._all if f == old.file and s.text == old.text]
            self._key = min(same, key=lambda k: abs(k[1] - old.index)) if same else None
        if self._key is None:
            self.set_filters(
                transcript=self.transcript,
                organisation=self.organisation,
                code=self.code,
                uncoded_only=self.uncoded_only,
            )

    def set_filters(
        self,
        *,
        transcript: str | None = None,
        organisation: str | None = None,
        code: str | None = None,
        uncoded_only: bool = False,
    ) -> None:
        """Show only segments of *transcript*, of *organisation*, carrying *code* (applied or
        suggested, sub-codes included), or not yet coded by this coder. None: no filter.

        The view moves to the first segment that passes, unless the current one does.
        """
        if transcript is not None:
            self.project.transcript(transcript)
        if code is not None:
            self.project.codebook.get(code)
        self.transcript, self.organisation = transcript, organisation
        self.code, self.uncoded_only = code, uncoded_only
        keys = [(f, s.index) for f, s in self.segments()]
        if self._key not in keys:
            self._key = keys[0] if keys else None

    def segments(self) -> list[tuple[str, Segment]]:
        """The segments that pass the filters, in corpus order, as ``(file, segment)``."""
        self._sync()
        corpus = self._corpus
        wanted = self._all
        if self.transcript is not None:
            wanted = tuple(x for x in wanted if x[0] == self.transcript)
        if self.organisation is not None:
            orgs = {t.file for t in corpus if t.organisation == self.organisation}
            wanted = tuple(x for x in wanted if x[0] in orgs)
        if self.code is not None:
            family = {c.id for c in self.project.codebook.descendants(self.code)}
            marked = [c for c in self.project.coding_records(coder=self.coder) if c.code in family]
            marked += [
                c for c in self.project.coding_records(status="suggested") if c.code in family
            ]
            wanted = tuple(x for x in wanted if _touched(x, marked))
        if self.uncoded_only:
            mine = self.project.coding_records(coder=self.coder)
            wanted = tuple(
                x for x in wanted if not _touched(x, mine) or (x[0], x[1].index) == self._key
            )
        return list(wanted)

    @property
    def current(self) -> Segment | None:
        """The segment the coder is on (None when no segment passes the filters)."""
        self._sync()
        if self._key is None:
            return None
        return self._all[self._order[self._key]][1]

    def transcript_of_current(self) -> Transcript:
        """The transcript of the current segment."""
        if self._key is None:
            raise CodingError("no segment in view; loosen the filters")
        return self.project.transcript(self._key[0])

    def position(self) -> tuple[int, int]:
        """``(n, total)``: the current segment is the n-th (1-based) of *total* in view."""
        keys = [(f, s.index) for f, s in self.segments()]
        return (keys.index(self._key) + 1 if self._key in keys else 0), len(keys)

    def _move(self, step: int) -> Segment | None:
        if self._key is None:
            return None
        here = self._order[self._key]
        ranked = sorted(self._order[(f, s.index)] for f, s in self.segments())
        after = [i for i in ranked if (i > here if step > 0 else i < here)]
        if after:
            f, seg = self._all[after[0] if step > 0 else after[-1]]
            self._key = (f, seg.index)
        return self.current

    def next(self) -> Segment | None:
        """Move to the next segment in view (stays on the last one); the new current segment."""
        return self._move(+1)

    def prev(self) -> Segment | None:
        """Move to the previous segment in view; the new current segment."""
        return self._move(-1)

    def go(self, file: str, index: int) -> Segment | None:
        """Jump to segment *index* of *file* (it must be respondent speech)."""
        if (file, index) not in self._order:
            raise CodingError(f"{file}: no respondent {self.unit} {index} to code")
        self._key = (file, index)
        return self.current

    # -- codings on the current segment ---------------------------------------------------

    def _here(self, status: str, coder: str | None) -> list[StoredCoding]:
        seg = self.current
        if seg is None:
            return []
        return self.project.coding_records(
            file=seg.file, coder=coder, status=status, overlapping=(seg.start, seg.end)
        )

    def applied(self) -> dict[str, list[StoredCoding]]:
        """The coder's codings on the current segment, by code."""
        out: dict[str, list[StoredCoding]] = {}
        for c in self._here("active", self.coder):
            out.setdefault(c.code, []).append(c)
        return out

    def queue(self, variable: str | None = None) -> pd.DataFrame:
        """The pending suggestions, as ``qualcode review export`` lists them (one table)."""
        from qualcode.store.workbook import review_queue

        return review_queue(self.project, variable=variable, pending_only=True)

    def suggestions(self) -> list[StoredCoding]:
        """Pending suggestions (of the auto-coder) on the current segment."""
        return self._here("suggested", None)

    def code_groups(self) -> tuple[CodeGroup, ...]:
        """The codes to offer, by variable (with sub-codes), then by further dimension."""
        book = self.project.codebook
        groups = [CodeGroup(v.name, book.descendants(v.id)) for v in book.variables()]
        for dim in book.dimensions[1:]:
            codes = book.dimension_codes(dim.id)
            if codes:
                groups.append(CodeGroup(dim.name, codes))
        return tuple(groups)

    # -- actions (each saved at once) -----------------------------------------------------

    def _segment(self) -> Segment:
        seg = self.current
        if seg is None:
            raise CodingError("no segment in view; loosen the filters")
        return seg

    def toggle(self, code: str) -> bool:
        """Apply *code* to the whole segment, or remove the coder's codings of it here.

        True when the code is applied after the call.
        """
        seg = self._segment()
        mine = self.applied().get(code, [])
        if mine:
            for c in mine:
                self.project.uncode(c.id, coder=self.coder)
            return False
        self.project.code_segment(seg, code, coder=self.coder)
        return True

    def narrow(self, code: str, phrase: str) -> int:
        """Code only *phrase* (which must occur once in the segment) with *code*; the coding id.

        A whole-segment coding of *code* shrinks to the phrase; otherwise the
        phrase gets a coding of its own.
        """
        seg = self._segment()
        start, end = self.project.find_phrase(seg.file, phrase, segment=seg)
        whole = [
            c for c in self.applied().get(code, []) if (c.start, c.end) == (seg.start, seg.end)
        ]
        if whole:
            self.project.recode(whole[0].id, start, end, coder=self.coder)
            return whole[0].id
        return self.project.code(seg.file, start, end, code, coder=self.coder)

    def memo_text(self, *, code: str | None = None) -> str:
        """The coder's memo on their coding of *code* here, or on the transcript (no *code*)."""
        if code is not None:
            return next((c.memo for c in self.applied().get(code, []) if c.memo), "")
        memos = self.project.memos()
        mine = memos[
            (memos["kind"] == "transcript")
            & (memos["target"] == self._segment().file)
            & (memos["coder"] == self.coder)
        ]
        return str(mine["text"].iloc[0]) if len(mine) else ""

    def memo(self, text: str, *, code: str | None = None) -> None:
        """Write a memo on the coder's coding(s) of *code* here, or on the transcript."""
        seg = self._segment()
        if code is None:
            self.project.memo(text, coder=self.coder, transcript=seg.file)
            return
        mine = self.applied().get(code, [])
        if not mine:
            raise CodingError(f"{code} is not applied here; toggle it on before writing a memo")
        for c in mine:
            self.project.memo(text, coder=self.coder, coding=c.id)

    def accept(self, suggestion_id: int) -> int:
        """Accept a suggestion: the coder gets the coding; its id."""
        return self.project.accept(suggestion_id, coder=self.coder)

    def reject(self, suggestion_id: int) -> None:
        """Reject a suggestion."""
        self.project.reject(suggestion_id, coder=self.coder)

    # -- showing --------------------------------------------------------------------------

    def header(self) -> str:
        """One line: file, organisation, segment index (0-based, as everywhere in qualcode),
        speaker, and the position among the segments in view."""
        seg = self.current
        if seg is None:
            return "No segment matches the filters."
        t = self.transcript_of_current()
        n, total = self.position()
        who = f" · {t.organisation}" if t.organisation else ""
        speaker = f" · {seg.speaker}" if seg.speaker else ""
        return f"{t.file}{who} · {self.unit} {seg.index}{speaker} · {n} of {total} in view"

    def context(self) -> str:
        """The interviewer's words just before the current segment ('' when there are none)."""
        seg = self.current
        if seg is None or seg.index == 0:
            return ""
        before = self.transcript_of_current().segments(self.unit)[seg.index - 1]
        return "" if before.is_respondent else before.text

    def html(self) -> str:
        """The current segment as HTML: the coder's codings highlighted in their codes' colours,
        suggestions underlined (dashed); hovering shows the codes."""
        seg = self.current
        if seg is None:
            return "<p><em>No segment matches the filters.</em></p>"
        book = self.project.codebook
        layers = [(c, "coding") for cs in self.applied().values() for c in cs]
        layers += [(c, "suggestion") for c in self.suggestions()]
        cuts = {seg.start, seg.end}
        for c, _ in layers:
            cuts.update(x for x in (c.start, c.end) if seg.start < x < seg.end)
        text = self.transcript_of_current().text
        parts = []
        bounds = sorted(cuts)
        for a, b in zip(bounds, bounds[1:], strict=False):
            on = [(c, kind) for c, kind in layers if c.start < b and c.end > a]
            piece = html.escape(text[a:b]).replace("\n", "<br>")
            if not on:
                parts.append(piece)
                continue
            style, titles = [], []
            coded = sorted((c for c, kind in on if kind == "coding"), key=lambda c: c.end - c.start)
            if coded:
                style.append(f"background:{_rgba(_color(book, coded[0].code), 0.35)}")
            suggested = [c for c, kind in on if kind == "suggestion"]
            if suggested:
                style.append(f"border-bottom:2px dashed {_color(book, suggested[0].code)}")
            titles += [c.code for c in coded] + [f"{c.code}? (suggested)" for c in suggested]
            parts.append(
                f'<span style="{";".join(style)}" '
                f'title="{html.escape(", ".join(titles))}">{piece}</span>'
            )
        context = self.context()
        lead = f'<p style="color:#777"><em>{html.escape(context)}</em></p>' if context else ""
        return f'{lead}<p style="line-height:1.6">{"".join(parts)}</p>'


def _color(book: Any, code: str) -> str:
    return (book.get(code).color or _NO_COLOR) if code in book else _NO_COLOR


def _touched(item: tuple[str, Segment], codings: list[StoredCoding]) -> bool:
    file, seg = item
    return any(c.file == file and c.start < seg.end and c.end > seg.start for c in codings)


def _ipywidgets() -> Any:
    try:
        import ipywidgets
    except ImportError:
        raise DependencyError(
            "the coding tool needs ipywidgets; install it with: pip install 'qualcode[notebooks]'"
        ) from None
    return ipywidgets


def _tooltip(code: Code) -> str:
    lines = [f"{code.id}: {code.description}".strip()]
    if code.include:
        lines.append("Wel: " + "; ".join(code.include))
    if code.exclude:
        lines.append("Niet: " + "; ".join(code.exclude))
    return "\n".join(lines)


class CodingTool:
    """The coding tool for a notebook: a thin ipywidgets view on a :class:`CodingSession`.

    Display it by making it the last expression of a cell. ``session`` holds the
    state and the actions; every click goes through it to the project at once.
    """

    def __init__(
        self,
        project: Project,
        *,
        coder: str,
        unit: Unit = "paragraph",
        transcript: str | None = None,
        organisation: str | None = None,
        code: str | None = None,
        uncoded_only: bool = False,
    ) -> None:
        w = _ipywidgets()
        self.session = CodingSession(
            project,
            coder=coder,
            unit=unit,
            transcript=transcript,
            organisation=organisation,
            code=code,
            uncoded_only=uncoded_only,
        )
        self._syncing = False
        corpus = project.corpus
        self.header = w.HTML()
        self.text = w.HTML()
        self.message = w.HTML()
        everything = [("(all)", None)]
        self.filter_transcript = w.Dropdown(
            description="Transcript",
            options=everything + [(f, f) for f in corpus.files],
            value=transcript,
        )
        orgs = sorted({t.organisation for t in corpus if t.organisation})
        self.filter_organisation = w.Dropdown(
            description="Organisation",
            options=everything + [(o, o) for o in orgs],
            value=organisation,
        )
        book = project.codebook
        self.filter_code = w.Dropdown(
            description="Code",
            options=everything + [(c.name, c.id) for c in book.codes],
            value=code,
        )
        self.filter_uncoded = w.Checkbox(description="uncoded only", value=uncoded_only)
        for f in (
            self.filter_transcript,
            self.filter_organisation,
            self.filter_code,
            self.filter_uncoded,
        ):
            f.observe(self._on_filter, names="value")
        self.toggles: dict[str, Any] = {}
        panels = []
        groups = self.session.code_groups()
        for group in groups:
            buttons = []
            for c in group.codes:
                indent = "· " * book.depth(c.id)
                button = w.ToggleButton(
                    description=f"{indent}{c.name}",
                    tooltip=_tooltip(c),
                    layout=w.Layout(width="auto"),
                )
                button.observe(self._toggle_handler(c.id), names="value")
                self.toggles[c.id] = button
                buttons.append(button)
            panels.append(w.HBox(buttons, layout=w.Layout(flex_flow="row wrap")))
        self.codes = w.Accordion(children=panels, titles=tuple(g.title for g in groups))
        self.suggestion_box = w.VBox()
        self.narrow_code = w.Dropdown(
            description="Code", options=[(c.name, c.id) for c in book.codes]
        )
        self.phrase = w.Text(placeholder="words from the segment", description="Phrase")
        self.narrow_button = w.Button(description="Code only this phrase")
        self.narrow_button.on_click(lambda _: self._act(self._narrow))
        self.memo_target = w.Dropdown(description="Memo on", options=[("transcript", None)])
        self.memo_target.observe(lambda _: self._load_memo(), names="value")
        self.memo_text = w.Textarea(placeholder="memo", layout=w.Layout(width="60%"))
        self.memo_button = w.Button(description="Save memo")
        self.memo_button.on_click(lambda _: self._act(self._save_memo))
        self.prev_button = w.Button(description="◀ previous")
        self.next_button = w.Button(description="next ▶")
        self.prev_button.on_click(lambda _: self._act(self.session.prev))
        self.next_button.on_click(lambda _: self._act(self.session.next))
        self.widget = w.VBox(
            [
                w.HBox([self.filter_transcript, self.filter_organisation]),
                w.HBox([self.filter_code, self.filter_uncoded]),
                self.header,
                self.text,
                self.suggestion_box,
                self.codes,
                w.HBox([self.narrow_code, self.phrase, self.narrow_button]),
                w.HBox([self.memo_target, self.memo_text, self.memo_button]),
                w.HBox([self.prev_button, self.next_button]),
                self.message,
            ]
        )
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _act(self, action: Callable[[], object]) -> None:
        try:
            action()
        except QualcodeError as exc:
            self.message.value = f'<span style="color:#b00">{html.escape(str(exc))}</span>'
            return
        self.message.value = ""
        self.refresh()

    def _toggle_handler(self, code: str) -> Callable[[dict[str, Any]], None]:
        def handle(change: dict[str, Any]) -> None:
            if self._syncing:
                return
            self._act(lambda: self.session.toggle(code))
            self.refresh()  # a refused toggle springs back

        return handle

    def _on_filter(self, _change: dict[str, Any]) -> None:
        if self._syncing:
            return
        self._act(
            lambda: self.session.set_filters(
                transcript=self.filter_transcript.value,
                organisation=self.filter_organisation.value,
                code=self.filter_code.value,
                uncoded_only=self.filter_uncoded.value,
            )
        )

    def _narrow(self) -> None:
        self.session.narrow(self.narrow_code.value, self.phrase.value)
        self.phrase.value = ""

    def _save_memo(self) -> None:
        self.session.memo(self.memo_text.value, code=self.memo_target.value)

    def _load_memo(self) -> None:
        if self._syncing or self.session.current is None:
            return
        self.memo_text.value = self.session.memo_text(code=self.memo_target.value)

    def _suggestion_row(self, s: StoredCoding) -> Any:
        w = _ipywidgets()
        book = self.session.project.codebook
        name = book.get(s.code).name if s.code in book else s.code
        label = w.HTML(
            f"<b>{html.escape(name)}</b>? score {s.score:.2f} "
            f"<small>{html.escape(s.evidence)}</small>"
        )
        accept = w.Button(description="accept", button_style="success")
        reject = w.Button(description="reject")
        accept.on_click(lambda _: self._act(lambda: self.session.accept(s.id)))
        reject.on_click(lambda _: self._act(lambda: self.session.reject(s.id)))
        return w.HBox([accept, reject, label])

    def refresh(self) -> None:
        """Show the session's current state (after any change, also one made elsewhere)."""
        self._syncing = True
        try:
            s = self.session
            self.header.value = f"<b>{html.escape(s.header())}</b>"
            self.text.value = s.html()
            applied = s.applied() if s.current is not None else {}
            for code, button in self.toggles.items():
                button.value = code in applied
                button.disabled = s.current is None
            self.suggestion_box.children = tuple(self._suggestion_row(x) for x in s.suggestions())
            book = s.project.codebook
            target = self.memo_target.value
            options = [("transcript", None)] + [(book.get(c).name, c) for c in applied]
            self.memo_target.options = options
            self.memo_target.value = target if target in dict(options).values() else None
        finally:
            self._syncing = False
        self._load_memo()
