"""The Project API: creating, coding by offsets/segment/phrase, memos, suggestions, imports."""

from __future__ import annotations

import pandas as pd
import pytest
from store_fixtures import *  # noqa: F403 (fixtures)
from store_fixtures import A_TEXT, CODEBOOK_YAML

from qualcode.codebook import parse_codebook
from qualcode.coding import Coding
from qualcode.corpus import load_corpus
from qualcode.errors import CodingError, CorpusError
from qualcode.store import CodingsRefused, Project
from qualcode.store.db import Database
from qualcode.store.frames import PROJECT_CODINGS_COLUMNS

BUDGET = A_TEXT.index("Het budget")  # respondent paragraph 1 of a.txt
BUDGET_END = A_TEXT.index("begeleiding.") + len("begeleiding.")


def span(phrase: str) -> tuple[int, int]:
    start = A_TEXT.index(phrase)
    return start, start + len(phrase)


# -- creating and opening ---------------------------------------------------------------------


def test_the_stored_corpus_has_the_same_texts_segments_and_metadata(project, folder):
    read = load_corpus(folder)
    stored = project.corpus
    assert stored.files == read.files == ("a.txt", "b.txt")
    for a, b in zip(stored, read, strict=True):
        assert (a.text, a.format, a.turns, a.paragraphs) == (
            b.text,
            b.format,
            b.turns,
            b.paragraphs,
        )
        assert (a.respondent, a.organisation, dict(a.attributes)) == (
            b.respondent,
            b.organisation,
            dict(b.attributes),
        )
        for unit in ("paragraph", "turn"):
            assert a.segments(unit) == b.segments(unit)
    assert project.transcripts_dir == folder.resolve()
    assert [c.id for c in project.codebook.codes][:2] == ["FINANCIEN", "GELD_TEKORT"]


def test_the_store_keeps_every_field_of_a_transcript():
    from dataclasses import fields

    from qualcode.corpus import Transcript
    from qualcode.store.texts import STORED_FIELDS

    # a new Transcript field must be stored too, or rebuilt transcripts would silently lose it
    assert {f.name for f in fields(Transcript)} == STORED_FIELDS


def test_the_sample_corpus_keeps_every_segment_in_the_store(sample_corpus):
    with Project.create(
        ":memory:", transcripts=sample_corpus, codebook=parse_codebook(CODEBOOK_YAML)
    ) as p:
        for a, b in zip(p.corpus, sample_corpus, strict=True):
            assert (a.file, a.text, a.cues) == (b.file, b.text, b.cues)
            assert a.segments("turn") == b.segments("turn")
            assert a.segments("paragraph") == b.segments("paragraph")


def test_create_refuses_a_folder_with_problems(tmp_path, folder, codebook_file):
    (folder / "c.txt").write_text("Een derde verslag zonder rij in de tabel.\n")
    with pytest.raises(CorpusError) as err:
        Project.create(tmp_path / "s.db", transcripts=folder, codebook=codebook_file)
    assert str(err.value) == (
        f"{folder}: 1 problem(s) with the transcripts, fix them before creating a project: "
        "c.txt: no row in respondents.csv; add a row with file, respondent, organisation"
    )
    assert not (tmp_path / "s.db").exists()


def test_a_project_survives_closing_and_reopening(project_file):
    with Project.open(project_file) as p:
        cid = p.code("a.txt", *span("veel te krap"), "GELD_TEKORT", coder="anna", memo="kern")
    with Project.open(project_file) as p:
        c = p.coding(cid)
        assert (c.file, c.code, c.coder, c.memo, c.anchor.snippet) == (
            "a.txt",
            "GELD_TEKORT",
            "anna",
            "kern",
            "veel te krap",
        )
        assert p.info().codings == {"active": 1}


# -- coding -----------------------------------------------------------------------------------


def test_code_stores_a_manual_coding_and_is_idempotent(project):
    first = project.code("a.txt", *span("veel te krap"), "GELD_TEKORT", coder="anna")
    again = project.code("a.txt", *span("veel te krap"), "GELD_TEKORT", coder="anna")
    assert first == again
    frame = project.codings()
    assert list(frame.columns) == list(PROJECT_CODINGS_COLUMNS)
    row = frame.iloc[0]
    assert (
        row["file"],
        row["respondent"],
        row["organisation"],
        row["code"],
        row["variable"],
        row["coder"],
        row["text"],
        row["origin"],
        row["status"],
    ) == (
        "a.txt",
        "R1",
        "Divosa",
        "GELD_TEKORT",
        "FINANCIEN",
        "anna",
        "veel te krap",
        "manual",
        "active",
    )
    assert len(frame) == 1


