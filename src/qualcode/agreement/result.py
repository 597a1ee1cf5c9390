"""The outcome of an agreement run: records, the JSON contract, DataFrames and a text table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

__all__ = [
    "RELIABLE",
    "TENTATIVE",
    "AgreementResult",
    "CodeAgreement",
    "Disagreement",
    "DomainAgreement",
    "reliability",
]

#: Krippendorff's thresholds for alpha: data to rely on, and data for tentative conclusions only.
RELIABLE = 0.800
TENTATIVE = 0.667


def reliability(alpha: float | None) -> str:
    """``reliable`` (alpha >= 0.800), ``tentative`` (>= 0.667), ``unreliable``, or ``undefined``."""
    if alpha is None:
        return "undefined"
    if alpha >= RELIABLE:
        return "reliable"
    return "tentative" if alpha >= TENTATIVE else "unreliable"


def _interval(bounds: tuple[float, float] | None) -> list[float] | None:
    return None if bounds is None else [bounds[0], bounds[1]]


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping if isinstance(mapping, MappingProxyType) else MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code: did each coder apply it to each unit or not.

    ``percent_agreement`` is 0-100; ``kappa`` (Cohen, two coders only),
    ``fleiss_kappa`` (any number of coders), ``ac1`` (Gwet) and ``alpha``
    (Krippendorff, binary) are ``None`` where undefined; ``alpha_ci`` is a
    bootstrap 95% interval for alpha when one was asked for.
    ``applied`` maps each coder to the number of units they applied the code to.
    """

    code: str
    n_units: int
    percent_agreement: float | None
    kappa: float | None
    alpha: float | None
    applied: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    fleiss_kappa: float | None = None
    ac1: float | None = None
    alpha_ci: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "applied", _frozen(self.applied))

    @property
    def reliability(self) -> str:
        """Alpha against Krippendorff's thresholds (see :func:`reliability`)."""
        return reliability(self.alpha)


@dataclass(frozen=True)
class DomainAgreement:
    """Agreement over mutually exclusive codes: which one of them each coder gave each unit.

    ``n_units`` counts the units at least two coders gave one of the codes
    (the units alpha is computed on); ``n_ambiguous`` counts (unit, coder)
    pairs where the coder applied more than one of the codes, resolved by
    the longest overlap (ties: the first code in ``codes``). ``fleiss_kappa``
    counts the units every coder gave one of the codes; ``ac1`` (Gwet) those
    at least two coders did; ``alpha_ci`` is a bootstrap 95% interval.
    """

    codes: tuple[str, ...]
    n_units: int
    alpha_nominal: float | None
    percent_agreement: float | None
    n_ambiguous: int
    fleiss_kappa: float | None = None
    ac1: float | None = None
    alpha_ci: tuple[float, float] | None = None

    @property
    def reliability(self) -> str:
        """Nominal alpha against Krippendorff's thresholds (see :func:`reliability`)."""
        return reliability(self.alpha_nominal)


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
    compared (segments, or characters); ``scope`` says which units count
    (``codable``: respondent speech only; ``all``: every unit) and
    ``n_left_out`` how many units of the compared transcripts the scope left
    out. ``n_codings`` maps each coder to the number of their codings read.
    ``bootstrap`` is the number of bootstrap samples behind the alpha
    intervals (0: none), drawn with ``seed``.
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
    scope: str = "codable"
    n_left_out: int = 0
    bootstrap: int = 0
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "n_codings", _frozen(self.n_codings))

    def disagreements_on(self, code: str) -> tuple[Disagreement, ...]:
        """The disagreements where the coders differ on *code* (some applied it, some not)."""
        return tuple(
            d
            for d in self.disagreements
            if len({code in codes for codes in d.by_coder.values()}) > 1
        )

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
                "fleiss_kappa": self.domain.fleiss_kappa,
                "ac1": self.domain.ac1,
                "alpha_ci": _interval(self.domain.alpha_ci),
                "reliability": self.domain.reliability,
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
                    "fleiss_kappa": c.fleiss_kappa,
                    "ac1": c.ac1,
                    "alpha_ci": _interval(c.alpha_ci),
                    "reliability": c.reliability,
                    "n_disagreements": len(self.disagreements_on(c.code)),
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
            "units": self.scope,
            "n_left_out": self.n_left_out,
            "thresholds": {"reliable": RELIABLE, "tentative": TENTATIVE},
            "bootstrap": (
                {"samples": self.bootstrap, "seed": self.seed, "level": 0.95}
                if self.bootstrap
                else None
            ),
        }

    def per_code_frame(self) -> pd.DataFrame:
        """One row per code: code, n_units, percent_agreement, kappa, alpha, applied_<coder>...

        Then ``fleiss_kappa``, ``ac1``, ``alpha_low``, ``alpha_high`` and
        ``reliability``. Undefined coefficients are missing values (``NaN``).
        """
        rows = [
            {
                "code": c.code,
                "n_units": c.n_units,
                "percent_agreement": c.percent_agreement,
                "kappa": c.kappa,
                "alpha": c.alpha,
                **{f"applied_{k}": c.applied.get(k, 0) for k in self.coders},
                "fleiss_kappa": c.fleiss_kappa,
                "ac1": c.ac1,
                "alpha_low": c.alpha_ci[0] if c.alpha_ci else None,
                "alpha_high": c.alpha_ci[1] if c.alpha_ci else None,
                "reliability": c.reliability,
            }
            for c in self.per_code
        ]
        numbers = ["percent_agreement", "kappa", "alpha", "fleiss_kappa", "ac1"]
        columns = [
            "code",
            "n_units",
            *numbers[:3],
            *(f"applied_{k}" for k in self.coders),
            *numbers[3:],
            "alpha_low",
            "alpha_high",
            "reliability",
        ]
        frame = pd.DataFrame.from_records(rows, columns=columns)
        for column in [*numbers, "alpha_low", "alpha_high"]:
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
