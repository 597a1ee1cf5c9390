"""``qualcode agreement``: output formats, the reference values end to end, exact error texts."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from agreement_cases import (  # noqa: F401 (fixtures)
    CODEBOOK_YAML,
    krippendorff_codings,
    reference_rows,
    thousand_fixture,
    twelve_fixture,
    write_csv,
)
from click.testing import CliRunner

from qualcode.agreement import agreement, format_table
from qualcode.cli import main
from qualcode.corpus import Corpus


def _run(*args: str | Path):
    return CliRunner().invoke(main, ["agreement", *map(str, args)])


@pytest.fixture
def reference_csvs(tmp_path: Path, thousand: Corpus) -> tuple[Path, Path, Path]:
    anna, bram = reference_rows()
    return (
        write_csv(tmp_path / "anna.csv", anna, thousand),
        write_csv(tmp_path / "bram.csv", bram, thousand),
        tmp_path / "verslagen",
    )


def test_cli_reference_kappa_json(reference_csvs) -> None:
    anna, bram, folder = reference_csvs
    result = _run(anna, bram, "--transcripts", folder, "--unit", "character", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["coders"] == ["anna", "bram"]
    assert payload["n_units"] == 1000
    assert round(payload["per_code"]["PLANNING"]["kappa"], 3) == 0.318
    assert payload["domain"] is None
    assert len(payload["disagreements"]) == 2


def test_cli_table(reference_csvs, tmp_path: Path) -> None:
    anna, bram, folder = reference_csvs
    out = tmp_path / "uit" / "verschillen.csv"
    result = _run(
        anna, bram, "--transcripts", folder, "--unit", "character", "--disagreements", out
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Agreement of 2 coders (anna, bram) on 1000 characters of 1 transcript\n"
        "\n"
        "code      characters  agreement  kappa  fleiss    AC1  alpha  reliability  by anna  "
        "by bram\n"
        "PLANNING        1000      85.0%  0.318   0.314  0.808  0.315   unreliable      150      "
        "100\n"
        "\n"
        "units: respondent speech only (no characters left out: interviewer turns, headings and "
        "record metadata are nobody's to code, so coders cannot disagree on them)\n"
        "kappa: Cohen's (two coders); fleiss: Fleiss' kappa; AC1: Gwet's, robust for rare codes\n"
        "reliability: Krippendorff's alpha >= 0.800 reliable, >= 0.667 tentative, below that "
        "unreliable\n"
        "\n"
        "domain: not asked (pass --variable or --codes for codes that exclude each other)\n"
        "\n"
        "Below reliable, most disagreements first:\n"
        "  PLANNING: alpha 0.315 (unreliable), 2 disagreements\n"
        "    verslag.txt 50-150 (anna yes; bram no): ar de planning bleef krap. Wij zaten aan "
        "tafel bij elke werkgroep en zagen de invoeringsd…\n"
        "    verslag.txt 150-200 (anna no; bram yes): eer schuiven. De gemeente kreeg de regie "
        "over de i\n"
        "\n"
        "2 disagreements (listed with --format json)\n"
    )
    written = pd.read_csv(out, keep_default_na=False)
    assert written[["start", "end", "anna", "bram"]].values.tolist() == [
        [50, 150, "PLANNING", ""],
        [150, 200, "", "PLANNING"],
    ]


def test_cli_table_with_domain_and_undefined_values(tmp_path: Path, twelve: Corpus) -> None:
    codings = krippendorff_codings(twelve)
    path = tmp_path / "team.csv"
    codings.to_csv(path, index=False)
    result = _run(
        path,
        "--transcripts",
        tmp_path / "verslagen",
        "--codes",
        ",".join(f"WAARDE_{v}" for v in range(1, 6)),
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Agreement of 4 coders (A, B, C, D) on 12 paragraphs of 1 transcript"
    assert lines[2].split() == [
        "code",
        "paragraphs",
        "agreement",
        "kappa",
        "fleiss",
        "AC1",
        "alpha",
        "reliability",
        "by",
        "A",
        "by",
        "B",
        "by",
        "C",
        "by",
        "D",
    ]
    assert lines[3].split()[:4] == ["WAARDE_1", "12", "66.7%", "n/a"]
    assert lines[3].split()[4:8] == ["0.407", "0.740", "0.420", "unreliable"]
    assert (
        "domain (WAARDE_1, WAARDE_2, WAARDE_3, WAARDE_4, WAARDE_5): "
        "alpha (nominal) 0.743, tentative, over 11 paragraphs, fleiss 0.641, AC1 0.775, "
        "0 ambiguous"
    ) in lines
    # Codes below 'reliable', the one with most disagreements first.
    flagged = [line for line in lines if line.startswith("  WAARDE")]
    assert flagged == [
        "  WAARDE_1: alpha 0.420 (unreliable), 4 disagreements",
        "  WAARDE_3: alpha 0.654 (unreliable), 3 disagreements",
        "  WAARDE_2: alpha 0.690 (tentative), 3 disagreements",
        "  WAARDE_5: alpha 0.652 (unreliable), 1 disagreement",
        "  WAARDE_4: alpha 0.781 (tentative), 1 disagreement",
    ]
    assert lines[-1] == "7 disagreements (listed with --format json)"


def test_cli_variable_with_codebook(tmp_path: Path, twelve: Corpus) -> None:
    (tmp_path / "proef.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    unit = twelve.get("overleg.txt").segments("paragraph")[0]
    rows = [
        ("overleg.txt", unit.start, unit.end, "TIJDSDRUK", "anna"),
        ("overleg.txt", unit.start, unit.end, "DERDE_UITSTEL", "bram"),
    ]
    path = write_csv(tmp_path / "team.csv", rows, twelve)
    result = _run(
        path,
        "--transcripts",
        tmp_path / "verslagen",
        "--variable",
        "PLANNING",
        "--codebook",
        tmp_path / "proef.yaml",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["domain"]["codes"] == ["TIJDSDRUK", "UITSTEL"]
    assert payload["domain"]["n_units"] == 1
    assert payload["domain"]["alpha_nominal"] == 0.0  # one unit, two different values
    assert payload["disagreements"][0]["by_coder"] == {"anna": ["TIJDSDRUK"], "bram": ["UITSTEL"]}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda f: f.drop(columns=["coder"]),
            "error: anna.csv: missing column coder; a codings CSV needs "
            "file, start, end, code, coder\n",
        ),
        (
            lambda f: f.assign(file="onbekend.txt"),
            "error: anna.csv, row 2: file 'onbekend.txt' is not a transcript in {folder}; "
            "known files: verslag.txt (fix the file name, or read the transcripts the codings "
            "were made on)\n",
        ),
        (
            lambda f: f.assign(text="iets anders"),
            "error: anna.csv, row 2: the coded text does not match verslag.txt at 0-150 ('iets "
            "anders' vs 'De gemeente kreeg de regie over de inbur'); the transcript changed after "
            "coding: re-anchor the codings in a project (qualcode project import-codings) and "
            "export them again\n",
        ),
        (
            lambda f: f.assign(coder=""),
            "error: anna.csv, row 2: the coder is empty; every coding needs a coder's name\n",
        ),
    ],
)
def test_cli_bad_codings(reference_csvs, edit, message) -> None:
    anna, bram, folder = reference_csvs
    edit(pd.read_csv(anna, keep_default_na=False)).to_csv(anna, index=False)
    result = _run(anna, bram, "--transcripts", folder)
    assert result.exit_code == 1
    assert result.stderr == message.format(folder=folder)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--codes", "PLANNING,TIJDSDRUK"],
            "error: unknown code 'TIJDSDRUK' to compare: no coding in anna.csv, bram.csv uses it; "
            "codes used: PLANNING\n",
        ),
        (
            ["--variable", "PLANING", "--codebook", "{book}"],
            "error: unknown variable 'PLANING' in codebook proef.yaml; did you mean PLANNING? "
            "(choose one of: PLANNING, REPRESENTATIE, VALENCE)\n",
        ),
        (
            ["--codes", "PLANNING,TIJDSDRUKK", "--codebook", "{book}"],
            "error: unknown code 'TIJDSDRUKK' to compare: not in codebook proef.yaml; did you mean "
            "TIJDSDRUK?\n",
        ),
    ],
)
def test_cli_unknown_codes(reference_csvs, tmp_path: Path, options, message) -> None:
    anna, bram, folder = reference_csvs
    book = tmp_path / "proef.yaml"
    book.write_text(CODEBOOK_YAML, encoding="utf-8")
    result = _run(anna, bram, "--transcripts", folder, *(o.format(book=book) for o in options))
    assert result.exit_code == 1
    assert result.stderr == message


def test_cli_unknown_file_option(reference_csvs) -> None:
    anna, bram, folder = reference_csvs
    result = _run(anna, bram, "--transcripts", folder, "--file", "verslag.tx")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: verslag.tx: no such transcript in {folder}; known files: verslag.txt\n"
    )


def test_cli_one_coder(reference_csvs) -> None:
    anna, _, folder = reference_csvs
    result = _run(anna, "--transcripts", folder)
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: agreement needs at least two coders; found only 'anna' in anna.csv\n"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--variable", "PLANNING"],
            "Error: --variable needs --codebook: "
            "the codebook says which codes are under the variable",
        ),
        (
            ["--variable", "PLANNING", "--codes", "A,B"],
            "Error: use either --variable or --codes, not both",
        ),
    ],
)
def test_cli_usage_errors(reference_csvs, options, message) -> None:
    anna, bram, folder = reference_csvs
    result = _run(anna, bram, "--transcripts", folder, *options)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message


def test_cli_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["agreement", "--help"])
    assert result.exit_code == 0
    assert (
        "  Example:\n    qualcode agreement anna.csv bram.csv --transcripts transcripts_sample\n"
        in result.output
    )


def test_format_table_marks_undefined_values(twelve: Corpus) -> None:
    result = agreement(krippendorff_codings(twelve), twelve, codes=["WAARDE_5"])
    text = format_table(result)
    assert "WAARDE_5" in text.splitlines()[3]
    assert text.splitlines()[3].split()[3] == "n/a"
    assert result.per_code[0].alpha is not None and not math.isnan(result.per_code[0].alpha)
