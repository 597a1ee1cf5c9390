"""The HTML writer: ``index.html`` and one page per variable, self-contained and escaped.

The style sheet is embedded in every page (no CDN, no web fonts); figures are
linked relatively (``figures/<name>.svg``), so the folder can be zipped, sent
and opened anywhere. Every text from the data is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

import pandas as pd

from qualcode.report.i18n import Strings, strings
from qualcode.report.memos import memos_html
from qualcode.report.model import (
    FigureRef,
    QuoteGroup,
    QuoteMarks,
    ReportContent,
    Table,
    VariableSection,
    time_note,
)

__all__ = ["render_index", "render_section", "write_html"]


def css() -> str:
    """The style sheet every page embeds."""
    return files("qualcode.report").joinpath("report.css").read_text(encoding="utf-8")


def _page(title: str, body: str, nav: str, language: str, note: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="qualcode">\n'
        f"<title>{escape(title)}</title>\n<style>\n{css()}</style>\n</head>\n<body>\n"
        f'<header class="site">{nav}</header>\n'
        + (f'<p class="review-note" role="note">{escape(note)}</p>\n' if note else "")
        + f"<main>\n{body}</main>\n</body>\n</html>\n"
    )


def _nav(content: ReportContent, current: str) -> str:
    overview = strings(content.language)("overview")
    links = [("index", overview)] + [(s.file_stem, s.code.name) for s in content.sections]
    out = []
    for stem, label in links:
        css = ' class="current"' if stem == current else ""
        out.append(f'<a href="{escape(stem)}.html"{css}>{escape(label)}</a>')
    return "".join(out)


def _cell(value: object, *, link: str = "") -> str:
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    text = escape(f"{value:g}" if isinstance(value, float) else str(value))
    if link:
        text = f'<a href="{escape(link)}.html">{text}</a>'
    css = ' class="num"' if numeric else ""
    return f"<td{css}>{text}</td>"


def render_table(table: Table) -> str:
    """A table as HTML, with the caption above and the note below."""
    frame: pd.DataFrame = table.frame
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for i, record in enumerate(frame.itertuples(index=False)):
        cells = [
            _cell(v, link=table.links[i] if (j == 0 and table.links) else "")
            for j, v in enumerate(record)
        ]
        if cells and frame.columns[0] == "Code":
            cells[0] = cells[0].replace("<td>", '<td class="code">', 1)
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{escape(table.note)}</p>\n' if table.note else ""
    return (
        f'<div class="scroll"><table>\n<caption>{escape(table.caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + f"\n</tbody>\n</table></div>\n{note}"
    )


def _figure(ref: FigureRef) -> str:
    return (
        f'<figure><div class="canvas"><img src="{escape(ref.path("svg"))}" '
        f'alt="{escape(ref.caption)}"></div>'
        f'<figcaption>{escape(ref.caption)} (<a href="{escape(ref.path("png"))}">PNG</a>, '
        f'<a href="{escape(ref.path("svg"))}">SVG</a>)</figcaption></figure>\n'
    )


def _tags(marks: QuoteMarks, s: Strings) -> str:
    tags = "".join(f'<span class="tag {kind}">{escape(name)}</span>' for name, kind in marks.tags)
    if marks.unreviewed:
        tags += f'<span class="tag unreviewed">{escape(s("unreviewed"))}</span>'
    return tags


def _quote_group(group: QuoteGroup, s: Strings) -> str:
    out = [
        f'<h3 class="group">{escape(group.label)} '
        f'<span class="muted">({escape(group.count_text(s))})</span></h3>\n'
    ]
    marks = group.marks or tuple(QuoteMarks() for _ in group.quotes)
    for q, mark in zip(group.quotes, marks, strict=True):
        organisation = q.organisation or s("no_organisation")
        chars = escape(s("characters", start=q.start, end=q.end))
        if mark.link:
            chars = f'<a href="{escape(mark.link)}">{chars}</a>'
        where = f"{escape(q.file)}, {chars}"
        out.append(
            f'<blockquote class="quote" style="border-left-color: {escape(group.colour)}">'
            f"<p>{escape(q.text)}</p>"
            f'<footer><span class="tags">{_tags(mark, s)}</span>'
            f"{escape(organisation)}{escape(time_note(q))} &middot; {where} &middot; "
            f"{escape(s('score', score=f'{q.score:g}'))}</footer></blockquote>\n"
        )
    return "".join(out)


def render_section(content: ReportContent, section: VariableSection) -> str:
    """The HTML page of one variable."""
    s = strings(content.language)
    code = section.code
    parts = [
        f'<h1>{escape(code.name)} <span class="id">{escape(code.id)}</span></h1>\n',
        f'<p class="definition">{escape(code.description)}</p>\n',
    ]
    for label, items in ((s("include"), code.include), (s("exclude"), code.exclude)):
        if items:
            parts.append(
                f'<p class="note"><strong>{escape(label)}:</strong> '
                + "; ".join(escape(i) for i in items)
                + "</p>\n"
            )
    parts.append(f'<p class="summary">{escape(section.summary)}</p>\n')
    parts.append(f"<h2>{escape(s('frequencies'))}</h2>\n")
    parts.extend(render_table(t) for t in section.tables)
    parts.extend(_figure(f) for f in section.figures)
    parts.append(f"<h2>{escape(s('quotes_heading'))}</h2>\n")
    if not section.quote_groups:
        parts.append(f'<p class="muted">{escape(s("no_passage"))}</p>\n')
    current = ""
    for group in section.quote_groups:
        if group.code.id != current:
            current = group.code.id
            if group.code.id != code.id:  # groups of another code than the page's variable
                parts.append(
                    f'<h3>{escape(group.code.name)} <span class="id">'
                    f"{escape(group.code.id)}</span></h3>\n"
                    f'<p class="definition">{escape(group.code.description)}</p>\n'
                )
        parts.append(_quote_group(group, s))
    parts.append(memos_html(section.memos, language=content.language))
    return _page(
        f"{code.name} - {content.title}",
        "".join(parts),
        _nav(content, section.file_stem),
        content.language,
        content.review_note,
    )


def render_index(content: ReportContent) -> str:
    """The overview page: facts, variables table, heat map, figures, links."""
    parts = [f'<h1>{escape(content.title)}</h1>\n<dl class="facts">\n']
    parts.extend(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>\n" for k, v in content.facts)
    parts.append("</dl>\n")
    if content.notes:
        parts.append(
            '<ul class="notes">\n'
            + "".join(f"<li>{escape(n)}</li>\n" for n in content.notes)
            + "</ul>\n"
        )
    s = strings(content.language)
    parts.append(f"<h2>{escape(s('variables'))}</h2>\n<p>{escape(s('one_report'))}")
    parts.append(
        ", ".join(
            f'<a href="{escape(s.file_stem)}.html">{escape(s.code.name)}</a>'
            for s in content.sections
        )
    )
    parts.append(
        f". {escape(s('data_files'))}"
        '<a href="frequencies.csv">frequencies.csv</a>, '
        '<a href="quotes.csv">quotes.csv</a>.</p>\n'
    )
    if content.memos:
        memos = escape(strings(content.language)("memos"))
        parts.append(f'<p><a href="memos.html">{memos}</a> ({len(content.memos)}).</p>\n')
    parts.extend(render_table(t) for t in content.tables)
    parts.extend(_figure(f) for f in content.figures)
    parts.append(f"<h2>{escape(s('corpus'))}</h2>\n")
    parts.append(render_table(content.corpus))
    return _page(
        content.title,
        "".join(parts),
        _nav(content, "index"),
        content.language,
        content.review_note,
    )


def write_html(content: ReportContent, folder: Path) -> list[str]:
    """Write ``index.html`` and ``<VARIABLE>.html`` into *folder*; the names written."""
    written = []
    (folder / "index.html").write_text(render_index(content), encoding="utf-8")
    written.append("index.html")
    for section in content.sections:
        name = f"{section.file_stem}.html"
        (folder / name).write_text(render_section(content, section), encoding="utf-8")
        written.append(name)
    if content.memos:
        page = _page(
            f"{strings(content.language)('memos')} - {content.title}",
            memos_html(content.memos, level=1, language=content.language),
            _nav(content, "memos"),
            content.language,
        )
        (folder / "memos.html").write_text(page, encoding="utf-8")
        written.append("memos.html")
    return written
