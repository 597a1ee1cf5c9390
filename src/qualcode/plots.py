"""Charts of an analysis: frequency bars, heat maps, valence splits; saved as PNG and SVG.

Every function takes tables made by :class:`qualcode.analysis.Analysis` and
returns a ``matplotlib.figure.Figure`` built without pyplot, so nothing here
touches the global backend: files are rendered by Agg, and a notebook shows a
returned figure inline. Colours come from the codebook (``color`` of a code);
sub-codes that inherit their variable's colour get lighter and darker shades
of it so that they stay apart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure

from qualcode.codebook.model import Codebook

if TYPE_CHECKING:
    from qualcode.analysis import Analysis

__all__ = [
    "code_colours",
    "code_profile",
    "frequency_bars",
    "group_bars",
    "heatmap",
    "keyword_bars",
    "profile",
    "save_figure",
    "stacked_bars",
    "valence_bars",
]

# The palette: every colour the charts draw with, in one place. Chosen from Okabe and Ito's
# and Paul Tol's colour-blind safe palettes so that no two colours drawn together look alike
# or are lighter and darker versions of one hue, also under simulated colour blindness, and
# the sub-codes' shades stay apart from the valence colours. The sample codebook uses these
# colours; tests/test_colours.py measures the distances (CIEDE2000).

#: Colours of the variables (top-level codes) whose codebook entry has none, in order:
#: Okabe-Ito orange, Tol's cyan, Okabe-Ito bluish green and yellow, Tol's indigo, then Tol's
#: dark yellow, red and cyan. None is a blue, vermillion, purple or grey: those mark valence.
FALLBACK = (
    "#E69F00",
    "#66CCEE",
    "#009E73",
    "#F0E442",
    "#332288",
    "#666633",
    "#663333",
    "#225555",
)
#: Helping and hindering when the codebook gives no colour (Okabe-Ito blue and vermillion).
_VALENCE_DEFAULTS = ("#0072B2", "#D55E00")
#: Colours of the valence categories that are not codes (Okabe-Ito reddish purple, grey).
MIXED_COLOUR, NONE_COLOUR = "#CC79A7", "#BBBBBB"
#: Colours of the groups compared side by side (not code colours: groups are not codes):
#: Tol's high-contrast blue and yellow first, then his teal, red and light cyan.
GROUP_COLOURS = ("#004488", "#DDAA33", "#009988", "#CC3311", "#99DDFF")
_WRAP = 28


def _label(text: str, width: int = _WRAP) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width)) or str(text)


def _shade(colour: str, amount: float) -> str:
    """*colour* mixed with white (amount > 0) or black (amount < 0)."""
    rgb = np.array(to_rgb(colour))
    target = np.ones(3) if amount > 0 else np.zeros(3)
    return to_hex(rgb + (target - rgb) * abs(amount))


def code_colours(codebook: Codebook) -> dict[str, str]:
    """A hex colour for every code id: its own, or a shade of its parent's, or a fallback."""
    out: dict[str, str] = {}
    tops = [c for c in codebook.codes if c.parent is None]
    valence = [c.id for c in codebook.valence_codes()]
    for i, top in enumerate(tops):
        default = (
            _VALENCE_DEFAULTS[valence.index(top.id) % 2]
            if top.id in valence
            else FALLBACK[i % len(FALLBACK)]
        )
        out[top.id] = top.color or default
    for code in codebook.codes:
        if code.parent is None:
            continue
        parent_colour = out.get(code.parent, FALLBACK[0])
        if code.color and code.color != codebook.get(code.parent).color:
            out[code.id] = code.color
            continue
        siblings = [c.id for c in codebook.children(code.parent)]
        n = len(siblings)
        position = siblings.index(code.id)
        amount = -0.35 + 0.8 * (position + 0.5) / n if n > 1 else 0.3
        out[code.id] = _shade(parent_colour, amount)
    return out


def _names(codebook: Codebook | None, ids: Sequence[str]) -> list[str]:
    if codebook is None:
        return [str(i) for i in ids]
    return [codebook.get(i).name if i in codebook else str(i) for i in ids]


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, max(height, 2.2)), layout="constrained")


