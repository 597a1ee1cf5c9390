"""The layout reading of extracted report text: each layout detected from the text itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qualcode.bench.pdf import simple_pdf
from qualcode.corpus import Corpus
from qualcode.errors import ReviewError
from qualcode.review import check_quotes, parallel
from qualcode.review.extract import find_quotes
from qualcode.review.layout import clean_paragraph, undo_layout
from qualcode.review.reading import read_report, report_from_text

Q = "Het tempo was soms moordend, met consultaties van twee weken over een heel besluit."
PROSE = [
    "De VNG is kritisch over de planning van het hele traject, en niet alleen",
    "over de eerste invoeringsdatum. Zo stelt een respondent van Divosa: “Het",
    "tempo was soms moordend, met consultaties van twee weken over een heel",
    "besluit.” Ook andere partijen noemen het tempo in de interviews hoog, en",
    "zij wijzen daarbij vooral op de korte reactietermijnen van de consultaties",
    "die in de zomer vielen, midden in de vakantieperiode van veel gemeenten.",
    "Buiten de stuurgroep klonk dat nog sterker door dan binnen de stuurgroep.",
    "Daar kwamen de stukken vaak pas laat, en dan met weinig tijd om te reageren.",
]


def quotes(text: str) -> list[str]:
    return [q.text for q in find_quotes(report_from_text(text)).quotes]


def test_double_spaced_extraction_is_read_as_running_text() -> None:
    doubled = "".join(line + "\n\n" for line in PROSE)
    assert quotes(doubled) == [Q]
    assert quotes("\n".join(PROSE)) == [Q]


def test_double_spacing_keeps_real_paragraph_breaks() -> None:
    doubled = (
        "".join(line + "\n\n" for line in PROSE[:4])
        + "\n"
        + "".join(line + "\n\n" for line in PROSE[4:])
    )
    text = report_from_text(doubled).text
    assert text.count("\n\n") == 1
    assert quotes(doubled) == [Q]


def test_one_paragraph_per_line_is_not_double_spacing() -> None:
    paragraphs = [" ".join(PROSE)] * 9
    assert report_from_text("\n\n".join(paragraphs)).text.count("\n\n") == 8


def test_two_columns_of_layout_output_are_read_left_then_right() -> None:
    left = PROSE[:4]
    right = PROSE[4:]
    rows = [f"   {a:<76}     {b}" for a, b in zip(left, right, strict=True)]
    text = report_from_text("\n".join(rows)).text
    assert quotes("\n".join(rows)) == [Q]
    assert text.index("vakantieperiode") > text.index("besluit.”")


def test_a_table_in_layout_output_is_read_row_by_row() -> None:
    rows = [
        "   Organisatie            Citaat",
        "",
        "   VNG                    “Het tempo was soms moordend, met consultaties van twee",
        "                          weken over een heel besluit.”",
        "",
        "   Divosa                 “Er was niemand in de stuurgroep die dat ter discussie",
        "                          stelde, en dat was maar goed ook.”",
        "",
        "   Ministerie van OCW     “Ik heb niemand in de stuurgroep die regierol horen",
        "                          betwisten, ook later niet.”",
    ]
    text = report_from_text("\n".join(rows)).text
    assert "VNG\n“Het tempo was soms moordend" in text
    assert quotes("\n".join(rows))[0] == Q


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("de ﬁnanciering en de ﬂexibiliteit", "de financiering en de flexibiliteit"),
        ("de\u00a0VNG en\u202fDivosa", "de VNG en Divosa"),
        ("zero\u200bwidth", "zerowidth"),
        ("gemaakt.[^1] De verslagen", "gemaakt. De verslagen"),
        ("tekenend.”² Daarna", "tekenend.” Daarna"),
        ("is gemaakt.1 De verslagen", "is gemaakt. De verslagen"),
        ("betwist.”3 Buiten", "betwist.” Buiten"),
        # numbers that are no footnote markers stay
        ("artikel 3.1 van de wet", "artikel 3.1 van de wet"),
        ("in 2019. 12 gemeenten", "in 2019. 12 gemeenten"),
        ("de G40-gemeente", "de G40-gemeente"),
    ],
)
def test_characters_and_note_markers(raw: str, clean: str) -> None:
    assert clean_paragraph(raw) == clean


def test_soft_hyphen_and_compound_hyphen_at_a_line_end() -> None:
    text = report_from_text(
        "Het was een samen\u00ad\nwerking van het multi-\nstakeholderproces.",
        known=lambda w: w == "multi-stakeholderproces",
    ).text
    assert text == "Het was een samenwerking\nvan het multi-stakeholderproces.\n"


def test_a_quote_opened_straight_and_closed_curly_is_one_quote() -> None:
    assert quotes(f'Zo stelt Divosa: "{Q}” Daarna.') == [Q]


def test_a_footnote_under_a_separator_does_not_cut_a_quote_over_a_page_break() -> None:
    page1 = PROSE[:3] + ["", "_______________", "1 Zie bijlage 2 voor de lijst."]
    page2 = PROSE[3:]
    lines = [*page1, "\f" + page2[0], *page2[1:]]
    assert quotes("\n".join(lines)) == [Q]
    assert report_from_text("\n".join(lines)).text.endswith("Zie bijlage 2 voor de lijst.")


def test_a_footnote_at_the_page_foot_is_moved_after_the_text() -> None:
    lines = [
        "De VNG noemt de planning krap.2 Zo stelt een respondent van Divosa: “Het",
        "tempo was soms moordend, met consultaties van twee weken over een heel",
        "2 Zie voor de planning ook hoofdstuk 9.",
        "pagina 1",
        "\fbesluit.” Ook andere partijen noemen het tempo hoog.",
        "pagina 2",
    ]
    assert quotes("\n".join(lines)) == [Q]
    assert report_from_text("\n".join(lines)).text.endswith("Zie voor de planning ook hoofdstuk 9.")


def test_a_pdf_is_read_with_pages(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(simple_pdf([["Titel", "Divosa zegt: “Het tempo was soms"], ["moordend."]]))
    report = read_report(path)
    assert "Divosa zegt: “Het tempo was soms\nmoordend." in report.text
    at = report.text.index("moordend")
    assert (report.line_at(at), report.page_at(at)) == (3, (2, 1))


def test_undo_layout_keeps_line_numbers_and_pages() -> None:
    lines = undo_layout(["regel een", "regel twee\fregel drie", "regel vier"])
    found = [(x.number, x.text, x.page, x.page_line) for x in lines if x.text.strip()]
    assert found == [
        (1, "regel een", 1, 1),
        (2, "regel twee", 1, 2),
        (2, "regel drie", 2, 1),
        (3, "regel vier", 2, 2),
    ]


def test_page_and_line_in_page_of_a_quote_in_text_with_form_feeds() -> None:
    text = "Titel\nInleiding\n\fEerste regel\nDivosa zegt: “" + Q + "”\n"
    (quote,) = find_quotes(report_from_text(text)).quotes
    assert (quote.line, quote.page, quote.page_line) == (4, 2, 2)


def test_a_pdf_without_text_is_refused(tmp_path: Path) -> None:
    # pages without text: what a scan without OCR looks like to a reader
    path = tmp_path / "scan.pdf"
    path.write_bytes(simple_pdf([[], []]))
    with pytest.raises(ReviewError) as info:
        read_report(path)
    assert str(info.value) == (
        "scan.pdf: the PDF has no text layer (a scanned report?); run OCR on it or check the .docx"
    )


def test_a_pdf_read_in_a_child_process_gives_its_errors_as_one_line(
    tmp_path: Path, sample_corpus: Corpus
) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(simple_pdf([[]]))
    with pytest.raises(ReviewError) as info:
        check_quotes(path, sample_corpus)
    assert str(info.value).startswith("scan.pdf: the PDF has no text layer")


def test_workers_and_one_process_give_the_same_verdicts(
    monkeypatch: pytest.MonkeyPatch, sample_corpus: Corpus
) -> None:
    report = Path(__file__).parent / "data" / "review" / "writer" / "draft_report.md"
    forked = check_quotes(report, sample_corpus)
    monkeypatch.setattr(parallel, "_context", lambda: None)
    alone = check_quotes(report, sample_corpus)
    assert len(forked) == len(alone) > parallel.MIN_PARALLEL
    assert forked.results == alone.results


def _fail(message: str) -> None:
    raise ValueError(message)


class _Strict(Exception):
    def __init__(self, path: str, why: str) -> None:  # pickles, but not back: args has one item
        super().__init__(f"{path}: {why}")


def _strict() -> None:
    raise _Strict("a.pdf", "kapot")


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked during the test."""
    if not parallel._context():
        pytest.skip("no second core or no fork here")
    pids: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)
    return pids


