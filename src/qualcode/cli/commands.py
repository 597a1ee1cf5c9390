"""Registers every command module with the ``qualcode`` group (one import per module)."""

from qualcode.cli import (
    agreement_cmd,  # noqa: F401
    autocode_cmd,  # noqa: F401
    batch_cmd,  # noqa: F401
    codebook_cmd,  # noqa: F401
    corpus_cmd,  # noqa: F401
    explore_cmd,  # noqa: F401
    interop_cmd,  # noqa: F401
    project_cmd,  # noqa: F401
    quotes_cmd,  # noqa: F401
    report_cmd,  # noqa: F401
    review_cmd,  # noqa: F401
)
