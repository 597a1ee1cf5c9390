"""The public API: a small, sorted ``__all__`` whose names all exist."""

from __future__ import annotations

import qualcode


def test_all_is_sorted_and_resolvable() -> None:
    assert list(qualcode.__all__) == sorted(qualcode.__all__)
    assert len(set(qualcode.__all__)) == len(qualcode.__all__)
    for name in qualcode.__all__:
        assert hasattr(qualcode, name), name


def test_errors_share_one_root() -> None:
    for name in (
        "CodebookError",
        "CodingError",
        "CorpusError",
        "InteropError",
        "ReviewError",
        "StoreError",
    ):
        assert issubclass(getattr(qualcode, name), qualcode.QualcodeError)
