"""Intercoder agreement: how far coders agree, per code and over codes that exclude each other.

Percent agreement, Cohen's kappa (two coders) and Krippendorff's alpha (binary
per code; nominal over a domain of mutually exclusive codes), with the units
the coders disagree on. Start with :func:`agreement`.
"""

from qualcode.agreement.coefficients import (
    MISSING,
    cohen_kappa,
    coincidence_matrix,
    krippendorff_alpha,
    nominal_alpha,
    percent_agreement,
)
from qualcode.agreement.compute import agreement, variable_codes
from qualcode.agreement.inputs import read_codings
from qualcode.agreement.result import (
    AgreementResult,
    CodeAgreement,
    Disagreement,
    DomainAgreement,
    format_table,
)
from qualcode.agreement.units import AGREEMENT_UNITS

__all__ = [
    "AGREEMENT_UNITS",
    "MISSING",
    "AgreementResult",
    "CodeAgreement",
    "Disagreement",
    "DomainAgreement",
    "agreement",
    "cohen_kappa",
    "coincidence_matrix",
    "format_table",
    "krippendorff_alpha",
    "nominal_alpha",
    "percent_agreement",
    "read_codings",
    "variable_codes",
]
