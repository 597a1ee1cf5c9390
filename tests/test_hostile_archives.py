"""One safe opener for .docx, .odt, .xlsx and .qdpx: bombs, lies, encryption, odd methods, depth."""

from __future__ import annotations

import os
import signal
import tracemalloc
from pathlib import Path

import hostile
import pytest
from hostile import one_error, run, snapshot

from qualcode.corpus.readers import read_document
from qualcode.errors import CorpusError, InteropError
from qualcode.files.zips import SafeZip

BOMB_MB = 48  # above every limit, yet quick to make: each file is well under 1 MB
RESPONDENTS = "file,respondent,organisation\nok.txt,R1,Divosa\n"


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    made = {
        "docx": hostile.docx_bomb(folder / "bom.docx", BOMB_MB),
        "odt": hostile.odt_bomb(folder / "bom.odt", BOMB_MB),
        "xlsx": hostile.xlsx_bomb(folder / "bom.xlsx", BOMB_MB),
        "qdpx": hostile.qdpx_bomb(folder / "bom.qdpx", BOMB_MB),
    }
    assert all(p.stat().st_size < 1024 * 1024 for p in made.values())
    return made


def tx_folder(tmp_path: Path) -> Path:
    """A transcripts folder with one good interview and its respondents table."""
    folder = tmp_path / "tx"
    folder.mkdir()
    (folder / "ok.txt").write_text("Respondent: Het ging goed.\n", encoding="utf-8")
    (folder / "respondents.csv").write_text(RESPONDENTS, encoding="utf-8")
    return folder


def _peak(call) -> int:
    """The most memory (bytes, as tracemalloc sees it) that *call* held at once."""
    tracemalloc.start()
    try:
        call()
    except (CorpusError, InteropError):
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize("kind", ["docx", "odt", "xlsx", "qdpx"])
def test_a_bomb_is_refused_from_its_headers(bombs, kind):
    path = bombs[kind]
    error = InteropError if kind == "qdpx" else CorpusError
    with pytest.raises(error, match="refused as a possible zip bomb") as info:
        SafeZip(path, error=error, limits=None if kind == "qdpx" else _office_limits())
    assert str(info.value).startswith(f"{path.name}: ")
    peak = _peak(lambda: SafeZip(path, error=error))
    assert peak < 2 * 1024 * 1024, peak  # nothing inflated: far below the bomb's 48 MB


def _office_limits():
    from qualcode.corpus.readers import OFFICE_LIMITS

    return OFFICE_LIMITS


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_corpus_refuses_a_bomb_and_reads_the_rest(tmp_path, bombs, kind):
    folder = tx_folder(tmp_path)
    (folder / f"bom.{kind}").write_bytes(bombs[kind].read_bytes())
    before = snapshot(folder)
    result = run("corpus", "--transcripts", folder)
    line = one_error(result, "refused as a possible zip bomb")
    assert line.startswith(f"error: bom.{kind}: ")
    assert "ok.txt" in result.output  # the other file was still read
    assert snapshot(folder) == before
    peak = _peak(lambda: read_document(folder / f"bom.{kind}"))
    assert peak < 4 * 1024 * 1024, peak


def test_check_quotes_refuses_a_bomb_report(tmp_path, bombs):
    folder = tx_folder(tmp_path)
    result = run("check-quotes", bombs["docx"], "--transcripts", folder)
    one_error(result, "bom.docx: not a readable .docx file", code=2)


def test_a_bomb_respondents_table_is_refused(tmp_path, bombs):
    folder = tx_folder(tmp_path)
    result = run("corpus", "--transcripts", folder, "--respondents", bombs["xlsx"])
    one_error(result, "bom.xlsx: ")
    assert "refused as a possible zip bomb" in result.output


def test_a_bomb_qdpx_import_makes_no_project(tmp_path, bombs):
    result = run("import", "qdpx", bombs["qdpx"], tmp_path / "x.db")
    one_error(result, "bom.qdpx: member 'sources/a.txt' expands")
    assert list(tmp_path.iterdir()) == []


def _patched(tmp_path: Path, kind: str, patch) -> Path:
    if kind == "docx":
        return patch(hostile.docx(tmp_path / "x.docx"), "word/document.xml")
    return patch(hostile.odt(tmp_path / "x.odt"), "content.xml")


CASES = [
    ("encrypted", hostile.encrypt_flag, "is encrypted; save the file without a password"),
    ("method 6", hostile.implode_method, "uses zip compression method 6, which cannot be read"),
    (
        "lying size",
        lambda p, m: hostile.lie_about_sizes(p, m, size=40),
        "is damaged (Bad CRC-32",
    ),
]


