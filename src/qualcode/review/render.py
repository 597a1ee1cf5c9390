"""A quote check as text (for the terminal), JSON (the contract) or HTML (for reviewers).

JSON::

    {"report": ..., "threshold": 0.7,
     "quotes": [{"text", "line", "page", "line_in_page", "attributed_to", "attribution",
                 "attribution_kind",
                 "status", "source", "words",
                 "matches": [{"file", "organisation", "start", "end", "similarity",
                              "pieces", "passage"}],
                 "diff", "closest"}],
     "summary": {"verified": n, "altered": n, "misattributed": n, "not_found": n,
                 "unattributed": n},
     "terms": [{"text", "line"}], "notes": [...]}

``page``/``line_in_page`` say where a quote opens in a report with pages (a
PDF, or extracted text with form feeds), else null; ``line`` is the line of
the whole extracted text. ``start``/``end`` are offsets into the transcript's normalised text
(``qualcode text``); ``passage`` is that text; ``diff`` is null when the quote
matches its passage word for word.
"""

from __future__ import annotations

import html
import json

from qualcode.review.align import DiffOp
from qualcode.review.model import QUOTE_STATUSES, Match, QuoteCheck, QuoteResult

__all__ = ["to_html", "to_json", "to_text"]

_LABEL = {
    "verified": "verified",
    "altered": "ALTERED",
    "misattributed": "MISATTRIBUTED",
    "not_found": "NOT FOUND",
    "unattributed": "unattributed",
}
_CONTEXT_CHARS = 240


def to_json(check: QuoteCheck) -> str:
    """The check as JSON text (UTF-8 characters kept, indented)."""
    return json.dumps(check.to_dict(), ensure_ascii=False, indent=2)


def _summary_line(check: QuoteCheck) -> str:
    counts = check.summary
    parts = [f"{counts[s]} {s.replace('_', ' ')}" for s in QUOTE_STATUSES if counts[s]]
    return f"{check.report}: {len(check)} quotes" + (f" ({', '.join(parts)})" if parts else "")


def _where(m: Match) -> str:
    return f"{m.file} [{m.start}:{m.end}] {m.organisation or '?'} (similarity {m.similarity:.2f})"


def _not_own(r: QuoteResult) -> bool:
    return r.source in ("paraphrase", "interviewer")


def to_text(check: QuoteCheck) -> str:
    """A plain-text report: the summary, then problems in detail, then the other quotes."""
    lines = [_summary_line(check)]
    listed_problem = False
    for r in check.problems_first():
        where = f"p. {r.quote.page}:{r.quote.page_line}" if r.quote.page else f"line {r.line}"
        head = f"{_LABEL[r.status]:<13} {where:<10} "
        who = r.attributed_to or (
            f"({r.attribution.kind})" if r.attribution.kind != "none" else "(no attribution)"
        )
        short = r.text if len(r.text) <= 90 else r.text[:87] + "..."
        if not r.problem:
            if listed_problem:
                lines.append("")
                listed_problem = False
            where = _where(r.matches[0]) if r.matches else "no match"
            flag = f" [{r.source}: not the respondent's own words]" if _not_own(r) else ""
            lines.append(f"{head}{who}: “{short}” -> {where}{flag}")
            continue
        lines.append("")
        listed_problem = True
        lines.append(f"{head}{who}")
        lines.append(f"  quote:       “{r.text}”")
        if r.attribution.text:
            lines.append(f"  attribution: {r.attribution.text}")
        if r.matches:
            lines.append(f"  found in:    {_where(r.matches[0])}")
            if _not_own(r):
                lines.append(f"  source:      {r.source} (not the respondent's own words)")
            for m in r.matches[1:4]:
                lines.append(f"  also:        {_where(m)}")
        elif r.closest is not None:
            lines.append(
                f"  closest:     {_where(r.closest)}, below the threshold {check.threshold:.2f}"
            )
        if r.diff_text:
            lines.append(f"  diff:        {r.diff_text}")
    if check.terms:
        lines.append("")
        lines.append(f"{len(check.terms)} short quoted passages taken for terms (not checked)")
    for note in check.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines) + "\n"


