"""A small transcripts folder and codebook on disk, and projects made from them.

Shared by the store, project, re-anchoring, widget and project CLI tests
(import the fixtures by name).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.store import Project

CODEBOOK_YAML = """\
name: klein
language: nl
dimensions:
  - {id: MSM, name: MSM}
  - {id: VALENCE, name: Valentie}
codes:
  - id: FINANCIEN
    name: Financiën
    description: Zijn er genoeg middelen?
    color: "#1f77b4"
  - {id: GELD_TEKORT, name: Geldtekort, description: Te weinig budget., parent: FINANCIEN}
  - id: PLANNING
    name: Planning
    description: Was de planning werkbaar?
    color: "#ff7f0e"
  - {id: TIJDSDRUK, name: Tijdsdruk, description: Haast en krappe termijnen., parent: PLANNING}
  - {id: BEVORDEREND, name: Bevorderend, description: Wat hielp., dimension: VALENCE,
     color: "#2ca02c"}
  - {id: BELEMMEREND, name: Belemmerend, description: Wat hinderde., dimension: VALENCE,
     color: "#d62728"}
"""

#: An interview with speaker turns: the interviewer's questions are never coded.
A_TEXT = (
    "Interviewer: Hoe ging het met het geld?\n\n"
    "Respondent: Het budget was veel te krap voor de begeleiding.\n\n"
    "Daarna kwam er een structurele afspraak over geld.\n\n"
    "Interviewer: En de planning?\n\n"
    "Respondent: Het tempo was soms moordend, met consultaties van twee weken.\n"
)
#: A written record without turns: all of it is the respondent's.
B_TEXT = (
    "Verslag van het gesprek met de gemeente.\n\n"
    "Geld bleef lang een taboe in de stuurgroep.\n\n"
    "De planning was krap, maar de samenwerking was goed.\n"
)
RESPONDENTS = (
    "file,respondent,organisation,org_type,steering_group\n"
    "a.txt,R1,Divosa,vereniging,ja\n"
    "b.txt,R2,Kleinere gemeente,gemeente,nee\n"
)


def write_folder(folder: Path, *, a_text: str = A_TEXT, b_text: str = B_TEXT) -> Path:
    """Write the two interviews and the respondents table into *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(a_text, encoding="utf-8")
    (folder / "b.txt").write_text(b_text, encoding="utf-8")
    (folder / "respondents.csv").write_text(RESPONDENTS, encoding="utf-8")
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A fresh transcripts folder (``a.txt``, ``b.txt``, ``respondents.csv``)."""
    return write_folder(tmp_path / "transcripts")


@pytest.fixture
def codebook_file(tmp_path: Path) -> Path:
    """The small codebook as a YAML file."""
    path = tmp_path / "klein.yaml"
    path.write_text(CODEBOOK_YAML, encoding="utf-8")
    return path


@pytest.fixture
def project_file(tmp_path: Path, folder: Path, codebook_file: Path) -> Path:
    """A project file made from the small folder and codebook (closed)."""
    path = tmp_path / "studie.db"
    Project.create(path, transcripts=folder, codebook=codebook_file).close()
    return path


@pytest.fixture
def project(project_file: Path):
    """The small project, open; closed after the test."""
    with Project.open(project_file) as p:
        yield p