@pytest.mark.parametrize(
    ("file", "start", "end", "code", "message"),
    [
        (
            "c.txt",
            0,
            5,
            "PLANNING",
            "c.txt: no such transcript in {root}; known files: a.txt, b.txt",
        ),
        (
            "a.txt",
            BUDGET,
            BUDGET + 5,
            "PLANING",
            f"a.txt, {BUDGET}-{BUDGET + 5}: unknown code 'PLANING' in codebook 'klein'; "
            "did you mean "
            "PLANNING? (see 'qualcode codebook show' for all ids)",
        ),
        (
            "a.txt",
            250,
            300,
            "PLANNING",
            "a.txt, 250-300: offsets outside the text (a.txt has 259 characters, 0-259); "
            "offsets count "
            "characters of the normalised text, see 'qualcode text a.txt'",
        ),
        (
            "a.txt",
            60,
            60,
            "PLANNING",
            "a.txt, 60-60: empty span (end 60 is not after start 60); a coding needs end > start",
        ),
        (
            "a.txt",
            39,
            41,
            "PLANNING",
            "a.txt, 39-41: the span is only white space; code the words themselves",
        ),
        (
            "a.txt",
            20,
            60,
            "PLANNING",
            "a.txt, 20-60: the span covers interviewer speech ('Interviewer' at 13-39); "
            "only respondent "
            "speech is coded, narrow the span to the respondent's words",
        ),
    ],
)
def test_code_refuses_bad_input_with_the_fix(project, file, start, end, code, message):
    with pytest.raises((CodingError, CorpusError)) as err:  # an unknown file: the corpus's error
        project.code(file, start, end, code, coder="anna")
    assert str(err.value) == message.format(root=project.corpus.root)
    assert project.codings().empty


@pytest.mark.parametrize(
    ("coder", "message"),
    [
        ("  ", "coder is empty; pass coder='your name'"),
        ("auto", "coder 'auto' is reserved for the auto-coder's suggestions; pass your own name"),
    ],
)
def test_code_needs_a_human_coder(project, coder, message):
    with pytest.raises(CodingError) as err:
        project.code("a.txt", BUDGET, BUDGET_END, "FINANCIEN", coder=coder)
    assert str(err.value) == message


def test_code_segment_by_reference_and_by_segment(project):
    seg = project.corpus.get("a.txt").segments("paragraph")[1]
    assert seg.text == "Het budget was veel te krap voor de begeleiding."
    a = project.code_segment(("a.txt", "paragraph", 1), "FINANCIEN", coder="anna")
    b = project.code_segment(seg, "BELEMMEREND", coder="anna")
    got = [(c.id, c.start, c.end, c.code) for c in project.coding_records()]
    assert got == [(b, BUDGET, BUDGET_END, "BELEMMEREND"), (a, BUDGET, BUDGET_END, "FINANCIEN")]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (("a.txt", "paragraph", 9), "a.txt: no paragraph 9; it has 5 paragraph segments (0-4)"),
        (
            ("a.txt", "paragraph", 0),
            "a.txt, paragraph 0: interviewer speech ('Interviewer'); "
            "only respondent speech is coded",
        ),
        (
            ("a.txt", "zin", 0),
            "unknown segment unit 'zin'; choose one of: paragraph, turn, sentence",
        ),
    ],
)
def test_code_segment_refuses(project, ref, message):
    with pytest.raises(Exception) as err:
        project.code_segment(ref, "FINANCIEN", coder="anna")
    assert str(err.value) == message


def test_code_segment_refuses_a_segment_of_another_text(project):
    from qualcode.corpus import transcript_from_text

    other = transcript_from_text("Heel andere tekst.\n\nMet twee alinea's.", file="a.txt")
    with pytest.raises(CodingError) as err:
        project.code_segment(other.segments("paragraph")[1], "FINANCIEN", coder="anna")
    assert str(err.value) == (
        "a.txt, paragraph 1: the segment is from another version of the "
        "text; take segments from project.corpus"
    )