_PAGE_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#222} h1{font-size:1.4rem}"
)
#: Styles of the check itself, scoped to its ``div.qc`` so it can sit inside a notebook.
_CSS = """
.qc .summary span{margin-right:1rem}
.qc .card{border:1px solid #ccc;border-left:6px solid #999;border-radius:4px;
padding:.6rem 1rem;margin:.8rem 0}
.qc .card.altered{border-left-color:#d98c00} .qc .card.misattributed{border-left-color:#c0392b}
.qc .card.not_found{border-left-color:#8e0000} .qc .card.verified{border-left-color:#2e8b57}
.qc .card.unattributed{border-left-color:#7f8c8d}
.qc .status{font-weight:bold;text-transform:uppercase}
.qc blockquote{margin:.4rem 0;padding-left:.8rem;border-left:3px solid #ddd}
.qc del{background:#fbd3d3;text-decoration:line-through}
.qc ins{background:#cdeccd;text-decoration:none} .qc mark{background:#fff3a8}
.qc .context{color:#555;font-size:.92rem} .qc .meta{color:#555;font-size:.9rem}
.qc .gap{color:#777}
"""


def _diff_html(ops: tuple[DiffOp, ...]) -> str:
    out = []
    for op in ops:
        if op.kind == "equal":
            out.append(html.escape(" ".join(op.written)))
        elif op.kind in ("elision", "insertion"):
            out.append(f'<span class="gap">{html.escape(" ".join(op.written))}</span>')
        else:
            if op.said:
                out.append(f"<del>{html.escape(' '.join(op.said))}</del>")
            if op.written:
                out.append(f"<ins>{html.escape(' '.join(op.written))}</ins>")
    return " ".join(out)


def _context_html(check: QuoteCheck, m: Match) -> str:
    if check.corpus is None:
        return ""
    text = check.corpus.get(m.file).text
    lo = max(0, m.start - _CONTEXT_CHARS)
    hi = min(len(text), m.end + _CONTEXT_CHARS)
    spans = m.pieces or ((m.start, m.end),)
    parts = ["…" if lo else ""]
    pos = lo
    for a, b in spans:
        parts.append(html.escape(text[pos:a]))
        parts.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    parts.append(html.escape(text[pos:hi]))
    parts.append("…" if hi < len(text) else "")
    return "".join(parts).replace("\n", "<br>")


def _card(check: QuoteCheck, r: QuoteResult) -> str:
    who = r.attributed_to or {
        "document": "a document",
        "respondent": "a respondent (no organisation named)",
    }.get(r.attribution.kind, "nobody")
    rows = [
        f'<div class="card {r.status}">',
        f'<div><span class="status">{html.escape(_LABEL[r.status])}</span> · line {r.line} · '
        f"attributed to <b>{html.escape(who)}</b></div>",
        f"<blockquote>“{html.escape(r.text)}”</blockquote>",
    ]
    if r.attribution.text:
        rows.append(f'<div class="meta">attribution: {html.escape(r.attribution.text)}</div>')
    if r.diff:
        rows.append(f"<div>diff: {_diff_html(r.diff)}</div>")
    shown = r.matches[:3] or ((r.closest,) if r.closest is not None else ())
    for m in shown:
        label = "found in" if r.matches else "closest (below threshold)"
        rows.append(f'<div class="meta">{label}: {html.escape(_where(m))}</div>')
        rows.append(f'<div class="context">{_context_html(check, m)}</div>')
    rows.append("</div>")
    return "\n".join(rows)


def to_html(check: QuoteCheck, *, page: bool = True) -> str:
    """The check as HTML: summary, then problems first, each with its diff and context.

    With *page* a self-contained HTML page; without, a ``<div>`` to embed (as
    Jupyter does when it shows a ``QuoteCheck``). All text is escaped.
    """
    counts = check.summary
    summary = "".join(
        f"<span>{html.escape(s.replace('_', ' '))}: <b>{counts[s]}</b></span>"
        for s in QUOTE_STATUSES
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in check.notes)
    body = "\n".join(_card(check, r) for r in check.problems_first())
    title = f"Quote check: {html.escape(check.report)}"
    fragment = (
        f'<div class="qc"><style>{_CSS}</style>'
        + ("" if page else f"<h3>{title}</h3>")
        + f'<p class="summary">{summary}</p>'
        + (f'<ul class="notes">{notes}</ul>' if notes else "")
        + f"{body or '<p>No quotes found.</p>'}</div>"
    )
    if not page:
        return fragment
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_PAGE_CSS}</style></head>"
        f"<body><h1>{title}</h1>{fragment}</body></html>\n"
    )
