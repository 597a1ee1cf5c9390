"""A disk cache of fitted models, as plain arrays (no pickle: nothing executable is read).

A model is kept in a file named by the hash of everything it was fitted from
(codebook, settings, passages and ``FORMAT``), so a changed input never meets
a stale model; a file that cannot be read is ignored and written again.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qualcode.coding.features import DIMENSIONS, WordFeatures

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook
    from qualcode.coding.learned import LearnedModel, ModelSettings

__all__ = ["FORMAT", "cache_dir", "load_model", "save_model"]

#: Bump when the model's arrays change meaning: older files are then never read.
FORMAT = 2


def cache_dir() -> Path | None:
    """Where fitted models are kept: ``$QUALCODE_CACHE_DIR`` (``off``: nowhere), else
    ``$XDG_CACHE_HOME/qualcode`` or ``~/.cache/qualcode``."""
    chosen = os.environ.get("QUALCODE_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qualcode"


def _cache_file(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"model-{key[:40]}.npz"


def save_model(model: LearnedModel) -> None:
    """Keep *model* in the cache (quietly nothing when the cache cannot be written)."""
    path = _cache_file(model.key)
    if path is None:
        return
    arrays: dict[str, Any] = {
        "key": np.array(model.key),
        "classes": np.array(model.classes),
        "valences": np.array(model.valences, dtype="U16"),
        "idf_stems": np.array(list(model.words.idf), dtype=str),
        "idf_values": np.array(list(model.words.idf.values()), dtype=np.float64),
        "max_idf": np.array(model.words.max_idf),
    }
    arrays.update({f"words_{k}": v for k, v in model.words.table().items()})
    for name, (coef, intercept, temperature) in model.heads.items():
        used = np.flatnonzero(np.any(coef != 0, axis=0))
        arrays[f"{name}_columns"] = used
        arrays[f"{name}_coef"] = coef[:, used]
        arrays[f"{name}_intercept"] = intercept
        arrays[f"{name}_temperature"] = np.array(temperature)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".npz", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.replace(tmp, path)
    except OSError:
        return  # a cache that cannot be written only costs time


def load_model(key: str, codebook: Codebook, settings: ModelSettings) -> LearnedModel | None:
    """The cached model fitted from what *key* hashes, or None."""
    path = _cache_file(key)
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            if str(f["key"]) != key:
                return None
            idf = dict(zip(f["idf_stems"].tolist(), f["idf_values"].tolist(), strict=True))
            words = WordFeatures(codebook.language, settings.features, idf, float(f["max_idf"]))
            keys = ("forms", "stems", "indptr", "indices", "data")
            words.preload({k: f[f"words_{k}"] for k in keys})
            valences = tuple(f["valences"].tolist())
            names = ("variables", "valence") if valences else ("variables",)
            parts = [f[f"{name}_coef"] for name in names]
            # the weights laid out by feature column, as coding reads them; each head's
            # coef (classes x columns) is a view of its columns
            width = DIMENSIONS + len(codebook.top_level())
            by_column = np.zeros((width, sum(part.shape[0] for part in parts)))
            heads = {}
            start = 0
            for name, part in zip(names, parts, strict=True):
                end = start + part.shape[0]
                by_column[f[f"{name}_columns"], start:end] = part.T
                heads[name] = (
                    by_column[:, start:end].T,
                    f[f"{name}_intercept"].astype(np.float64),
                    float(f[f"{name}_temperature"]),
                )
                start = end
            classes = tuple(f["classes"].tolist())
    except (OSError, KeyError, ValueError):
        return None
    from qualcode.coding.learned import LearnedModel

    return LearnedModel(
        codebook, settings, words, heads, classes, valences, key, by_column=by_column
    )
