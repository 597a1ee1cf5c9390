"""Loading a folder with its respondents table, and the problems a user can meet."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.corpus import load_corpus, read_respondents
from qualcode.errors import CorpusError

HEADER = "file,respondent,organisation,org_type,steering_group,aliases\n"


def make_folder(tmp_path: Path, files: dict[str, bytes | str], table: str | None) -> Path:
    for name, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        (tmp_path / name).write_bytes(data)
    if table is not None:
        (tmp_path / "respondents.csv").write_text(table, encoding="utf-8")
    return tmp_path


def test_metadata_joined_and_attributes_carried(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        {"a.txt": "R: Een.", "b.md": "R: Twee."},
        HEADER + "a.txt,R1,VNG,koepel,ja,Vereniging van Nederlandse Gemeenten\n"
        "b.md,R2,Vluchtelingenwerk,ngo,nee,VWN;Vluchtelingenwerk Nederland\n",
    )
    corpus = load_corpus(folder)
    assert corpus.errors == ()
    b = corpus.get("b.md")
    assert (b.respondent, b.organisation) == ("R2", "Vluchtelingenwerk")
    assert dict(b.attributes) == {
        "org_type": "ngo",
        "steering_group": "nee",
        "aliases": "VWN;Vluchtelingenwerk Nederland",
    }
    assert corpus.respondents is not None
    assert corpus.respondents.by_file()["b.md"].aliases == ("VWN", "Vluchtelingenwerk Nederland")


def test_problems_are_listed_and_the_rest_is_read(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        {"goed.txt": "R: Goed.", "leeg.txt": "", "los.txt": "R: Geen rij.", "scan.pdf": b"%PDF"},
        HEADER + "goed.txt,R1,VNG,,,\nleeg.txt,R2,G4,,,\nweg.txt,R3,G40,,,\ngoed.txt,R4,COA,,,\n"
        "scan.pdf,R5,IND,,,\n,R6,,,,\n",
    )
    corpus = load_corpus(folder)
    assert corpus.files == ("goed.txt", "los.txt")
    assert [(e.file, e.error) for e in corpus.errors] == [
        (
            "goed.txt",
            "respondents.csv, row 5: goed.txt is listed twice (also row 2); keep one row per file",
        ),
        ("", "respondents.csv, row 7: empty file, organisation; fill in every required column"),
        ("leeg.txt", "leeg.txt: the file is empty; add the interview text or remove the file"),
        (
            "los.txt",
            "los.txt: no row in respondents.csv; add a row with file, respondent, organisation",
        ),
        (
            "scan.pdf",
            "scan.pdf: unsupported file type '.pdf'; supported: .txt, .md, .docx, .odt, "
            ".vtt, .srt (convert the file or move it out)",
        ),
        (
            "weg.txt",
            f"respondents.csv, row 4: file weg.txt does not exist in {folder}; "
            "fix the name or remove the row",
        ),
    ]
    assert corpus.get("goed.txt").organisation == "VNG"
    with pytest.raises(CorpusError, match="is listed twice"):
        load_corpus(folder, strict=True)


def test_missing_required_column(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"a.txt": "R: Een."}, "file,naam\na.txt,X\n")
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    assert str(info.value) == (
        "respondents.csv: missing required columns 'respondent', "
        "'organisation'; the header needs: file, respondent, organisation"
    )


def test_semicolon_csv_and_xlsx(tmp_path: Path) -> None:
    semi = tmp_path / "r.csv"
    semi.write_text("file;respondent;organisation\na.txt;R1;DUO\n", encoding="utf-8")
    assert read_respondents(semi).rows[0].organisation == "DUO"
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["File", "Respondent", "Organisation", "steering_group"])
    sheet.append(["a.txt", "R1", "DUO", "ja"])
    book.save(tmp_path / "r.xlsx")
    row = read_respondents(tmp_path / "r.xlsx").rows[0]
    assert (row.file, row.organisation, dict(row.attributes)) == (
        "a.txt",
        "DUO",
        {"steering_group": "ja"},
    )


def test_no_table_means_no_metadata(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"a.txt": "R: Een."}, None)
    corpus = load_corpus(folder)
    assert corpus.errors == () and corpus.get("a.txt").organisation == ""


def test_unknown_file_and_folder(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"a.txt": "R: Een."}, None)
    with pytest.raises(CorpusError, match=r"^b.txt: no such transcript in .*; known files: a.txt$"):
        load_corpus(folder).get("b.txt")
    with pytest.raises(CorpusError, match=r"nope: transcripts folder not found"):
        load_corpus(tmp_path / "nope")
