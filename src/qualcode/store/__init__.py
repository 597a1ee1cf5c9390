"""The project store: transcripts, codebook, coders, codings, memos and a change log in SQLite.

``Project`` is the entry point; ``db`` is the only module that speaks SQL and
``schema`` holds the versioned migrations.
"""

from qualcode.errors import CodingsRefused
from qualcode.store.imports import ImportResult
from qualcode.store.project import Project
from qualcode.store.records import CODING_STATUSES, LogEntry, Memo, ProjectInfo, StoredCoding
from qualcode.store.refresh import Orphan, RefreshResult

__all__ = [
    "CODING_STATUSES",
    "CodingsRefused",
    "ImportResult",
    "LogEntry",
    "Memo",
    "Orphan",
    "Project",
    "ProjectInfo",
    "RefreshResult",
    "StoredCoding",
]
