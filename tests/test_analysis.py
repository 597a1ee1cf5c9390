"""The analysis API on small hand-made codings: counts, matrices and quotes you can check by eye."""

from __future__ import annotations

import pandas as pd
import pytest

from qualcode.analysis import Analysis, speech_spans
from qualcode.coding import Coding
from qualcode.errors import CodingError, CorpusError

pytest_plugins = ["analysis_fixtures"]


def test_frequencies_roll_sub_codes_up_and_count_each_segment_once(analysis) -> None:
    freq = analysis.frequencies().set_index("code")
    assert list(freq.columns) == ["variable", "name", "segments", "respondents", "organisations"]
    # GELD: a.txt two paragraphs, b.txt one, c.txt one -> 4 segments, 3 respondents, 2 orgs
    assert freq.loc["GELD", ["segments", "respondents", "organisations"]].tolist() == [4, 3, 2]
    assert freq.loc["GELD_TEKORT", ["segments", "respondents", "organisations"]].tolist() == [
        2,
        1,
        1,
    ]
    assert freq.loc["GELD_TAFEL", "segments"] == 1
    assert freq.loc["PLANNING", ["segments", "respondents"]].tolist() == [2, 2]
    assert freq.loc["BEVORDEREND", "variable"] == "VALENCE"
    assert freq.loc["BEVORDEREND", "segments"] == 2


def test_frequencies_by_organisation_is_a_full_grid(analysis) -> None:
    freq = analysis.frequencies(by="organisation", level="variable")
    assert freq[["code", "organisation", "segments", "respondents"]].values.tolist() == [
        [
            "GELD",
            "Org A",
            3,
            2,
        ],
        ["GELD", "Org B", 1, 1],
        ["PLANNING", "Org A", 1, 1],
        ["PLANNING", "Org B", 1, 1],
    ]


def test_frequencies_by_attribute_and_group_sizes(analysis) -> None:
    freq = analysis.frequencies(by="steering_group", level="variable").set_index(
        ["code", "steering_group"]
    )
    assert freq.loc[("GELD", "ja"), "organisations"] == 1
    assert freq.loc[("GELD", "ja"), "respondents"] == 2
    sizes = analysis.group_sizes("steering_group")
    assert sizes.to_dict(orient="index") == {
        "ja": {"respondents": 2, "organisations": 1},
        "nee": {"respondents": 1, "organisations": 1},
    }


def test_reach_says_n_of_m(analysis) -> None:
    reach = analysis.reach("PLANNING")
    assert str(reach) == "Planning: 2 segments, 2 of 3 respondents, 2 of 2 organisations"


def test_interviewer_speech_is_never_counted(corpus, codebook) -> None:
    text = corpus.get("a.txt").text
    start = text.index("Hoe ging het met het geld?")
    question = Coding("a.txt", start, start + len("Hoe ging het met het geld?"), "GELD")
    analysis = Analysis([question], corpus, codebook)
    assert analysis.frequencies(codes=["GELD"])["segments"].tolist() == [0]
    assert analysis.quotes("GELD").empty


def test_cooccurrence_counts_segments_with_both(analysis) -> None:
    matrix = analysis.cooccurrence()
    assert matrix.loc["GELD", "PLANNING"] == 1  # "Er was haast." carries both
    assert matrix.loc["GELD", "GELD"] == 4
    assert (matrix.values == matrix.values.T).all()
    codes = analysis.cooccurrence(level="code")
    assert codes.loc["GELD_TEKORT", "PLANNING_DRUK"] == 1
    assert "BEVORDEREND" not in codes.index
    with_valence = analysis.cooccurrence(include_valence=True)
    assert with_valence.loc["GELD", "BELEMMEREND"] == 2


def test_valence_split_per_variable(analysis) -> None:
    split = analysis.valence_split()
    assert list(split.columns) == ["BEVORDEREND", "BELEMMEREND", "mixed", "none"]
    assert split.loc["GELD"].tolist() == [0, 1, 1, 2]
    assert split.loc["PLANNING"].tolist() == [1, 0, 0, 1]


