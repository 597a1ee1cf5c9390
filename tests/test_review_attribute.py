"""Who a quote is attributed to: cues before and after, aliases, documents, nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

import qualcode
from qualcode.review.attribute import Attribution, attribute_quotes
from qualcode.review.extract import find_quotes
from qualcode.review.names import OrganisationNames
from qualcode.review.reading import report_from_text

Q = "“Het tempo was soms moordend, met consultaties van twee weken.”"
Q_OPEN = "“Het tempo was soms moordend, met consultaties van twee weken”"
Q_COMMA = "“Het tempo was soms moordend, met consultaties van twee weken,”"

NAMES = OrganisationNames(
    [
        ("Divosa", "Divosa"),
        ("VNG", "VNG"),
        ("Vereniging van Nederlandse Gemeenten", "VNG"),
        ("VNG Realisatie", "VNG Realisatie"),
        ("VNG-R", "VNG Realisatie"),
        ("G4", "G4"),
        ("G40", "G40"),
        ("een middelgrote gemeente", "G40"),
        ("IND", "IND"),
        ("Vluchtelingenwerk", "Vluchtelingenwerk"),
        ("VWN", "Vluchtelingenwerk"),
        ("Ministerie van OCW", "Ministerie van OCW"),
        ("OCW", "Ministerie van OCW"),
        ("Ministerie van SZW", "Ministerie van SZW"),
        ("SZW", "Ministerie van SZW"),
        ("de ambtenaren van het ministerie", "Ministerie van SZW"),
        ("IV-opgave SZW", "IV-opgave SZW"),
        ("Kleinere gemeente", "Kleinere gemeente"),
        ("een respondent vanuit een kleinere gemeente", "Kleinere gemeente"),
        ("een betrokkene bij de implementatie", "Implementatiemanager"),
        ("COA", "COA"),
        ("het Centraal Orgaan", "COA"),
    ]
)


def attribution(text: str) -> list[tuple[str, str | None, str]]:
    report = report_from_text(text)
    scan = find_quotes(report)
    return [
        (a.kind, a.organisation, a.where) for a in attribute_quotes(report.text, scan.quotes, NAMES)
    ]


@pytest.mark.parametrize(
    ("text", "kind", "org", "where"),
    [
        # before the quote
        (f"Zo stelt een respondent van Divosa: {Q}", "respondent", "Divosa", "before"),
        (f"De VNG zegt daarover: {Q}", "respondent", "VNG", "before"),
        (f"de vng zegt daarover: {Q}", "respondent", "VNG", "before"),
        (
            f"Daarover zegt de Vereniging van Nederlandse Gemeenten: {Q}",
            "respondent",
            "VNG",
            "before",
        ),
        (f"Een G40-gemeente vertelt dat de VNG te weinig deed: {Q}", "respondent", "G40", "before"),
        (f"Volgens de IND is het zo: {Q}", "respondent", "IND", "before"),
        (
            f"Een respondent vanuit een kleinere gemeente: {Q}",
            "respondent",
            "Kleinere gemeente",
            "before",
        ),
        (
            f"Een betrokkene bij de implementatie vertelt: {Q}",
            "respondent",
            "Implementatiemanager",
            "before",
        ),
        (
            f"De ambtenaren van het ministerie zeggen: {Q}",
            "respondent",
            "Ministerie van SZW",
            "before",
        ),
        (f"Een respondent van het Centraal Orgaan merkt op: {Q}", "respondent", "COA", "before"),
        (f"VNG-R legt uit: {Q}", "respondent", "VNG Realisatie", "before"),
        (f"VNG Realisatie licht toe: {Q}", "respondent", "VNG Realisatie", "before"),
        (f"Een middelgrote gemeente geeft aan: {Q}", "respondent", "G40", "before"),
        (f"De IV-opgave SZW benadrukt: {Q}", "respondent", "IV-opgave SZW", "before"),
        (f"De VNG zegt over Divosa: {Q}", "respondent", "VNG", "before"),
        (
            f"Een respondent van de IND wijst op de rol van de VNG: {Q}",
            "respondent",
            "IND",
            "before",
        ),
        (f"In de woorden van Divosa: {Q}", "respondent", "Divosa", "before"),
        (f"Ook de VNG is kritisch: {Q}", "respondent", "VNG", "before"),
        (f"Uit het interview met Divosa: {Q}", "respondent", "Divosa", "before"),
        (f"In het gesprek met de IND kwam dit naar voren: {Q}", "respondent", "IND", "before"),
        (f"Vanuit de G4 klinkt het zo: {Q}", "respondent", "G4", "before"),
        (f"Een respondent (VNG) zegt: {Q}", "respondent", "VNG", "before"),
        (
            f"Het ministerie van OCW wijst naar SZW: {Q}",
            "respondent",
            "Ministerie van OCW",
            "before",
        ),
        (f"De VNG:\n{Q}", "respondent", "VNG", "before"),
        # after the quote
        (f"Het was lastig. {Q_OPEN} (VWN).", "respondent", "Vluchtelingenwerk", "after"),
        (f"{Q} (VWN)", "respondent", "Vluchtelingenwerk", "after"),
        (f"{Q_COMMA} zo vertelt de VNG.", "respondent", "VNG", "after"),
        (f"{Q_OPEN} (het ministerie van OCW).", "respondent", "Ministerie van OCW", "after"),
        (f"{Q_OPEN}, aldus Divosa.", "respondent", "Divosa", "after"),
        (f"{Q_OPEN}, zegt een respondent van het COA over de VNG.", "respondent", "COA", "after"),
        (f"{Q_OPEN} (respondent G4).", "respondent", "G4", "after"),
        (f"{Q_OPEN} (interview VNG, 2023).", "respondent", "VNG", "after"),
        (f"{Q} Aldus Divosa.", "respondent", "Divosa", "after"),
        (f"{Q[:-2]}.”, aldus Divosa.", "respondent", "Divosa", "after"),
        # the nearest cue wins; a cue after the quote beats the previous sentence
        (f"De VNG is kritisch. {Q_OPEN} (VWN).", "respondent", "Vluchtelingenwerk", "after"),
        (f"Een respondent zegt: {Q_OPEN} (VWN).", "respondent", "Vluchtelingenwerk", "after"),
        # previous sentence
        (f"De VNG is kritisch over de planning. {Q}", "respondent", "VNG", "previous"),
        (f"Een respondent van de IND verwoordt het zo:\n\n{Q}", "respondent", "IND", "previous"),
        # documents
        (f"In de Kamerbrief staat: {Q}", "document", None, "before"),
        (f"In een brief aan de Tweede Kamer schreef de minister: {Q}", "document", None, "before"),
        (f"Het programmaplan stelt: {Q}", "document", None, "before"),
        (f"De memorie van toelichting zegt: {Q}", "document", None, "before"),
        (f"Zoals de VNG in haar brief schreef: {Q}", "document", None, "before"),
        (f"Volgens het programmaplan: {Q}", "document", None, "before"),
        (f"De VNG is kritisch. {Q} (ibid.)", "document", None, "after"),
        (f"De VNG is kritisch. {Q} (p. 12)", "document", None, "after"),
        (f"{Q_OPEN} (SZW, 2019).", "document", None, "after"),
        (f"{Q_OPEN} (Ministerie van SZW 2020, p. 4).", "document", None, "after"),
        (f"De VNG is kritisch. {Q} [1]", "document", None, "after"),
        # lead-ins about an organisation, bylines, back references, the sentence after
        (
            f"Voor het ministerie van SZW was deze periode zwaar: {Q}",
            "respondent",
            "Ministerie van SZW",
            "before",
        ),
        (f"Het akkoord was essentieel, ook voor de VNG: {Q}", "respondent", "VNG", "before"),
        (f"Dat beeld wordt gedeeld door de VNG: {Q}", "respondent", "VNG", "before"),
        (f"Ook bij Divosa was men kritisch. {Q}", "respondent", "Divosa", "previous"),
        (f"Het was druk. {Q} – VNG", "respondent", "VNG", "after"),
        (f"De IND had weinig tijd. De respondent vertelt: {Q}", "respondent", "IND", "previous"),
        (f"De G40 zat er niet bij. Zij vat het zo samen: {Q}", "respondent", "G40", "previous"),
        (f"Het was druk. {Q} De VNG erkent daarmee de druk.", "respondent", "VNG", "after"),
        (f"Het was druk. {Q} Dat zegt ook Divosa, die erbij was.", "respondent", "Divosa", "after"),
        (
            f"De ambtenaren van het ministerie erkennen dat: {Q}",
            "respondent",
            "Ministerie van SZW",
            "before",
        ),
        # a footnote marker says nothing by itself: the words around the quote decide
        (f"De VNG is kritisch. {Q}[^3]", "respondent", "VNG", "previous"),
        (f"De VNG is kritisch. {Q}²", "respondent", "VNG", "previous"),
        (f"Het was lastig. {Q}²", "none", None, ""),
        # a respondent without organisation, and nothing
        (f"Een respondent zegt: {Q}", "respondent", None, "before"),
        (f"Een wethouder vertelt: {Q}", "respondent", None, "before"),
        (f"Het ministerie van SZW had de regie. {Q}", "none", None, ""),
        (Q, "none", None, ""),
        # an organisation named in the quote itself is not its attribution
        (
            "Het was lastig. “De VNG en Divosa hadden het over geld, steeds maar weer.”",
            "none",
            None,
            "",
        ),
    ],
)
def test_attribution(text: str, kind: str, org: str | None, where: str) -> None:
    assert attribution(text) == [(kind, org, where)]


def test_a_continuation_takes_the_previous_quotes_organisation() -> None:
    text = f"Divosa stelt: {Q} Dezelfde respondent vervolgt: {Q}"
    assert attribution(text) == [
        ("respondent", "Divosa", "before"),
        ("respondent", "Divosa", "continued"),
    ]


def test_a_sentence_ending_inside_the_quote_ends_its_after_cue() -> None:
    text = f"Een G40-gemeente vertelt: {Q} Volgens de IND was dat anders: {Q}"
    assert attribution(text) == [("respondent", "G40", "before"), ("respondent", "IND", "before")]


def test_the_attribution_text_is_the_cue_as_written() -> None:
    report = report_from_text(
        f"Intro.\nZo stelt een respondent\nvan Divosa: {Q}\n{Q_OPEN}, aldus de VNG."
    )
    scan = find_quotes(report)
    found = attribute_quotes(report.text, scan.quotes, NAMES)
    assert found == [
        Attribution(
            "respondent", "Divosa", "Zo stelt een respondent van Divosa:", "Divosa", "before"
        ),
        Attribution("respondent", "VNG", "aldus de VNG.", "de VNG", "after"),
    ]


def test_names_resolve_with_articles_case_and_hyphens() -> None:
    assert NAMES.resolve("de vng") == "VNG"
    assert NAMES.resolve("VNG-Realisatie") == "VNG Realisatie"
    assert NAMES.resolve("het ministerie van ocw") == "Ministerie van OCW"
    assert NAMES.resolve("Stichting X") is None
    found = NAMES.find("De G40-gemeenten en de IV-opgave SZW, niet SZW-breed of G4.")
    assert [(m.written, m.organisation) for m in found] == [
        ("De G40-gemeenten", "G40"),
        ("de IV-opgave SZW", "IV-opgave SZW"),
        ("SZW-breed", "Ministerie van SZW"),
        ("G4", "G4"),
    ]


def test_a_name_of_two_organisations_resolves_to_none() -> None:
    names = OrganisationNames([("A", "A"), ("de koepel", "A"), ("B", "B"), ("de koepel", "B")])
    assert names.resolve("de koepel") is None
    assert names.resolve("A") == "A"


def test_names_come_from_the_respondents_table(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Respondent: iets gezegd.", encoding="utf-8")
    (tmp_path / "respondents.csv").write_text(
        "file,respondent,organisation,aliases,name\n"
        "a.txt,R07,Ministerie van BZK,het departement; BiZa,Jan de Vries\n",
        encoding="utf-8",
    )
    names = OrganisationNames.from_corpus(qualcode.load_corpus(tmp_path))
    assert names.organisations == ("Ministerie van BZK",)
    for name in ("Ministerie van BZK", "BZK", "het departement", "biza", "R07", "r7"):
        assert names.resolve(name) == "Ministerie van BZK", name
    assert names.resolve("Jan de Vries") is None
    report = report_from_text(f"{Q_OPEN} (R7).")
    (found,) = attribute_quotes(report.text, find_quotes(report).quotes, names)
    assert (found.organisation, found.mention) == ("Ministerie van BZK", "R7")


def test_a_lead_in_to_the_next_quote_is_not_the_previous_quotes_attribution() -> None:
    assert attribution(f"Het was druk. {Q} De VNG zegt: {Q}") == [
        ("none", None, ""),
        ("respondent", "VNG", "before"),
    ]


def test_a_quote_in_a_table_row_takes_its_own_rows_organisation() -> None:
    rows = [
        ("“De planning schoof steeds op en niemand wist waarom precies.”", "G4"),
        ("“Wij kregen nooit bericht terug op onze schriftelijke reactie.”", "Divosa"),
        ("“Het was vooral afwachten wat het ministerie ermee zou doen.”", "COA"),
    ]
    markdown = "| onderwerp | citaat | organisatie |\n|---|---|---|\n" + "".join(
        f"| Tempo | {q} | {org} |\n" for q, org in rows
    )
    pdf_text = "Tabel 2. Reacties\ncitaat organisatie\n" + "".join(f"{q} {o}\n" for q, o in rows)
    expected = [("respondent", org, "after") for _, org in rows]
    assert attribution(markdown) == expected
    assert attribution(pdf_text + "Daarna volgde een nieuwe ronde.") == expected


@pytest.mark.parametrize(
    ("text", "org", "where"),
    [
        # a document verb inside a relative clause is talked about, not a document quote
        (
            f"De IND benadrukt het belang van een planning die al maanden zo stond: {Q}",
            "IND",
            "before",
        ),
        # the subject, not the organisation in its relative clause, is the speaker
        (f"Het COA, dat pas later naast de VNG aanschoof, beschrijft het zo: {Q}", "COA", "before"),
        # a lower-case verb of saying after a question goes on with the quote's sentence
        (f"“{Q[1:-2]}?” vraagt de VNG zich af.", "VNG", "after"),
        # back references: a marker before a description, a pronoun with a verb of experience
        (f"De IND had weinig tijd. Volgens de dienst was dat te krap: {Q}", "IND", "previous"),
        (f"De G40 zat er niet bij. Zij ervoeren dat anders: {Q}", "G40", "previous"),
    ],
)
def test_speakers_named_around_clauses_and_references(text: str, org: str, where: str) -> None:
    assert attribution(text) == [("respondent", org, where)]


def test_table_cells_on_separate_lines_follow_the_first_rows_order() -> None:
    quotes = [
        "“De planning schoof steeds op en niemand wist waarom precies.”",
        "“Wij kregen nooit bericht terug op onze schriftelijke reactie.”",
    ]
    trailing = f"Tabel 3\ncitaat\n\norganisatie\n\n{quotes[0]}\n\nG4\n\n{quotes[1]}\n\nCOA\n\nSlot."
    assert attribution(trailing) == [("respondent", "G4", "after"), ("respondent", "COA", "after")]
    leading = f"Tabel 4\norganisatie\n\ncitaat\n\nG4\n\n{quotes[0]}\n\nCOA\n\n{quotes[1]}\n\nSlot."
    assert [a[1] for a in attribution(leading)] == ["G4", "COA"]


def test_names_are_found_as_one_alternation_of_every_name_finds_them() -> None:
    """The tree-shaped pattern finds what the plain alternation (longest name first) finds."""
    import random
    import re

    from qualcode.review.names import _key

    keys = sorted(NAMES._orgs, key=len, reverse=True)
    body = "|".join(r"[\s\-‐‑–]+".join(map(re.escape, k.split(" "))) for k in keys)
    plain = re.compile(
        rf"(?<![\w\-])(?:(?:de|het|een|'t|’t)\s+)?(?P<name>{body})(?:[-‐‑]\w+|['’]s)?(?!\w)",
        re.IGNORECASE,
    )
    rng = random.Random(5)
    pieces = [*keys, *(k.upper() for k in keys), "de", "het", "-", " ", "  ", "s", "'s", "van", "x"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "-", ", "]) for _ in range(6))
        expected = [
            (m.start(), m.end(), NAMES._orgs.get(_key(m.group("name"))))
            for m in plain.finditer(text)
        ]
        assert [(m.start, m.end, m.organisation) for m in NAMES.find(text)] == expected, text


def test_stray_dashes_are_no_names_and_a_long_alias_is_found() -> None:
    long = "stichting " + "lange" * 150  # 750 characters: one bad cell in a respondents table
    names = OrganisationNames(
        [("VNG", "VNG"), ("-", "VNG"), ("–VNG Realisatie-", "VNG Realisatie"), (long, "Lang")]
    )
    found = names.find(f"De VNG zegt - niets; VNG-Realisatie wel, en de {long.upper()} ook.")
    assert [(m.written, m.organisation) for m in found] == [
        ("De VNG", "VNG"),
        ("VNG-Realisatie", "VNG Realisatie"),
        (f"de {long.upper()}", "Lang"),
    ]
