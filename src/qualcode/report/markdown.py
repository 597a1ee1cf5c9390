"""The Markdown writer: ``index.md`` and ``<VARIABLE>.md``, for pasting into a report draft.

Texts from the data are escaped so that they render as written (a ``*`` in a
quote stays a ``*``); figures link the PNG files relatively.
"""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.report.i18n import Strings, strings
from qualcode.report.memos import memos_markdown
from qualcode.report.model import (
    FigureRef,
    QuoteGroup,
    QuoteMarks,
    ReportContent,
    Table,
    VariableSection,
    time_note,
)

__all__ = ["render_index_md", "render_section_md", "write_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_LIST_START = re.compile(r"^(\s*)(\d+)([.)])(\s|$)|^(\s*)([-+=])(\s|$)")


def md_escape(text: str) -> str:
    """*text* with Markdown's special characters backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", text)


def _line(text: str) -> str:
    """One line of running text, escaped, that cannot start a list or a heading underline."""
    escaped = md_escape(text)
    return _LIST_START.sub(
        lambda m: (
            f"{m.group(1)}{m.group(2)}\\{m.group(3)}{m.group(4)}"
            if m.group(2)
            else f"{m.group(5)}\\{m.group(6)}{m.group(7)}"
        ),
        escaped,
    )


def _cell(value: object) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return md_escape(text.strip()).replace("\n", " ")


def render_table_md(table: Table, *, suffix: str = "md") -> str:
    """A table as a Markdown pipe table, caption in bold above and the note below."""
    frame = table.frame
    lines = [f"**{md_escape(table.caption)}**", ""]
    lines.append("| " + " | ".join(_cell(c) for c in frame.columns) + " |")
    aligns = ["---:" if frame[c].dtype.kind in "iuf" else "---" for c in frame.columns]
    lines.append("| " + " | ".join(aligns) + " |")
    for i, record in enumerate(frame.itertuples(index=False)):
        cells = [_cell(v) for v in record]
        if table.links and cells:
            cells[0] = f"[{cells[0]}]({table.links[i]}.{suffix})"
        lines.append("| " + " | ".join(cells) + " |")
    if table.note:
        lines += ["", f"*{md_escape(table.note)}*"]
    return "\n".join(lines) + "\n\n"


def _figure(ref: FigureRef) -> str:
    return f"![{md_escape(ref.caption)}]({ref.path('png')})\n\n"


def _blockquote(text: str) -> str:
    return "\n".join("> " + _line(line) if line else ">" for line in text.split("\n"))


def _quote_group(group: QuoteGroup, s: Strings) -> str:
    out = [f"### {md_escape(group.label)} ({md_escape(group.count_text(s))})\n\n"]
    marks = group.marks or tuple(QuoteMarks() for _ in group.quotes)
    for q, mark in zip(group.quotes, marks, strict=True):
        organisation = q.organisation or s("no_organisation")
        tags = " ".join(f"`{name}`" for name, _ in mark.tags)
        if mark.unreviewed:
            tags += f" **{s('unreviewed')}**"
        chars = md_escape(s("characters", start=q.start, end=q.end))
        where = f"{md_escape(q.file)}, " + (f"[{chars}]({mark.link})" if mark.link else chars)
        out.append(
            f"{_blockquote(q.text)}\n>\n> — *{md_escape(organisation)}*{time_note(q)} "
            f"({where}, {s('score', score=f'{q.score:g}')})"
            + (f"  \n> {tags}" if tags else "")
            + "\n\n"
        )
    return "".join(out)


def render_section_md(content: ReportContent, section: VariableSection) -> str:
    """The Markdown report of one variable."""
    s = strings(content.language)
    code = section.code
    parts = [f"# {md_escape(code.name)} ({code.id})\n\n", f"*{md_escape(code.description)}*\n\n"]
    if content.review_note:
        parts.append(f"> **{md_escape(content.review_note)}**\n\n")
    for label, items in ((s("include"), code.include), (s("exclude"), code.exclude)):
        if items:
            parts.append(f"**{label}:** " + "; ".join(md_escape(i) for i in items) + "\n\n")
    parts.append(f"{md_escape(section.summary)}\n\n## {s('frequencies')}\n\n")
    parts.extend(render_table_md(t) for t in section.tables)
    parts.extend(_figure(f) for f in section.figures)
    parts.append(f"## {s('quotes_heading')}\n\n")
    if not section.quote_groups:
        parts.append(f"{s('no_passage')}\n\n")
    for group in section.quote_groups:
        parts.append(_quote_group(group, s))
    parts.append(memos_markdown(section.memos, language=content.language))
    parts.append(f"[{s('overview')}](index.md)\n")
    return "".join(parts)


def render_index_md(content: ReportContent) -> str:
    """The overview in Markdown."""
    parts = [f"# {md_escape(content.title)}\n\n"]
    parts.extend(f"- **{md_escape(k)}:** {md_escape(v)}\n" for k, v in content.facts)
    parts.append("\n")
    parts.extend(f"> {md_escape(n)}\n\n" for n in content.notes)
    s = strings(content.language)
    parts.append(f"## {s('variables')}\n\n")
    parts.extend(render_table_md(t) for t in content.tables)
    parts.extend(_figure(f) for f in content.figures)
    parts.append(f"## {s('corpus')}\n\n")
    parts.append(render_table_md(content.corpus))
    if content.memos:
        memos = strings(content.language)("memos")
        parts.append(f"\n[{memos}](memos.md) ({len(content.memos)})\n")
    return "".join(parts)


def write_markdown(content: ReportContent, folder: Path) -> list[str]:
    """Write ``index.md`` and ``<VARIABLE>.md`` into *folder*; the names written."""
    (folder / "index.md").write_text(render_index_md(content), encoding="utf-8")
    written = ["index.md"]
    for section in content.sections:
        name = f"{section.file_stem}.md"
        (folder / name).write_text(render_section_md(content, section), encoding="utf-8")
        written.append(name)
    if content.memos:
        overview = strings(content.language)("overview")
        page = memos_markdown(content.memos, level=1, language=content.language)
        page += f"[{overview}](index.md)\n"
        (folder / "memos.md").write_text(page, encoding="utf-8")
        written.append("memos.md")
    return written
