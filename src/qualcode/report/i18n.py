"""Interface strings of the reports in Dutch and English, with plurals.

The strings are data (``qualcode/data/report_strings.yaml``); a report speaks its
codebook's language unless ``--lang`` says otherwise.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from qualcode.errors import ArgumentError

__all__ = ["LANGUAGES", "Strings", "strings"]

LANGUAGES = ("en", "nl")


@cache
def _table() -> dict[str, dict[str, Any]]:
    text = resources.files("qualcode.data").joinpath("report_strings.yaml").read_text("utf-8")
    data: dict[str, dict[str, Any]] = yaml.safe_load(text)
    return data


class Strings:
    """The interface strings of one language: ``s("n_of", n=1, total=3)``."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._messages = _table()[language]

    def __call__(self, key: str, /, **values: Any) -> str:
        """The string *key* with *values* filled in; a plural entry is chosen by ``n``."""
        entry = self._messages[key]
        if isinstance(entry, dict):
            entry = entry["one"] if values.get("n") == 1 else entry["other"]
        return str(entry).format(**values) if values else str(entry)

    def units(self, unit: str, n: int = 2) -> str:
        """The segment unit's name (``paragraphs``, ``zinnen``), singular for *n* == 1."""
        return self(f"unit_{unit}", n=n)


def strings(language: str, *, strict: bool = False) -> Strings:
    """The strings of *language* (``en`` or ``nl``; a regional tag such as ``nl-BE`` counts).

    Another language falls back to English, or with *strict* raises ``ArgumentError``.
    """
    base = language.lower().split("-")[0].split("_")[0]
    if base not in LANGUAGES:
        if not strict:
            return Strings("en")
        raise ArgumentError(
            f"no report strings for language {language!r}; choose one of: {', '.join(LANGUAGES)}"
        )
    return Strings(base)
