"""Bad tables, texts and codebooks: one line naming the file, row or code, and nothing changed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hostile import one_error, run, snapshot

ROW = "ok.txt,R1,Divosa\n"
TEXT = "Respondent: Het budget was te krap, zei ze.\n"


def noise(size: int, *, seed: int = 11) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tx"
    folder.mkdir()
    (folder / "ok.txt").write_text(TEXT, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (noise(5000), "respondents.csv: looks like a binary file, not text"),
        (
            b"file,respondent,organisation\n" + bytes(noise(3000).replace(b"\x00", b"")),
            "respondents.csv: looks like a binary file, not text (",
        ),
        (
            b'file,respondent,organisation\nok.txt,R1,"' + b"x" * 200_000 + b"\n",
            "respondents.csv, line 2: not a readable CSV (field larger than field limit",
        ),
        (
            b"file,respondent,organisation,org_type,organisation\nok.txt,R1,Divosa,x,COA\n",
            "respondents.csv: column 'organisation' appears twice (columns 3 and 5); keep one",
        ),
        (
            b'file,respondent,organisation\nok.txt,R1,"Divosa\nb.txt,R2,COA\nc.txt,R3,UAF\n',
            "respondents.csv, row 2: the organisation cell runs over several lines ('Divosa\\n"
            "b.txt,R2,COA\\nc.txt,R3,U'...): a quote (\") opened there is never closed",
        ),
    ],
    ids=["random bytes", "control characters", "huge field", "duplicate column", "stray quote"],
)
def test_a_bad_respondents_table_is_one_line(folder, table, message):
    (folder / "respondents.csv").write_bytes(table)
    before = snapshot(folder)
    one_error(run("corpus", "--transcripts", folder), message)
    assert snapshot(folder) == before


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_read(folder, encoding):
    bom = "\ufeff"
    (folder / "respondents.csv").write_bytes(
        (bom + "file,respondent,organisation\n" + ROW + "zij.md,R2,COA\n").encode(encoding)
    )
    (folder / "zij.md").write_bytes((bom + "Respondent: Geld was er niet.\n").encode(encoding))
    result = run("text", "--transcripts", folder, "zij.md")
    assert result.exit_code == 0, result.output
    assert result.output == "Respondent: Geld was er niet.\n"
    result = run("corpus", "--transcripts", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"organisation": "COA"' in result.output


def test_nul_bytes_after_the_first_8_kb_are_refused(folder):
    body = ("Respondent: " + "woord " * 2000 + "\n").encode() + b"\x00\x00" + b"rest\n"
    (folder / "nul.txt").write_bytes(body)
    (folder / "respondents.csv").write_text(
        "file,respondent,organisation\n" + ROW + "nul.txt,R2,COA\n"
    )
    result = run("corpus", "--transcripts", folder)
    one_error(
        result,
        "nul.txt: looks like a binary file, not text (a NUL character on line 2); save the "
        "interview as plain text (UTF-8) or .docx",
    )


def test_a_file_name_with_a_newline_stays_on_one_line(folder):
    (folder / "twee\nregels.txt").write_bytes(b"\x00binary")
    result = run("corpus", "--transcripts", folder)
    one_error(result, "error: twee\\nregels.txt: looks like a binary file")


def test_check_quotes_refuses_random_bytes(tmp_path, folder):
    (folder / "respondents.csv").write_text("file,respondent,organisation\n" + ROW)
    report = tmp_path / "rapport.md"
    report.write_bytes(noise(4000).replace(b"\x00", b"\x01"))
    result = run("check-quotes", report, "--transcripts", folder)
    one_error(result, "rapport.md: looks like a binary file, not a text report", code=2)


WEIGHTED = (
    "codes:\n  - {{id: A, name: A, description: d, patterns: [{{phrase: geld, weight: {}}}]}}\n"
)
CHAINED = "  - {{id: C{0}, name: C{0}, description: d, parent: C{1}}}\n"


def _codebook(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "cb.yaml"
    path.write_text("name: t\nlanguage: nl\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("codes: " + "[" * 50_000 + "]" * 50_000 + "\n",
         "cb.yaml, line 3: lists and mappings nest more than 50 deep"),
        (WEIGHTED.format("nan"),
         "weight must be a finite number, not nan"),
        (WEIGHTED.format("inf"),
         "weight must be a finite number, not inf"),
        ("codes:\n  - {id: C0, name: C0, description: d}\n"
         + "".join(CHAINED.format(i, i - 1) for i in range(1, 2000)),
         "codes nest more than 20 levels deep above C21"),
    ],
    ids=["yaml 50000 deep", "weight nan", "weight inf", "parents 2000 deep"],
)  # fmt: skip
def test_codebook_check_refuses_in_one_line(tmp_path, body, message):
    path = _codebook(tmp_path, body)
    result = run("codebook", "check", path)
    line = one_error(result, message)
    assert line.startswith("error: cb.yaml")
    assert len(result.output.splitlines()) == 1