def test_quotes_merge_overlaps_and_carry_valence(analysis) -> None:
    quotes = analysis.quotes("GELD", by_score=True)
    assert quotes[["code", "file", "text", "valence", "score"]].values.tolist() == [
        ["GELD_TEKORT", "a.txt", "Het geld was op.", "BELEMMEREND", 3.0],
        ["GELD", "c.txt", "Het geld kwam er.", "BEVORDEREND;BELEMMEREND", 1.2],
        ["GELD_TEKORT", "a.txt", "Er was haast.", "", 1.0],
        ["GELD_TAFEL", "b.txt", "Geld bleef een taboe.", "", 0.5],
    ]
    assert quotes["organisation"].tolist() == ["Org A", "Org A", "Org A", "Org B"]


def test_quotes_in_document_order_and_filtered(analysis) -> None:
    quotes = analysis.quotes("GELD", by_score=False)
    assert quotes["code"].tolist() == ["GELD", "GELD_TEKORT", "GELD_TEKORT", "GELD_TAFEL"]
    assert analysis.quotes("GELD", valence="BEVORDEREND")["file"].tolist() == ["c.txt"]
    assert analysis.quotes("GELD", valence="")["file"].tolist() == ["a.txt", "b.txt"]
    assert analysis.quotes(organisation="Org B")["code"].tolist() == ["PLANNING", "GELD_TAFEL"]


def test_a_coding_across_a_question_becomes_two_quotes_without_the_question(
    corpus, codebook
) -> None:
    text = corpus.get("a.txt").text
    start, end = text.index("Er was haast."), len(text)
    analysis = Analysis([Coding("a.txt", start, end, "PLANNING")], corpus, codebook)
    quotes = analysis.quotes("PLANNING", by_score=False)
    assert quotes["text"].tolist() == ["Er was haast.", "Te krap."]
    for row in quotes.itertuples():
        assert text[row.start : row.end] == row.text


def test_speech_spans_leave_out_interviewer_turns_and_labels(corpus) -> None:
    t = corpus.get("a.txt")
    speech = "".join(t.text[a:b] for a, b in speech_spans(t))
    assert "Hoe ging" not in speech and "Interviewer" not in speech and "Respondent:" not in speech
    assert "Het geld was op." in speech and "Te krap." in speech


def test_framework_matrix_counts_and_quotes(analysis) -> None:
    counts = analysis.framework_matrix()
    assert counts.to_dict(orient="index") == {
        "Org A": {"GELD": 3, "PLANNING": 1},
        "Org B": {"GELD": 1, "PLANNING": 1},
    }
    quotes = analysis.framework_matrix(values="quotes")
    assert quotes.loc["Org B", "PLANNING"] == ["De planning was goed."]
    assert quotes.loc["Org A", "GELD"][0] == "Het geld was op."


def test_compare_groups(analysis) -> None:
    table = analysis.compare("steering_group")
    assert list(table.columns.get_level_values(0).unique()) == ["ja", "nee"]
    assert table.loc["GELD", ("ja", "segments")] == 3
    assert table.loc["GELD", ("ja", "per_respondent")] == 1.5
    assert table.loc["PLANNING", ("nee", "share")] == 1.0


def test_crosstab_variables_by_organisation(analysis) -> None:
    table = analysis.crosstab()
    assert table.loc["GELD"].tolist() == [3, 1]
    assert list(table.columns) == ["Org A", "Org B"]


