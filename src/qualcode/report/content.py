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
from qualcode.analysis import quotes_of
from qualcode.analysis.frequencies import MIXED, NONE
from qualcode.analysis.summary import QuoteTables, Summary
from qualcode.codebook.model import Code
from qualcode.report.anonymise import Anonymiser
from qualcode.report.i18n import strings
from qualcode.report.model import (
    FigureRef,
    QuoteGroup,
    QuoteMarks,
    ReportContent,
    Table,
    VariableSection,
)
from qualcode.report.passages import passage_frame
from qualcode.report.transcripts import transcript_link
from qualcode.store.imports import AUTO_CODER

__all__ = ["FigureJob", "ReportPlan", "valence_category"]

#: A figure to draw: where it goes, and how to draw it (a picklable callable).
FigureJob = tuple[FigureRef, Callable[[], Figure]]


def valence_category(valence: str) -> str:
    """The group a quote's ``valence`` falls in: the valence code, ``mixed`` or ``none``."""
    if not valence:
        return NONE
    return MIXED if ";" in valence else valence


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text).strip("_") or "group"


class ReportPlan:
    """The tables and figures of a report set for *analysis* (a ``Summary``), computed once.

    *compare* names a respondent attribute whose groups are compared;
    *max_quotes* caps the quotes shown per code and valence (0: all);
    *anonymiser* replaces names in quotes and tables; *language* (``nl``, ``en``)
    overrides the codebook's language for the interface strings.
    """

    def __init__(
        self,
        analysis: Summary,
        *,
        compare: str | None = None,
        max_quotes: int = 25,
        anonymiser: Anonymiser | None = None,
        title: str = "",
        language: str | None = None,
    ) -> None:
        self.analysis = analysis
        self.codebook = analysis.codebook
        self.s = strings(language or self.codebook.language, strict=language is not None)
        self.compare_by = compare
        self.max_quotes = max_quotes
        self.anonymiser = anonymiser or Anonymiser()
        # quotes link to the transcript view, which shows names: not when anonymising
        self.links = not self.anonymiser
        self.title = title or self.s("default_title", name=analysis.codebook.name)
        self.valence = list(self.codebook.valence_codes())
        self.variables = list(self.codebook.variables())
        self.n_resp = analysis.respondents
        self.n_orgs = analysis.organisations
        self.freq = analysis.frequencies().set_index("code")
        self.split = analysis.valence_split(level="code")
        self.by_org = analysis.crosstab(by="organisation", level="code")
        self.compared = analysis.compare(compare, level="code") if compare else None
        self.words = analysis.words
        self.colours = plots.code_colours(self.codebook) | {MIXED: plots.MIXED_COLOUR}

    # -- figures --------------------------------------------------------------------------

    def variable_figures(self, variable: Code) -> tuple[FigureRef, ...]:
        """The figures of one variable's report."""
        return (
            FigureRef(f"{variable.id}_codes", self.s("fig_variable_codes", name=variable.name)),
        )

    def overview_figures(self) -> tuple[FigureRef, ...]:
        """The figures of the overview page."""
        refs = [
            FigureRef("variables", self.s("fig_variables")),
            FigureRef("variables_by_organisation", self.s("fig_by_organisation")),
            FigureRef("cooccurrence", self.s("fig_cooccurrence")),
        ]
        if self.compared is not None:
            refs.append(
                FigureRef(
                    f"compare_{_slug(str(self.compare_by))}",
                    self.s("fig_compare", attribute=self.compare_by),
                )
            )
        return tuple(refs)

    def figures(self) -> list[FigureJob]:
        """Every figure of the report set, with a picklable function that draws it."""
        cb, ids = self.codebook, [v.id for v in self.variables]
        index = self.overview_figures()
        draws: list[Callable[[], Figure]] = [
            partial(
                plots.code_profile,
                self.freq.loc[ids, "organisations"],
                self.split.loc[ids],
                codebook=cb,
                total=self.n_orgs,
                title=index[0].caption,
                words=self.chart_words,
            ),
            partial(
                plots.heatmap,
                self.by_org.loc[ids],
                codebook=cb,
                title=index[1].caption,
                words=self.chart_words,
            ),
            partial(
                plots.heatmap,
                self.analysis.cooccurrence(),
                codebook=cb,
                cmap="Purples",
                title=index[2].caption,
                words=self.chart_words,
            ),
        ]
        if self.compared is not None:
            draws.append(
                partial(
                    plots.group_bars,
                    self.compared.loc[ids],
                    codebook=cb,
                    title=index[3].caption,
                    words=self.chart_words,
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
                        words=self.chart_words,
                    ),
                )
            )
        return jobs

    @property
    def chart_words(self) -> dict[str, str]:
        """The words drawn inside the charts, in the report's language."""
        return {key: self.s(f"chart_{key}") for key in plots.CHART_WORDS}

    # -- tables ---------------------------------------------------------------------------

    def valence_headers(self) -> list[tuple[str, str]]:
        """(key, header) of the valence columns: each valence code, then mixed and none."""
        return [(v.id, v.name) for v in self.valence] + [
            (MIXED, self.s("mixed")),
            (NONE, self.s("no_valence")),
        ]

    def _n_of(self, n: int, total: int) -> str:
        return self.s("n_of", n=n, total=total)

    def code_rows(self, codes: list[Code]) -> pd.DataFrame:
        """Segments, respondents, organisations and valence of each code."""
        rows = []
        top = self.codebook.depth(codes[0].id) if codes else 0
        for code in codes:
            f = self.freq.loc[code.id]
            s = self.s
            row: dict[str, object] = {
                s("code"): "    " * (self.codebook.depth(code.id) - top) + code.name,
                s("coded_segments"): int(f["segments"]),
                s("respondents"): self._n_of(int(f["respondents"]), self.n_resp),
                s("organisations"): self._n_of(int(f["organisations"]), self.n_orgs),
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
        s = self.s
        table = self.compared.loc[ids]
        out = pd.DataFrame({s("code"): [self.codebook.get(i).name for i in ids]})
        for group in table.columns.get_level_values(0).unique():
            orgs = table[(group, "organisations")].astype(int)
            of = table[(group, "of")].astype(int)
            out[s("group_organisations", group=group)] = [
                s("pct", n=n, total=t, p=round(100 * n / t) if t else 0)
                for n, t in zip(orgs, of, strict=True)
            ]
            out[s("group_per_respondent", group=group)] = table[
                (group, "per_respondent")
            ].to_numpy()
        sizes = self.analysis.group_sizes(str(self.compare_by))
        groups = "; ".join(
            s(
                "group_size",
                group=g,
                organisations=int(r.organisations),
                respondents=int(r.respondents),
            )
            for g, r in sizes.iterrows()
        )
        return Table(
            s("compared_by", attribute=self.compare_by), out, note=s("groups_note", groups=groups)
        )

    def summary(self, code: Code) -> str:
        """One sentence: how widely *code* was raised, and with what valence."""
        s, f = self.s, self.freq.loc[code.id]
        segments = int(f["segments"])
        text = s(
            "summary",
            segments=s("summary_segments", n=segments),
            units=s.units(self.analysis.unit, segments),
            respondents=s("summary_respondents", count=int(f["respondents"]), n=self.n_resp),
            organisations=s("summary_organisations", count=int(f["organisations"]), n=self.n_orgs),
        )
        if self.valence and segments:
            parts = [
                f"{header.lower()} {int(self.split.loc[code.id, key])}"
                for key, header in self.valence_headers()
            ]
            text += s("summary_valence", parts=", ".join(parts))
        return text

    def corpus_table(self) -> Table:
        """One row per transcript: who, how long, how much of it was coded."""
        a = self.analysis
        s = self.s
        rows = []
        for t in a.records:
            row: dict[str, object] = {
                s("file"): t.file,
                s("respondent"): t.respondent,
                s("organisation"): t.organisation,
            }
            if self.compare_by is not None:
                row[self.compare_by] = t.attributes.get(self.compare_by, "")
            row.update(
                {
                    s("words"): self.words[t.file],
                    s("segments"): t.segments,
                    s("coded_segments"): t.coded,
                }
            )
            rows.append(row)
        frame = pd.DataFrame(rows)
        if self.anonymiser and len(frame):
            frame = self.anonymiser.frame(frame, [s("respondent")])
        return Table(s("transcripts"), frame, note=s("corpus_note", units=s.units(a.unit)))

    def notes(self) -> list[str]:
        """Problems the reader must know about: unreadable files, unattributed transcripts."""
        a = self.analysis
        notes = [e.error for e in a.errors]
        unattributed = [t.file for t in a.records if not t.organisation]
        if unattributed:
            notes.append(
                self.s("unattributed", n=len(unattributed), files=", ".join(unattributed[:10]))
            )
        return notes

    def facts(self) -> list[tuple[str, str]]:
        """The corpus and coding in figures, for the top of the overview."""
        a, s = self.analysis, self.s
        coders = a.coders
        cb = self.codebook
        coded = a.coded_segments
        codings = str(a.codings)
        return [
            (s("transcripts"), str(len(a.records))),
            (s("respondents"), str(self.n_resp)),
            (s("organisations"), str(self.n_orgs)),
            (s("words"), f"{sum(self.words.values()):,}"),
            (s("respondent_units", units=s.units(a.unit)), str(a.segments)),
            (s("coded_segments"), str(coded)),
            (
                s("codings"),
                s("by_coders", n=codings, coders=", ".join(coders)) if coders else codings,
            ),
            (s("codebook"), f"{cb.name}" + (f" {cb.version}" if cb.version else "")),
        ]

    # -- quotes and sections --------------------------------------------------------------

    def marks(self, row: pd.Series) -> QuoteMarks:
        """What to show on a passage besides its text: its codes and valence, its size."""
        tags = [(self.codebook.get(c).name, "code") for c in row["tags"]]
        category = row["category"]
        valence = (
            [v.id for v in self.valence]
            if category == MIXED
            else [category]
            if category != NONE
            else []
        )
        tags += [(self.codebook.get(v).name, "valence") for v in valence]
        link = transcript_link(row["file"], row["start"], row["end"]) if self.links else ""
        unreviewed = AUTO_CODER in str(row["coders"]).split(";")
        return QuoteMarks(tuple(tags), int(row["segments"]), unreviewed, link)

    def review_note(self, quotes: pd.DataFrame) -> str:
        """What every page says while some quotes rest on the auto-coder's unreviewed codings."""
        auto = quotes["coders"].astype(str).str.split(";").map(lambda c: AUTO_CODER in c)
        n = int(auto.sum())
        return self.s("review_note", n=n, total=len(quotes)) if n else ""

    def quote_groups(
        self, variable: Code, passages: pd.DataFrame, code_quotes: pd.DataFrame, coded: pd.DataFrame
    ) -> tuple[QuoteGroup, ...]:
        """The passages of *variable*, each once, grouped by valence, best scored first."""
        labels = dict(self.valence_headers())
        if len(self.valence) > 1:
            labels[MIXED] = self.s("mixed_of", names=" / ".join(v.name for v in self.valence))
        frame = passage_frame(
            passages, code_quotes, coded, self.codebook, fallback=valence_category
        )
        frame = frame.sort_values(
            ["score", "file", "start"], ascending=[False, True, True], kind="stable"
        )
        groups = []
        for key, label in labels.items():
            rows = frame[frame["category"] == key]
            if rows.empty:
                continue
            shown = rows.head(self.max_quotes) if self.max_quotes else rows
            found = quotes_of(shown)
            if self.anonymiser:
                found = [replace(q, text=self.anonymiser.apply(q.text)) for q in found]
            groups.append(
                QuoteGroup(
                    variable,
                    key,
                    label,
                    tuple(found),
                    len(rows),
                    self.colours.get(key, plots.NONE_COLOUR),
                    tuple(self.marks(r) for _, r in shown.iterrows()),
                    int(rows["segments"].sum()),
                )
            )
        return tuple(groups)

    def section(
        self,
        variable: Code,
        passages: pd.DataFrame,
        code_quotes: pd.DataFrame,
        coded: pd.DataFrame,
    ) -> VariableSection:
        """The report of one variable."""
        s = self.s
        codes = list(self.codebook.descendants(variable.id))
        ids = [c.id for c in codes]
        tables = [
            Table(
                s("codes"),
                self.code_rows(codes),
                note=s("codes_note", units=s.units(self.analysis.unit)),
            )
        ]
        org_table = self.by_org.loc[ids].T
        org_table.columns = [self.codebook.get(i).name for i in ids]
        org_table = org_table.rename_axis(s("organisation")).reset_index()
        tables.append(
            Table(
                s("by_organisation"),
                org_table,
                note=s("variable_column_note", name=variable.name),
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
            self.quote_groups(variable, passages, code_quotes, coded),
        )

    def content(self, quote_tables: QuoteTables) -> ReportContent:
        """The report content, given the quote tables of the analysis (``QuoteTables``)."""
        quotes = quote_tables.quotes
        passages, coded = quote_tables.passages, quote_tables.coded
        by_variable = {
            name: dict(iter(frame.groupby("variable", sort=False)))
            for name, frame in (("passages", passages), ("quotes", quotes), ("coded", coded))
        }
        empty = {"passages": passages.iloc[:0], "quotes": quotes.iloc[:0], "coded": coded.iloc[:0]}

        def part(name: str, variable: str) -> pd.DataFrame:
            return by_variable[name].get(variable, empty[name])

        ids = [v.id for v in self.variables]
        tables = [Table(self.s("variables"), self.code_rows(self.variables), links=tuple(ids))]
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
                self.section(v, part("passages", v.id), part("quotes", v.id), part("coded", v.id))
                for v in self.variables
            ),
            notes=tuple(self.notes()),
            max_quotes=self.max_quotes,
            language=self.s.language,
            review_note=self.review_note(quotes),
        )
