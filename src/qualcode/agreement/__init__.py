"""Intercoder agreement: how far coders agree, per code and over codes that exclude each other.

Percent agreement, Cohen's kappa (two coders), Fleiss' kappa, Gwet's AC1 and
Krippendorff's alpha (binary per code; nominal over a domain of mutually
exclusive codes) with bootstrap intervals, over the codable units (respondent
speech), with the units the coders disagree on. Start with :func:`agreement`.
"""

from qualcode.agreement.coefficients import (
    MISSING,
    alpha_interval,
    cohen_kappa,
    coincidence_matrix,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    nominal_alpha,
    percent_agreement,
)
from qualcode.agreement.compute import agreement, variable_codes
from qualcode.agreement.inputs import read_codings
from qualcode.agreement.present import format_html, format_table
from qualcode.agreement.result import (
    RELIABLE,
    TENTATIVE,
    AgreementResult,
    CodeAgreement,
    Disagreement,
    DomainAgreement,
    reliability,
)
from qualcode.agreement.units import AGREEMENT_UNITS, UNIT_SCOPES

__all__ = [
    "AGREEMENT_UNITS",
    "MISSING",
    "RELIABLE",
    "TENTATIVE",
    "UNIT_SCOPES",
    "AgreementResult",
    "CodeAgreement",
    "Disagreement",
    "DomainAgreement",
    "agreement",
    "alpha_interval",
    "cohen_kappa",
    "coincidence_matrix",
    "fleiss_kappa",
    "format_html",
    "format_table",
    "gwet_ac1",
    "krippendorff_alpha",
    "nominal_alpha",
    "percent_agreement",
    "read_codings",
    "reliability",
    "variable_codes",
]
