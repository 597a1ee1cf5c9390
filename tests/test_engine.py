"""The Dask engine against the local one: the same codings, the same report set, the same errors.

One ``distributed.LocalCluster`` of two worker processes serves the whole module
(starting one costs seconds). The test that kills a worker runs last.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import pandas as pd
import pytest
from click.testing import CliRunner

import qualcode
from qualcode.analysis import Analysis
from qualcode.analysis.summary import QuoteTables, Summary
from qualcode.cli import main
from qualcode.coding.autocoder import Selection, autocode_corpus
from qualcode.engine.autocode import autocode_part, autocode_records
from qualcode.engine.records import RecordSource, partition
from qualcode.engine.report import report_part
from qualcode.errors import QualcodeError
from qualcode.report.batch import report_corpus

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebook" / "msm.yaml"
#: What a report set is compared on (figures are drawn from these tables by the same code).
REPORT_FILES = ("frequencies.csv", "quotes.csv", "index.html", "REPRESENTATIE.md")


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """A client of a LocalCluster with two worker processes, shared by this module."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def codebook() -> qualcode.Codebook:
    return qualcode.load_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def local_codings(sample_corpus: qualcode.Corpus, codebook: qualcode.Codebook) -> pd.DataFrame:
    return qualcode.autocode_frame(sample_corpus, codebook, workers=1)


@pytest.fixture(scope="module")
def small_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six records of the sample corpus with their respondents-table rows (fast to report)."""
    folder = tmp_path_factory.mktemp("small") / "study"
    folder.mkdir()
    names = ["cbs.md", "coa.txt", "cvte.docx", "divosa.txt", "implementatiemanager.vtt", "vng.txt"]
    for name in names:
        (folder / name).write_bytes((SAMPLE / name).read_bytes())
    table = pd.read_csv(SAMPLE / "respondents.csv", dtype=str, keep_default_na=False)
    table[table["file"].isin(names)].to_csv(folder / "respondents.csv", index=False)
    return folder


@pytest.fixture
def broken_corpus(tmp_path: Path) -> Path:
    """Three readable records, an unreadable .docx and one without a respondents-table row."""
    folder = tmp_path / "study"
    folder.mkdir()
    for name in ("blik-op-werk.txt", "coa.txt", "divosa.txt"):
        (folder / name).write_text((SAMPLE / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "kapot.docx").write_bytes(b"dit is geen docx")
    (folder / "zonder-rij.txt").write_text(
        (SAMPLE / "g4.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    rows = ["file,respondent,organisation"]
    rows += [
        f"{n},R{i},Org {i}" for i, n in enumerate(["blik-op-werk.txt", "coa.txt", "divosa.txt"])
    ]
    rows += ["kapot.docx,R9,Org 9", "weg.txt,R8,Org 8"]
    (folder / "respondents.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


# -- without a cluster: the parts put together are the whole ---------------------------------


def test_partitions_keep_every_file_once_in_order() -> None:
    names = [f"f{i:02d}.txt" for i in range(40)]
    parts = partition(names, [100_000] * 40, workers=2)
    assert [n for p in parts for n in p] == names
    assert len(parts) == 8  # 4 MB over 4 partitions per worker: 500 kB each


def test_summaries_of_parts_merge_into_the_whole(
    sample_corpus: qualcode.Corpus, codebook: qualcode.Codebook, local_codings: pd.DataFrame
) -> None:
    source = RecordSource.open(SAMPLE)
    parts = source.parts(workers=3)
    assert len(parts) > 3
    results = [report_part(p, codebook, "paragraph", Selection(), True) for p in parts]
    merged = Summary.merge([r.summary for r in results], errors=sample_corpus.errors)
    whole = Analysis(local_codings, sample_corpus, codebook)
    assert merged.frequencies(by="organisation").equals(whole.frequencies(by="organisation"))
    assert merged.valence_split(level="code").equals(whole.valence_split(level="code"))
    assert merged.compare("steering_group").equals(whole.compare("steering_group"))
    assert merged.cooccurrence().equals(whole.cooccurrence())
    assert merged.framework_matrix().equals(whole.framework_matrix())
    assert merged.transcripts.equals(whole.transcripts)
    quotes = QuoteTables.merge([r.quotes for r in results], codebook)
    expected = QuoteTables.of(whole)
    assert quotes.quotes.equals(expected.quotes)
    assert quotes.passages.equals(expected.passages)
    assert quotes.coded.equals(expected.coded)
    codings = pd.concat([r.codings for r in results], ignore_index=True)
    assert codings.equals(local_codings)


# -- on the cluster ---------------------------------------------------------------------------


def test_autocode_frame_on_the_cluster_is_the_local_table(
    client: object,
    sample_corpus: qualcode.Corpus,
    codebook: qualcode.Codebook,
    local_codings: pd.DataFrame,
) -> None:
    remote = qualcode.autocode_frame(sample_corpus, codebook, client=client)
    assert len(remote) == len(local_codings) > 1000
    pd.testing.assert_frame_equal(remote, local_codings)


@pytest.fixture(scope="module")
def local_report(small_study: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report set of the small study by the local engine (auto-coded)."""
    out = tmp_path_factory.mktemp("local") / "report"
    report_corpus(out, transcripts=small_study, codebook=CODEBOOK, formats="html,md", workers=1)
    return out