def test_code_phrase_finds_the_phrase_in_the_segment(project):
    cid = project.code_phrase(
        "a.txt",
        "structurele afspraak",
        "FINANCIEN",
        coder="anna",
        segment=("a.txt", "paragraph", 2),
    )
    c = project.coding(cid)
    assert (c.start, c.end) == span("structurele afspraak")


@pytest.mark.parametrize(
    ("phrase", "segment", "message"),
    [
        (
            "begroting",
            ("a.txt", "paragraph", 1),
            "paragraph 1 of a.txt: phrase 'begroting' occurs nowhere there; copy the respondent's "
            "words exactly from the text",
        ),
        (
            "Hoe ging",
            None,
            "a.txt: phrase 'Hoe ging' occurs only in interviewer speech there; "
            "copy the respondent's words "
            "exactly from the text",
        ),
        (
            "Het ",
            None,
            "a.txt: phrase 'Het ' occurs 2 times (at 53, 197); give a longer phrase or the segment",
        ),
        ("", None, "a.txt: empty phrase; type the words to code"),
    ],
)
def test_code_phrase_refuses_absent_ambiguous_and_interviewer_phrases(
    project, phrase, segment, message
):
    with pytest.raises(CodingError) as err:
        project.code_phrase("a.txt", phrase, "FINANCIEN", coder="anna", segment=segment)
    assert str(err.value) == message


def test_recode_and_uncode_own_codings_only(project):
    cid = project.code("a.txt", BUDGET, BUDGET_END, "FINANCIEN", coder="anna")
    project.recode(cid, *span("veel te krap"), coder="anna")
    assert project.coding(cid).anchor.snippet == "veel te krap"
    with pytest.raises(CodingError) as err:
        project.uncode(cid, coder="bert")
    assert (
        str(err.value)
        == f"coding {cid} belongs to coder 'anna'; only its coder can have it removed"
    )
    project.uncode(cid, coder="anna")
    assert project.codings().empty
    with pytest.raises(CodingError) as err:
        project.uncode(cid, coder="anna")
    assert str(err.value) == f"no coding with id {cid}; see project.codings(status=None)"
    log = project.log()
    assert list(log["action"]) == ["create", "code", "recode", "uncode"]
    assert '"snippet": "veel te krap"' in log.iloc[-1]["details"]


def test_memos_on_codings_codes_and_transcripts(project):
    cid = project.code("a.txt", BUDGET, BUDGET_END, "FINANCIEN", coder="anna")
    project.memo("Kernpassage over geld.", coder="anna", coding=cid)
    project.memo("Ook tekorten in de uitvoering.", coder="anna", code="FINANCIEN")
    project.memo("Lang gesprek, veel over geld.", coder="bert", transcript="a.txt")
    project.memo("Eerste versie.", coder="anna", transcript="b.txt")
    project.memo("", coder="anna", transcript="b.txt")  # removes it
    memos = project.memos()
    assert list(
        zip(memos["kind"], memos["target"], memos["coder"], memos["text"], strict=True)
    ) == [
        ("code", "FINANCIEN", "anna", "Ook tekorten in de uitvoering."),
        ("transcript", "a.txt", "bert", "Lang gesprek, veel over geld."),
        ("coding", str(cid), "anna", "Kernpassage over geld."),
    ]
    assert project.codings().iloc[0]["memo"] == "Kernpassage over geld."


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "memo needs exactly one of coding=ID, code=CODE_ID or transcript=FILE"),
        (
            {"code": "GELD"},
            "memo on code GELD: unknown code 'GELD' in codebook 'klein' "
            "(see 'qualcode codebook show' for all ids)",
        ),
        (
            {"transcript": "x.txt"},
            "x.txt: no such transcript in {root}; known files: a.txt, b.txt",
        ),
        ({"coding": 99}, "no coding with id 99; see project.codings(status=None)"),
    ],
)
def test_memo_refuses_bad_targets(project, kwargs, message):
    with pytest.raises((CodingError, CorpusError)) as err:
        project.memo("tekst", coder="anna", **kwargs)
    assert str(err.value) == message.format(root=project.corpus.root)


