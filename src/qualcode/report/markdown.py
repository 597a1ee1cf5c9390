"""The Markdown writer: ``index.md`` and ``<VARIABLE>.md``, for pasting into a report draft.

Texts from the data are escaped so that they render as written (a ``*`` in a
quote stays a ``*``); figures link the PNG files relatively.
"""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.report.memos import memos_markdown
from qualcode.report.model import (
    FigureRef,
    QuoteGroup,
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


def _quote_group(group: QuoteGroup) -> str:
    count = f"{group.total} quote{'s' * (group.total != 1)}"
    if len(group.quotes) < group.total:
        count += f"; the {len(group.quotes)} best scored shown, all in quotes.csv"
    out = [f"#### {md_escape(group.label)} ({count})\n\n"]
    for q in group.quotes:
        organisation = q.organisation or "organisation unknown"
        out.append(
            f"{_blockquote(q.text)}\n>\n> — *{md_escape(organisation)}*{time_note(q)} "
            f"({md_escape(q.file)}, characters {q.start}–{q.end}, score {q.score:g})\n\n"
        )
    return "".join(out)


def render_section_md(content: ReportContent, section: VariableSection) -> str:
    """The Markdown report of one variable."""
    code = section.code
    parts = [f"# {md_escape(code.name)} ({code.id})\n\n", f"*{md_escape(code.description)}*\n\n"]
    for label, items in (("Include", code.include), ("Exclude", code.exclude)):
        if items:
            parts.append(f"**{label}:** " + "; ".join(md_escape(i) for i in items) + "\n\n")
    parts.append(f"{md_escape(section.summary)}\n\n## Frequencies\n\n")
    parts.extend(render_table_md(t) for t in section.tables)
    parts.extend(_figure(f) for f in section.figures)
    parts.append("## Quotes\n\n")
    if not section.quote_groups:
        parts.append("No passage was coded with this variable.\n\n")
    current = ""
    for group in section.quote_groups:
        if group.code.id != current:
            current = group.code.id
            parts.append(f"### {md_escape(group.code.name)} ({group.code.id})\n\n")
        parts.append(_quote_group(group))
    parts.append(memos_markdown(section.memos))
    parts.append("[Overview](index.md)\n")
    return "".join(parts)


def render_index_md(content: ReportContent) -> str:
    """The overview in Markdown."""
    parts = [f"# {md_escape(content.title)}\n\n"]
    parts.extend(f"- **{md_escape(k)}:** {md_escape(v)}\n" for k, v in content.facts)
    parts.append("\n")
    parts.extend(f"> {md_escape(n)}\n\n" for n in content.notes)
    parts.append("## Variables\n\n")
    parts.extend(render_table_md(t) for t in content.tables)
    parts.extend(_figure(f) for f in content.figures)
    parts.append("## Corpus\n\n")
    parts.append(render_table_md(content.corpus))
    if content.memos:
        parts.append(f"\n[Memos](memos.md) ({len(content.memos)})\n")
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
        page = memos_markdown(content.memos, level=1) + "[Overview](index.md)\n"
        (folder / "memos.md").write_text(page, encoding="utf-8")
        written.append("memos.md")
    return written
