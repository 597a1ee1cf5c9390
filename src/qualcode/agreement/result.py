"""The outcome of an agreement run: records, the JSON contract, DataFrames and a text table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

__all__ = ["AgreementResult", "CodeAgreement", "Disagreement", "DomainAgreement", "format_table"]


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping if isinstance(mapping, MappingProxyType) else MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code: did each coder apply it to each unit or not.

    ``percent_agreement`` is 0-100; ``kappa`` (Cohen, two coders only) and
    ``alpha`` (Krippendorff, binary) are ``None`` where undefined.
    ``applied`` maps each coder to the number of units they applied the code to.
    """

    code: str
    n_units: int
    percent_agreement: float | None
    kappa: float | None
    alpha: float | None
    applied: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "applied", _frozen(self.applied))


@dataclass(frozen=True)
class DomainAgreement:
    """Agreement over mutually exclusive codes: which one of them each coder gave each unit.

    ``n_units`` counts the units at least two coders gave one of the codes
    (the units alpha is computed on); ``n_ambiguous`` counts (unit, coder)
    pairs where the coder applied more than one of the codes, resolved by
    the longest overlap (ties: the first code in ``codes``).
    """

    codes: tuple[str, ...]
    n_units: int
    alpha_nominal: float | None
    percent_agreement: float | None
    n_ambiguous: int


@dataclass(frozen=True)
class Disagreement:
    """A unit (or a run of characters) that the coders coded differently.

    ``by_coder`` maps every coder to the codes they applied there.
    """

    file: str
    start: int
    end: int
    text: str
    by_coder: Mapping[str, tuple[str, ...]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_coder", _frozen(self.by_coder))


@dataclass(frozen=True)
class AgreementResult:
    """Intercoder agreement of several coders on one corpus, per code and over a domain.

    ``files`` are the transcripts compared; ``skipped_files`` those coded by
    some of the coders only, left out. ``n_units`` is the number of units
    compared (segments, or characters); ``n_codings`` maps each coder to the
    number of their codings read.
    """

    unit: str
    coders: tuple[str, ...]
    files: tuple[str, ...]
    skipped_files: tuple[str, ...]
    n_units: int
    per_code: tuple[CodeAgreement, ...]
    domain: DomainAgreement | None
    disagreements: tuple[Disagreement, ...]
    n_codings: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "n_codings", _frozen(self.n_codings))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``qualcode agreement --format json`` (``None`` for undefined)."""
        domain = None
        if self.domain is not None:
            domain = {
                "codes": list(self.domain.codes),
                "n_units": self.domain.n_units,
                "alpha_nominal": self.domain.alpha_nominal,
                "percent_agreement": self.domain.percent_agreement,
                "n_ambiguous": self.domain.n_ambiguous,
            }
        return {
            "unit": self.unit,
            "coders": list(self.coders),
            "files": list(self.files),
            "skipped_files": list(self.skipped_files),
            "n_units": self.n_units,
            "n_codings": dict(self.n_codings),
            "per_code": {
                c.code: {
                    "n_units": c.n_units,
                    "percent_agreement": c.percent_agreement,
                    "kappa": c.kappa,
                    "alpha": c.alpha,
                    "applied": dict(c.applied),
                }
                for c in self.per_code
            },
            "domain": domain,
            "n_disagreements": len(self.disagreements),
            "disagreements": [
                {
                    "file": d.file,
                    "start": d.start,
                    "end": d.end,
                    "text": d.text,
                    "by_coder": {k: list(v) for k, v in d.by_coder.items()},
                }
                for d in self.disagreements
            ],
        }

    def per_code_frame(self) -> pd.DataFrame:
        """One row per code: code, n_units, percent_agreement, kappa, alpha, applied_<coder>...

        Undefined coefficients are missing values (``NaN``).
        """
        rows = [
            {
                "code": c.code,
                "n_units": c.n_units,
                "percent_agreement": c.percent_agreement,
                "kappa": c.kappa,
                "alpha": c.alpha,
                **{f"applied_{k}": c.applied.get(k, 0) for k in self.coders},
            }
            for c in self.per_code
        ]
        columns = [
            "code",
            "n_units",
            "percent_agreement",
            "kappa",
            "alpha",
            *(f"applied_{k}" for k in self.coders),
        ]
        frame = pd.DataFrame.from_records(rows, columns=columns)
        for column in ("percent_agreement", "kappa", "alpha"):
            frame[column] = frame[column].astype(float)
        return frame

    def disagreements_frame(self) -> pd.DataFrame:
        """One row per disagreement: file, start, end, a column per coder, text.

        A coder's column holds the codes they applied there, joined by ``, ``.
        """
        rows = [
            {
                "file": d.file,
                "start": d.start,
                "end": d.end,
                **{k: ", ".join(d.by_coder.get(k, ())) for k in self.coders},
                "text": d.text,
            }
            for d in self.disagreements
        ]
        return pd.DataFrame.from_records(
            rows, columns=["file", "start", "end", *self.coders, "text"]
        )


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def format_table(result: AgreementResult) -> str:
    """A plain-text report: a header, one row per code, the domain line, the disagreement count."""
    unit_word = "characters" if result.unit == "character" else f"{result.unit}s"
    lines = [
        f"Agreement of {len(result.coders)} coders ({', '.join(result.coders)}) on "
        f"{result.n_units} {unit_word} of {len(result.files)} transcript"
        f"{'' if len(result.files) == 1 else 's'}",
    ]
    if result.skipped_files:
        lines.append(f"left out, not coded by every coder: {', '.join(result.skipped_files)}")
    lines.append("")
    header = ["code", unit_word, "agreement", "kappa", "alpha", *(f"by {k}" for k in result.coders)]
    body = [
        [
            c.code,
            str(c.n_units),
            "n/a" if c.percent_agreement is None else f"{c.percent_agreement:.1f}%",
            _number(c.kappa),
            _number(c.alpha),
            *(str(c.applied.get(k, 0)) for k in result.coders),
        ]
        for c in result.per_code
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, *body]:
        cells = [row[0].ljust(widths[0])] + [
            v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    if not body:
        lines.append("(no codes to compare)")
    lines.append("")
    if result.domain is None:
        lines.append(
            "domain: not asked (pass --variable or --codes for codes that exclude each other)"
        )
    else:
        d = result.domain
        lines.append(
            f"domain ({', '.join(d.codes)}): alpha (nominal) {_number(d.alpha_nominal)} over "
            f"{d.n_units} {unit_word}, {d.n_ambiguous} ambiguous"
        )
    count = len(result.disagreements)
    lines.append(
        f"{count} disagreement{'' if count == 1 else 's'}"
        + (" (listed with --format json)" if count else "")
    )
    return "\n".join(lines)
