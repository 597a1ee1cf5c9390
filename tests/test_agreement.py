"""Intercoder agreement: the coefficients, published reference values, the API and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from agreement_cases import (  # noqa: F401 (fixtures)
    CODEBOOK_YAML,
    KRIPPENDORFF_OBSERVERS,
    THOUSAND,
    codings_frame,
    krippendorff_codings,
    make_corpus,
    reference_rows,
    reliability_matrix,
    thousand_fixture,
    twelve_fixture,
    write_csv,
)

from qualcode import CodebookError, CodingError
from qualcode.agreement import (
    MISSING,
    AgreementResult,
    agreement,
    cohen_kappa,
    coincidence_matrix,
    krippendorff_alpha,
    nominal_alpha,
    percent_agreement,
    read_codings,
    variable_codes,
)
from qualcode.codebook import parse_codebook
from qualcode.corpus import Corpus
from qualcode.errors import ArgumentError

# -- the coefficients ------------------------------------------------------------------------


def test_krippendorff_worked_example_gives_alpha_0_743() -> None:
    data = reliability_matrix(KRIPPENDORFF_OBSERVERS)
    assert round(krippendorff_alpha(data), 3) == 0.743
    o = coincidence_matrix(data)
    # The coincidence matrix printed in the paper: 40 pairable values, o_11 = 7, o_12 = 4/3.
    assert o.sum() == pytest.approx(40)
    assert o[0, 0] == pytest.approx(7)
    assert o[0, 1] == pytest.approx(4 / 3)
    assert np.allclose(o, o.T)
    assert list(o.sum(axis=1)) == pytest.approx([9, 13, 10, 5, 3])


def test_alpha_agrees_with_nltk_annotation_task() -> None:
    from nltk.metrics.agreement import AnnotationTask

    rng = np.random.default_rng(7)
    data = rng.integers(0, 3, size=(40, 3))
    data[rng.random(data.shape) < 0.2] = MISSING
    triples = [(f"c{k}", f"u{u}", int(v)) for (u, k), v in np.ndenumerate(data) if v != MISSING]
    assert krippendorff_alpha(data) == pytest.approx(AnnotationTask(data=triples).alpha())
    worked = reliability_matrix(KRIPPENDORFF_OBSERVERS)
    triples = [(f"c{k}", f"u{u}", int(v)) for (u, k), v in np.ndenumerate(worked) if v != MISSING]
    assert krippendorff_alpha(worked) == pytest.approx(AnnotationTask(data=triples).alpha())


def test_kappa_of_the_reference_table_is_0_318() -> None:
    first = np.array([1] * 50 + [1] * 100 + [0] * 50 + [0] * 800)
    second = np.array([1] * 50 + [0] * 100 + [1] * 50 + [0] * 800)
    assert round(cohen_kappa(first, second), 3) == 0.318
    # The same table as four weighted rows.
    weighted = cohen_kappa([1, 1, 0, 0], [1, 0, 1, 0], weights=[50, 100, 50, 800])
    assert weighted == pytest.approx(cohen_kappa(first, second))


def test_kappa_agrees_with_nltk() -> None:
    from nltk.metrics.agreement import AnnotationTask

    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 4, 60), rng.integers(0, 4, 60)
    b[:30] = a[:30]
    triples = [("a", str(i), int(v)) for i, v in enumerate(a)] + [
        ("b", str(i), int(v)) for i, v in enumerate(b)
    ]
    assert cohen_kappa(a, b) == pytest.approx(AnnotationTask(data=triples).kappa())


def test_weights_stand_for_repeated_rows() -> None:
    rows = np.array([[0, 1, MISSING], [1, 1, 1], [0, 0, 1], [2, MISSING, 2]])
    weights = np.array([3, 1, 2, 4])
    repeated = np.repeat(rows, weights, axis=0)
    assert krippendorff_alpha(rows, weights=weights) == pytest.approx(krippendorff_alpha(repeated))
    assert percent_agreement(rows, weights=weights) == pytest.approx(percent_agreement(repeated))


@pytest.mark.parametrize(
    ("rows", "agreement_pct", "kappa", "alpha"),
    [
        ([[0, 0], [1, 1], [0, 0], [1, 1]], 100.0, 1.0, 1.0),
        ([[0, 1], [1, 0], [0, 1], [1, 0]], 0.0, -1.0, -0.75),
        ([[0, 0], [0, 0], [0, 0]], 100.0, None, None),  # one value only: undefined
        ([[1, 1], [1, 1]], 100.0, None, None),
    ],
)
def test_small_tables(rows, agreement_pct, kappa, alpha) -> None:
    data = np.array(rows)
    assert percent_agreement(data) == agreement_pct
    assert cohen_kappa(data[:, 0], data[:, 1]) == (None if kappa is None else pytest.approx(kappa))
    assert krippendorff_alpha(data) == (None if alpha is None else pytest.approx(alpha))


def test_degenerate_inputs_give_none() -> None:
    lonely = np.array([[0, MISSING], [MISSING, 1]])  # no unit has two values
    assert krippendorff_alpha(lonely) is None
    assert percent_agreement(lonely) is None
    assert nominal_alpha(np.zeros((2, 2))) is None
    assert cohen_kappa([], []) is None


# -- the API on made-up transcripts ----------------------------------------------------------


def test_reference_kappa_through_the_api_at_character_level(thousand: Corpus) -> None:
    anna, bram = reference_rows()
    result = agreement(codings_frame(anna + bram), thousand, unit="character")
    assert result.coders == ("anna", "bram")
    assert result.n_units == 1000
    code = result.per_code[0]
    assert code.code == "PLANNING"
    assert round(code.kappa, 3) == 0.318
    assert code.percent_agreement == pytest.approx(85.0)
    assert round(code.alpha, 3) == 0.315
    assert dict(code.applied) == {"anna": 150, "bram": 100}
    # The two runs where they differ, with the text a coder sees.
    assert [(d.start, d.end) for d in result.disagreements] == [(50, 150), (150, 200)]
    assert result.disagreements[0].text == THOUSAND[50:150]
    assert dict(result.disagreements[1].by_coder) == {"anna": (), "bram": ("PLANNING",)}


def test_krippendorff_example_through_the_api_as_a_domain(twelve: Corpus) -> None:
    codes = [f"WAARDE_{v}" for v in range(1, 6)]
    result = agreement(krippendorff_codings(twelve), twelve, domain=codes)
    assert result.coders == ("A", "B", "C", "D")
    assert round(result.domain.alpha_nominal, 3) == 0.743
    assert result.domain.n_units == 11  # unit 12 has one value only: not pairable
    assert result.domain.n_ambiguous == 0
    assert [c.code for c in result.per_code] == codes
    assert result.per_code[0].kappa is None  # four coders: no Cohen's kappa
    # Units 2, 6 and 8 got different values; on 1, 10, 11 and 12 some coders gave none.
    starts = [s.start for s in twelve.get("overleg.txt").segments("paragraph")]
    assert [starts.index(d.start) + 1 for d in result.disagreements] == [1, 2, 6, 8, 10, 11, 12]
    assert dict(result.disagreements[1].by_coder) == {
        "A": ("WAARDE_2",),
        "B": ("WAARDE_2",),
        "C": ("WAARDE_3",),
        "D": ("WAARDE_2",),
    }


def test_a_coding_applies_to_every_unit_it_overlaps_by_one_character(twelve: Corpus) -> None:
    first, second, third = twelve.get("overleg.txt").segments("paragraph")[:3]
    rows = [
        ("overleg.txt", first.end - 1, second.start + 1, "PLANNING", "anna"),  # units 1 and 2
        ("overleg.txt", second.start, second.end, "PLANNING", "bram"),
        ("overleg.txt", first.end, second.start, "REPRESENTATIE", "bram"),  # the blank line only
        ("overleg.txt", third.start, third.start + 1, "REPRESENTATIE", "anna"),
    ]
    result = agreement(codings_frame(rows), twelve)
    by_code = {c.code: c for c in result.per_code}
    assert dict(by_code["PLANNING"].applied) == {"anna": 2, "bram": 1}
    assert dict(by_code["REPRESENTATIE"].applied) == {"anna": 1, "bram": 0}
    assert by_code["PLANNING"].n_units == 12


def test_the_longest_overlap_decides_between_two_domain_codes(twelve: Corpus) -> None:
    unit = twelve.get("overleg.txt").segments("paragraph")[0]
    rows = [
        ("overleg.txt", unit.start, unit.start + 10, "BEVORDEREND", "anna"),
        ("overleg.txt", unit.start + 5, unit.end, "BELEMMEREND", "anna"),
        ("overleg.txt", unit.start, unit.end, "BELEMMEREND", "bram"),
    ]
    result = agreement(codings_frame(rows), twelve, domain=["BEVORDEREND", "BELEMMEREND"])
    assert result.domain.n_ambiguous == 1
    assert result.domain.n_units == 1
    assert result.domain.percent_agreement == 100.0  # anna's longer coding wins: BELEMMEREND
    assert result.domain.alpha_nominal is None  # one value only


def test_transcripts_coded_by_some_coders_only_are_left_out(tmp_path: Path) -> None:
    corpus = make_corpus(
        tmp_path / "v",
        {"a.txt": "Eerste verslag.", "b.txt": "Tweede verslag.", "c.txt": "Derde verslag."},
    )
    rows = [
        ("a.txt", 0, 7, "PLANNING", "anna"),
        ("a.txt", 0, 7, "PLANNING", "bram"),
        ("b.txt", 0, 6, "PLANNING", "anna"),
    ]
    result = agreement(codings_frame(rows), corpus)
    assert result.files == ("a.txt",)
    assert result.skipped_files == ("b.txt",)
    assert result.per_code[0].percent_agreement == 100.0
    named = agreement(codings_frame(rows), corpus, files=["a.txt", "b.txt", "c.txt"])
    assert named.files == ("a.txt", "b.txt", "c.txt")
    assert named.n_units == 3
    assert named.per_code[0].percent_agreement == pytest.approx(200 / 3)


def test_sentence_and_turn_units(tmp_path: Path) -> None:
    text = (
        "Interviewer: Hoe verliep de planning?\n\n"
        "Respondent: Het tempo was hoog. De pilots kwamen te laat. Dat was jammer."
    )
    corpus = make_corpus(tmp_path / "v", {"gesprek.txt": text})
    late = text.index("De pilots")
    rows = [
        ("gesprek.txt", late, late + 10, "PLANNING", "anna"),
        ("gesprek.txt", late - 5, late + 10, "PLANNING", "bram"),
    ]
    sentences = agreement(codings_frame(rows), corpus, unit="sentence", units="all")
    assert sentences.n_units == 4  # the question and the three sentences of the answer
    assert dict(sentences.per_code[0].applied) == {"anna": 1, "bram": 2}
    assert [d.text for d in sentences.disagreements] == ["Het tempo was hoog."]
    turns = agreement(codings_frame(rows), corpus, unit="turn", units="all")
    assert turns.n_units == 2
    assert turns.disagreements == ()
    assert turns.per_code[0].percent_agreement == 100.0
    # Only the answer can be coded: the question is no unit by default.
    codable = agreement(codings_frame(rows), corpus, unit="sentence")
    assert (codable.n_units, codable.n_left_out, codable.scope) == (3, 1, "codable")
    assert [d.text for d in codable.disagreements] == ["Het tempo was hoog."]
    assert agreement(codings_frame(rows), corpus, unit="turn").n_units == 1


def test_codebook_rolls_sub_codes_up_and_names_variable_codes(twelve: Corpus) -> None:
    book = parse_codebook(CODEBOOK_YAML, path="proef.yaml")
    assert variable_codes(book, "PLANNING") == ("TIJDSDRUK", "UITSTEL")
    assert variable_codes(book, "VALENCE") == ("BEVORDEREND", "BELEMMEREND")
    unit = twelve.get("overleg.txt").segments("paragraph")[0]
    rows = [
        ("overleg.txt", unit.start, unit.end, "DERDE_UITSTEL", "anna"),
        ("overleg.txt", unit.start, unit.end, "UITSTEL", "bram"),
    ]
    result = agreement(
        codings_frame(rows), twelve, domain=variable_codes(book, "PLANNING"), codebook=book
    )
    assert [c.code for c in result.per_code] == ["TIJDSDRUK", "UITSTEL"]
    assert dict(result.per_code[1].applied) == {"anna": 1, "bram": 1}
    assert result.per_code[1].percent_agreement == 100.0
    assert result.disagreements == ()  # DERDE_UITSTEL counts as UITSTEL
    assert result.n_codings == {"anna": 1, "bram": 1}


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        (
            "PLANING",
            "unknown variable 'PLANING' in codebook proef.yaml; did you mean PLANNING? "
            "(choose one of: PLANNING, REPRESENTATIE, VALENCE)",
        ),
        (
            "REPRESENTATIE",
            "code 'REPRESENTATIE' has no sub-codes in codebook proef.yaml; pass a "
            "code with sub-codes, e.g. one of: PLANNING, REPRESENTATIE",
        ),
    ],
)
def test_variable_codes_errors(variable: str, message: str) -> None:
    book = parse_codebook(CODEBOOK_YAML, path="proef.yaml")
    with pytest.raises(CodebookError) as info:
        variable_codes(book, variable)
    assert str(info.value) == message


def test_to_dict_is_the_json_contract_without_nan(thousand: Corpus) -> None:
    anna, bram = reference_rows()
    rows = [
        *anna,
        *bram,
        ("verslag.txt", 300, 400, "REPRESENTATIE", "anna"),
        ("verslag.txt", 300, 400, "REPRESENTATIE", "bram"),
    ]
    result = agreement(
        codings_frame(rows), thousand, unit="character", domain=["PLANNING", "REPRESENTATIE"]
    )
    payload = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert list(payload)[:3] == ["unit", "coders", "files"]
    assert {"unit", "coders", "per_code", "domain", "disagreements"} <= set(payload)
    assert payload["unit"] == "character"
    assert payload["coders"] == ["anna", "bram"]
    assert set(payload["per_code"]["PLANNING"]) >= {
        "n_units",
        "percent_agreement",
        "kappa",
        "alpha",
    }
    assert payload["per_code"]["REPRESENTATIE"]["kappa"] == 1.0
    assert set(payload["domain"]) >= {"codes", "n_units", "alpha_nominal"}
    assert payload["domain"]["codes"] == ["PLANNING", "REPRESENTATIE"]
    assert payload["domain"]["n_units"] == 50 + 100  # characters both coders gave a value
    assert payload["disagreements"][0] == {
        "file": "verslag.txt",
        "start": 50,
        "end": 150,
        "text": THOUSAND[50:150],
        "by_coder": {"anna": ["PLANNING"], "bram": []},
    }
    # Codes nobody disagrees on and one value only: undefined, written as null.
    same = agreement(
        codings_frame([("verslag.txt", 0, 1000, "PLANNING", c) for c in ("anna", "bram")]),
        thousand,
        unit="character",
    )
    payload = json.loads(json.dumps(same.to_dict(), allow_nan=False))
    planning = payload["per_code"]["PLANNING"]
    old_fields = ("n_units", "percent_agreement", "kappa", "alpha", "applied")
    assert {k: planning[k] for k in old_fields} == {
        "n_units": 1000,
        "percent_agreement": 100.0,
        "kappa": None,
        "alpha": None,
        "applied": {"anna": 1000, "bram": 1000},
    }
    # Added fields: Fleiss is undefined like kappa; AC1 sees perfect agreement.
    assert planning["fleiss_kappa"] is None
    assert planning["ac1"] == 1.0
    assert (planning["alpha_ci"], planning["reliability"], planning["n_disagreements"]) == (
        None,
        "undefined",
        0,
    )
    assert payload["domain"] is None
    assert payload["units"] == "codable"
    assert payload["n_left_out"] == 0
    assert payload["thresholds"] == {"reliable": 0.8, "tentative": 0.667}
    assert payload["bootstrap"] is None


def test_suggestions_and_rejected_codings_of_a_project_are_not_compared(thousand: Corpus) -> None:
    anna, bram = reference_rows()
    frame = codings_frame([*anna, *bram, *anna, ("verslag.txt", 0, 1000, "PLANNING", "bram")])
    frame["status"] = ["active", "active", "accepted", "suggested", "rejected"]
    result = agreement(frame, thousand, unit="character")
    assert round(result.per_code[0].kappa, 3) == 0.318
    assert result.n_codings == {"anna": 1, "bram": 2}


def test_codings_of_a_project(tmp_path: Path, thousand: Corpus) -> None:
    from qualcode.store import Project

    book = tmp_path / "proef.yaml"
    book.write_text(CODEBOOK_YAML, encoding="utf-8")
    anna, bram = reference_rows()
    with Project.create(tmp_path / "team.qcp", transcripts=thousand, codebook=book) as project:
        for file, start, end, code, coder in anna + bram:
            project.code(file, start, end, code, coder=coder)
        result = agreement(project.codings(), project.corpus, unit="character")
    assert result.coders == ("bram", "anna")  # in order of first appearance: bram codes 0-50
    assert round(result.per_code[0].kappa, 3) == 0.318


def test_frames_for_notebooks(twelve: Corpus) -> None:
    result = agreement(krippendorff_codings(twelve), twelve)
    per_code = result.per_code_frame()
    assert list(per_code.columns) == [
        "code",
        "n_units",
        "percent_agreement",
        "kappa",
        "alpha",
        "applied_A",
        "applied_B",
        "applied_C",
        "applied_D",
        "fleiss_kappa",
        "ac1",
        "alpha_low",
        "alpha_high",
        "reliability",
    ]
    assert per_code["kappa"].isna().all()
    assert per_code.loc[per_code["code"] == "WAARDE_5", "applied_B"].item() == 1
    table = result.disagreements_frame()
    assert list(table.columns) == ["file", "start", "end", "A", "B", "C", "D", "text"]
    assert table.iloc[1][["A", "B", "C", "D"]].tolist() == [
        "WAARDE_2",
        "WAARDE_2",
        "WAARDE_3",
        "WAARDE_2",
    ]


def test_result_is_frozen(twelve: Corpus) -> None:
    result = agreement(krippendorff_codings(twelve), twelve)
    assert isinstance(result, AgreementResult)
    with pytest.raises(AttributeError):
        result.unit = "turn"  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.disagreements[0].by_coder["A"] = ()  # type: ignore[index]


def test_character_unit_on_the_sample_corpus_matches_a_per_character_count(
    sample_corpus: Corpus,
) -> None:
    rng = np.random.default_rng(11)
    codes = ["PLANNING", "REPRESENTATIE", "BEVORDEREND"]
    rows = []
    for transcript in sample_corpus:
        size = len(transcript.text)
        for coder in ("anna", "bram"):
            for _ in range(12):
                start = int(rng.integers(0, size - 1))
                end = int(min(size, start + rng.integers(1, 900)))
                rows.append((transcript.file, start, end, str(rng.choice(codes)), coder))
    result = agreement(
        codings_frame(rows), sample_corpus, unit="character", codes=codes, domain=codes, units="all"
    )
    total = sum(len(t.text) for t in sample_corpus)
    assert result.n_units == total
    # The same by brute force: one boolean per character, coder and code.
    offsets = {
        t.file: sum(len(u.text) for u in sample_corpus.transcripts[:i])
        for i, t in enumerate(sample_corpus)
    }
    marks = np.zeros((total, 2, len(codes)), dtype=bool)
    for file, start, end, code, coder in rows:
        marks[
            offsets[file] + start : offsets[file] + end,
            ("anna", "bram").index(coder),
            codes.index(code),
        ] = True
    for i, code in enumerate(result.per_code):
        a, b = marks[:, 0, i].astype(float), marks[:, 1, i].astype(float)
        observed = float((a == b).mean())
        expected = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        assert code.kappa == pytest.approx((observed - expected) / (1 - expected))
        assert code.percent_agreement == pytest.approx(100 * observed)
        assert dict(code.applied) == {"anna": int(a.sum()), "bram": int(b.sum())}
    # Domain: at one character every overlap is one character long, so the first code wins.
    values = np.where(marks.any(axis=2), marks.argmax(axis=2), MISSING)
    assert result.domain.alpha_nominal == pytest.approx(krippendorff_alpha(values))
    assert result.domain.n_units == int((values != MISSING).all(axis=1).sum())
    changed = sum(d.end - d.start for d in result.disagreements)
    assert changed == int((marks[:, 0] != marks[:, 1]).any(axis=1).sum())


def test_sample_coders_per_paragraph_match_nltk(sample_dir: Path, sample_corpus: Corpus) -> None:
    from nltk.metrics.agreement import AnnotationTask

    codings = read_codings([sample_dir / "codings_gold.csv", sample_dir / "codings_coder2.csv"])
    result = agreement(codings, sample_corpus, units="all")
    assert result.coders == ("gold", "coder2")
    coder2_files = set(codings.loc[codings["coder"] == "coder2", "file"])
    assert set(result.files) == coder2_files
    assert set(result.skipped_files) == set(sample_corpus.files) - coder2_files
    segments = [s for f in result.files for s in sample_corpus.get(f).segments("paragraph")]
    assert result.n_units == len(segments)
    rows = list(codings[["file", "start", "end", "code", "coder"]].itertuples(index=False))
    for code in result.per_code:
        triples = [
            (
                coder,
                f"{s.file}:{s.index}",
                int(
                    any(
                        r.file == s.file and r.start < s.end and s.start < r.end
                        for r in rows
                        if r.code == code.code and r.coder == coder
                    )
                ),
            )
            for coder in result.coders
            for s in segments
        ]
        task = AnnotationTask(data=triples)
        assert code.kappa == pytest.approx(task.kappa()), code.code
        assert code.alpha == pytest.approx(task.alpha()), code.code


# -- errors ----------------------------------------------------------------------------------


def _api_error(corpus: Corpus, rows, **options) -> str:
    with pytest.raises((CodingError, CodebookError, ArgumentError)) as info:
        agreement(codings_frame(rows), corpus, **options)
    return str(info.value)


def test_api_errors(thousand: Corpus) -> None:
    anna, bram = reference_rows()
    assert _api_error(thousand, anna + bram, unit="word") == (
        "unknown segment unit 'word'; choose one of: paragraph, sentence, turn, character"
    )
    assert _api_error(thousand, anna + bram, domain=["PLANING", "X"]) == (
        "unknown code 'PLANING' to compare: no coding in the codings uses it; "
        "did you mean PLANNING? codes used: PLANNING"
    )
    assert _api_error(thousand, anna + bram, domain=["PLANNING"]) == (
        "codes that exclude each other need at least two codes; got PLANNING"
    )
    assert _api_error(thousand, [*anna, ("verslag.txt", 990, 1001, "PLANNING", "bram")]) == (
        "codings, row 3: offsets 990-1001 do not fit verslag.txt (1000 characters); "
        "a coding needs 0 <= start < end <= 1000"
    )
    assert _api_error(thousand, [*anna, ("verslag.txt", 10, 10, "PLANNING", "bram")]) == (
        "codings, row 3: offsets 10-10 do not fit verslag.txt (1000 characters); "
        "a coding needs 0 <= start < end <= 1000"
    )
    assert _api_error(thousand, anna) == (
        "agreement needs at least two coders; found only 'anna' in the codings"
    )
    assert (
        _api_error(thousand, []) == "agreement needs at least two coders; found none in the codings"
    )
    book = parse_codebook(CODEBOOK_YAML, path="proef.yaml")
    assert _api_error(thousand, anna + bram, domain=["TIJDSDRUK", "UITSTELL"], codebook=book) == (
        "unknown code 'UITSTELL' to compare: not in codebook proef.yaml; did you mean UITSTEL?"
    )


def test_no_transcript_coded_by_every_coder(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "v", {"a.txt": "Eerste verslag.", "b.txt": "Tweede verslag."})
    rows = [("a.txt", 0, 7, "PLANNING", "anna"), ("b.txt", 0, 6, "PLANNING", "bram")]
    assert _api_error(corpus, rows) == (
        "no transcript in the codings was coded by every coder (anna: a.txt; bram: b.txt); "
        "name the transcripts to compare to count uncoded ones as coded with nothing"
    )


def test_read_codings_marks_source_and_row(tmp_path: Path, thousand: Corpus) -> None:
    anna, bram = reference_rows()
    frame = read_codings(
        [
            write_csv(tmp_path / "anna.csv", anna, thousand),
            write_csv(tmp_path / "bram.csv", bram, thousand),
        ]
    )
    assert frame[["source", "row", "coder"]].values.tolist() == [
        ["anna.csv", 2, "anna"],
        ["bram.csv", 2, "bram"],
        ["bram.csv", 3, "bram"],
    ]