def test_codings_frame_with_text_column_is_accepted(analysis, codings, corpus, codebook) -> None:
    frame = pd.DataFrame(
        [
            {
                "file": c.file,
                "start": c.start,
                "end": c.end,
                "code": c.code,
                "coder": c.coder,
                "score": c.score,
                "text": corpus.get(c.file).text[c.start : c.end],
            }
            for c in codings
        ]
    )
    again = Analysis(frame, corpus, codebook)
    pd.testing.assert_frame_equal(again.frequencies(), analysis.frequencies())


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"file": "x.txt", "start": 0, "end": 3, "code": "GELD"},
            "mini.csv, row 2: file 'x.txt' is not a transcript in mini; known files: a.txt, "
            "b.txt, c.txt (fix the file name, or read the transcripts the codings were made on)",
        ),
        (
            {"file": "b.txt", "start": 0, "end": 3, "code": "MONEY"},
            "mini.csv, row 2: unknown code 'MONEY' in codebook 'mini' (see 'qualcode codebook "
            "show' for all ids)",
        ),
        (
            {"file": "b.txt", "start": 5, "end": 500, "code": "GELD"},
            "mini.csv, row 2: offsets 5-500 do not fit b.txt (70 characters); a coding needs "
            "0 <= start < end <= 70",
        ),
        (
            {"file": "b.txt", "start": 0, "end": 7, "code": "GELD", "text": "Iets anders"},
            "mini.csv, row 2: the coded text does not match b.txt at 0-7 ('Iets anders' vs "
            "'Verslag'); the transcript changed after coding: re-anchor the codings in a project "
            "(qualcode project import-codings) and export them again",
        ),
    ],
)
def test_bad_codings_are_refused_naming_the_row(corpus, codebook, row, message) -> None:
    with pytest.raises(CodingError) as exc:
        Analysis(pd.DataFrame([row]), corpus, codebook, source="mini.csv")
    assert str(exc.value) == message


def test_codings_without_required_columns(corpus, codebook) -> None:
    with pytest.raises(CodingError) as exc:
        Analysis(pd.DataFrame([{"file": "b.txt", "code": "GELD"}]), corpus, codebook)
    assert str(exc.value) == (
        "codings: missing columns start, end; codings need file, start, end, code"
    )


def test_unknown_grouping(analysis) -> None:
    with pytest.raises(CorpusError) as exc:
        analysis.frequencies(by="sector")
    assert str(exc.value) == (
        "cannot group by 'sector': no such column in the respondents "
        "table; choose one of: file, respondent, organisation, "
        "steering_group, name"
    )


def test_empty_codings_give_zero_tables(corpus, codebook) -> None:
    analysis = Analysis([], corpus, codebook)
    assert analysis.frequencies()["segments"].sum() == 0
    assert analysis.cooccurrence().values.sum() == 0
    assert analysis.quotes().empty
    assert analysis.valence_split().values.sum() == 0
    assert analysis.framework_matrix().values.sum() == 0


def test_within_picks_a_code_and_its_sub_codes(analysis) -> None:
    freq = analysis.frequencies(within="GELD")
    assert freq["code"].tolist() == ["GELD", "GELD_TEKORT", "GELD_TAFEL"]
    split = analysis.valence_split(within="PLANNING")
    assert split.index.tolist() == ["PLANNING", "PLANNING_DRUK"]
    table = analysis.crosstab(within="GELD", level="code")
    assert table.loc["GELD_TEKORT"].tolist() == [2, 0]


def test_from_project_reads_the_projects_codings(corpus, codebook) -> None:
    from qualcode.store import Project

    with Project.create(":memory:", transcripts=corpus, codebook=codebook) as project:
        text = project.corpus.get("b.txt").text
        start = text.index("De planning was goed.")
        project.code("b.txt", start, start + 21, "PLANNING", coder="anna")
        project.code("b.txt", start, start + 11, "PLANNING_DRUK", coder="bob")
        both = Analysis.from_project(project)
        anna = Analysis.from_project(project, coder="anna")
    assert both.quotes("PLANNING", by_score=False)["coders"].tolist() == ["anna", "bob"]
    assert anna.frequencies(codes=["PLANNING"])["segments"].tolist() == [1]
    assert anna.quotes("PLANNING")["text"].tolist() == ["De planning was goed."]
