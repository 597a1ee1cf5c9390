"""``qualcode corpus`` and ``qualcode text``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_corpus_json_shape(sample_dir: Path) -> None:
    code, out, err = run("corpus", "--transcripts", str(sample_dir), "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert set(payload) == {"transcripts", "errors", "warnings"}
    assert payload["errors"] == [] and payload["warnings"] == []
    first = payload["transcripts"][0]
    assert list(first) == [
        "file",
        "respondent",
        "organisation",
        "format",
        "words",
        "turns",
        "paragraphs",
    ]
    assert first["file"] == "blik-op-werk.txt" and first["format"] == "txt"
    assert isinstance(first["words"], int) and first["words"] > 700
    assert {t["format"] for t in payload["transcripts"]} == {"txt", "md", "docx", "vtt"}


def test_corpus_table(sample_dir: Path) -> None:
    code, out, _ = run("corpus", "--transcripts", str(sample_dir))
    assert code == 0
    assert out.splitlines()[0].split() == [
        "file",
        "respondent",
        "organisation",
        "format",
        "words",
        "turns",
        "paragraphs",
    ]
    assert out.rstrip().endswith("words") and "22 transcripts" in out


def test_corpus_errors_exit_1_and_list_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("R: Een.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x00")
    (tmp_path / "respondents.csv").write_text(
        "file,respondent,organisation\na.txt,R1,VNG\nb.txt,R2,G4\n", encoding="utf-8"
    )
    code, out, err = run("corpus", "--transcripts", str(tmp_path), "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert [t["file"] for t in payload["transcripts"]] == ["a.txt"]
    assert payload["errors"] == [
        {
            "file": "b.txt",
            "error": "b.txt: looks like a binary file, not "
            "text; save the interview as plain text (UTF-8) or .docx",
        }
    ]
    assert err == (
        "error: b.txt: looks like a binary file, not text; save the interview as plain "
        "text (UTF-8) or .docx\n"
    )


def test_corpus_bad_table_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("R: Een.", encoding="utf-8")
    (tmp_path / "respondents.csv").write_text("file,wie\na.txt,X\n", encoding="utf-8")
    code, out, err = run("corpus", "--transcripts", str(tmp_path))
    assert code == 1 and out == ""
    assert err == (
        "error: respondents.csv: missing required columns 'respondent', 'organisation'; "
        "the header needs: file, respondent, organisation\n"
    )


def test_cp1252_warning_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "oud.txt").write_bytes("R: café".encode("cp1252"))
    code, _, err = run("corpus", "--transcripts", str(tmp_path))
    assert code == 0
    assert err == (
        "warning: oud.txt: not valid UTF-8, read as Windows-1252 (cp1252); save it as "
        "UTF-8 to silence this warning\n"
        f"warning: {tmp_path}: no respondents table (respondents.csv), so quotes and tables "
        "cannot name organisations; add respondents.csv to the folder with the columns file, "
        "respondent, organisation (one row per transcript) or pass --respondents PATH\n"
    )


def test_max_size(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("R: " + "x" * 3000, encoding="utf-8")
    code, _, err = run("corpus", "--transcripts", str(tmp_path), "--max-size", "0.001")
    assert code == 1
    assert err == (
        "error: a.txt: 0.0 MB is above the size limit of 0.0 MB; split the file or "
        "raise the size limit\n"
    )


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("corpus")[0] == 2
    assert run("corpus", "--transcripts", str(tmp_path / "nope"))[0] == 2
    assert run("corpus", "--transcripts", str(tmp_path), "--format", "xml")[0] == 2


def test_text_prints_normalised_text_exactly(sample_dir: Path, sample_corpus) -> None:
    for name in ("cvte.docx", "implementatiemanager.vtt", "coa.txt"):
        result = CliRunner().invoke(main, ["text", "--transcripts", str(sample_dir), name])
        assert result.exit_code == 0
        assert result.stdout_bytes.decode("utf-8") == sample_corpus.get(name).text


def test_text_unknown_file(sample_dir: Path) -> None:
    code, _, err = run("text", "--transcripts", str(sample_dir), "nope.txt")
    assert code == 1
    assert err == (
        f"error: nope.txt: no such file in {sample_dir}; see 'qualcode corpus "
        f"--transcripts {sample_dir}'\n"
    )


def test_every_command_has_help_with_an_example() -> None:
    def walk(group, prefix):  # type: ignore[no-untyped-def]
        for name, cmd in group.commands.items():
            yield [*prefix, name], cmd
            if hasattr(cmd, "commands"):
                yield from walk(cmd, [*prefix, name])

    seen = 0
    for path, _cmd in walk(main, []):
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.stdout, f"qualcode {' '.join(path)} --help has no example"
        seen += 1
    assert seen >= 2


def test_corpus_without_respondents_table_warns(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("R: Het ging goed.\n", encoding="utf-8")
    code, out, err = run("corpus", "--transcripts", str(tmp_path))
    assert code == 0 and "\n1 transcript, 4 words\n" in out
    assert err == (
        f"warning: {tmp_path}: no respondents table (respondents.csv), so quotes and tables "
        "cannot name organisations; add respondents.csv to the folder with the columns file, "
        "respondent, organisation (one row per transcript) or pass --respondents PATH\n"
    )
    code, out, err = run("corpus", "--transcripts", str(tmp_path), "--format", "json")
    assert json.loads(out)["warnings"][0].startswith(f"{tmp_path}: no respondents table")
