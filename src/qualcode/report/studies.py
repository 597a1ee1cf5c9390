"""Many studies in one run: a plan file names them, each gets its report set.

A plan is a YAML file::

    defaults:                 # optional: keys every study gets unless it sets them
      codebook: codebook/msm.yaml
      format: html,md
    studies:
      - name: inburgering-2025
        transcripts: data/inburgering-2025      # a folder, or an fsspec URL (Dask engine)
        respondents: data/inburgering-2025.csv  # optional
        out: reports/inburgering-2025
      - name: panel-wave-2
        transcripts: s3://bucket/panel/wave-2
        codings: data/wave-2-codings.csv        # optional: report on these codings
        out: reports/panel-wave-2
        compare: none

Keys of a study: ``name``, ``transcripts``, ``codebook`` and ``out`` (needed),
``respondents``, ``codings``, ``format``, ``unit``, ``compare``, ``max_quotes``,
``anonymise``, ``names`` (a list) and ``title``, as for ``qualcode report``.
Relative paths are taken from the plan file's folder. The studies run one after
the other (each on every worker of the engine); a study that fails, or reports
unreadable records, does not stop the others: :func:`run_plan` returns what
happened to each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qualcode.corpus.segments import check_unit
from qualcode.errors import PlanError, QualcodeError
from qualcode.report.batch import AUTO_COMPARE, report_corpus
from qualcode.report.build import DEFAULT_MAX_QUOTES

__all__ = ["PLAN_KEYS", "Study", "StudyResult", "load_plan", "run_plan"]

#: The keys a study may have; the first four are needed (from the study or ``defaults``).
PLAN_KEYS = (
    "name",
    "transcripts",
    "codebook",
    "out",
    "respondents",
    "codings",
    "format",
    "unit",
    "compare",
    "max_quotes",
    "anonymise",
    "names",
    "title",
)
_NEEDED = PLAN_KEYS[:4]
_PATHS = ("transcripts", "codebook", "out", "respondents", "codings")


@dataclass(frozen=True)
class Study:
    """One study of a plan: where its records, codebook and report set are, and how to report."""

    name: str
    transcripts: str
    codebook: str
    out: str
    respondents: str | None = None
    codings: str | None = None
    format: str = "html,md"
    unit: str = "paragraph"
    compare: str = AUTO_COMPARE
    max_quotes: int = DEFAULT_MAX_QUOTES
    anonymise: bool = False
    names: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class StudyResult:
    """What one study of a run gave: its report set, or why it has none, and its problems."""

    study: Study
    written: tuple[str, ...] = ()  # files of the report set, relative to its folder
    codings: int = 0
    quotes: int = 0
    problems: tuple[str, ...] = field(default_factory=tuple)  # records that could not be read
    failure: str = ""  # why no report set was written
    warnings: tuple[str, ...] = ()  # what leaves the report poorer (no respondents table)

    @property
    def ok(self) -> bool:
        """Whether the report set was written from every record."""
        return not self.failure and not self.problems

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the batch summary (a contract: add fields, never rename)."""
        return {
            "name": self.study.name,
            "out": self.study.out,
            "status": "failed" if self.failure else ("problems" if self.problems else "written"),
            "files": len(self.written),
            "codings": self.codings,
            "quotes": self.quotes,
            "problems": list(self.problems),
            "failure": self.failure,
            "warnings": list(self.warnings),
        }


def _resolve(value: str, base: Path) -> str:
    if "://" in value or Path(value).is_absolute():
        return value
    return str(base / value)


