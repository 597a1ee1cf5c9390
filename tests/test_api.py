"""The public API: a small, sorted ``__all__`` whose names all exist."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
from types import ModuleType

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


def _public_modules() -> list[ModuleType]:
    found = []
    for info in pkgutil.walk_packages(qualcode.__path__, "qualcode."):
        if info.name.startswith(("qualcode.bench", "qualcode.__main__")):
            continue
        found.append(importlib.import_module(info.name))
    return found


def test_no_public_name_shadows_a_module() -> None:
    for name in qualcode.__all__:
        spec = importlib.util.find_spec(f"qualcode.{name}")
        assert spec is None, f"qualcode.{name} is both a public name and a module"


def test_public_names_are_what_they_say() -> None:
    for name in qualcode.__all__:
        obj = getattr(qualcode, name)
        if isinstance(obj, type) or inspect.isfunction(obj):
            assert obj.__name__ == name, name
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_one_meaning_per_public_name() -> None:
    meaning: dict[str, tuple[object, str]] = {}
    clashes = []
    for module in _public_modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if isinstance(obj, ModuleType) or not (
                isinstance(obj, type) or callable(obj) or isinstance(obj, tuple)
            ):
                continue
            seen = meaning.setdefault(name, (obj, module.__name__))
            if seen[0] is not obj:
                clashes.append(f"{name}: {seen[1]} and {module.__name__}")
    assert clashes == []
