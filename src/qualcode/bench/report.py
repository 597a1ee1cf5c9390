"""Benchmark: building the full report set next to auto-coding, on 2,000 generated interviews.

The corpus is generated deterministically from the sample corpus: interview
*i* takes the paragraphs of sample record *i mod n*, rotated by *i*, with
a few paragraphs of another record mixed in, and is attributed to one of the
sample's organisations in turn. Both steps run in the same process on the
same corpus: auto-coding (``autocode``, every core) is the baseline; the
report set (``Analysis`` + ``build_report`` with the default formats, HTML and
Markdown, plus the CSVs and figures) should take no longer.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from pathlib import Path

from qualcode.analysis import Analysis
from qualcode.codebook import load_codebook
from qualcode.coding.autocoder import autocode
from qualcode.corpus import Corpus, load_corpus
from qualcode.report import build_report

__all__ = ["generate_corpus", "run"]

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebook" / "msm.yaml"


def generate_corpus(sample: Corpus, folder: Path, *, interviews: int) -> Path:
    """Write *interviews* recombined records and a respondents table into *folder*."""
    records = [t for t in sample.transcripts if t.text.strip()]
    blocks = [t.text.split("\n\n") for t in records]
    rows = []
    for i in range(interviews):
        n = i % len(records)
        own = blocks[n]
        other = blocks[(i * 7 + 3) % len(records)]
        rng = random.Random(i)
        shift = 1 + i % max(len(own) - 1, 1)
        body = own[1:][shift - 1 :] + own[1:][: shift - 1]
        at = rng.randrange(len(body) + 1)
        body[at:at] = rng.sample(other[1:], min(3, len(other) - 1))
        name = f"interview-{i:05d}.txt"
        (folder / name).write_text("\n\n".join([own[0], *body]) + "\n", encoding="utf-8")
        t = records[n]
        rows.append(
            {
                "file": name,
                "respondent": f"R{i:05d}",
                "organisation": t.organisation,
                **dict(t.attributes),
            }
        )
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with (folder / "respondents.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return folder


def run(quick: bool = False) -> list[str]:
    """Time auto-coding and report building on the generated corpus; print and return lines."""
    interviews = 200 if quick else 2000
    codebook = load_codebook(CODEBOOK)
    sample = load_corpus(SAMPLE)
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    with tempfile.TemporaryDirectory(prefix="qualcode-bench-report-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        corpus = load_corpus(generate_corpus(sample, folder, interviews=interviews))
        words = sum(t.words for t in corpus.transcripts)
        say(f"corpus: {len(corpus)} generated interviews, {words:,} words")

        start = time.perf_counter()
        codings = autocode(corpus, codebook)
        coding_s = time.perf_counter() - start
        say(f"auto-coding (baseline): {coding_s:.2f} s, {len(codings):,} codings")

        start = time.perf_counter()
        analysis = Analysis(codings, corpus, codebook)
        analysis_s = time.perf_counter() - start
        report = build_report(analysis, Path(tmp) / "report", compare="steering_group")
        report_s = time.perf_counter() - start
        say(
            f"report set: {report_s:.2f} s ({analysis_s:.2f} s mapping codings onto segments), "
            f"{len(report.files)} files, {report.quotes:,} quotes in quotes.csv"
        )
        ratio = report_s / coding_s if coding_s else float("inf")
        verdict = "ok" if ratio <= 1.0 else "SLOWER than target"
        if quick:  # the figures cost the same for any corpus: a small one cannot be judged
            verdict = "quick run, not judged: the target is for 2,000 interviews"
        say(f"report / auto-coding = {ratio:.2f} (target <= 1.00: {verdict})")
    return lines
