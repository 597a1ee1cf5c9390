"""Intercoder agreement: per code, over codes that exclude each other, and where coders differ."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from difflib import get_close_matches
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from qualcode.agreement.coefficients import (
    MISSING,
    alpha_interval,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from qualcode.agreement.inputs import CheckedCodings, codings_to_compare
from qualcode.agreement.result import (
    AgreementResult,
    CodeAgreement,
    Disagreement,
    DomainAgreement,
)
from qualcode.agreement.units import AGREEMENT_UNITS, UNIT_SCOPES, UnitGrid, build_grid
from qualcode.coding.model import Coding
from qualcode.corpus import Corpus
from qualcode.corpus.segments import check_unit
from qualcode.errors import CodebookError, CodingError

if TYPE_CHECKING:
    from qualcode.codebook import Codebook

__all__ = ["agreement", "variable_codes"]


def variable_codes(codebook: Codebook, variable: str) -> tuple[str, ...]:
    """The mutually exclusive codes of *variable*: its direct sub-codes, in codebook order.

    *variable* may also name a further dimension of the codebook (``VALENCE``):
    its codes are then its top-level codes (``BEVORDEREND``, ``BELEMMEREND``).
    Raises ``CodebookError`` for an unknown id or a code without sub-codes.
    """
    dimensions = [d.id for d in codebook.dimensions]
    if variable in dimensions and variable != codebook.primary_dimension:
        return tuple(c.id for c in codebook.top_level() if c.dimension == variable)
    if variable not in codebook:
        choices = [c.id for c in codebook.variables()] + dimensions[1:]
        close = get_close_matches(variable, [c.id for c in codebook.codes] + dimensions, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise CodebookError(
            f"unknown variable {variable!r} in codebook {codebook.file_name}{hint} "
            f"(choose one of: {', '.join(choices)})"
        )
    children = tuple(c.id for c in codebook.children(variable))
    if not children:
        raise CodebookError(
            f"code {variable!r} has no sub-codes in codebook {codebook.file_name}; pass a code "
            f"with sub-codes, e.g. one of: {', '.join(c.id for c in codebook.variables())}"
        )
    return children


def _check_codes(
    wanted: Iterable[str], checked: CheckedCodings, codebook: Codebook | None
) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(str(c).strip() for c in wanted))
    used = sorted(set(checked.codes))
    for code in codes:
        if codebook is not None and code not in codebook:
            close = get_close_matches(code, [c.id for c in codebook.codes], n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise CodebookError(
                f"unknown code {code!r} to compare: not in codebook {codebook.file_name}{hint}"
            )
        if codebook is None and code not in used:
            close = get_close_matches(code, used, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise CodingError(
                f"unknown code {code!r} to compare: no coding in {checked.origin} uses it; "
                f"{hint}codes used: {', '.join(used)}"
            )
    return codes


def _roll_up(checked: CheckedCodings, codebook: Codebook, codes: Sequence[str]) -> CheckedCodings:
    """*checked* with each coding also counted for every code in *codes* above its own code."""
    wanted = set(codes)
    rows = []
    for row in zip(
        checked.files, checked.starts, checked.ends, checked.codes, checked.coders, strict=True
    ):
        file, start, end, code, coder = row
        rows.append(row)
        parent = codebook.get(code).parent if code in codebook else None
        while parent is not None:
            if parent in wanted:
                rows.append((file, start, end, parent, coder))
            parent = codebook.get(parent).parent
    columns = tuple(zip(*rows, strict=True)) if rows else ((), (), (), (), ())
    return replace(
        checked,
        files=columns[0],
        starts=columns[1],
        ends=columns[2],
        codes=columns[3],
        coders=columns[4],
    )


def _transcripts(
    checked: CheckedCodings, corpus: Corpus, files: Iterable[str] | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The transcripts to compare, and those coded by some coders only (left out)."""
    coded: dict[str, set[str]] = {}
    for file, coder in zip(checked.files, checked.coders, strict=True):
        coded.setdefault(file, set()).add(coder)
    if files is not None:
        chosen = tuple(dict.fromkeys(corpus.get(f).file for f in files))
        return chosen, ()
    everyone = set(checked.coder_order)
    involved = tuple(f for f in corpus.files if coded.get(f) == everyone)
    skipped = tuple(f for f in corpus.files if f in coded and coded[f] != everyone)
    if not involved:
        by_coder = "; ".join(
            f"{coder}: {', '.join(f for f in corpus.files if coder in coded.get(f, ()))}"
            for coder in checked.coder_order
        )
        raise CodingError(
            f"no transcript in {checked.origin} was coded by every coder ({by_coder}); "
            "name the transcripts to compare to count uncoded ones as coded with nothing",
            option="files",
        )
    return involved, skipped


def _interval(
    values: np.ndarray, grid: UnitGrid, n_values: int, bootstrap: int, seed: int
) -> tuple[float, float] | None:
    if not bootstrap:
        return None
    return alpha_interval(
        values, samples=bootstrap, seed=seed, n_values=n_values, weights=grid.weights
    )


def _per_code(grid: UnitGrid, index: int, bootstrap: int, seed: int) -> CodeAgreement:
    values = grid.applied[:, :, index].astype(np.int64)
    weights = grid.weights
    kappa = None
    if len(grid.coders) == 2:
        kappa = cohen_kappa(values[:, 0], values[:, 1], weights=weights)
    applied = {coder: int(weights @ values[:, k]) for k, coder in enumerate(grid.coders)}
    return CodeAgreement(
        code=grid.codes[index],
        n_units=grid.n_units,
        percent_agreement=percent_agreement(values, weights=weights),
        kappa=kappa,
        alpha=krippendorff_alpha(values, weights=weights),
        applied=applied,
        fleiss_kappa=fleiss_kappa(values, n_values=2, weights=weights),
        ac1=gwet_ac1(values, n_values=2, weights=weights),
        alpha_ci=_interval(values, grid, 2, bootstrap, seed),
    )


