"""Making a new project file (complete or not at all, never over another file); its codebook."""

from __future__ import annotations

import getpass
import os
import uuid
from pathlib import Path

from qualcode.codebook import Codebook
from qualcode.corpus import Corpus, load_corpus
from qualcode.errors import CodingError, CorpusError, StoreError
from qualcode.store.db import CodeRow, Database
from qualcode.store.texts import to_stored

__all__ = ["code_rows", "fill", "load_transcripts", "replace_codebook", "who", "write_new"]


def who() -> str:
    """The name of the person running qualcode (for the change log of unattributed actions)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def code_rows(codebook: Codebook) -> list[CodeRow]:
    """The codes table of *codebook*: id, name, parent, variable, colour, definition, position."""
    return [
        CodeRow(c.id, c.name, c.parent, codebook.variable_of(c.id), c.color, c.description, i)
        for i, c in enumerate(codebook.codes)
    ]


def load_transcripts(transcripts: str | Path | Corpus, respondents: str | Path | None) -> Corpus:
    """The corpus a project is made from; ``CorpusError`` when it has problems or no records.

    An empty ``Corpus`` passed in is taken as deliberate (a project to fill later).
    """
    corpus = (
        transcripts
        if isinstance(transcripts, Corpus)
        else load_corpus(transcripts, respondents=respondents)
    )
    if corpus.errors:
        listed = "; ".join(issue.error for issue in corpus.errors)
        raise CorpusError(
            f"{corpus.root}: {len(corpus.errors)} problem(s) with the transcripts, "
            f"fix them before creating a project: {listed}"
        )
    if not len(corpus) and not isinstance(transcripts, Corpus):
        raise CorpusError(
            f"{corpus.root}: no interview records found; a project needs at least one transcript"
        )
    return corpus


def fill(db: Database, corpus: Corpus, codebook: Codebook) -> None:
    """Store *corpus* and *codebook* in the new, empty project *db* (one transaction)."""
    table = corpus.respondents.path if corpus.respondents is not None else None
    with db.transaction():
        db.set_meta("project_id", str(uuid.uuid4()))
        db.set_meta("transcripts_dir", str(Path(corpus.root).resolve()))
        db.set_meta("respondents", str(table.resolve()) if table is not None else "")
        db.set_meta("text_version", "1")
        db.set_meta("codebook_version", "1")
        for t in corpus:
            db.put_transcript(to_stored(t))
        db.set_codebook(codebook.source_text, codebook.path, codebook.language, code_rows(codebook))
        db.append_log(
            who(),
            "create",
            {"transcripts": len(corpus), "codes": len(codebook.codes), "folder": str(corpus.root)},
        )


def write_new(path: Path, corpus: Corpus, codebook: Codebook) -> None:
    """Write a project file at *path* (which must not exist) holding *corpus* and *codebook*.

    The file is built under a temporary name next to *path* and linked into place
    when complete, so that a failure leaves nothing and a file that appeared
    meanwhile is never overwritten.
    """
    if not path.parent.is_dir():
        raise StoreError(f"{path}: folder {path.parent} does not exist; create it first")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.creating")
    try:
        db = Database.create(tmp)
        try:
            fill(db, corpus, codebook)
        finally:
            db.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise StoreError(f"{path}: already exists; choose a new file name") from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise StoreError(f"{path}: already exists; choose a new file name") from None
            os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)


def replace_codebook(db: Database, codebook: Codebook, *, coder: str) -> None:
    """Store *codebook* in place of the project's (inside a transaction of *db*).

    Raises ``CodingError`` listing the codes that codings use and *codebook* lacks.
    """
    in_use = db.codes_in_use()
    gone = [f"{code} ({n})" for code, n in sorted(in_use.items()) if code not in codebook]
    if gone:
        raise CodingError(
            f"the new codebook lacks codes that codings use: {', '.join(gone)}; keep "
            "those ids (rename the code's name, not its id) or remove those codings first"
        )
    before = {row.id for row in db.codes()}
    after = [c.id for c in codebook.codes]
    db.set_codebook(codebook.source_text, codebook.path, codebook.language, code_rows(codebook))
    db.set_meta("codebook_version", str(int(db.get_meta("codebook_version", "0")) + 1))
    db.append_log(
        coder,
        "codebook",
        {
            "source": codebook.path,
            "added": [c for c in after if c not in before],
            "removed": sorted(before - set(after)),
        },
    )
