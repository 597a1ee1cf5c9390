"""Planning a report set from an analysis: facts, tables, figures and quote groups.

Nothing is written here. :class:`ReportPlan` computes the tables once; its
:meth:`~ReportPlan.figures` can be drawn (in other processes) while
:meth:`~ReportPlan.content` is assembled and rendered by the writers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

import pandas as pd
from matplotlib.figure import Figure

from qualcode import plots
from qualcode.analysis import Analysis, quotes_of
from qualcode.analysis.frequencies import MIXED, NONE
from qualcode.codebook.model import Code
from qualcode.report.anonymise import Anonymiser
from qualcode.report.model import FigureRef, QuoteGroup, ReportContent, Table, VariableSection

__all__ = ["FigureJob", "ReportPlan", "valence_category"]

#: A figure to draw: where it goes, and how to draw it (a picklable callable).
FigureJob = tuple[FigureRef, Callable[[], Figure]]


def valence_category(valence: str) -> str:
    """The group a quote's ``valence`` falls in: the valence code, ``mixed`` or ``none``."""
    if not valence:
        return NONE
    return MIXED if ";" in valence else valence


def _n_of(n: int, total: int) -> str:
    return f"{n} of {total}"


def _pct(n: int, total: int) -> str:
    return f"{n} of {total} ({round(100 * n / total) if total else 0}%)"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text).strip("_") or "group"