def _study(raw: Mapping[str, Any], where: str, base: Path) -> Study:
    unknown = [k for k in raw if k not in PLAN_KEYS]
    if unknown:
        raise PlanError(
            f"{where}: unknown key {', '.join(map(str, unknown))}; "
            f"a study has: {', '.join(PLAN_KEYS)}"
        )
    missing = [k for k in _NEEDED if not raw.get(k)]
    if missing:
        raise PlanError(
            f"{where}: missing {', '.join(missing)}; every study needs name, transcripts, "
            "codebook and out (in the study or under defaults)"
        )
    values = {k: raw[k] for k in PLAN_KEYS if raw.get(k) is not None}
    for key in _PATHS:
        if key in values:
            values[key] = _resolve(str(values[key]), base)
    if "names" in values:
        names = values["names"]
        values["names"] = tuple(str(n) for n in (names if isinstance(names, list) else [names]))
    try:
        max_quotes = int(values.get("max_quotes", DEFAULT_MAX_QUOTES))
    except (TypeError, ValueError):
        raise PlanError(
            f"{where}: max_quotes {values['max_quotes']!r} is not a whole number"
        ) from None
    values["max_quotes"] = max_quotes
    for key in ("name", "format", "unit", "compare", "title"):
        if key in values:
            values[key] = str(values[key])
    values["anonymise"] = bool(values.get("anonymise", False))
    return Study(**values)


def load_plan(path: str | Path) -> list[Study]:
    """The studies of the plan file *path*; ``PlanError`` naming the study and key when wrong."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanError(f"{path}: cannot read the plan ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}: not a YAML file ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
        raise PlanError(f"{path}: a plan needs a list 'studies' (and may have 'defaults')")
    extra = [str(k) for k in data if k not in ("studies", "defaults")]
    if extra:
        raise PlanError(f"{path}: unknown key {', '.join(extra)}; a plan has studies and defaults")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise PlanError(f"{path}: 'defaults' must be a mapping of study keys")
    studies: list[Study] = []
    for i, raw in enumerate(data["studies"], start=1):
        if not isinstance(raw, dict):
            raise PlanError(f"{path}, study {i}: expected keys such as name, transcripts, out")
        where = f"{path.name}, study {i}" + (f" ({raw['name']})" if raw.get("name") else "")
        studies.append(_study({**defaults, **raw}, where, path.parent))
    seen: dict[str, str] = {}
    for study in studies:
        if study.out in seen:
            raise PlanError(
                f"{path.name}: studies {seen[study.out]} and {study.name} both write to "
                f"{study.out}; give each study its own out folder"
            )
        seen[study.out] = study.name
    return studies


def run_plan(
    studies: Sequence[Study],
    *,
    client: Any = None,
    workers: int | None = None,
    progress: Callable[[Iterator[Study], int], Iterable[Study]] | None = None,
) -> list[StudyResult]:
    """Write the report set of every study, going on past a study that fails.

    *client* (``dask.distributed``) runs each study on a cluster; *workers* draw
    the figures. *progress* wraps the stream of studies.
    """
    from qualcode.report.build import parse_formats

    results: list[StudyResult] = []
    stream: Iterable[Study] = iter(studies)
    if progress is not None:
        stream = progress(iter(studies), len(studies))
    for study in stream:
        if client is None and "://" in study.transcripts:
            failure = (
                f"{study.transcripts} is a URL: its records are read by Dask workers; "
                "run the plan on the Dask engine"
            )
            results.append(StudyResult(study, failure=failure))
            continue
        try:
            run = report_corpus(
                study.out,
                transcripts=study.transcripts,
                respondents=study.respondents,
                codebook=study.codebook,
                codings=study.codings,
                unit=check_unit(study.unit),
                formats=parse_formats(study.format),
                compare=None if study.compare.lower() == "none" else study.compare,
                max_quotes=study.max_quotes,
                anonymise=study.anonymise,
                names=study.names,
                title=study.title,
                workers=workers,
                client=client,
            )
        except QualcodeError as exc:
            results.append(StudyResult(study, failure=str(exc)))
            continue
        results.append(
            StudyResult(
                study,
                written=run.report.files,
                codings=run.codings,
                quotes=run.report.quotes,
                problems=tuple(e.error for e in run.errors),
                warnings=run.warnings,
            )
        )
    return results
