"""Quote checking speed: a 100-page draft with 400 quotes against 200 transcripts.

Everything is generated from the sample corpus with a fixed seed, so every run
checks the same material:

- 200 interview records of about 1,100 words, each recombined from the sample's
  respondent sentences with a quarter of the words swapped for others, so that
  no two records share a passage word for word (but many share near-copies);
  50 organisations, four records each, with a respondents table;
- a report of 100 pages (about 45,000 words) of filler prose with 400 quotes
  taken from the records: 70% verbatim, 10% with one word changed, 5% given
  to the wrong organisation, 5% with left-out text ``[…]``, 5% invented and
  5% quoting a document, attributed in rotating styles before and after.

The report is checked as a PDF (``bench.pdf.simple_pdf``: each page's lines
in one standard font), so reading the PDF is part of our time. Measured in the
same run, on the loaded corpus: the full check (``check_quotes``: PDF text,
index, layout, extract, attribute, verify; each run reads the PDF and builds the
index anew, with the process's caches warm, as in a notebook that checks one
draft after another; the PDF library is imported before, as the baseline's is),
the best of three runs, and the naive baseline (once: it takes half a minute),
``rapidfuzz.fuzz.partial_ratio`` of every quote against every record's text.
Reported: both times, the ratio (target: at least 50), how many statuses came
out as intended, and whether the Markdown source gives the same verdicts.
"""

from __future__ import annotations

import random
import re
import tempfile
import textwrap
import time
from pathlib import Path

__all__ = ["generate", "run"]

TRANSCRIPTS = 200
ORGANISATIONS = 50
QUOTES = 400
PAGES = 100
WORDS_PER_PAGE = 450
RECORD_WORDS = 1_100
SEED = 2021
#: Full checks timed; the best counts (each is a whole check: PDF read, index built).
REPEATS = 3
_BEFORE = (
    "Zo stelt een respondent van {org}: ",
    "{org} zegt daarover: ",
    "Volgens {org} is dat duidelijk: ",
    "Een vertegenwoordiger van {org} vertelt: ",
)
_AFTER = (" ({org}).", ", aldus {org}.", ", zo vertelt {org}.")
SAMPLE = Path(__file__).resolve().parents[3] / "transcripts_sample"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_MARKS = re.compile('[“”„‟"«»]')
_KINDS = ["verified"] * 14 + ["altered"] * 2 + ["misattributed", "elided", "invented", "document"]


def _org(k: int) -> str:
    return f"Organisatie {k + 1:02d}"


def _mutate(sentence: str, rng: random.Random, vocabulary: list[str], share: float) -> str:
    words = sentence.split()
    for i in range(len(words)):
        if rng.random() < share:
            words[i] = rng.choice(vocabulary)
    return " ".join(words)


def _sentences() -> list[str]:
    """Sentences (four words or more) of the sample corpus's respondent speech, no quote marks."""
    from qualcode.corpus import load_corpus

    out = []
    for _, seg in load_corpus(SAMPLE).iter_segments("turn"):
        if seg.is_respondent:
            for sentence in _SENTENCE.split(_MARKS.sub("", " ".join(seg.text.split()))):
                if len(sentence.split()) >= 4:
                    out.append(sentence)
    return out