def _reaped(pids: list[int]) -> bool:
    """Whether every child of *pids* has ended and been waited for (none left behind)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return bool(pids)


def test_a_forked_child_sends_back_its_result_or_its_error(forks: list[int]) -> None:
    import threading
    import time

    assert parallel.Forked(sorted, [3, 1, 2]).get() == [1, 2, 3]
    with pytest.raises(ValueError, match="kapot") as info:
        parallel.Forked(_fail, "kapot").get()
    assert "in a forked worker" in "".join(info.value.__notes__)  # the child's traceback
    assert "_fail" in "".join(info.value.__notes__)
    with pytest.raises(RuntimeError, match="a forked worker's error _Strict"):
        parallel.Forked(_strict).get()
    with pytest.raises(RuntimeError, match="a forked worker's result"):
        parallel.Forked(threading.Lock).get()  # a lock cannot be pickled
    with pytest.raises(RuntimeError, match="ended without a result"):
        parallel.Forked(os._exit, 3).get()
    sleeper = parallel.Forked(time.sleep, 60)
    sleeper.cancel()  # stopped and reaped at once, not left behind
    with pytest.raises(RuntimeError, match="already asked for"):
        sleeper.get()
    assert _reaped(forks)


def test_an_interrupted_wait_leaves_no_child_behind(forks: list[int]) -> None:
    import signal
    import time

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, interrupt)
    try:
        sleeper = parallel.Forked(time.sleep, 60)
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(KeyboardInterrupt):
            sleeper.get()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert _reaped(forks)


def test_a_check_that_fails_while_the_pdf_is_read_stops_the_readers(
    monkeypatch: pytest.MonkeyPatch, sample_corpus: Corpus, forks: list[int]
) -> None:
    import qualcode.review as review

    def broken(*args: object, **kwargs: object) -> None:
        raise MemoryError("no room for the index")

    monkeypatch.setattr(review, "SpeechIndex", broken)
    with pytest.raises(MemoryError):
        check_quotes(
            Path(__file__).parent / "data" / "review" / "writer" / "draft_report.pdf", sample_corpus
        )
    assert _reaped(forks)
