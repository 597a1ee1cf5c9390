"""The coding tool: the session's actions reach the store; the ipywidgets view drives them."""

from __future__ import annotations

import sys

import pytest
from store_fixtures import *  # noqa: F403 (fixtures)
from store_fixtures import A_TEXT

from qualcode.coding import Coding
from qualcode.errors import QualcodeError
from qualcode.widget import CodingSession, CodingTool

BUDGET = "Het budget was veel te krap voor de begeleiding."
S = A_TEXT.index(BUDGET)


@pytest.fixture
def session(project):
    return CodingSession(project, coder="anna")


def _mine(project):
    frame = project.codings(coder="anna")
    return list(zip(frame["file"], frame["code"], frame["text"], strict=True))


def test_the_session_walks_through_respondent_segments_only(session):
    seen = [session.current.text]
    while (seg := session.next()) is not None and seg.text != seen[-1]:
        seen.append(seg.text)
    assert seen == [
        BUDGET,
        "Daarna kwam er een structurele afspraak over geld.",
        "Het tempo was soms moordend, met consultaties van twee weken.",
        "Verslag van het gesprek met de gemeente.",
        "Geld bleef lang een taboe in de stuurgroep.",
        "De planning was krap, maar de samenwerking was goed.",
    ]
    assert session.position() == (6, 6)
    assert session.prev().text.startswith("Geld bleef")
    assert session.header() == ("b.txt · Kleinere gemeente · paragraph 1 · 5 of 6 in view")


def test_toggle_codes_and_uncodes_the_segment(session, project):
    assert session.toggle("FINANCIEN") is True
    assert _mine(project) == [("a.txt", "FINANCIEN", BUDGET)]
    assert list(session.applied()) == ["FINANCIEN"]
    assert session.toggle("FINANCIEN") is False
    assert _mine(project) == []
    assert list(project.log()["action"]) == ["create", "code", "uncode"]


def test_narrow_shrinks_a_whole_segment_coding_to_a_phrase(session, project):
    session.toggle("FINANCIEN")
    session.narrow("FINANCIEN", "veel te krap")
    assert _mine(project) == [("a.txt", "FINANCIEN", "veel te krap")]
    session.narrow("FINANCIEN", "begeleiding")  # no whole-segment coding left: a second one
    assert _mine(project) == [("a.txt", "FINANCIEN", "veel te krap"),
                              ("a.txt", "FINANCIEN", "begeleiding")]  # fmt: skip
    with pytest.raises(QualcodeError) as err:
        session.narrow("PLANNING", "tempo")
    assert str(err.value) == ("paragraph 1 of a.txt: phrase 'tempo' occurs nowhere there; copy "
                              "the respondent's words exactly from the text")  # fmt: skip


def test_memos_on_a_coding_and_on_the_transcript(session, project):
    with pytest.raises(QualcodeError) as err:
        session.memo("waarom?", code="FINANCIEN")
    assert str(err.value) == "FINANCIEN is not applied here; toggle it on before writing a memo"
    session.toggle("FINANCIEN")
    session.memo("Kern van het geldprobleem.", code="FINANCIEN")
    session.memo("Respondent was kritisch.")
    assert session.memo_text(code="FINANCIEN") == "Kern van het geldprobleem."
    assert session.memo_text() == "Respondent was kritisch."
    memos = project.memos()
    assert list(zip(memos["kind"], memos["text"], strict=True)) == [
        ("transcript", "Respondent was kritisch."),
        ("coding", "Kern van het geldprobleem."),
    ]


def test_filters(session, project):
    session.set_filters(organisation="Kleinere gemeente")
    assert [s.text[:4] for _, s in session.segments()] == ["Vers", "Geld", "De p"]
    assert session.current.text.startswith("Verslag")
    session.set_filters(transcript="a.txt")
    session.toggle("TIJDSDRUK")
    session.set_filters(code="PLANNING")  # sub-codes count for their parent
    assert [s.text[:7] for _, s in session.segments()] == ["Het bud"]
    project.import_suggestions([Coding("b.txt", 87, 139, "PLANNING")])
    assert [s.text[:7] for _, s in session.segments()] == ["Het bud", "De plan"]
    session.set_filters(uncoded_only=True)
    session.go("a.txt", 1)
    # the segment just coded stays in view until the coder moves on
    assert [s.index for _, s in session.segments()][:2] == [1, 2]
    session.next()
    assert [s.index for _, s in session.segments()][:2] == [2, 4]
    with pytest.raises(QualcodeError) as err:
        session.set_filters(transcript="z.txt")
    assert str(err.value) == (
        f"z.txt: no such transcript in {session.project.corpus.root}; known files: a.txt, b.txt"
    )