def test_report_on_the_cluster_is_the_local_report_set(
    client: object, small_study: Path, local_report: Path, tmp_path: Path
) -> None:
    remote = report_corpus(
        tmp_path / "dask",
        transcripts=small_study,
        codebook=CODEBOOK,
        formats="html,md",
        workers=1,
        client=client,
    )
    assert remote.codings > 200
    assert sorted(remote.report.files) == sorted(
        p.relative_to(local_report).as_posix()
        for p in local_report.rglob("*")
        if p.is_file() and p.name != "codings_auto.csv"
    )
    assert remote.errors == ()
    for name in (*REPORT_FILES, "codings_auto.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (local_report / name).read_bytes()


def test_build_report_with_a_client_is_the_local_report_set(
    client: object, small_study: Path, local_report: Path, tmp_path: Path
) -> None:
    corpus = qualcode.load_corpus(small_study)
    codebook = qualcode.load_codebook(CODEBOOK)
    analysis = Analysis.from_csv(local_report / "codings_auto.csv", corpus, codebook)
    qualcode.build_report(
        analysis, tmp_path / "dask", formats="html,md", compare="steering_group", client=client
    )
    for name in REPORT_FILES:
        assert (tmp_path / "dask" / name).read_bytes() == (local_report / name).read_bytes()


def test_unreadable_records_are_reported_as_the_local_engine_does(
    client: object, codebook: qualcode.Codebook, broken_corpus: Path, tmp_path: Path
) -> None:
    corpus = qualcode.load_corpus(broken_corpus)
    local = qualcode.autocode_frame(corpus, codebook, workers=1)
    run = autocode_records(
        RecordSource.open(broken_corpus), codebook, tmp_path / "c.csv", client=client
    )
    assert [e.error for e in run.errors] == [e.error for e in corpus.errors]
    assert [e.file for e in run.errors] == ["kapot.docx", "zonder-rij.txt", "weg.txt"]
    assert run.transcripts == 4
    pd.testing.assert_frame_equal(read_codings_plain(tmp_path / "c.csv"), plain(local))


def test_records_at_an_fsspec_url_are_read_by_the_workers(
    client: object, codebook: qualcode.Codebook, broken_corpus: Path, tmp_path: Path
) -> None:
    corpus = qualcode.load_corpus(broken_corpus)
    source = RecordSource.open(broken_corpus.as_uri())
    assert source.names == (
        "blik-op-werk.txt",
        "coa.txt",
        "divosa.txt",
        "kapot.docx",
        "zonder-rij.txt",
    )
    run = autocode_records(source, codebook, tmp_path / "c.csv", client=client)
    assert [e.file for e in run.errors] == [e.file for e in corpus.errors]
    # the same words, the folder named by its URL
    assert run.errors[0].error.startswith("kapot.docx: not a readable .docx file (")
    assert [e.error for e in run.errors[1:]] == [
        e.error.replace(str(broken_corpus), broken_corpus.as_uri()) for e in corpus.errors[1:]
    ]
    local = qualcode.autocode_frame(corpus, codebook, workers=1)
    pd.testing.assert_frame_equal(read_codings_plain(tmp_path / "c.csv"), plain(local))


def test_cli_autocode_with_scheduler_writes_the_local_csv(client: object, tmp_path: Path) -> None:
    address = client.scheduler.address  # type: ignore[attr-defined]
    runner = CliRunner()
    args = ["autocode", "--transcripts", str(SAMPLE), "--codebook", str(CODEBOOK), "--quiet"]
    local = runner.invoke(main, [*args, "--out", str(tmp_path / "local.csv")])
    remote = runner.invoke(main, [*args, "--out", str(tmp_path / "d.csv"), "--scheduler", address])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert remote.output == local.output.replace("local.csv", "d.csv")
    assert (tmp_path / "d.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()


# -- errors a user can meet -------------------------------------------------------------------


def test_an_unreachable_scheduler_is_one_error_naming_it(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(
            main,
            [
                "autocode",
                *("--transcripts", str(SAMPLE), "--codebook", str(CODEBOOK)),
                *("--out", str(tmp_path / "c.csv"), "--scheduler", address),
            ],
        )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: cannot reach the Dask scheduler at {address} (")
    assert lines[0].endswith(
        "check the address and that 'dask scheduler' runs there and accepts connections "
        "from this machine"
    )
    assert not (tmp_path / "c.csv").exists()


def test_a_url_needs_the_dask_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "autocode",
            *("--transcripts", "s3://bucket/study", "--codebook", str(CODEBOOK)),
            *("--out", str(tmp_path / "c.csv")),
        ],
    )
    assert result.exit_code == 2
    assert (
        "--transcripts s3://bucket/study is a URL: its records are read by Dask workers; "
        "add --engine dask or --scheduler ADDRESS"
    ) in result.output


def test_without_distributed_the_engine_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qualcode.engine import dask_client

    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    with pytest.raises(QualcodeError) as caught, dask_client(engine="dask"):
        pass
    assert str(caught.value) == (
        "the Dask engine needs dask.distributed, which is not installed; "
        "install it with: pip install 'qualcode[dask]'"
    )


# -- faults (last: it kills a worker of the shared cluster) -----------------------------------


def test_a_worker_killed_mid_run_changes_nothing(
    client: object, codebook: qualcode.Codebook, tmp_path: Path
) -> None:
    pids = client.run(os.getpid)  # type: ignore[attr-defined]
    killed: list[int] = []

    def kill_after_first(parts: Iterator[object], total: int) -> Iterator[object]:
        for i, part in enumerate(parts):
            if i == 0:  # the other partitions are queued or running on both workers
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            yield part

    source = RecordSource.open(SAMPLE)
    assert len(source.parts(2)) >= 4
    run = autocode_records(
        source, codebook, tmp_path / "c.csv", client=client, progress=kill_after_first
    )
    assert killed
    local = tmp_path / "local.csv"
    autocode_corpus(qualcode.load_corpus(SAMPLE), codebook, local)
    assert (tmp_path / "c.csv").read_bytes() == local.read_bytes()
    assert run.codings == len(pd.read_csv(local)) > 1000
    with pytest.raises(ProcessLookupError):  # it is gone (its nanny reaped it)
        for _ in range(100):
            os.kill(killed[0], 0)
            time.sleep(0.1)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A codings frame as a CSV reader sees it (text cells)."""
    return frame.astype(str).reset_index(drop=True)


def read_codings_plain(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_autocode_part_is_a_plain_function() -> None:
    """What a task runs needs no cluster (and returns no spaCy objects)."""
    source = RecordSource.open(SAMPLE)
    coded = autocode_part(
        source.parts(1)[0], qualcode.load_codebook(CODEBOOK), "paragraph", Selection()
    )
    assert coded.transcripts >= 1
    assert set(coded.codings.dtypes.map(str)) <= {"object", "int64", "float64"}


def test_a_partition_that_keeps_killing_its_workers_is_one_error() -> None:
    """The scheduler gives up on a task after it killed workers; the run says which records."""
    from qualcode.engine.records import Part
    from qualcode.engine.tasks import run_parts
    from qualcode.errors import ClusterError

    class Dead:
        def result(self) -> object:
            raise distributed.KilledWorker("task", "tcp://127.0.0.1:1", 3)

        def release(self) -> None:
            pass

    class Client:
        def scatter(self, item: object, **_: object) -> Dead:
            return Dead()

        def submit(self, *_: object, **__: object) -> Dead:
            return Dead()

    part = Part(3, "/data", ("a.txt", "b.txt", "c.txt", "d.txt"))
    with pytest.raises(ClusterError) as caught:
        list(run_parts(Client(), len, [part], "shared"))
    assert str(caught.value) == (
        "partition 3 (a.txt, b.txt, c.txt ...) killed every Dask worker that ran it; "
        "check the workers' memory limit and logs"
    )