class ReportPlan:
    """The tables and figures of a report set for *analysis*, computed once.

    *compare* names a respondent attribute whose groups are compared;
    *max_quotes* caps the quotes shown per code and valence (0: all);
    *anonymiser* replaces names in quotes and tables.
    """

    def __init__(
        self,
        analysis: Analysis,
        *,
        compare: str | None = None,
        max_quotes: int = 25,
        anonymiser: Anonymiser | None = None,
        title: str = "",
    ) -> None:
        self.a = analysis
        self.cb = analysis.codebook
        self.compare_by = compare
        self.max_quotes = max_quotes
        self.anonymiser = anonymiser or Anonymiser()
        self.title = title or f"{analysis.codebook.name}: coded interviews"
        self.valence = list(self.cb.valence_codes())
        self.variables = list(self.cb.variables())
        self.n_resp = analysis.respondents
        self.n_orgs = analysis.organisations
        self.freq = analysis.frequencies().set_index("code")
        self.split = analysis.valence_split(level="code")
        self.by_org = analysis.crosstab(by="organisation", level="code")
        self.compared = analysis.compare(compare, level="code") if compare else None
        self.words = {t.file: t.words for t in analysis.corpus.transcripts}
        self.colours = plots.code_colours(self.cb) | {MIXED: plots.MIXED_COLOUR}

    # -- figures --------------------------------------------------------------------------

    def variable_figures(self, variable: Code) -> tuple[FigureRef, ...]:
        """The figures of one variable's report."""
        return (
            FigureRef(
                f"{variable.id}_codes",
                f"{variable.name}: organisations raising "
                "each code, and the valence of its coded segments",
            ),
        )

    def overview_figures(self) -> tuple[FigureRef, ...]:
        """The figures of the overview page."""
        refs = [
            FigureRef(
                "variables",
                "Organisations raising each variable, and the valence of its coded segments",
            ),
            FigureRef("variables_by_organisation", "Coded segments: variable x organisation"),
            FigureRef("cooccurrence", "Segments coded with both variables"),
        ]
        if self.compared is not None:
            refs.append(
                FigureRef(
                    f"compare_{_slug(str(self.compare_by))}",
                    f"Share of organisations raising each variable, by {self.compare_by}",
                )
            )
        return tuple(refs)

    def figures(self) -> list[FigureJob]:
        """Every figure of the report set, with a picklable function that draws it."""
        cb, ids = self.cb, [v.id for v in self.variables]
        index = self.overview_figures()
        draws: list[Callable[[], Figure]] = [
            partial(
                plots.code_profile,
                self.freq.loc[ids, "organisations"],
                self.split.loc[ids],
                codebook=cb,
                total=self.n_orgs,
                title=index[0].caption,
            ),
            partial(plots.heatmap, self.by_org.loc[ids], codebook=cb, title=index[1].caption),
            partial(
                plots.heatmap,
                self.a.cooccurrence(),
                codebook=cb,
                cmap="Purples",
                title=index[2].caption,
            ),
        ]
        if self.compared is not None:
            draws.append(
                partial(
                    plots.group_bars, self.compared.loc[ids], codebook=cb, title=index[3].caption
                )
            )
        jobs: list[FigureJob] = list(zip(index, draws, strict=True))
        for variable in self.variables:
            codes = [c.id for c in cb.descendants(variable.id)]
            (ref,) = self.variable_figures(variable)
            jobs.append(
                (
                    ref,
                    partial(
                        plots.code_profile,
                        self.freq.loc[codes, "organisations"],
                        self.split.loc[codes],
                        codebook=cb,
                        total=self.n_orgs,
                        title=ref.caption,
                    ),
                )
            )
        return jobs

    # -- tables ---------------------------------------------------------------------------

    def valence_headers(self) -> list[tuple[str, str]]:
        """(key, header) of the valence columns: each valence code, then mixed and none."""
        return [(v.id, v.name) for v in self.valence] + [(MIXED, "Mixed"), (NONE, "No valence")]

    def code_rows(self, codes: list[Code]) -> pd.DataFrame:
        """Segments, respondents, organisations and valence of each code."""
        rows = []
        top = self.cb.depth(codes[0].id) if codes else 0
        for code in codes:
            f = self.freq.loc[code.id]
            row: dict[str, object] = {
                "Code": "    " * (self.cb.depth(code.id) - top) + code.name,
                "Id": code.id,
                "Segments": int(f["segments"]),
                "Respondents": _n_of(int(f["respondents"]), self.n_resp),
                "Organisations": _n_of(int(f["organisations"]), self.n_orgs),
            }
            if self.valence:
                for key, header in self.valence_headers():
                    row[header] = int(self.split.loc[code.id, key])
            rows.append(row)
        return pd.DataFrame(rows)

    def comparison(self, ids: list[str]) -> Table | None:
        """The group comparison of *ids*, or None without a comparison attribute."""
        if self.compared is None:
            return None
        table = self.compared.loc[ids]
        out = pd.DataFrame({"Code": [self.cb.get(i).name for i in ids]})
        for group in table.columns.get_level_values(0).unique():
            orgs = table[(group, "organisations")].astype(int)
            of = table[(group, "of")].astype(int)
            out[f"{group}: organisations"] = [_pct(n, t) for n, t in zip(orgs, of, strict=True)]
            out[f"{group}: segments per respondent"] = table[(group, "per_respondent")].to_numpy()
        sizes = self.a.group_sizes(str(self.compare_by))
        groups = "; ".join(
            f"{g}: {int(r.organisations)} organisations, {int(r.respondents)} respondents"
            for g, r in sizes.iterrows()
        )
        return Table(f"Compared by {self.compare_by}", out, note=f"Groups: {groups}.")

    def summary(self, code: Code) -> str:
        """One sentence: how widely *code* was raised, and with what valence."""
        f = self.freq.loc[code.id]
        text = (
            f"Raised in {int(f['segments'])} coded segments ({self.a.unit}s) by "
            f"{_n_of(int(f['respondents']), self.n_resp)} respondents from "
            f"{_n_of(int(f['organisations']), self.n_orgs)} organisations."
        )
        if self.valence and int(f["segments"]):
            parts = [
                f"{header.lower()} {int(self.split.loc[code.id, key])}"
                for key, header in self.valence_headers()
            ]
            text += " Valence of these segments: " + ", ".join(parts) + "."
        return text

    def corpus_table(self) -> Table:
        """One row per transcript: who, how long, how much of it was coded."""
        a = self.a
        segments = a.segments.groupby("file").size()
        coded = a.segment_codes.drop_duplicates(["file", "segment"]).groupby("file").size()
        rows = []
        for t in a.corpus.transcripts:
            row: dict[str, object] = {
                "File": t.file,
                "Respondent": t.respondent,
                "Organisation": t.organisation,
            }
            if self.compare_by is not None:
                row[self.compare_by] = t.attributes.get(self.compare_by, "")
            row.update(
                {
                    "Words": self.words[t.file],
                    "Segments": int(segments.get(t.file, 0)),
                    "Coded segments": int(coded.get(t.file, 0)),
                }
            )
            rows.append(row)
        frame = pd.DataFrame(rows)
        if self.anonymiser and len(frame):
            frame = self.anonymiser.frame(frame, ["Respondent"])
        return Table("Transcripts", frame, note=f"Segments: respondent {a.unit}s.")

    def notes(self) -> list[str]:
        """Problems the reader must know about: unreadable files, unattributed transcripts."""
        a = self.a
        notes = [e.error for e in a.corpus.errors]
        unattributed = [t.file for t in a.corpus.transcripts if not t.organisation]
        if unattributed:
            notes.append(
                f"{len(unattributed)} transcripts have no organisation (add them to the "
                f"respondents table): {', '.join(unattributed[:10])}"
            )
        return notes

    def facts(self) -> list[tuple[str, str]]:
        """The corpus and coding in figures, for the top of the overview."""
        a = self.a
        coders = sorted({c for c in a.codings["coder"].unique() if c})
        cb = self.cb
        return [
            ("Transcripts", str(len(a.corpus))),
            ("Respondents", str(self.n_resp)),
            ("Organisations", str(self.n_orgs)),
            ("Words", f"{sum(self.words.values()):,}"),
            (f"Respondent {a.unit}s", str(len(a.segments))),
            ("Coded segments", str(a.segment_codes.drop_duplicates(["file", "segment"]).shape[0])),
            ("Codings", f"{len(a.codings)}" + (f" by {', '.join(coders)}" if coders else "")),
            ("Codebook", f"{cb.name}" + (f" {cb.version}" if cb.version else "")),
        ]

    # -- quotes and sections --------------------------------------------------------------

    def quote_groups(
        self, codes: list[Code], shown: pd.DataFrame, totals: pd.Series
    ) -> tuple[QuoteGroup, ...]:
        """The shown quotes of *codes*, grouped by code, then valence."""
        labels = dict(self.valence_headers())
        if len(self.valence) > 1:
            labels[MIXED] = "Mixed (" + " and ".join(v.name for v in self.valence) + ")"
        by_key = dict(iter(shown.groupby(["code", "category"], sort=False)))
        groups = []
        for code in codes:
            for key, label in labels.items():
                rows = by_key.get((code.id, key))
                if rows is None:
                    continue
                found = quotes_of(rows)
                if self.anonymiser:
                    found = [replace(q, text=self.anonymiser.apply(q.text)) for q in found]
                groups.append(
                    QuoteGroup(
                        code,
                        key,
                        label,
                        tuple(found),
                        int(totals[(code.id, key)]),
                        self.colours.get(key, plots.NONE_COLOUR),
                    )
                )
        return tuple(groups)

    def section(self, variable: Code, shown: pd.DataFrame, totals: pd.Series) -> VariableSection:
        """The report of one variable."""
        codes = list(self.cb.descendants(variable.id))
        ids = [c.id for c in codes]
        tables = [Table("Codes", self.code_rows(codes))]
        org_table = self.by_org.loc[ids].T
        org_table.columns = [self.cb.get(i).name for i in ids]
        org_table = org_table.rename_axis("Organisation").reset_index()
        tables.append(
            Table(
                "Coded segments by organisation",
                org_table,
                note=f"The {variable.name} column counts every segment with any of its codes once.",
            )
        )
        compared = self.comparison(ids)
        if compared is not None:
            tables.append(compared)
        return VariableSection(
            variable,
            self.summary(variable),
            tuple(tables),
            self.variable_figures(variable),
            self.quote_groups(codes, shown, totals),
        )

    def content(self, quotes: pd.DataFrame) -> ReportContent:
        """The report content, given every quote of the variables' codes (``quote_frame``)."""
        ranked = quotes.assign(category=quotes["valence"].map(valence_category)).sort_values(
            ["score", "file", "start"], ascending=[False, True, True], kind="stable"
        )
        totals = ranked.groupby(["code", "category"]).size()
        shown = (
            ranked.groupby(["code", "category"], sort=False).head(self.max_quotes)
            if self.max_quotes
            else ranked
        )
        per_variable = dict(iter(shown.groupby("variable", sort=False)))
        empty = shown.iloc[:0]
        ids = [v.id for v in self.variables]
        tables = [Table("Variables", self.code_rows(self.variables), links=tuple(ids))]
        compared = self.comparison(ids)
        if compared is not None:
            tables.append(compared)
        return ReportContent(
            title=self.title,
            facts=tuple(self.facts()),
            tables=tuple(tables),
            figures=self.overview_figures(),
            corpus=self.corpus_table(),
            sections=tuple(
                self.section(v, per_variable.get(v.id, empty), totals) for v in self.variables
            ),
            notes=tuple(self.notes()),
            max_quotes=self.max_quotes,
            language=self.cb.language,
        )
