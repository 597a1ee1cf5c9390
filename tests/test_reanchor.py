"""Re-anchoring: finding coded passages again after a transcript changed, and Project.refresh."""

from __future__ import annotations

import pytest
from store_fixtures import *  # noqa: F403 (fixtures)
from store_fixtures import A_TEXT, B_TEXT, write_folder

from qualcode.coding.reanchor import Alignment, Anchor, locate, nearest_occurrence
from qualcode.errors import CodingError, StoreError
from qualcode.store import Project

PASSAGE = "Het tempo was soms moordend, met consultaties van twee weken."
OLD = (
    "Inleiding van het verslag.\n\n"
    "Over de planning zegt de respondent het volgende. "
    + PASSAGE
    + " Daarna werd het rustiger.\n\n"
    "Het geld bleef een punt.\n"
)
START = OLD.index(PASSAGE)
END = START + len(PASSAGE)


def _locate(new: str, *, snippet_span: tuple[int, int] = (START, END)):
    anchor = Anchor.of(OLD, *snippet_span)
    return locate(anchor, new, old_span=snippet_span, alignment=Alignment(OLD, new))


@pytest.mark.parametrize(
    ("name", "new", "expected", "method"),
    [
        ("unchanged", OLD, PASSAGE, "exact"),
        (
            "text inserted before",
            OLD.replace("Inleiding", "Een nieuwe eerste alinea.\n\nInleiding"),
            PASSAGE,
            "exact",
        ),
        (
            "typo fixed just before",
            OLD.replace("zegt de respondent", "zei de respondent"),
            PASSAGE,
            "exact",
        ),
        (
            "edited inside",
            OLD.replace("soms moordend", "af en toe moordend"),
            "Het tempo was af en toe moordend, met consultaties van twee weken.",
            "fuzzy",
        ),
        (
            "typo fixed inside",
            OLD.replace("consultaties", "consultatie's"),
            "Het tempo was soms moordend, met consultatie's van twee weken.",
            "fuzzy",
        ),
        ("text deleted after", OLD.replace(" Daarna werd het rustiger.", ""), PASSAGE, "exact"),
    ],
)
def test_a_passage_is_found_again(name, new, expected, method):
    place = _locate(new)
    assert place is not None, name
    assert new[place.start : place.end] == expected
    assert place.method == method


def test_a_deleted_passage_is_not_found():
    assert _locate(OLD.replace(PASSAGE + " ", "")) is None


def test_a_short_snippet_is_not_moved_to_the_same_words_elsewhere():
    # "geld" is coded in the last paragraph; that paragraph goes, "geld" stays in a new one.
    s = OLD.index("geld")
    new = "Geld was in het begin geen onderwerp, zei men: geld.\n\n" + OLD.replace(
        "Het geld bleef een punt.\n", ""
    )
    assert _locate(new, snippet_span=(s, s + 4)) is None


def test_of_two_occurrences_the_one_with_the_right_context_wins():
    twice = OLD + "\nHerhaling: " + PASSAGE + "\n"
    place = _locate("Nieuwe kop.\n\n" + twice)
    assert place is not None
    assert place.start == START + len("Nieuwe kop.\n\n")


def test_alignment_keeps_inserted_text_out_of_a_span():
    old, new = "aaa bbb ccc", "aaa XX bbb YY ccc"
    al = Alignment(old, new)
    assert new[al.start(4) : al.end(7)] == "bbb"
    assert (al.start(0), al.end(len(old))) == (0, len(new))


def test_nearest_occurrence():
    assert nearest_occurrence("ab ab ab", "ab", near=4) == 3
    assert nearest_occurrence("ab ab ab", "cd", near=4) is None


# -- Project.refresh --------------------------------------------------------------------------

CODED = "Het budget was veel te krap voor de begeleiding."
LATER = "Het tempo was soms moordend"


def _coded_project(project):
    a = A_TEXT.index(CODED)
    t = A_TEXT.index(LATER)
    ids = {
        "budget": project.code("a.txt", a, a + len(CODED), "FINANCIEN", coder="anna", memo="m"),
        "tempo": project.code("a.txt", t, t + len(LATER), "TIJDSDRUK", coder="anna"),
        "b": project.code("b.txt", 42, 84, "FINANCIEN", coder="bert"),
    }
    (ids["suggestion"],) = project.import_suggestions(
        [__import__("qualcode.coding", fromlist=["Coding"]).Coding("a.txt", t, t + 9, "PLANNING")]
    ).ids
    return ids


def _text(project, coding_id):
    c = project.coding(coding_id)
    return project.transcript(c.file).text[c.start : c.end]


def test_refresh_with_nothing_changed(project):
    ids = _coded_project(project)
    before = project.codings(status=None)
    result = project.refresh()
    assert result.to_dict() == {
        "unchanged": 4, "moved": 0, "orphaned": 0, "orphans": [], "restored": 0,
        "still_orphaned": 0, "changed_files": [], "added_files": [], "missing_files": [],
        "problems": [],
    }  # fmt: skip
    assert project.codings(status=None).equals(before)
    assert _text(project, ids["budget"]) == CODED


