"""Between qualcode's codebook and REFI-QDA codes: stable GUIDs, ids from names, YAML out.

A REFI-QDA code has a GUID and a name but no id; qualcode's codes have UPPER_SNAKE
ids. Exporting, every GUID is ``uuid5`` of a namespace and the object's stable
key (``code:<id>``), so exporting the same project or codebook again gives the
same GUIDs. Importing, ids are derived from names (``Leiderschap en regie`` ->
``LEIDERSCHAP_EN_REGIE``), made unique in document order.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import yaml

from qualcode.codebook import Codebook
from qualcode.codebook.load import DEFAULT_DIMENSION
from qualcode.interop import model as refi

__all__ = [
    "LANGUAGES",
    "QUALCODE_NAMESPACE",
    "codebook_losses",
    "codebook_yaml",
    "derive_ids",
    "guess_language",
    "make_guid",
    "namespace_for",
    "refi_codebook",
]

# The root of every namespace qualcode derives GUIDs in (a fixed, random UUID).
QUALCODE_NAMESPACE = uuid.UUID("6b1f4c2e-5d0a-4e8b-9a37-2c4d8e1f0a65")
# Languages an imported codebook may be guessed to be in (spaCy has stop words for each).
LANGUAGES: tuple[str, ...] = ("nl", "en", "de", "fr", "es", "it", "pt", "hu")
NO_DEFINITION = "(no definition in the imported file)"
_NOT_ID = re.compile(r"[^A-Z0-9]+")
_WORD = re.compile(r"[^\W\d_]+")


def namespace_for(key: str) -> uuid.UUID:
    """The GUID namespace of the project or codebook known by *key*."""
    return uuid.uuid5(QUALCODE_NAMESPACE, key)


def make_guid(namespace: uuid.UUID, kind: str, key: str) -> str:
    """The GUID of the *kind* object with stable *key* (``code``, ``BEVORDEREND``)."""
    return str(uuid.uuid5(namespace, f"{kind}:{key}"))


def refi_codebook(codebook: Codebook, *, namespace: uuid.UUID) -> refi.Codebook:
    """*codebook* as REFI-QDA codes: the tree, colours, definitions; every code codable."""
    return refi.Codebook(
        codes=tuple(
            refi.Code(
                guid=make_guid(namespace, "code", code.id),
                name=code.name,
                is_codable=True,
                color=code.color.upper(),
                description="" if code.description == NO_DEFINITION else code.description,
                parent=make_guid(namespace, "code", code.parent) if code.parent else "",
            )
            for code in codebook.codes
        )
    )


def codebook_losses(codebook: Codebook) -> tuple[refi.Dropped, ...]:
    """What of *codebook* a REFI-QDA codebook cannot carry, one item per thing left out.

    A ``.qdc`` code has a name, a definition, a colour and its place in the tree;
    everything else the qualcode codebook holds is listed: auto-coding patterns,
    include and exclude criteria, examples, dimensions, the codebook's own fields,
    and the code ids that reading the file back would make differently from the names.
    """
    per_code = (
        ("pattern", lambda c: tuple(p.source for p in c.patterns), "auto-coding patterns"),
        ("include criterion", lambda c: c.include, "include criteria"),
        ("exclude criterion", lambda c: c.exclude, "exclude criteria"),
        ("example", lambda c: c.examples, "examples"),
    )
    dropped = [
        refi.Dropped(kind, f"{code.id}: {text}", f"a REFI-QDA codebook has no place for {what}")
        for kind, items, what in per_code
        for code in codebook.codes
        for text in items(code)
    ]
    dropped += [
        refi.Dropped(
            "dimension",
            d.id,
            "a REFI-QDA codebook has no dimensions; read back, every code is in one",
        )
        for d in codebook.dimensions
        if codebook.dimensions != (DEFAULT_DIMENSION,)
    ]
    fields = {
        "name": codebook.name,
        "language": codebook.language,
        "version": codebook.version,
        "description": codebook.description,
    }
    dropped += [
        refi.Dropped(
            "codebook field",
            key,
            "a REFI-QDA codebook has no name, language, version or description "
            "(read back: the file's name, a guessed language)",
        )
        for key, value in fields.items()
        if value
    ]
    new_ids = derive_ids(refi.Code(guid=c.id, name=c.name) for c in codebook.codes)
    dropped += [
        refi.Dropped(
            "code id",
            f"{c.id} -> {new_ids[c.id]}",
            "a REFI-QDA code has a name, not an id; read back, ids are made from the names",
        )
        for c in codebook.codes
        if new_ids[c.id] != c.id
    ]
    return tuple(dropped)


def _id_of(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(ch for ch in folded if not unicodedata.combining(ch)).upper()
    ident = _NOT_ID.sub("_", ascii_name).strip("_")
    if not ident:
        return "CODE"
    return ident if ident[0].isalpha() else f"CODE_{ident}"


def derive_ids(codes: Iterable[refi.Code]) -> dict[str, str]:
    """Map each code's GUID to an UPPER_SNAKE id made from its name, unique, in document order."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for code in codes:
        base = _id_of(code.name)
        ident, n = base, 1
        while ident in used:
            n += 1
            ident = f"{base}_{n}"
        used.add(ident)
        ids[code.guid] = ident
    return ids


@cache
def _stop_words(language: str) -> frozenset[str]:
    # Loaded from spaCy's plain stop_words.py alone: importing spacy.lang.<xx> would also
    # compile its tokenizer exceptions, seconds for some languages.
    from importlib.util import find_spec, module_from_spec, spec_from_file_location

    spacy = find_spec("spacy")
    if spacy is None or not spacy.submodule_search_locations:
        return frozenset()
    folder = Path(next(iter(spacy.submodule_search_locations)))
    spec = spec_from_file_location(
        f"_stop_words_{language}", folder / "lang" / language / "stop_words.py"
    )
    if spec is None or spec.loader is None:
        return frozenset()
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


def guess_language(texts: Iterable[str], *, default: str = "en") -> str:
    """The language of ``LANGUAGES`` whose stop words are most frequent in *texts*."""
    counts = Counter(w.lower() for text in texts for w in _WORD.findall(text))
    if not counts:
        return default
    scores: dict[str, int] = {}
    for language in LANGUAGES:
        stop_words = _stop_words(language)
        scores[language] = sum(n for w, n in counts.items() if w in stop_words)
    best = max(LANGUAGES, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else default


def codebook_yaml(
    codebook: refi.Codebook,
    *,
    name: str,
    language: str,
    ids: Mapping[str, str] | None = None,
    description: str = "",
) -> str:
    """A qualcode codebook (YAML text) holding *codebook*'s tree, names, definitions, colours.

    *ids* maps GUIDs to code ids (default: :func:`derive_ids`). Codes without a
    definition get a placeholder, as qualcode requires one.
    """
    ids = dict(ids) if ids is not None else derive_ids(codebook.codes)
    entries = []
    for code in codebook.codes:
        entry: dict[str, str] = {
            "id": ids[code.guid],
            "name": code.name,
            "description": code.description or NO_DEFINITION,
        }
        if code.parent:
            entry["parent"] = ids[code.parent]
        if code.color:
            entry["color"] = code.color
        entries.append(entry)
    document: dict[str, object] = {"name": name, "language": language}
    if description:
        document["description"] = description
    document["codes"] = entries
    header = f"# Imported from {codebook.origin or 'a REFI-QDA file'} by qualcode.\n"
    return header + yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
