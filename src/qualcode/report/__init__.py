"""Report sets: one report per variable (HTML, Markdown, optionally docx and xlsx), an
overview page, ``frequencies.csv``, ``quotes.csv`` and the figures, in one folder.

    report = build_report(Analysis(codings, corpus, codebook), "reports")
"""

from qualcode.report.anonymise import PERSON, RESPONDENT, Anonymiser
from qualcode.report.batch import AUTO_COMPARE, AUTOCODED_CSV, ReportRun, report_corpus
from qualcode.report.build import (
    DEFAULT_FORMATS,
    DEFAULT_MAX_QUOTES,
    FREQUENCY_COLUMNS,
    REPORT_FORMATS,
    build_report,
    frequency_table,
    parse_formats,
    quote_table,
)
from qualcode.report.model import ReportSet

__all__ = [
    "AUTOCODED_CSV",
    "AUTO_COMPARE",
    "DEFAULT_FORMATS",
    "DEFAULT_MAX_QUOTES",
    "FREQUENCY_COLUMNS",
    "PERSON",
    "REPORT_FORMATS",
    "RESPONDENT",
    "Anonymiser",
    "ReportRun",
    "ReportSet",
    "build_report",
    "frequency_table",
    "parse_formats",
    "quote_table",
    "report_corpus",
]