def test_refresh_moves_codings_after_text_inserted_before(project, folder):
    ids = _coded_project(project)
    write_folder(folder, a_text=A_TEXT.replace("Hoe ging", "Goedemorgen. Hoe ging"))
    result = project.refresh()
    assert (result.unchanged, result.moved, result.orphaned) == (1, 3, 0)
    assert result.changed_files == ("a.txt",)
    assert _text(project, ids["budget"]) == CODED
    assert _text(project, ids["tempo"]) == LATER
    assert project.coding(ids["suggestion"]).status == "suggested"
    assert project.coding(ids["budget"]).memo == "m"
    assert project.transcript("a.txt").text.startswith("Interviewer: Goedemorgen.")


def test_refresh_follows_an_edit_inside_the_coded_passage(project, folder):
    ids = _coded_project(project)
    write_folder(folder, a_text=A_TEXT.replace("veel te krap", "veel en veel te krap"))
    result = project.refresh()
    assert (result.moved, result.orphaned) == (3, 0)
    assert (
        _text(project, ids["budget"]) == "Het budget was veel en veel te krap voor de begeleiding."
    )
    assert project.coding(ids["budget"]).anchor.snippet == _text(project, ids["budget"])


def test_refresh_orphans_codings_whose_passage_was_deleted(project, folder):
    ids = _coded_project(project)
    write_folder(folder, a_text=A_TEXT.replace(CODED + "\n\n", ""))
    result = project.refresh()
    assert (result.unchanged, result.moved, result.orphaned) == (1, 2, 1)
    payload = result.to_dict()
    assert payload["orphans"] == [
        {"id": ids["budget"], "file": "a.txt", "code": "FINANCIEN", "coder": "anna",
         "status": "active", "snippet": CODED, "old_start": 53, "old_end": 101}
    ]  # fmt: skip
    assert project.coding(ids["budget"]).status == "orphaned"
    assert ids["budget"] not in set(project.codings()["id"])
    assert list(project.codings(status="orphaned")["text"]) == [CODED]  # the stored snippet
    orphans = project.orphans()
    assert list(orphans["id"]) == [ids["budget"]]
    assert list(orphans["snippet"]) == [CODED]
    # recoverable: put it back where the coder says it belongs now
    new_text = project.transcript("a.txt").text
    s = new_text.index("Daarna kwam")
    project.restore(ids["budget"], s, s + 11, coder="anna")
    restored = project.coding(ids["budget"])
    assert (restored.status, restored.memo, _text(project, ids["budget"])) == (
        "active",
        "m",
        "Daarna kwam",
    )
    assert project.orphans().empty
    assert [a for a in project.log()["action"] if a in ("refresh", "restore")] == [
        "refresh", "restore"]  # fmt: skip


def test_an_orphan_comes_back_when_its_text_does(project, folder):
    ids = _coded_project(project)
    write_folder(folder, a_text=A_TEXT.replace(CODED, "Over het budget zeg ik niets."))
    assert project.refresh().orphaned == 1
    write_folder(folder)
    result = project.refresh()
    assert (result.restored, result.orphaned, result.still_orphaned) == (1, 0, 0)
    assert project.coding(ids["budget"]).status == "active"
    assert _text(project, ids["budget"]) == CODED


def test_refresh_takes_new_files_metadata_and_reports_missing_ones(project, folder):
    _coded_project(project)
    (folder / "b.txt").unlink()
    (folder / "c.txt").write_text("Een derde gesprek over geld.\n")
    (folder / "respondents.csv").write_text(
        "file,respondent,organisation\na.txt,R1,VNG\nc.txt,R3,G4\n", encoding="utf-8"
    )
    result = project.refresh()
    assert (result.added_files, result.missing_files) == (("c.txt",), ("b.txt",))
    assert project.corpus.files == ("a.txt", "b.txt", "c.txt")
    assert project.transcript("a.txt").organisation == "VNG"
    assert project.transcript("b.txt").text == B_TEXT  # kept, never dropped
    assert len(project.codings(file="b.txt")) == 1


def test_refresh_from_a_folder_that_moved(project, folder, tmp_path):
    ids = _coded_project(project)
    moved = write_folder(tmp_path / "elders", a_text="Interviewer: Vraag?\n\n" + A_TEXT)
    result = project.refresh(moved)
    assert result.moved == 3
    assert project.transcripts_dir == moved.resolve()
    assert _text(project, ids["tempo"]) == LATER


def test_refresh_of_a_missing_folder(project, tmp_path):
    with pytest.raises(StoreError) as err:
        project.refresh(tmp_path / "weg")
    assert str(err.value) == (
        f"{tmp_path / 'weg'}: transcripts folder not found; pass the folder the transcripts are "
        "in now (transcripts_dir)"
    )


def test_restore_needs_an_orphan(project):
    ids = _coded_project(project)
    with pytest.raises(CodingError) as err:
        project.restore(ids["budget"], 53, 60, coder="anna")
    assert str(err.value) == f"coding {ids['budget']} is active, not orphaned; nothing to restore"


def test_another_process_sees_the_refreshed_text(project_file, folder):
    with Project.open(project_file) as first, Project.open(project_file) as second:
        assert second.transcript("a.txt").text == A_TEXT
        write_folder(folder, a_text="Interviewer: Nieuw?\n\n" + A_TEXT)
        first.refresh()
        assert second.transcript("a.txt").text.startswith("Interviewer: Nieuw?")
