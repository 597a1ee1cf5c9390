"""The sample corpus itself: one record per organisation, the formats, the sizes."""

from __future__ import annotations

from collections import Counter

DOMAIN_ORGANISATIONS = {
    "Blik op Werk",
    "CBS",
    "COA",
    "CvTE",
    "Divosa",
    "DUO",
    "G4",
    "G40",
    "Implementatiemanager",
    "IND",
    "IV-opgave SZW",
    "Kleinere gemeente",
    "MBO Raad",
    "Ministerie van OCW",
    "Ministerie van SZW",
    "NRTO",
    "Pharos",
    "UAF",
    "Vluchtelingenwerk",
    "VNG",
    "VNG Realisatie",
}


def test_every_organisation_once_and_szw_twice(sample_corpus) -> None:
    assert sample_corpus.errors == ()
    orgs = Counter(t.organisation for t in sample_corpus)
    assert set(orgs) == DOMAIN_ORGANISATIONS
    assert orgs["Ministerie van SZW"] == 2
    assert sum(orgs.values()) == 22


def test_formats(sample_corpus) -> None:
    formats = Counter(t.format for t in sample_corpus)
    assert formats["docx"] >= 4 and formats["md"] >= 2 and formats["vtt"] >= 1


def test_word_counts(sample_corpus) -> None:
    words = {t.file: t.words for t in sample_corpus}
    assert all(700 <= w <= 1500 for w in words.values()), words
    assert sum(words.values()) >= 15000


def test_verbatim_and_prose_mix(sample_corpus) -> None:
    verbatim = [t for t in sample_corpus if any(not turn.is_respondent for turn in t.turns)]
    assert 10 <= len(verbatim) <= 18


def test_steering_group_attribute(sample_corpus) -> None:
    inside = {t.organisation for t in sample_corpus if t.attributes["steering_group"] == "ja"}
    assert inside == {
        "CBS",
        "COA",
        "CvTE",
        "Divosa",
        "DUO",
        "Implementatiemanager",
        "IND",
        "Ministerie van OCW",
        "Ministerie van SZW",
        "VNG",
    }
