"""qualcode -> .qdpx -> qualcode on the sample corpus with the gold codings."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import CODEBOOK, SAMPLE

from qualcode.corpus import Corpus
from qualcode.interop.exchange import export_project, import_project
from qualcode.store import Project

KEY = ["file", "start", "end", "code", "coder", "text"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Corpus) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("roundtrip")
    db = folder / "origineel.db"
    with Project.create(db, transcripts=sample_corpus, codebook=CODEBOOK) as project:
        gold = pd.read_csv(SAMPLE / "codings_gold.csv")
        assert project.import_codings(gold, source="gold").added == len(gold)
        first = int(project.codings().iloc[0]["id"])
        project.memo("Eerste coding, ter controle.", coder="gold", coding=first)
        project.memo(
            "Kern van de financiële discussie.", coder="gold", code="FINANCIELE_RANDVOORWAARDEN"
        )
        project.memo(
            "Gespreksverslag, geen letterlijk transcript.", coder="gold", transcript="divosa.txt"
        )
    out = folder / "origineel.qdpx"
    export_project(db, out)
    return db, out


def _codings(db: Path) -> set[tuple[object, ...]]:
    with Project.open(db) as project:
        return set(map(tuple, project.codings()[KEY].values.tolist()))


def test_round_trip_keeps_everything(exported: tuple[Path, Path], tmp_path: Path) -> None:
    db, out = exported
    copy = tmp_path / "kopie.db"
    done = import_project(out, copy)
    assert done.report.warnings == () and done.report.dropped == ()
    assert done.read == done.counts
    original, imported = _codings(db), _codings(copy)
    assert len(original) > 800
    assert imported == original  # the same text at the same places, by the same coders
    with Project.open(db) as a, Project.open(copy) as b:
        assert b.codebook.source_text == a.codebook.source_text
        assert [c.id for c in b.codebook.codes] == [c.id for c in a.codebook.codes]
        assert b.corpus.files == a.corpus.files
        for ta, tb in zip(a.corpus, b.corpus, strict=True):
            assert tb.text == ta.text
            assert (tb.respondent, tb.organisation) == (ta.respondent, ta.organisation)
            assert dict(tb.attributes) == dict(ta.attributes)
        memos_a = a.memos()[["kind", "coder", "text"]].sort_values("text").values.tolist()
        memos_b = b.memos()[["kind", "coder", "text"]].sort_values("text").values.tolist()
        assert memos_b == memos_a


def test_round_trip_without_qualcodes_codebook_keeps_codes_by_name(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    _, out = exported
    stripped = tmp_path / "zonder.qdpx"  # as another program would re-export it
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(stripped, "w") as dst:
        for item in src.infolist():
            if item.filename != "qualcode/codebook.yaml":
                dst.writestr(item, src.read(item))
    copy = tmp_path / "zonder.db"
    done = import_project(stripped, copy, language="nl")
    assert done.report.dropped == ()
    with Project.open(exported[0]) as a, Project.open(copy) as b:
        names_a = {c.id: c.name for c in a.codebook.codes}
        names_b = {c.id: c.name for c in b.codebook.codes}
        assert sorted(names_b.values()) == sorted(names_a.values())
        assert b.codebook.language == "nl"
        by_name = {
            (r.file, r.start, r.end, names_a[r.code], r.text) for r in a.codings().itertuples()
        }
        again = {
            (r.file, r.start, r.end, names_b[r.code], r.text) for r in b.codings().itertuples()
        }
        assert again == by_name
        colours = {c.name: c.color for c in a.codebook.codes}
        assert {c.name: c.color for c in b.codebook.codes} == colours
