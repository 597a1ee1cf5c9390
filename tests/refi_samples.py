"""Where the REFI-QDA sample exports are: the shared folder beside the clone.

The samples are real exports by other programs, holding third-party text
(one of them public social-media comments). None is committed to this
repository; tests read them from ``../shared/refi-qda/samples/`` (CI has it
beside the clone; ``SOURCES.md`` there says where each came from) and are
skipped, with the reason, when that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "refi-qda" / "samples"

ATLAS = "atlasti-23.2.3_target-atlas-project.qdpx"
MAXQDA = "maxqda-24.7.0_ICLS_Conf_Themes_just10.qdpx"
NVIVO_MAC = "nvivo-mac-15.0.0_nvivo_project.qdpx"
NVIVO_WIN = "nvivo-win-12.6_oltas0517.qdpx"
QC = "qc-1.3.2_demo.qdpx"
TAGUETTE = "taguette-1.4.1_codebook.qdc"
PROJECTS = (ATLAS, MAXQDA, NVIVO_MAC, NVIVO_WIN, QC)


def sample(name: str) -> Path:
    """The path of sample *name*; skips the test when the shared samples are absent."""
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"REFI-QDA sample {name} not found in {SHARED}")
    return path
