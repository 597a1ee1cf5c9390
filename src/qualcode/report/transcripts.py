"""The transcript view: every record as an HTML page, its codings as stripes in the margin.

``transcripts/<name>.html`` shows the record's metadata, then its paragraphs
with speakers marked (interviewer turns greyed), headings and metadata marked
as nobody's speech, and beside each paragraph one coloured stripe per variable
coded in it (as QDA programs show codings). Every quote of a report links to
``transcripts/<name>.html#p<start>-<end>``; the page highlights that passage
(a few lines of inline script, no network) and scrolls to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from pathlib import Path

import pandas as pd

from qualcode.corpus import Transcript
from qualcode.report.i18n import Strings

__all__ = ["transcript_link", "transcript_page", "write_transcripts"]

FOLDER = "transcripts"

_SCRIPT = """
function qcHighlight() {
  for (const el of document.querySelectorAll(".hl")) el.classList.remove("hl");
  const m = /^#p(\\d+)-(\\d+)$/.exec(location.hash);
  if (!m) return;
  const a = +m[1], b = +m[2];
  let first = null;
  for (const el of document.querySelectorAll("[data-s]")) {
    if (+el.dataset.s >= a && +el.dataset.e <= b && +el.dataset.e > +el.dataset.s) {
      el.classList.add("hl");
      first = first || el;
    }
  }
  if (first) first.scrollIntoView({block: "center"});
}
window.addEventListener("hashchange", qcHighlight);
window.addEventListener("DOMContentLoaded", qcHighlight);
"""


def _name(file: str) -> str:
    """A flat, safe page name for a transcript file (sub-folders joined with ``__``)."""
    return re.sub(r"[^\w.-]", "_", file.replace("/", "__"))


def transcript_link(file: str, start: int, end: int) -> str:
    """The link, relative to the report folder, to passage ``[start:end]`` of *file*."""
    return f"{FOLDER}/{_name(file)}.html#p{start}-{end}"


def _pieces(t: Transcript, start: int, end: int, cuts: list[int]) -> str:
    """``text[start:end]`` as spans cut at *cuts*, each carrying its offsets."""
    inner = sorted({start, end, *(c for c in cuts if start < c < end)})
    return "".join(
        f'<span data-s="{a}" data-e="{b}">{escape(t.text[a:b])}</span>'
        for a, b in zip(inner, inner[1:], strict=False)
    )


def transcript_page(
    t: Transcript,
    codings: pd.DataFrame,
    *,
    names: Mapping[str, str],
    colours: Mapping[str, str],
    s: Strings,
    css: str,
) -> str:
    """The HTML page of transcript *t*; *codings* are its codings (``variable``, ``start``,
    ``end``), *names* and *colours* those of the variables."""
    spans = list(
        zip(
            codings["start"].tolist(),
            codings["end"].tolist(),
            codings["variable"].tolist(),
            strict=True,
        )
    )
    cuts = sorted({x for a, b, _ in spans for x in (a, b)})
    headings, metadata = set(t.headings), set(t.metadata_spans)
    turn_at = {turn.start: turn for turn in t.turns}
    body = []
    for start, end in t.paragraphs:
        kind = (
            "metadata"
            if (start, end) in metadata
            else "heading"
            if (start, end) in headings
            else "speech"
        )
        turn = t.speaker_at(start)
        label = ""
        if turn is not None and not turn.is_respondent:
            kind = "interviewer"
        if start in turn_at and turn_at[start].label_start is not None:
            lab = turn_at[start]
            label = f'<b class="speaker">{escape(t.text[lab.label_start : lab.start].strip())}</b> '
        coded = [v for a, b, v in spans if a < end and b > start]
        stripes = "".join(
            f'<span class="stripe" style="background:{escape(colours.get(v, "#777"))}" '
            f'title="{escape(names.get(v, v))}"></span>'
            for v in dict.fromkeys(coded)
        )
        tags = "".join(
            f'<span class="tag code">{escape(names.get(v, v))}</span>' for v in dict.fromkeys(coded)
        )
        body.append(
            f'<div class="para {kind}"><div class="stripes">{stripes}</div>'
            f"<p>{label}{_pieces(t, start, end, cuts)}"
            + (f'<span class="ptags">{tags}</span>' if tags else "")
            + "</p></div>"
        )
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in t.metadata.items())
    who = " · ".join(x for x in (t.organisation, t.respondent) if x)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(s.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(t.file)}</title>\n<style>\n{css}</style>\n"
        f"<script>{_SCRIPT}</script>\n</head>\n<body>\n"
        f'<header class="site"><a href="../index.html">{escape(s("overview"))}</a></header>\n'
        f'<main class="transcript">\n<h1>{escape(t.file)}</h1>\n'
        + (f'<p class="summary">{escape(who)}</p>\n' if who else "")
        + (f'<dl class="facts metadata">{meta}</dl>\n' if meta else "")
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def write_transcripts(
    transcripts: list[Transcript],
    codings: pd.DataFrame,
    folder: Path,
    *,
    names: Mapping[str, str],
    colours: Mapping[str, str],
    s: Strings,
    css: str,
) -> list[str]:
    """Write ``transcripts/<name>.html`` for each of *transcripts*; the paths written."""
    (folder / FOLDER).mkdir(exist_ok=True)
    by_file = dict(iter(codings.groupby("file", sort=False)))
    written = []
    for t in transcripts:
        rows = by_file.get(t.file, codings.iloc[:0])
        page = transcript_page(t, rows, names=names, colours=colours, s=s, css=css)
        name = f"{FOLDER}/{_name(t.file)}.html"
        (folder / name).write_text(page, encoding="utf-8")
        written.append(name)
    return written
