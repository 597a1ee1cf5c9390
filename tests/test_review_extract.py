"""Reading draft reports and finding their quotes: marks, page furniture, gaps, terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import QualcodeWarning
from qualcode.errors import ReviewError
from qualcode.review.extract import QuotePart, find_quotes, parse_quote
from qualcode.review.reading import clean_lines, read_report, report_from_text

DATA = Path(__file__).parent / "data" / "review"


def quotes_of(text: str, **kwargs: object) -> list[tuple[str, int]]:
    scan = find_quotes(report_from_text(text), **kwargs)  # type: ignore[arg-type]
    return [(q.text, q.line) for q in scan.quotes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Zij zegt: "een twee drie vier vijf zes." Klaar.', "een twee drie vier vijf zes."),
        ("Zij zegt: “een twee drie vier vijf zes.” Klaar.", "een twee drie vier vijf zes."),
        ("Zij zegt: „een twee drie vier vijf zes.” Klaar.", "een twee drie vier vijf zes."),
        ("Zij zegt: „een twee drie vier vijf zes.“ Klaar.", "een twee drie vier vijf zes."),
        ('Zij zegt: "een twee drie vier vijf zes.” Klaar.', "een twee drie vier vijf zes."),
        ('Zij zegt: “een twee drie vier vijf zes." Klaar.', "een twee drie vier vijf zes."),
        ("Zij zegt: «een twee drie vier vijf zes.» Klaar.", "een twee drie vier vijf zes."),
        ("(“een twee drie vier vijf zes”)", "een twee drie vier vijf zes"),
        ("Zij: *“een twee drie vier vijf zes”* (VNG)", "een twee drie vier vijf zes"),
        ("Zij: “een twee drie vier vijf zes”[^1] en “x”", "een twee drie vier vijf zes"),
    ],
    ids=[
        "straight",
        "curly",
        "low-high",
        "low-high-german",
        "straight-curly",
        "curly-straight",
        "guillemets",
        "in-parentheses",
        "markdown-emphasis",
        "footnote",
    ],
)
def test_every_quote_style_is_found(text: str, expected: str) -> None:
    assert quotes_of(text) == [(expected, 1)]


def test_a_quote_spans_lines_and_keeps_the_line_it_opens_on() -> None:
    text = (
        "Titel\n\nDe VNG zegt:\n“een twee drie\nvier vijf zes” en verder.\n"
        "Nog “zeven acht negen tien elf twaalf”."
    )
    assert quotes_of(text) == [
        ("een twee drie vier vijf zes", 4),
        ("zeven acht negen tien elf twaalf", 6),
    ]


def test_single_quotes_inside_stay_part_of_the_quote_and_are_no_delimiters() -> None:
    text = (
        "Zij: “geen ‘we nemen het mee’ of 'we doen het niet', echt nooit.” "
        "Daarna 'race to the bottom'."
    )
    assert quotes_of(text) == [("geen ‘we nemen het mee’ of 'we doen het niet', echt nooit.", 1)]


@pytest.mark.parametrize(
    ("text", "quotes", "terms"),
    [
        (
            "De VNG: ‘een twee drie vier vijf zes.’ Dat is ’t punt van zo’n auto’s.",
            ["een twee drie vier vijf zes."],
            [],
        ),
        (
            "Op ’s avonds en in de jaren '90 was het 'race to the bottom'.",
            [],
            ["race to the bottom"],
        ),
        (
            "Thomas’ fiets en ‘een twee drie vier vijf zes’ (VNG).",
            ["een twee drie vier vijf zes"],
            [],
        ),
        ("Zij: “een ‘twee drie’ vier vijf zes”.", ["een ‘twee drie’ vier vijf zes"], []),
    ],
)
def test_single_quotes_outside_double_quotes_delimit_quotes_and_terms(
    text: str, quotes: list[str], terms: list[str]
) -> None:
    scan = find_quotes(report_from_text(text))
    assert ([q.text for q in scan.quotes], [t.text for t in scan.terms]) == (quotes, terms)
    assert scan.notes == ()


def test_a_quote_of_another_style_inside_a_quote_is_nested() -> None:
    text = 'De VNG: “De boodschap was simpel: "We willen graag verder, maar niet zo."” (VNG)'
    assert quotes_of(text) == [
        ('De boodschap was simpel: "We willen graag verder, maar niet zo."', 1)
    ]


def test_short_passages_are_terms_not_quotes() -> None:
    scan = find_quotes(
        report_from_text('Dat voelde als "voor de bühne". En “een twee drie vier vijf”.')
    )
    assert scan.quotes == ()
    assert [(t.text, t.line) for t in scan.terms] == [
        ("voor de bühne", 1),
        ("een twee drie vier vijf", 1),
    ]
    assert quotes_of("En “een twee drie vier vijf”.", min_words=5) == [
        ("een twee drie vier vijf", 1)
    ]


def test_insertions_do_not_count_as_said_words() -> None:
    scan = find_quotes(report_from_text("Zij: “een [de stuurgroep] twee drie vier vijf”."))
    assert scan.quotes == ()
    assert scan.terms[0].text == "een [de stuurgroep] twee drie vier vijf"


@pytest.mark.parametrize(
    ("inside", "parts"),
    [
        (
            "een twee […] drie vier",
            [("said", "een twee"), ("elision", "[…]"), ("said", "drie vier")],
        ),
        ("een twee [...] drie", [("said", "een twee"), ("elision", "[...]"), ("said", "drie")]),
        ("een twee (…) drie", [("said", "een twee"), ("elision", "(…)"), ("said", "drie")]),
        ("een twee ... drie", [("said", "een twee"), ("elision", "..."), ("said", "drie")]),
        ("[De VNG] vond het goed", [("insertion", "[De VNG]"), ("said", "vond het goed")]),
        ("dat [sic] klopt", [("said", "dat"), ("insertion", "[sic]"), ("said", "klopt")]),
        ("het (toen nog) ministerie", [("said", "het (toen nog) ministerie")]),
        ("samen\u00adwerking  loopt\n goed", [("said", "samenwerking loopt goed")]),
    ],
)
def test_parse_quote_splits_said_text_elisions_and_insertions(
    inside: str, parts: list[tuple[str, str]]
) -> None:
    assert parse_quote(inside) == tuple(QuotePart(k, t) for k, t in parts)  # type: ignore[arg-type]


def test_an_unclosed_quote_is_reported_and_not_checked() -> None:
    text = (
        'Regel een.\nZij zegt: "een twee drie vier vijf zes zeven\n\n'
        "Nieuwe alinea “een twee drie vier vijf zes”."
    )
    scan = find_quotes(report_from_text(text))
    assert [(q.text, q.line) for q in scan.quotes] == [("een twee drie vier vijf zes", 4)]
    assert scan.notes == (
        'line 2: quotation mark " opens a passage that does not close before the paragraph '
        "ends; not checked (add the closing mark)",
    )


def test_a_quote_opened_twice_reports_the_first() -> None:
    text = "Zij: “een twee drie vier vijf zes en dan “zeven acht negen tien elf twaalf”."
    scan = find_quotes(report_from_text(text))
    assert [q.text for q in scan.quotes] == ["zeven acht negen tien elf twaalf"]
    assert scan.notes == (
        "line 1: quotation mark “ opens a passage that is opened again before it closes; "
        "not checked (add the closing mark)",
    )


def test_page_furniture_and_hyphenation_inside_a_quote_are_removed() -> None:
    text = (
        "Kop van het rapport\n\nZo stelt een respondent: “De samen-\nwerking met de G40-\n"
        "gemeenten en Noord-\nHolland was goed, zorg-\nen welzijn ook, maar de\n\n"
        "Evaluatie Wet inburgering — pagina 12\n\fKop van het rapport\n\n"
        "planning was moordend.” Dat klopt.\n"
    )
    report = report_from_text(text)
    scan = find_quotes(report)
    assert [(q.text, q.line) for q in scan.quotes] == [
        (
            "De samenwerking met de G40-gemeenten en Noord-Holland was goed, zorg- en welzijn ook, "
            "maar de planning was moordend.",
            3,
        )
    ]
    assert report.removed == 3
    assert report.line_at(report.text.index("planning")) == 12


def test_hyphenation_follows_the_known_words_when_given() -> None:
    lines = ["Het was een ex-", "partner en samen-", "werking."]
    kept, removed = clean_lines(lines, known=lambda w: w in {"ex-partner", "samenwerking"})
    assert [x.text for x in kept] == ["Het was een ex-partner", "en samenwerking.", ""]
    assert removed == 0


@pytest.mark.parametrize(
    "line",
    [
        "12",
        "- 12 -",
        "pagina 12",
        "Pagina 3 van 40",
        "p. 7",
        "Evaluatie Wet inburgering — pagina 12",
        "12 | Evaluatie Wet inburgering",
        "Evaluatie Wet inburgering | 12",
    ],
)
def test_page_number_lines_are_furniture(line: str) -> None:
    kept, removed = clean_lines(["Tekst loopt door", line, "en gaat verder."])
    assert removed == 1
    assert [x.text for x in kept] == ["Tekst loopt door", "en gaat verder."]


@pytest.mark.parametrize(
    "line",
    [
        "zoals beschreven op pagina 12 van het rapport",
        "Het ging om 12 gemeenten.",
        "stijging van 10 - 12 procent",
    ],
)
def test_prose_with_numbers_is_not_furniture(line: str) -> None:
    _, removed = clean_lines(["Tekst", line, "meer tekst"])
    assert removed == 0


def test_a_running_header_repeated_without_form_feeds_is_furniture() -> None:
    body = [f"zin {i} van de tekst" for i in range(20)]
    lines = [
        "Concept – vertrouwelijk",
        *body,
        "Concept – vertrouwelijk",
        *body,
        "Concept – vertrouwelijk",
        *body,
    ]
    kept, removed = clean_lines(lines)
    assert removed == 3
    assert all("Concept" not in x.text for x in kept)


def test_markdown_headings_repeated_are_kept() -> None:
    body = [f"zin {i}" for i in range(20)]
    lines = ["### Bevorderend", *body, "### Bevorderend", *body, "### Bevorderend"]
    _, removed = clean_lines(lines)
    assert removed == 0


def test_pdf_text_report_reads_the_quote_broken_by_a_page_break() -> None:
    report = read_report(DATA / "draft_report_pdf.txt")
    scan = find_quotes(report)
    texts = {q.text: q.line for q in scan.quotes}
    assert (
        texts[
            "Het tempo was soms moordend, met consultaties van twee weken over een heel "
            "besluit, midden in de zomer."
        ]
        == 15
    )
    assert (
        texts[
            "Het ministerie was systeemverantwoordelijk en voorzitter van de stuurgroep, en "
            "dat hebben we nooit betwist."
        ]
        == 6
    )
    assert (
        texts[
            "De eerste invoeringsdatum was politiek bepaald, niet op basis van wat gemeenten "
            "nodig hadden."
        ]
        == 21
    )
    assert all("pagina" not in t and "Conceptrapport" not in t for t in texts)
    assert report.removed == 4


def test_docx_lines_are_paragraph_numbers(tmp_path: Path, write_docx) -> None:  # type: ignore[no-untyped-def]
    path = write_docx(
        tmp_path / "r.docx",
        [
            "Inleiding",
            "",
            "De VNG zegt: “een twee drie vier vijf zes”.",
            "Divosa: “zeven acht negen tien elf twaalf”.",
        ],
    )
    scan = find_quotes(read_report(path))
    assert [(q.text, q.line) for q in scan.quotes] == [
        ("een twee drie vier vijf zes", 2),
        ("zeven acht negen tien elf twaalf", 3),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.md", None, "{path}: report not found; pass the path of an existing draft report"),
        ("empty.md", b" \n\n", "empty.md: the report is empty; pass a draft report with text"),
        (
            "r.pdf",
            b"%PDF-1.4",
            "r.pdf: not a readable PDF; export the report again as PDF, or check its .docx",
        ),
        (
            "r.rtf",
            b"{\\rtf1}",
            "r.rtf: unsupported report format .rtf; use one of .txt, .md, .docx, .odt, .pdf",
        ),
        (
            "bin.txt",
            b"ab\x00cd",
            "bin.txt: looks like a binary file, not a text report; pass the "
            "report as .pdf, .docx, .odt, .md or .txt",
        ),
        (
            "broken.docx",
            b"not a zip",
            "broken.docx: not a readable .docx file; open and re-save "
            "it (Word), or export it as .txt",
        ),
        (
            "broken.odt",
            b"not a zip",
            "broken.odt: not a readable .odt file; open and re-save "
            "it (LibreOffice), or export it as .txt",
        ),
    ],
)
def test_bad_reports_raise_one_clear_error(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ReviewError) as info:
        read_report(path)
    assert str(info.value) == message.format(path=path)


def test_a_docx_without_text_is_an_error(tmp_path: Path, write_docx) -> None:  # type: ignore[no-untyped-def]
    path = write_docx(tmp_path / "leeg.docx", ["", "  "])
    with pytest.raises(ReviewError) as info:
        read_report(path)
    assert str(info.value) == "leeg.docx: the report has no text; pass a draft report with text"


def test_a_cp1252_report_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "oud.txt"
    path.write_bytes("De VNG: “caf\u00e9 een twee drie vier vijf”.".encode("cp1252"))
    with pytest.warns(QualcodeWarning, match="oud.txt: not valid UTF-8, read as Windows-1252"):
        report = read_report(path)
    assert [q.text for q in find_quotes(report).quotes] == ["café een twee drie vier vijf"]