def test_codings_filters_and_unknown_status(project):
    project.code("a.txt", BUDGET, BUDGET_END, "FINANCIEN", coder="anna")
    project.code("b.txt", 42, 85, "FINANCIEN", coder="bert")
    assert list(project.codings(coder="bert")["file"]) == ["b.txt"]
    assert list(project.codings(coder=("anna", "bert"))["file"]) == ["a.txt", "b.txt"]
    assert list(project.codings(file="a.txt")["coder"]) == ["anna"]
    assert project.codings(status="suggested").empty
    assert project.coders() == ("anna", "bert")
    with pytest.raises(CodingError) as err:
        project.codings(status="done")
    assert str(err.value) == (
        "unknown status 'done'; choose from active, suggested, accepted, rejected, orphaned"
    )


# -- suggestions ------------------------------------------------------------------------------


def _suggestions() -> list[Coding]:
    return [
        Coding("a.txt", BUDGET, BUDGET_END, "FINANCIEN", score=2.5, evidence="budget"),
        Coding("b.txt", 42, 85, "FINANCIEN", score=1.0, evidence="geld"),
    ]


def test_suggestions_are_accepted_or_rejected(project):
    result = project.import_suggestions(_suggestions())
    assert (result.added, result.skipped) == (2, 0)
    sug = project.codings(status="suggested")
    assert list(zip(sug["coder"], sug["origin"], sug["score"], strict=True)) == [
        ("auto", "auto", 2.5),
        ("auto", "auto", 1.0),
    ]
    assert project.codings().empty
    first, second = (int(i) for i in sug["id"])
    mine = project.accept(first, coder="anna")
    project.reject(second, coder="anna")
    active = project.codings()
    assert list(
        zip(active["id"], active["coder"], active["origin"], active["evidence"], strict=True)
    ) == [(mine, "anna", "manual", "budget")]
    assert project.coding(first).status == "accepted"
    assert project.coding(first).decided_by == "anna"
    assert project.coding(second).status == "rejected"
    with pytest.raises(CodingError) as err:
        project.accept(second, coder="anna")
    assert str(err.value) == f"coding {second} is rejected, not a pending suggestion"
    # running the auto-coder again adds nothing already seen, decided or not
    assert project.import_suggestions(_suggestions()).skipped == 2
    # removing the accepted coding puts the suggestion back up for a decision
    project.uncode(mine, coder="anna")
    assert project.coding(first).status == "suggested"
    assert list(project.log()["action"]) == [
        "create",
        "import-suggestions",
        "accept",
        "reject",
        "uncode",
    ]


def test_a_suggestion_cannot_be_removed_as_if_it_were_a_coding(project):
    (sid,) = project.import_suggestions(_suggestions()[:1]).ids
    with pytest.raises(CodingError) as err:
        project.uncode(sid, coder="anna")
    assert str(err.value) == (
        f"coding {sid} is suggested, not active; only active codings can be "
        "removed (accept or reject suggestions)"
    )


# -- importing codings ------------------------------------------------------------------------


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["file", "start", "end", "code", "coder", "text"])


def test_import_codings_reanchors_rows_by_their_text(project):
    s, e = span("veel te krap")
    result = project.import_codings(
        _frame(
            [
                ("a.txt", s, e, "GELD_TEKORT", "anna", "veel te krap"),
                ("a.txt", s - 10, e - 10, "FINANCIEN", "anna", "veel te krap"),  # offsets drifted
                ("b.txt", 42, 85, "PLANNING", "auto", ""),  # the auto-coder: a suggestion
                ("a.txt", s, e, "GELD_TEKORT", "anna", "veel te krap"),  # twice in the file
            ]
        ),
        source="anna.csv",
    )
    assert (result.added, result.reanchored, result.skipped) == (3, 1, 1)
    frame = project.codings(status=None)
    assert list(zip(frame["start"], frame["code"], frame["status"], strict=True)) == [
        (s, "FINANCIEN", "active"),
        (s, "GELD_TEKORT", "active"),
        (42, "PLANNING", "suggested"),
    ]
    assert project.import_codings(_frame([("a.txt", s, e, "GELD_TEKORT", "anna", "")])).skipped == 1


