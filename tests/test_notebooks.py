"""Every notebook in ``notebooks/`` runs top to bottom in a fresh kernel, and is committed clean.

How the notebooks are run:

- in a fresh kernel of *this* Python (the one running pytest, so the venv's
  qualcode): a kernel spec of its own name, with ``sys.executable``, is put
  in a temporary folder on ``JUPYTER_PATH``, so a user's own ``python3``
  kernel spec can never be picked up instead; a first, injected cell checks
  ``sys.executable``;
- with the working directory ``notebooks/``, as Jupyter starts a notebook:
  notebooks reach the data as ``../transcripts_sample`` and
  ``../codebook/msm.yaml``, whether pytest runs from the repository root or
  from anywhere else;
- a cell that raises fails the test, with the cell's traceback.

Notebooks are committed without outputs and execution counts (this file
checks that too), so that diffs stay readable and no stale result is shown.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
KERNEL = "qualcode-test"

pytestmark = pytest.mark.slow


def test_there_are_notebooks() -> None:
    names = [p.stem for p in PATHS]
    assert names[:3] == ["01_corpus_and_autocoding", "02_code_frequencies", "03_quotes_per_theme"]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_committed_notebook_has_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}, cell {index}: clear the outputs"
            assert cell.execution_count is None, f"{path.name}, cell {index}: clear the count"


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Jupyter data folder with one kernel spec: the Python running the tests."""
    folder = tmp_path_factory.mktemp("jupyter")
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "qualcode tests",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_top_to_bottom(
    path: Path, kernel_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_dir))
    notebook = nbformat.read(path, as_version=4)
    check = nbformat.v4.new_code_cell(
        f"import sys\nassert sys.executable == {sys.executable!r}, sys.executable"
    )
    notebook.cells.insert(0, check)
    client = NotebookClient(
        notebook, kernel_name=KERNEL, timeout=600, resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()  # raises CellExecutionError, with the traceback, when a cell fails
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert len([c for c in code if c.outputs]) >= len(code) // 2  # they show results
    if any("plots." in c.source for c in code):
        assert any("image/png" in o.get("data", {}) for o in outputs), "no figure was shown"