def generate(folder: Path, *, seed: int = SEED) -> tuple[Path, list[tuple[str, str]]]:
    """Write the records and respondents table into *folder*, the report next to it.

    Returns the report's path and ``(quote text, intended status)`` of each quote.
    """
    rng = random.Random(seed)
    pool = _sentences()
    vocabulary = sorted({w.strip(".,:;?!“”\"'()") for s in pool for w in s.split()} - {""})
    records: list[list[str]] = []  # paragraphs of each record
    rows = ["file,respondent,organisation,aliases"]
    for n in range(TRANSCRIPTS):
        paragraphs: list[str] = []
        words = 0
        while words < RECORD_WORDS:
            paragraph = " ".join(
                _mutate(rng.choice(pool), rng, vocabulary, 0.25) for _ in range(rng.randint(3, 6))
            )
            paragraphs.append(paragraph)
            words += len(paragraph.split())
        records.append(paragraphs)
        name = f"record-{n + 1:03d}.txt"
        (folder / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        rows.append(f"{name},R{n + 1:03d},{_org(n % ORGANISATIONS)},")
    (folder / "respondents.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    expected: list[tuple[str, str]] = []
    pages: list[str] = []
    per_page = QUOTES // PAGES
    for page in range(PAGES):
        parts: list[str] = []
        for q in range(per_page):
            k = page * per_page + q
            kind = _KINDS[k % len(_KINDS)]
            n = rng.randrange(TRANSCRIPTS)
            org = _org(n % ORGANISATIONS)
            source = rng.choice(records[n]).split()
            size = rng.randint(10, 30)
            start = rng.randrange(max(1, len(source) - size))
            said = source[start : start + size]
            if kind == "altered":
                i = rng.randrange(2, len(said) - 2)
                said[i] = rng.choice([w for w in vocabulary[:400] if w.lower() != said[i].lower()])
            elif kind == "misattributed":
                org = _org((n + 1 + rng.randrange(ORGANISATIONS - 1)) % ORGANISATIONS)
            elif kind == "elided":
                more = source[start + size + 5 : start + size + 15]
                said = [*said, "[…]", *more] if more else said
            elif kind == "invented":
                said = _mutate(" ".join(said), rng, vocabulary, 0.9).split()
            quote = "“" + " ".join(said) + "”"
            filler = " ".join(rng.choice(pool) for _ in range(WORDS_PER_PAGE // (per_page * 15)))
            if kind == "document":
                parts.append(f"{filler} In de Kamerbrief van 2019 staat: {quote}")
                expected.append((quote[1:-1], "unattributed"))
                continue
            if k % 2:
                parts.append(f"{filler} {_BEFORE[k % len(_BEFORE)].format(org=org)}{quote}")
            else:
                parts.append(f"{filler} {quote}{_AFTER[k % len(_AFTER)].format(org=org)}")
            expected.append(
                (quote[1:-1], {"elided": "verified", "invented": "not_found"}.get(kind, kind))
            )
        pages.append("\n\n".join(parts) + f"\n\nConceptrapport — pagina {page + 1}\n")
    report = folder.parent / "draft.md"
    report.write_text("\n\f".join(pages), encoding="utf-8")
    return report, expected


def _pdf_pages(text: str) -> list[list[str]]:
    """The report's pages (form feeds) as lines of at most 100 characters, as a PDF sets them."""
    pages = []
    for page in text.split("\f"):
        lines: list[str] = []
        for paragraph in page.strip().split("\n\n"):
            lines += textwrap.wrap(paragraph, 100, break_long_words=False, break_on_hyphens=False)
            lines.append("")
        pages.append(lines)
    return pages


def _baseline(check_quotes_of: list[str], texts: list[str]) -> float:
    """Seconds for the naive check: partial_ratio of every quote against every record."""
    from rapidfuzz import fuzz

    t0 = time.perf_counter()
    for quote in check_quotes_of:
        max(fuzz.partial_ratio(quote, text) for text in texts)
    return time.perf_counter() - t0


def run() -> None:
    """Generate the material, time both checks and print the figures."""
    from qualcode.bench.pdf import simple_pdf
    from qualcode.corpus import load_corpus
    from qualcode.review import SpeechIndex, check_quotes
    from qualcode.review.reading import read_pdf_text

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "transcripts"
        folder.mkdir()
        report, expected = generate(folder)
        pdf = report.with_suffix(".pdf")
        pdf.write_bytes(simple_pdf(_pdf_pages(report.read_text(encoding="utf-8"))))
        corpus = load_corpus(folder)
        t0 = time.perf_counter()
        SpeechIndex(corpus.transcripts)
        index_time = time.perf_counter() - t0
        t0 = time.perf_counter()
        text_check = check_quotes(report, corpus)
        text_time = time.perf_counter() - t0
        import pypdf  # noqa: F401  (imported before timing, as rapidfuzz is for the baseline)

        runs = []
        for _ in range(REPEATS):  # the best of a few: the machine's noise only ever adds time
            t0 = time.perf_counter()
            check = check_quotes(pdf, corpus)
            runs.append(time.perf_counter() - t0)
        ours = min(runs)
        t0 = time.perf_counter()
        read_pdf_text(pdf)
        pdf_time = time.perf_counter() - t0
        quotes = [r.text for r in check.results]
        naive = _baseline(quotes, [t.text for t in corpus.transcripts])
        report_words = len(report.read_text(encoding="utf-8").split())
    quoted = sum(r.quote.words for r in check.results)
    intended = dict(expected)
    agree = sum(r.status == intended.get(r.text) for r in check.results)
    same = [(r.status, r.attributed_to) for r in check] == [
        (r.status, r.attributed_to) for r in text_check
    ]
    print(
        f"material: {len(corpus)} transcripts, a {PAGES}-page report of {report_words} words "
        f"as PDF, {len(check)} quotes ({quoted} quoted words)"
    )
    print(f"statuses as intended: {agree}/{len(expected)}; got {check.summary}")
    print(f"the same verdicts from the Markdown source: {'yes' if same else 'NO'}")
    print(f"naive partial_ratio, every quote x every transcript: {naive:8.2f} s")
    print(
        f"check_quotes on the PDF, reading and index included: {ours:6.2f} s, the best of "
        f"{REPEATS} runs ({', '.join(f'{r:.2f}' for r in runs)} s; PDF text alone "
        f"{pdf_time:.2f} s, index alone {index_time:.2f} s; the Markdown source {text_time:.2f} s)"
    )
    print(f"speed-up: {naive / ours:.1f}x (target >= 50x)")