def _domain(grid: UnitGrid, codes: Sequence[str], bootstrap: int, seed: int) -> DomainAgreement:
    overlap = grid.overlap[:, :, [grid.codes.index(c) for c in codes]]
    # The code with the longest overlap wins; argmax takes the first of equals.
    values = np.where(overlap.max(axis=2) > 0, overlap.argmax(axis=2), MISSING)
    present = (values != MISSING).sum(axis=1)
    ambiguous = ((overlap > 0).sum(axis=2) > 1).sum(axis=1)
    n = len(codes)
    return DomainAgreement(
        codes=tuple(codes),
        n_units=int(grid.weights[present >= 2].sum()),
        alpha_nominal=krippendorff_alpha(values, weights=grid.weights),
        percent_agreement=percent_agreement(values, weights=grid.weights),
        n_ambiguous=int(grid.weights @ ambiguous),
        fleiss_kappa=fleiss_kappa(values, n_values=n, weights=grid.weights),
        ac1=gwet_ac1(values, n_values=n, weights=grid.weights),
        alpha_ci=_interval(values, grid, n, bootstrap, seed),
    )


def _disagreements(grid: UnitGrid, corpus: Corpus) -> tuple[Disagreement, ...]:
    applied = grid.applied
    differ = (applied != applied[:, :1, :]).any(axis=(1, 2))
    found = []
    for u in np.flatnonzero(differ):
        file = grid.files[grid.file[u]]
        start, end = int(grid.starts[u]), int(grid.ends[u])
        by_coder = {
            coder: tuple(c for i, c in enumerate(grid.codes) if applied[u, k, i])
            for k, coder in enumerate(grid.coders)
        }
        found.append(Disagreement(file, start, end, corpus.get(file).text[start:end], by_coder))
    return tuple(found)


def agreement(
    codings: pd.DataFrame | Iterable[Coding],
    corpus: Corpus,
    *,
    unit: str = "paragraph",
    codes: Iterable[str] | None = None,
    domain: Iterable[str] | None = None,
    codebook: Codebook | None = None,
    files: Iterable[str] | None = None,
    units: str = "codable",
    bootstrap: int = 0,
    seed: int = 0,
) -> AgreementResult:
    """Intercoder agreement of the coders in *codings* on the transcripts of *corpus*.

    *codings* is a frame with at least ``file, start, end, code, coder`` (as
    read by :func:`read_codings` or returned by a project), or ``Coding``
    records; every distinct ``coder`` is one coder. *unit* is ``paragraph``,
    ``sentence``, ``turn`` or ``character``. The units are the segments (or
    characters) of the transcripts that every coder coded (transcripts coded
    by some coders only are left out and listed), or of *files* when given:
    with *units* ``codable`` (the default) only respondent speech, the
    segments a coder may code; with ``all`` every segment, interviewer
    turns, headings and metadata included (as programs that count the whole
    source do).

    *codes* are the codes reported one by one (default: the *domain* codes
    when a domain is given, else every code used). *domain* lists codes that
    exclude each other: Krippendorff's nominal alpha is computed over them.
    With a *codebook*, codes are checked against it and a coding counts also
    for every requested code above its own code; without one, each requested
    code must be used by some coding. Per code: percent agreement, Cohen's
    kappa (two coders), Fleiss' kappa, Gwet's AC1 and Krippendorff's alpha;
    with *bootstrap* > 0, a 95% interval for every alpha from that many
    bootstrap samples drawn with *seed*. Raises ``CodingError``/``CodebookError``.
    """
    check_unit(unit, AGREEMENT_UNITS)
    if units not in UNIT_SCOPES:
        raise CodingError(f"unknown units {units!r}; choose one of: {', '.join(UNIT_SCOPES)}")
    if bootstrap < 0:
        raise CodingError(f"the number of bootstrap samples must be 0 or more, got {bootstrap}")
    checked = codings_to_compare(codings, corpus)
    n_codings = {coder: checked.coders.count(coder) for coder in checked.coder_order}
    domain_codes = _check_codes(domain, checked, codebook) if domain is not None else None
    if domain_codes is not None and len(domain_codes) < 2:
        raise CodingError(
            "codes that exclude each other need at least two codes; "
            f"got {', '.join(domain_codes) or 'none'}"
        )
    if codes is not None:
        report = _check_codes(codes, checked, codebook)
    else:
        report = domain_codes if domain_codes is not None else tuple(sorted(set(checked.codes)))
    analysed = tuple(dict.fromkeys([*report, *(domain_codes or ())]))
    if codebook is not None:
        checked = _roll_up(checked, codebook, analysed)
    involved, skipped = _transcripts(checked, corpus, files)
    grid = build_grid(checked, corpus, unit=unit, codes=analysed, files=involved, scope=units)
    return AgreementResult(
        unit=unit,
        coders=checked.coder_order,
        files=involved,
        skipped_files=skipped,
        n_units=grid.n_units,
        per_code=tuple(_per_code(grid, analysed.index(c), bootstrap, seed) for c in report),
        domain=_domain(grid, domain_codes, bootstrap, seed) if domain_codes is not None else None,
        disagreements=_disagreements(grid, corpus),
        n_codings=n_codings,
        scope=units,
        n_left_out=grid.n_left_out,
        bootstrap=bootstrap,
        seed=seed,
    )