#: The words drawn inside the charts, in English; reports pass their own language's.
CHART_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "n_of": "{n} of {total}",
        "organisations": "organisations",
        "by_valence": "coded segments by valence",
        "coded_segments": "coded segments",
        "share": "% of the group's organisations",
        "mixed": "Mixed",
        "no_valence": "No valence",
        "nothing_coded": "nothing coded",
    }
)


def _words(words: Mapping[str, str] | None) -> Mapping[str, str]:
    """*words* over the English defaults (a report passes its language's chart words)."""
    return CHART_WORDS if not words else {**CHART_WORDS, **words}


def _draw_bars(
    ax: Axes,
    values: pd.Series,
    colours: Mapping[str, str],
    labels: list[str],
    total: int | None,
    n_of: str = CHART_WORDS["n_of"],
) -> None:
    ids = [str(i) for i in values.index]
    y = np.arange(len(ids))
    counts = values.to_numpy(dtype=float)
    ax.barh(y, counts, color=[colours.get(i, FALLBACK[0]) for i in ids])
    ax.set_yticks(y, labels)
    ax.set_ylim(len(ids) - 0.5, -0.5)
    peak = counts.max() if len(counts) and counts.max() > 0 else 1.0
    ax.set_xlim(0, peak * 1.25)
    for yi, value in enumerate(counts.tolist()):
        text = f"{value:g}" if total is None else n_of.format(n=f"{value:g}", total=total)
        ax.text(value + peak * 0.01, yi, text, va="center", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)


def _draw_stacked(
    ax: Axes, table: pd.DataFrame, palette: Mapping[str, str], legend: list[str]
) -> None:
    y = np.arange(len(table))
    left = np.zeros(len(table))
    for i, label in enumerate(legend):
        width = table.iloc[:, i].to_numpy(dtype=float)
        ax.barh(
            y,
            width,
            left=left,
            label=_label(label, 30),
            color=palette.get(str(table.columns[i]), FALLBACK[i % len(FALLBACK)]),
        )
        left += width
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.spines[["top", "right"]].set_visible(False)


def frequency_bars(
    values: pd.Series,
    *,
    codebook: Codebook | None = None,
    title: str = "",
    xlabel: str = "",
    total: int | None = None,
) -> Figure:
    """Horizontal bars, one per code id of *values*' index, in codebook colours.

    With *total* each bar is labelled "n of total" (organisations raising a code).
    """
    ids = [str(i) for i in values.index]
    colours = code_colours(codebook) if codebook is not None else {}
    fig = _figure(7.5, 0.45 * len(ids) + 1.3)
    ax = fig.add_subplot()
    _draw_bars(ax, values, colours, [_label(n, 34) for n in _names(codebook, ids)], total)
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left", fontsize=11)
    return fig


