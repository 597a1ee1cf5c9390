"""Codebooks: a validated tree of codes in dimensions, with auto-coding patterns.

``load_codebook("codebook/msm.yaml")`` reads and validates a YAML codebook;
the format is described in ``docs/codebook.md``.
"""

from qualcode.codebook.load import load_codebook, parse_codebook
from qualcode.codebook.model import Code, Codebook, Dimension, Pattern, Term

__all__ = ["Code", "Codebook", "Dimension", "Pattern", "Term", "load_codebook", "parse_codebook"]
