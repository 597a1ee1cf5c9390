"""Codings: the record, the codings table (read, checked, mapped), writing it, the auto-coder."""

from qualcode.coding.codings import check_codings, overlaps, read_codings, read_codings_csv
from qualcode.coding.csvio import codings_frame, frame_to_codings, write_codings_csv
from qualcode.coding.model import CODINGS_COLUMNS, REQUIRED_IMPORT_COLUMNS, Coding

__all__ = [
    "CODINGS_COLUMNS",
    "REQUIRED_IMPORT_COLUMNS",
    "Coding",
    "check_codings",
    "codings_frame",
    "frame_to_codings",
    "overlaps",
    "read_codings",
    "read_codings_csv",
    "write_codings_csv",
]
