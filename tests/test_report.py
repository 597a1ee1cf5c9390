"""Report sets: every quote and number checked against the transcripts, links that resolve,
escaping, anonymising, the quote cap, office formats and failed writes."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

import qualcode.report.build as build_module
from qualcode.analysis import Analysis
from qualcode.codebook import load_codebook
from qualcode.coding import Coding, read_codings_csv
from qualcode.corpus import Corpus, load_corpus, transcript_from_text
from qualcode.errors import OutputError, QualcodeError
from qualcode.report import build_report, parse_formats

pytest_plugins = ["analysis_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
GOLD = SAMPLE / "codings_gold.csv"
CODEBOOK = ROOT / "codebook" / "msm.yaml"
VARIABLES = tuple(v.id for v in load_codebook(CODEBOOK).variables())


@pytest.fixture(scope="module")
def sample_report(gold_report) -> Path:
    """The report set of the sample corpus with the gold codings (built once per session)."""
    out, result = gold_report
    assert result.exit_code == 0, result.stderr
    return out


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_report_set_has_every_variable_and_file(sample_report: Path) -> None:
    assert len(VARIABLES) == 8
    for variable in VARIABLES:
        assert (sample_report / f"{variable}.html").is_file()
        assert (sample_report / f"{variable}.md").is_file()
        assert (sample_report / "figures" / f"{variable}_codes.png").is_file()
        assert (sample_report / "figures" / f"{variable}_codes.svg").is_file()
    for name in ("index.html", "index.md", "frequencies.csv", "quotes.csv"):
        assert (sample_report / name).is_file()
    assert not [p for p in sample_report.iterdir() if p.name.startswith(".")]  # no temp folder
    header = (sample_report / "quotes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("variable,code,file,respondent,organisation,start,end,valence,text")
    header = (sample_report / "frequencies.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("variable,code,organisation,segments,respondents")


def test_every_quote_is_the_transcript_text_and_attributed_by_the_respondents_table(
    sample_report: Path,
) -> None:
    corpus = load_corpus(SAMPLE)
    table = {row["file"]: row for row in _read(SAMPLE / "respondents.csv")}
    quotes = _read(sample_report / "quotes.csv")
    assert len(quotes) > 100
    seen: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for q in quotes:
        transcript = corpus.get(q["file"])
        start, end = int(q["start"]), int(q["end"])
        assert transcript.text[start:end] == q["text"]
        assert q["organisation"] == table[q["file"]]["organisation"]
        assert q["respondent"] == table[q["file"]]["respondent"]
        turn = transcript.speaker_at(start)
        assert turn is None or turn.is_respondent, q["text"][:60]
        assert q["text"] == q["text"].strip()
        seen[(q["file"], q["code"])].append((start, end))
    for spans in seen.values():  # merged: no two quotes of one code overlap
        spans.sort()
        assert all(
            a_end < b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False)
        )


def _expected_frequencies() -> dict[tuple[str, str, str], tuple[int, int]]:
    """Recomputed from the gold codings with plain loops, not with qualcode.analysis."""
    corpus = load_corpus(SAMPLE)
    codebook = load_codebook(CODEBOOK)
    parents = {c.id: c.parent for c in codebook.codes}
    segments = {
        t.file: [s for s in t.segments("paragraph") if s.is_respondent] for t in corpus.transcripts
    }
    hits: dict[tuple[str, str, str], set[tuple[str, int]]] = defaultdict(set)
    who: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in _read(GOLD):
        t = corpus.get(row["file"])
        start, end = int(row["start"]), int(row["end"])
        code: str | None = row["code"]
        chain = []
        while code is not None:
            chain.append(code)
            code = parents[code]
        for seg in segments[t.file]:
            if seg.start < end and start < seg.end:
                for c in chain:
                    key = (codebook.variable_of(c), c, t.organisation)
                    hits[key].add((t.file, seg.index))
                    who[key].add(t.respondent)
    return {k: (len(v), len(who[k])) for k, v in hits.items()}


def test_frequencies_csv_agrees_with_the_codings(sample_report: Path) -> None:
    expected = _expected_frequencies()
    rows = _read(sample_report / "frequencies.csv")
    found = {
        (r["variable"], r["code"], r["organisation"]): (int(r["segments"]), int(r["respondents"]))
        for r in rows
    }
    nonzero = {k: v for k, v in found.items() if v != (0, 0)}
    assert nonzero == expected
    assert len(found) == len(rows)  # one row per variable, code and organisation


def test_every_figure_and_link_resolves_from_the_folder(sample_report: Path) -> None:
    pages = sorted(sample_report.glob("*.html"))
    assert len(pages) == 9
    images = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for src in re.findall(r'<img src="([^"]+)"', html):
            assert not src.startswith(("/", "http")), src
            assert (page.parent / src).is_file(), (page.name, src)
            images += 1
        for href in re.findall(r'href="([^"]+)"', html):
            assert (page.parent / href.split("#")[0]).is_file(), (page.name, href)
        assert "http://" not in html and "https://" not in html  # no CDN, no web fonts
        assert "<style>" in html
    assert images >= 8 + 4
    for page in sorted(sample_report.glob("*.md")):
        for src in re.findall(r"\]\(([^)#]+)[^)]*\)", page.read_text(encoding="utf-8")):
            assert (page.parent / src).is_file(), (page.name, src)


def test_variable_report_shows_definition_counts_and_attributed_quotes(sample_report: Path) -> None:
    html = (sample_report / "PLANNING.html").read_text(encoding="utf-8")
    codebook = load_codebook(CODEBOOK)
    planning = codebook.get("PLANNING")
    assert f'<h1>{planning.name} <span class="id">PLANNING</span></h1>' in html
    quotes = pd.read_csv(sample_report / "quotes.csv", dtype=str, keep_default_na=False)
    planning_orgs = quotes.loc[quotes["variable"] == "PLANNING", "organisation"].nunique()
    assert f"uit {planning_orgs} van 21 organisaties" in html  # the codebook is Dutch
    first = quotes[quotes["variable"] == "PLANNING"].iloc[0]
    assert (
        f'{first["organisation"]} &middot; {first["file"]}, <a href="transcripts/{first["file"]}'
        ".html#p"
    ) in html
    index = (sample_report / "index.html").read_text(encoding="utf-8")
    for variable in VARIABLES:
        assert f'href="{variable}.html"' in index
    assert 'src="figures/variables_by_organisation.svg"' in index
    assert "Vergeleken naar steering_group" in index


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    """A mini corpus whose quotes hold markup and names, reported with every option."""
    texts = {
        "a.txt": (
            "Interviewer: Wat vond u van het geld?\n\nRespondent: Marieke de Groot zei: "
            "<script>alert(1)</script> & het geld was *op*.\n\n"
            "=SUM(A1) en Jan Visser vond de tijd te krap."
        ),
        "b.txt": "Verslag.\n\nMevrouw De Groot vond dat het geld goed ging. Visser ook.",
    }
    meta = {
        "a.txt": ("R1", "Org A", "ja", "Marieke de Groot"),
        "b.txt": ("R2", "Org B", "nee", "Jan Visser;Piet Jansen"),
    }
    transcripts = []
    for file, text in texts.items():
        respondent, organisation, sg, name = meta[file]
        transcripts.append(
            transcript_from_text(text, file=file).with_metadata(
                respondent=respondent,
                organisation=organisation,
                attributes={"steering_group": sg, "name": name},
            )
        )
    corpus = Corpus(Path("tricky"), tuple(transcripts))
    return corpus, texts


def _span(corpus: Corpus, file: str, part: str, code: str, score: float = 1.0) -> Coding:
    start = corpus.get(file).text.index(part)
    return Coding(file, start, start + len(part), code, coder="test", score=score)


@pytest.fixture(scope="module")
def tricky_report(tricky, codebook, tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus, _ = tricky
    codings = [
        _span(
            corpus,
            "a.txt",
            "Marieke de Groot zei: <script>alert(1)</script> & het geld was *op*.",
            "GELD_TEKORT",
            2.0,
        ),
        _span(corpus, "a.txt", "=SUM(A1) en Jan Visser vond de tijd te krap.", "GELD_TEKORT"),
        _span(corpus, "a.txt", "=SUM(A1) en Jan Visser vond de tijd te krap.", "PLANNING"),
        _span(corpus, "b.txt", "Mevrouw De Groot vond dat het geld goed ging.", "GELD"),
        _span(corpus, "b.txt", "Visser ook.", "GELD"),
    ]
    out = tmp_path_factory.mktemp("tricky")
    build_report(
        Analysis(codings, corpus, codebook),
        out,
        formats="html,md,docx,xlsx",
        anonymise=True,
        names=["Piet"],
        max_quotes=1,
        compare="steering_group",
        workers=1,
    )
    return out


def test_html_escapes_every_text_from_the_data(tricky_report: Path) -> None:
    html = (tricky_report / "GELD.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; het geld was *op*." in html
    md = (tricky_report / "GELD.md").read_text(encoding="utf-8")
    assert r"\<script\>alert(1)\</script\> & het geld was \*op\*." in md


def test_anonymise_replaces_names_in_quotes_and_tables(tricky_report: Path) -> None:
    quotes = _read(tricky_report / "quotes.csv")
    texts = [q["text"] for q in quotes]
    assert "[respondent] zei: <script>alert(1)</script> & het geld was *op*." in texts
    assert "=SUM(A1) en [respondent] vond de tijd te krap." in texts
    assert "Mevrouw [respondent] vond dat het geld goed ging." in texts
    assert "[respondent] ook." in texts
    everything = "".join(
        p.read_text(encoding="utf-8")
        for p in tricky_report.iterdir()
        if p.suffix in (".html", ".md", ".csv")
    )
    for name in ("Marieke", "Groot", "Visser", "Jansen"):
        assert name not in everything
    assert not (tricky_report / "codings_auto.csv").exists()


def test_quote_cap_shows_the_best_and_says_so(tricky_report: Path) -> None:
    html = (tricky_report / "GELD.html").read_text(encoding="utf-8")
    # one group per valence on the variable's page: four passages in three coded segments
    assert (
        "(4 citaten uit 3 gecodeerde segmenten; de 1 met de hoogste score getoond, "
        "alle in quotes.csv)"
    ) in html
    assert "[respondent] zei: &lt;script&gt;" in html  # the best scored
    assert "[respondent] ook." not in html
    assert "[respondent] ook." in (tricky_report / "quotes.csv").read_text(encoding="utf-8")


def test_office_formats(tricky_report: Path) -> None:
    import docx
    import openpyxl

    document = docx.Document(str(tricky_report / "GELD.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Geld (GELD)" in text and "[respondent] zei: <script>" in text
    assert len(document.inline_shapes) == 1
    book = openpyxl.load_workbook(tricky_report / "report.xlsx")
    assert book.sheetnames[:2] == ["Variabelen", "Vergeleken naar steering_group"]
    assert {"Frequencies", "Quotes", "Framework matrix", "Co-occurrence", "Transcripts"} <= set(
        book.sheetnames
    )
    cells = [c.value for row in book["Quotes"].iter_rows() for c in row]
    assert "=SUM(A1) en [respondent] vond de tijd te krap." in cells  # text, not a formula


def test_missing_office_dependency_says_what_to_install(
    tricky, codebook, tmp_path, monkeypatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    corpus, _ = tricky
    with pytest.raises(QualcodeError) as exc:
        build_report(Analysis([], corpus, codebook), tmp_path / "r", formats="xlsx", workers=1)
    assert str(exc.value) == (
        "writing this format needs openpyxl, which is not installed; install qualcode[office] "
        "(pip install 'qualcode[office]') or leave the format out"
    )
    assert not (tmp_path / "r").exists()  # refused before anything was written


def test_a_failed_build_leaves_the_earlier_report_as_it_was(
    tricky, codebook, tmp_path, monkeypatch
) -> None:
    corpus, _ = tricky
    out = tmp_path / "r"
    out.mkdir()
    (out / "index.html").write_text("earlier report", encoding="utf-8")

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "write_markdown", broken)
    with pytest.raises(OutputError, match="could not be written, nothing was changed"):
        build_report(Analysis([], corpus, codebook), out, workers=1)
    assert (out / "index.html").read_text(encoding="utf-8") == "earlier report"
    assert [p.name for p in out.iterdir()] == ["index.html"]


@pytest.mark.parametrize(
    ("formats", "message"),
    [
        (
            "html,pdf",
            "unknown report format pdf; choose from html, md, docx, xlsx (comma-separated)",
        ),
        (",", "unknown report format ''; choose from html, md, docx, xlsx (comma-separated)"),
    ],
)
def test_unknown_formats(formats: str, message: str) -> None:
    with pytest.raises(QualcodeError) as exc:
        parse_formats(formats)
    assert str(exc.value) == message


def test_parse_formats_normalises() -> None:
    assert parse_formats(" HTML, md ,html") == ("html", "md")


def test_out_must_be_a_folder(analysis, tmp_path) -> None:
    target = tmp_path / "report.html"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(QualcodeError) as exc:
        build_report(analysis, target, workers=1)
    assert str(exc.value) == (
        f"{target}: exists and is not a folder; choose a folder for the report set"
    )


def test_unknown_compare_attribute_fails_before_writing(analysis, tmp_path) -> None:
    from qualcode.errors import CorpusError

    with pytest.raises(CorpusError) as exc:
        build_report(analysis, tmp_path / "r", compare="sector")
    assert str(exc.value).startswith("cannot group by 'sector': no such column")
    assert not (tmp_path / "r").exists()


def test_codings_csv_read_back_gives_the_same_report_numbers(sample_report: Path) -> None:
    gold = read_codings_csv(GOLD)
    assert set(gold["code"]) <= {c.id for c in load_codebook(CODEBOOK).codes}
    quotes = pd.read_csv(sample_report / "quotes.csv", dtype=str, keep_default_na=False)
    assert set(quotes["variable"]) == set(VARIABLES)