@pytest.mark.parametrize("kind", ["docx", "odt"])
@pytest.mark.parametrize(("case", "patch", "message"), CASES, ids=[c[0] for c in CASES])
def test_damaged_office_members_are_refused_in_one_line(tmp_path, kind, case, patch, message):
    folder = tx_folder(tmp_path)
    bad = _patched(folder, kind, patch)
    before = snapshot(folder)
    line = one_error(run("corpus", "--transcripts", folder), message)
    assert line.startswith(f"error: {bad.name}: member ")
    result = run(
        "project", "init", tmp_path / "p.db", "--codebook", CODEBOOK, "--transcripts", folder
    )
    one_error(result, f"{bad.name}: member ")
    result = run(
        "autocode", "--codebook", CODEBOOK, "--transcripts", folder, "--out", tmp_path / "a.csv"
    )
    one_error(result, message)
    assert "for 1 transcripts" in result.output  # the good file was still coded
    assert not (tmp_path / "p.db").exists()
    assert snapshot(folder) == before


CODEBOOK = Path(__file__).resolve().parents[1] / "codebook" / "msm.yaml"


def test_an_encrypted_qdpx_member_is_refused(tmp_path):
    path = hostile.write_zip(tmp_path / "x.qdpx", [("project.qde", "<Project/>")])
    hostile.encrypt_flag(path, "project.qde")
    result = run("import", "qdpx", path, tmp_path / "x.db")
    one_error(result, "x.qdpx: member 'project.qde' is encrypted")
    assert not (tmp_path / "x.db").exists()


def _nested_odt(path: Path, depth: int) -> Path:
    return hostile.odt(path, "<text:p>" + "<text:span>" * depth + "x" + "</text:span>" * depth
                       + "</text:p>")  # fmt: skip


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_deep_nesting_is_refused_before_any_tree_is_walked(tmp_path, kind):
    if kind == "odt":
        path = _nested_odt(tmp_path / "diep.odt", 5_000)
    else:
        path = hostile.docx(tmp_path / "diep.docx", "<w:p>" * 5_000 + "</w:p>" * 5_000)
    with pytest.raises(CorpusError, match=r"nests elements more than 200 deep") as info:
        read_document(path)
    assert str(info.value).startswith(f"{path.name}: member ")


def test_an_odt_of_200000_nested_spans_is_one_error_line(tmp_path):
    folder = tx_folder(tmp_path)
    _nested_odt(folder / "diep.odt", 200_000)
    line = one_error(run("corpus", "--transcripts", folder), "diep.odt: member 'content.xml'")
    assert "refused" in line


def test_a_dtd_in_an_office_file_is_refused(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{hostile.W_NS}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    path = hostile.write_zip(
        tmp_path / "lach.docx",
        [("[Content_Types].xml", hostile.DOCX_TYPES), ("_rels/.rels", hostile.DOCX_RELS),
         ("word/document.xml", laughs)],
    )  # fmt: skip
    with pytest.raises(CorpusError, match="declares a document type"):
        read_document(path)


def test_an_xlsx_of_garbage_is_refused(tmp_path):
    folder = tx_folder(tmp_path)
    table = hostile.write_zip(
        tmp_path / "rommel.xlsx",
        [("[Content_Types].xml", os.urandom(300)), ("xl/workbook.xml", os.urandom(300))],
    )
    result = run("corpus", "--transcripts", folder, "--respondents", table)
    one_error(result, "rommel.xlsx: member '[Content_Types].xml' is not well-formed XML")


def test_a_valid_xlsx_is_still_read(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    folder = tx_folder(tmp_path)
    book = openpyxl.Workbook()
    for row in [["file", "respondent", "organisation"], ["ok.txt", "R1", "Divosa"]]:
        book.active.append(row)
    book.save(tmp_path / "r.xlsx")
    result = run("corpus", "--transcripts", folder, "--respondents", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert "Divosa" in result.output


@pytest.mark.parametrize(("command", "suffix"), [("qdpx", ".qdpx"), ("qdc", ".qdc")])
def test_import_of_a_fifo_is_refused_without_waiting(tmp_path, command, suffix):
    fifo = tmp_path / f"pijp{suffix}"
    os.mkfifo(fifo)

    def hung(*args: object) -> None:
        raise AssertionError("the import waited on the FIFO")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)  # a safety net only: the refusal itself needs no time
    try:
        result = run("import", command, fifo, tmp_path / "uit")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    one_error(result, f"pijp{suffix}: is a FIFO, device or socket, not a regular file")
    assert not (tmp_path / "uit").exists()