def test_import_codings_refuses_every_bad_row_and_stores_nothing(project):
    s, e = span("veel te krap")
    with pytest.raises(CodingsRefused) as err:
        project.import_codings(
            _frame(
                [
                    ("a.txt", s, e, "GELD_TEKORT", "anna", "veel te krap"),
                    ("c.txt", 0, 4, "PLANNING", "anna", ""),
                    ("a.txt", s, e, "GELDTEKORT", "anna", ""),
                    ("a.txt", s, e, "PLANNING", "anna", "te weinig geld"),
                    ("a.txt", s, e, "PLANNING", "", ""),
                    ("a.txt", "x", e, "PLANNING", "anna", ""),
                ]
            ),
            source="anna.csv",
        )
    assert err.value.problems == (
        f"anna.csv, row 3: file 'c.txt' is not a transcript in {project.corpus.root}; known "
        "files: a.txt, b.txt (fix the file name, or read the transcripts the codings were made "
        "on)",
        "anna.csv, row 4: unknown code 'GELDTEKORT' in codebook 'klein'; did you mean "
        "GELD_TEKORT? (see 'qualcode codebook show' for all ids)",
        f"anna.csv, row 5: text 'te weinig geld' is not at {s}-{e} of a.txt and occurs nowhere "
        "in it; fix the offsets or the text",
        "anna.csv, row 6: the coder is empty; every coding needs a coder's name",
        "anna.csv, row 7: start 'x' is not a non-negative whole number (a character offset)",
    )
    assert str(err.value) == err.value.problems[0] + (
        " (and 4 more refused rows; nothing was imported)"
    )
    assert project.codings(status=None).empty
    assert list(project.log()["action"]) == ["create"]


def test_import_codings_needs_the_required_columns(project):
    with pytest.raises(CodingError) as err:
        project.import_codings(pd.DataFrame({"file": ["a.txt"], "start": [1]}), source="x.csv")
    assert str(err.value) == (
        "x.csv: missing columns end, code, coder; codings need file, start, end, code, coder"
    )


def test_ten_thousand_codings_are_imported_in_one_transaction(project, monkeypatch):
    begun = []
    original = Database.transaction

    def counting(self):
        begun.append(self._depth)
        return original(self)

    monkeypatch.setattr(Database, "transaction", counting)
    rows = [
        ("b.txt", i % 100, i % 100 + 3 + (i // 100) % 25, "FINANCIEN", f"coder{i // 2500}", "")
        for i in range(10_000)
    ]
    result = project.import_codings(_frame(rows))
    assert result.added == 10_000
    assert [d for d in begun if d == 0] == [0]  # one outermost transaction
    assert len(project.codings()) == 10_000
    assert list(project.log()["action"]) == ["create", "import-codings"]


def test_info_counts(project):
    project.code("a.txt", BUDGET, BUDGET_END, "FINANCIEN", coder="anna")
    project.import_suggestions(_suggestions())
    info = project.info()
    assert (info.transcripts, info.codes, info.coders, info.codings, info.schema_version) == (
        2,
        6,
        ("anna", "auto"),
        {"active": 1, "suggested": 2},
        1,
    )


def test_the_codebook_can_be_refined_but_not_lose_codes_in_use(project):
    project.code("a.txt", BUDGET, BUDGET_END, "GELD_TEKORT", coder="anna")
    refined = CODEBOOK_YAML.replace("name: Geldtekort", "name: Tekort aan geld") + (
        "  - {id: UITSTEL, name: Uitstel, description: Uitgestelde invoering., parent: PLANNING}\n"
    )
    project.set_codebook(parse_codebook(refined), coder="anna")
    assert project.codebook.get("GELD_TEKORT").name == "Tekort aan geld"
    assert project.variables()["UITSTEL"] == "PLANNING"
    project.code("a.txt", BUDGET, BUDGET_END, "UITSTEL", coder="anna")
    without = CODEBOOK_YAML.replace(
        "  - {id: GELD_TEKORT, name: Geldtekort, description: Te weinig budget., "
        "parent: FINANCIEN}\n",
        "",
    )
    with pytest.raises(CodingError) as err:
        project.set_codebook(parse_codebook(without), coder="anna")
    assert str(err.value) == (
        "the new codebook lacks codes that codings use: GELD_TEKORT (1), UITSTEL (1); keep those "
        "ids (rename the code's name, not its id) or remove those codings first"
    )
    assert "UITSTEL" in project.codebook
    assert '"added": ["UITSTEL"]' in project.log().iloc[-2]["details"]