def test_suggestions_are_shown_and_decided(session, project):
    (sid,) = project.import_suggestions([Coding("a.txt", S, S + 10, "FINANCIEN",
                                                evidence="budget")]).ids  # fmt: skip
    assert [s.id for s in session.suggestions()] == [sid]
    html = session.html()
    assert "border-bottom:2px dashed #1f77b4" in html
    assert 'title="FINANCIEN? (suggested)">Het budget</span>' in html
    mine = session.accept(sid)
    assert session.suggestions() == []
    assert session.applied() == {"FINANCIEN": [project.coding(mine)]}
    assert 'style="background:rgba(31, 119, 180, 0.35)" title="FINANCIEN">Het budget</span>' in (
        session.html()
    )


def test_the_html_shows_the_interviewer_question_and_escapes_text(session):
    assert session.html() == (
        '<p style="color:#777"><em>Hoe ging het met het geld?</em></p>'
        f'<p style="line-height:1.6">{BUDGET}</p>'
    )


def test_the_tool_builds_and_a_toggle_click_reaches_the_store(project):
    import ipywidgets

    tool = CodingTool(project, coder="anna")
    assert isinstance(tool.widget, ipywidgets.VBox)
    assert isinstance(tool.codes, ipywidgets.Accordion)
    assert [tool.codes.get_title(i) for i in range(3)] == ["Financiën", "Planning", "Valentie"]
    assert tool.toggles["GELD_TEKORT"].description == "· Geldtekort"
    assert tool.toggles["GELD_TEKORT"].tooltip == "GELD_TEKORT: Te weinig budget."
    assert tool.header.value == (
        "<b>a.txt · Divosa · paragraph 1 · Respondent · 1 of 6 in view</b>"
    )
    tool.toggles["GELD_TEKORT"].value = True  # what a click does
    assert _mine(project) == [("a.txt", "GELD_TEKORT", BUDGET)]
    assert "background:rgba(31, 119, 180, 0.35)" in tool.text.value
    tool.memo_target.value = "GELD_TEKORT"
    tool.memo_text.value = "Duidelijk tekort."
    tool.memo_button.click()
    assert project.coding_records()[0].memo == "Duidelijk tekort."
    tool.next_button.click()
    assert tool.toggles["GELD_TEKORT"].value is False
    tool.phrase.value = "structurele afspraak"
    tool.narrow_code.value = "FINANCIEN"
    tool.narrow_button.click()
    assert ("a.txt", "FINANCIEN", "structurele afspraak") in _mine(project)
    tool.prev_button.click()
    tool.toggles["GELD_TEKORT"].value = False
    assert ("a.txt", "GELD_TEKORT", BUDGET) not in _mine(project)


def test_the_tool_shows_errors_instead_of_raising(project):
    tool = CodingTool(project, coder="anna")
    tool.phrase.value = "staat er niet"
    tool.narrow_button.click()
    assert tool.message.value == (
        '<span style="color:#b00">paragraph 1 of a.txt: phrase &#x27;staat er niet&#x27; occurs '
        "nowhere there; copy the respondent&#x27;s words exactly from the text</span>"
    )
    assert _mine(project) == []


def test_the_tool_filters_and_decides_suggestions(project):
    (sid,) = project.import_suggestions([Coding("b.txt", 87, 139, "PLANNING")]).ids
    tool = CodingTool(project, coder="anna")
    tool.filter_transcript.value = "b.txt"
    assert tool.session.current.text.startswith("Verslag")
    tool.filter_code.value = "PLANNING"
    assert tool.session.current.text.startswith("De planning")
    (row,) = tool.suggestion_box.children
    accept = row.children[0]
    accept.click()
    assert _mine(project) == [("b.txt", "PLANNING", "De planning was krap, maar de samenwerking "
                                                    "was goed.")]  # fmt: skip
    assert project.coding(sid).status == "accepted"
    assert tool.toggles["PLANNING"].value is True


def test_a_friendly_message_without_ipywidgets(project, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(QualcodeError) as err:
        CodingTool(project, coder="anna")
    assert str(err.value) == (
        "the coding tool needs ipywidgets; install it with: pip install 'qualcode[notebooks]'"
    )


def test_the_session_follows_a_refresh_of_the_texts(session, project, folder):
    from store_fixtures import write_folder

    session.go("a.txt", 4)
    session.toggle("PLANNING")
    write_folder(folder, a_text="Interviewer: Welkom.\n\n" + A_TEXT)
    assert project.refresh().moved == 1
    # the same words, now paragraph 5: the session re-reads the segments it offers
    assert (session.current.index, session.current.text) == (
        5,
        "Het tempo was soms moordend, met consultaties van twee weken.",
    )
    assert list(session.applied()) == ["PLANNING"]
