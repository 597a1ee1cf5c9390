"""The one codings table: reading with provenance, the one check, the one mapping onto segments.

The cross-command tests pin that every command reading a codings CSV gives the
same answer (and the same message) for the same file.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from store_fixtures import CODEBOOK_YAML, write_folder

from qualcode.cli import main
from qualcode.codebook import parse_codebook
from qualcode.coding import Coding
from qualcode.coding.codings import check_codings, overlaps, read_codings
from qualcode.corpus import load_corpus
from qualcode.errors import CodingError, CodingsRefused
from qualcode.store import Project

#: A written record whose words carry diacritics, so that NFC and NFD differ.
B_TEXT = (
    "Verslag van het gesprek met de gemeente.\n\n"
    "De coördinatie met één ministerie bleef lastig; financiële zorgen overheersten.\n\n"
    "De planning was krap, maar de samenwerking was goed.\n"
)
COORD = "De coördinatie met één ministerie bleef lastig"
PLAN = "De planning was krap"


def _span(phrase: str) -> tuple[int, int]:
    start = B_TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "verslagen", b_text=B_TEXT)


@pytest.fixture
def codebook_file(tmp_path: Path) -> Path:
    path = tmp_path / "klein.yaml"
    path.write_text(CODEBOOK_YAML, encoding="utf-8")
    return path


def _rows(text_form: str = "NFD") -> list[dict[str, object]]:
    rows = []
    for coder in ("anna", "bram"):
        for phrase, code, variable in (
            (COORD, "GELD_TEKORT", "FINANCIEN"),
            (PLAN, "PLANNING", "PLANNING"),
        ):
            start, end = _span(phrase)
            rows.append(
                {
                    "file": "b.txt",
                    "start": start,
                    "end": end,
                    "code": code,
                    "variable": variable,
                    "coder": coder,
                    "score": 1.0,
                    "text": unicodedata.normalize(text_form, phrase),
                    "confidence": 0.9,  # a column another tool added: passed through
                }
            )
    return rows


def _csv(path: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def _commands(csv: Path, folder: Path, codebook: Path, out: Path) -> dict[str, list[object]]:
    return {
        "agreement": ["agreement", csv, "--transcripts", folder],
        "evaluate": ["evaluate", "--codings", csv, "--gold", csv, "--transcripts", folder,
                     "--codebook", codebook],
        "report": ["report", "--transcripts", folder, "--codebook", codebook, "--codings", csv,
                   "--out", out, "--format", "md", "--quiet"],
    }  # fmt: skip


def test_the_nfd_csv_is_accepted_by_every_command(tmp_path, folder, codebook_file) -> None:
    csv = _csv(tmp_path / "codings.csv", _rows("NFD"))
    assert "coo\u0308rdinatie" in csv.read_text(encoding="utf-8")  # really NFD on disk
    for name, args in _commands(csv, folder, codebook_file, tmp_path / "rapport").items():
        result = _run(*args)
        assert result.exit_code == 0, (name, result.output)
    assert (tmp_path / "rapport").is_dir()
    db = tmp_path / "studie.db"
    Project.create(db, transcripts=folder, codebook=codebook_file).close()
    result = _run("project", "import-codings", db, csv)
    assert (result.exit_code, result.output) == (
        0,
        f"imported 4 codings into {db} (0 moved to their text, 0 already present)\n",
    )


def test_the_wrong_text_gets_one_message_from_every_command(
    tmp_path, folder, codebook_file
) -> None:
    rows = _rows("NFC")
    rows[1]["text"] = "iets anders"
    csv = _csv(tmp_path / "codings.csv", rows)
    start, end = _span(PLAN)
    message = (
        f"error: codings.csv, row 3: the coded text does not match b.txt at {start}-{end} "
        "('iets anders' vs 'De planning was krap'); the transcript changed after coding: "
        "re-anchor the codings in a project (qualcode project import-codings) and export "
        "them again\n"
    )
    for name, args in _commands(csv, folder, codebook_file, tmp_path / "rapport").items():
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert (name, result.exit_code, result.stderr) == (name, 1, message)
    assert not (tmp_path / "rapport").exists()


def test_read_codings_keeps_where_each_row_came_from(tmp_path) -> None:
    a = _csv(tmp_path / "anna.csv", _rows()[:2])
    b = _csv(tmp_path / "bram.csv", _rows()[2:3])
    frame = read_codings([a, b])
    assert list(zip(frame["source"], frame["row"], strict=True)) == [
        ("anna.csv", 2),
        ("anna.csv", 3),
        ("bram.csv", 2),
    ]
    assert frame["start"].dtype == np.int64
    assert list(frame["confidence"]) == ["0.9"] * 3
    with pytest.raises(CodingError) as err:
        read_codings([])
    assert str(err.value) == "no codings files given; give one or more codings CSVs"


def test_check_keeps_extra_columns_and_nfc_text(folder) -> None:
    corpus = load_corpus(folder)
    checked = check_codings(pd.DataFrame(_rows("NFD")), corpus)
    assert list(checked.columns) == [
        "file", "start", "end", "code", "variable", "coder", "score", "text", "confidence",
        "where",
    ]  # fmt: skip
    assert list(checked["where"][:2]) == ["codings, row 2", "codings, row 3"]
    assert list(checked["confidence"]) == [0.9] * 4


def test_check_lists_every_refused_row(folder) -> None:
    corpus = load_corpus(folder)
    book = parse_codebook(CODEBOOK_YAML, path="klein.yaml")
    rows = _rows("NFC")
    rows[0]["code"] = "GELD"
    rows[1]["start"] = "x"
    rows[3]["coder"] = " "
    with pytest.raises(CodingsRefused) as err:
        check_codings(pd.DataFrame(rows), corpus, codebook=book, source="team.csv")
    assert err.value.problems == (
        "team.csv, row 2: unknown code 'GELD' in codebook 'klein' (see 'qualcode codebook show' "
        "for all ids)",
        "team.csv, row 3: start 'x' is not a non-negative whole number (a character offset)",
        "team.csv, row 5: the coder is empty; every coding needs a coder's name",
    )
    assert str(err.value) == err.value.problems[0] + " (and 2 more refused rows)"


def test_reanchoring_moves_a_row_to_its_text(folder) -> None:
    corpus = load_corpus(folder)
    rows = _rows("NFD")[:1]
    rows[0].update(start=1000, end=1010)  # past the end: the transcript got shorter
    with pytest.raises(CodingsRefused):
        check_codings(pd.DataFrame(rows), corpus)
    moved = check_codings(pd.DataFrame(rows), corpus, reanchor=True)
    assert (moved["start"][0], moved["end"][0], moved["reanchored"][0]) == (*_span(COORD), True)


def test_records_are_named_by_their_place(folder) -> None:
    corpus = load_corpus(folder)
    with pytest.raises(CodingsRefused) as err:
        check_codings([Coding("b.txt", 0, 5, "X"), Coding("c.txt", 0, 5, "X")], corpus)
    assert str(err.value).startswith("codings, coding 2: file 'c.txt' is not a transcript in ")


def test_overlaps_agree_with_a_plain_double_loop() -> None:
    rng = np.random.default_rng(7)
    seg_files, seg_starts, seg_ends = [], [], []
    for file in ("a", "b", "c"):
        cuts = np.unique(rng.integers(0, 200, size=12))
        seg_files += [file] * (len(cuts) - 1)
        seg_starts += cuts[:-1].tolist()
        seg_ends += cuts[1:].tolist()
    files = rng.choice(["a", "b", "c"], size=60)
    starts = rng.integers(0, 190, size=60)
    ends = starts + rng.integers(1, 40, size=60)
    coding, segment, shared = overlaps(files, starts, ends, seg_files, seg_starts, seg_ends)
    expected = [
        (c, s, min(ends[c], seg_ends[s]) - max(starts[c], seg_starts[s]))
        for c in range(60)
        for s in sorted(range(len(seg_files)), key=lambda s: (seg_files[s], seg_starts[s]))
        if files[c] == seg_files[s] and starts[c] < seg_ends[s] and seg_starts[s] < ends[c]
    ]
    assert list(zip(coding.tolist(), segment.tolist(), shared.tolist(), strict=True)) == expected
