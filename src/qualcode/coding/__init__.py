"""Codings: the record, reading and writing the codings CSV, the auto-coder."""

from qualcode.coding.csvio import (
    codings_frame,
    frame_to_codings,
    read_codings_csv,
    write_codings_csv,
)
from qualcode.coding.model import CODINGS_COLUMNS, REQUIRED_IMPORT_COLUMNS, Coding

__all__ = [
    "CODINGS_COLUMNS",
    "REQUIRED_IMPORT_COLUMNS",
    "Coding",
    "codings_frame",
    "frame_to_codings",
    "read_codings_csv",
    "write_codings_csv",
]
