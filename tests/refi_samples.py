"""Where the REFI-QDA sample exports are: committed ones, or the shared folder beside the clone.

Samples whose licence is not stated are not committed (see
``tests/data/refi-qda/README.md``); tests that need them read them from
``../shared/refi-qda/samples/`` and are skipped when that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent / "data" / "refi-qda"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "refi-qda" / "samples"

ATLAS = "atlasti-23.2.3_target-atlas-project.qdpx"
MAXQDA = "maxqda-24.7.0_ICLS_Conf_Themes_just10.qdpx"
NVIVO_MAC = "nvivo-mac-15.0.0_nvivo_project.qdpx"
NVIVO_WIN = "nvivo-win-12.6_oltas0517.qdpx"
QC = "qc-1.3.2_demo.qdpx"
TAGUETTE = "taguette-1.4.1_codebook.qdc"
PROJECTS = (ATLAS, MAXQDA, NVIVO_MAC, NVIVO_WIN, QC)


def sample(name: str) -> Path:
    """The path of sample *name*; skips the test when it is neither committed nor shared."""
    for folder in (HERE, SHARED):
        if (folder / name).is_file():
            return folder / name
    pytest.skip(f"{name} is not committed (no licence stated) and {SHARED} is absent")