def stacked_bars(
    table: pd.DataFrame,
    *,
    codebook: Codebook | None = None,
    title: str = "",
    xlabel: str = "coded segments",
    colours: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """Horizontal stacked bars: one bar per row of *table*, one segment per column.

    Columns are code ids (codebook colours and names in the legend) or other
    categories with their colour in *colours* and legend text in *labels*.
    Rows whose total is 0 stay, so that a missing organisation shows.
    """
    columns = [str(c) for c in table.columns]
    palette = dict(code_colours(codebook)) if codebook is not None else {}
    palette.update(colours or {})
    names = [
        dict(labels or {}).get(c, n)
        for c, n in zip(columns, _names(codebook, columns), strict=True)
    ]
    fig = _figure(8.5, 0.32 * len(table) + 1.6)
    ax = fig.add_subplot()
    _draw_stacked(ax, table, palette, names)
    ax.set_yticks(np.arange(len(table)), [_label(str(r), 30) for r in table.index])
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left", fontsize=11)
    if columns:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return fig


def _valence_style(
    codebook: Codebook, columns: list[str], words: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    colours = code_colours(codebook)
    colours.update({"mixed": MIXED_COLOUR, "none": NONE_COLOUR})
    w = _words(words)
    labels = {"mixed": w["mixed"], "none": w["no_valence"]}
    names = [labels.get(c, n) for c, n in zip(columns, _names(codebook, columns), strict=True)]
    return colours, names


def valence_bars(split: pd.DataFrame, *, codebook: Codebook, title: str = "") -> Figure:
    """The valence split (``Analysis.valence_split``) as stacked bars per code."""
    colours, names = _valence_style(codebook, [str(c) for c in split.columns])
    table = split.copy()
    table.index = _names(codebook, [str(i) for i in split.index])
    return stacked_bars(
        table,
        codebook=codebook,
        title=title,
        colours=colours,
        labels=dict(zip(map(str, split.columns), names, strict=True)),
    )


def code_profile(
    organisations: pd.Series,
    split: pd.DataFrame,
    *,
    codebook: Codebook,
    total: int,
    title: str = "",
    words: Mapping[str, str] | None = None,
) -> Figure:
    """Two panels sharing the codes: organisations raising each code ("n of total"), and the
    valence of its coded segments (``Analysis.valence_split``). *words* replaces the
    English words drawn in the chart (keys of :data:`CHART_WORDS`)."""
    w = _words(words)
    ids = [str(i) for i in organisations.index]
    fig = _figure(11.0, 0.42 * len(ids) + 1.7)
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=(1, 1.15))
    _draw_bars(
        left,
        organisations,
        code_colours(codebook),
        [_label(n, 34) for n in _names(codebook, ids)],
        total,
        w["n_of"],
    )
    left.set_xlabel(w["organisations"])
    colours, names = _valence_style(codebook, [str(c) for c in split.columns], w)
    _draw_stacked(right, split.loc[organisations.index], colours, names)
    right.set_xlabel(w["by_valence"])
    right.tick_params(axis="y", left=False)
    right.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    return fig


def group_bars(
    table: pd.DataFrame,
    *,
    measure: str = "share",
    codebook: Codebook | None = None,
    title: str = "",
    words: Mapping[str, str] | None = None,
) -> Figure:
    """Grouped horizontal bars from ``Analysis.compare``: one bar per group for each code.

    *words* replaces the English words drawn in the chart (keys of :data:`CHART_WORDS`).
    """
    groups = list(table.columns.get_level_values(0).unique())
    ids = [str(i) for i in table.index]
    fig = _figure(8.0, (0.18 * len(groups) + 0.2) * len(ids) + 1.4)
    ax = fig.add_subplot()
    height = 0.8 / max(len(groups), 1)
    y = np.arange(len(ids))
    for g, group in enumerate(groups):
        values = table[(group, measure)].to_numpy(dtype=float)
        if measure == "share":
            values = values * 100
        ax.barh(
            y + g * height,
            values,
            height=height,
            label=str(group),
            color=GROUP_COLOURS[g % len(GROUP_COLOURS)],
        )
    ax.set_yticks(y + height * (len(groups) - 1) / 2, [_label(n) for n in _names(codebook, ids)])
    ax.invert_yaxis()
    ax.set_xlabel(_words(words)["share"] if measure == "share" else measure)
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        title=str(table.columns.names[0] or ""),
        fontsize=8,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    return fig


def heatmap(
    matrix: pd.DataFrame,
    *,
    codebook: Codebook | None = None,
    title: str = "",
    cmap: str = "Blues",
    annotate: bool = True,
    words: Mapping[str, str] | None = None,
) -> Figure:
    """A heat map of *matrix* (counts); code ids in index or columns show as code names.

    Cells are annotated with their counts (then no colour bar is needed). *words*
    replaces the English words drawn in the chart (keys of :data:`CHART_WORDS`).
    """
    rows = _names(codebook, [str(i) for i in matrix.index])
    cols = _names(codebook, [str(c) for c in matrix.columns])
    data = matrix.to_numpy(dtype=float)
    fig = _figure(max(5.0, 0.42 * len(cols) + 3.2), 0.36 * len(rows) + 2.6)
    ax = fig.add_subplot()
    ax.set_title(title, loc="left", fontsize=11)
    if not data.size:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            _words(words)["nothing_coded"],
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        return fig
    image = ax.imshow(data, cmap=cmap, aspect="auto", vmin=0)
    ax.set_xticks(
        np.arange(len(cols)),
        [_label(c, 22) for c in cols],
        rotation=45,
        ha="right",
        rotation_mode="anchor",
        fontsize=8,
    )
    ax.set_yticks(np.arange(len(rows)), [_label(r, 30) for r in rows], fontsize=8)
    peak = data.max()
    if annotate:
        for (r, c), value in np.ndenumerate(data):
            if value:
                ax.text(
                    c,
                    r,
                    f"{value:g}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if value > peak * 0.6 else "black",
                )
    if not annotate:
        fig.colorbar(image, ax=ax, shrink=0.6)
    return fig


def keyword_bars(words: pd.DataFrame, *, by: str, top: int = 10, title: str = "") -> Figure:
    """The top keywords of each group: one panel per group, bars of G2, labelled with log ratio.

    *words* is ``Analysis.words(by=...)`` (or ``qualcode.analysis.words.words``);
    only the lemmas a group uses more than the rest (log ratio > 0) are drawn,
    the *top* strongest per group.
    """
    keys = words[words["log_ratio"] > 0]
    groups = [str(g) for g in pd.unique(words[by])]
    rows = max((min(top, int((keys[by] == g).sum())) for g in groups), default=1)
    fig = _figure(3.6 * max(len(groups), 1) if len(groups) < 4 else 11.0, 0.3 * rows + 1.6)
    columns = min(len(groups), 3) or 1
    panels = fig.subplots(
        (len(groups) + columns - 1) // columns or 1, columns, squeeze=False
    ).ravel()
    for g, (group, ax) in enumerate(zip(groups, panels, strict=False)):
        part = keys[keys[by] == group].head(top)
        y = np.arange(len(part))
        ax.barh(y, part["g2"].to_numpy(dtype=float), color=GROUP_COLOURS[g % len(GROUP_COLOURS)])
        ax.set_yticks(y, part["lemma"].astype(str).tolist(), fontsize=8)
        ax.set_ylim(max(rows, 1) - 0.5, -0.5)
        peak = float(part["g2"].max()) if len(part) else 1.0
        ax.set_xlim(0, peak * 1.35)
        for yi, (g2, ratio) in enumerate(zip(part["g2"], part["log_ratio"], strict=True)):
            ax.text(g2 + peak * 0.02, yi, f"LR {ratio:.1f}", va="center", fontsize=7)
        ax.set_title(f"{by} = {group}", loc="left", fontsize=9)
        ax.set_xlabel("G2 (log-likelihood)", fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in panels[len(groups) :]:
        ax.set_axis_off()
    fig.suptitle(title or f"Keywords by {by}", x=0.01, ha="left", fontsize=11)
    return fig


def profile(analysis: Analysis, code: str | None = None, *, title: str = "") -> Figure:
    """:func:`code_profile` of the variables, or of *code* and its sub-codes, of *analysis*."""
    cb = analysis.codebook
    ids = [c.id for c in (cb.variables() if code is None else cb.descendants(code))]
    freq = analysis.frequencies(codes=ids).set_index("code")
    default = "the variables" if code is None else cb.get(code).name
    return code_profile(
        freq["organisations"],
        analysis.valence_split(codes=ids),
        codebook=cb,
        total=analysis.organisations,
        title=title or f"Organisations raising {default}, and valence",
    )


def save_figure(
    fig: Figure, path: str | Path, *, formats: Sequence[str] = ("png", "svg"), dpi: int = 120
) -> list[Path]:
    """Write *fig* as ``path.png`` and ``path.svg`` (any suffix of *path* is replaced).

    The layout is computed once for all formats. SVG text stays text (small,
    searchable files in a sans-serif font). The files are reproducible: no
    creation date, fixed SVG ids.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    engine = fig.get_layout_engine()
    with rc_context({"svg.hashsalt": "qualcode", "svg.fonttype": "none"}):
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
        try:
            for fmt in formats:
                target = path.with_suffix(f".{fmt}")
                metadata = {"Date": None} if fmt in ("svg", "pdf") else {"Software": None}
                fig.savefig(target, format=fmt, dpi=dpi, metadata=metadata)
                written.append(target)
        finally:
            fig.set_layout_engine(engine)
    return written
