"""Registers every command module with the ``qualcode`` group (one import per module)."""

from qualcode.cli import corpus_cmd  # noqa: F401
from qualcode.cli import agreement_cmd  # noqa: F401
from qualcode.cli import interop_cmd  # noqa: F401
from qualcode.cli import quotes_cmd  # noqa: F401
from qualcode.cli import project_cmd  # noqa: F401
from qualcode.cli import codebook_cmd  # noqa: F401
from qualcode.cli import autocode_cmd  # noqa: F401
from qualcode.cli import report_cmd  # noqa: F401
