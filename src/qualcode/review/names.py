"""Organisation names in report text, resolved against the respondents table.

An organisation is recognised by its name or any of its aliases (the
respondents table's ``aliases`` column, ``;``-separated), case-insensitively,
with or without an article (``de VNG``, ``het COA``), with spaces and hyphens
interchangeable (``VNG Realisatie`` = ``VNG-Realisatie``), and as the first part
of a compound (``G40-gemeente``, ``VNG-leden``). The longest name wins
(``IV-opgave SZW`` before ``SZW``). For ``Ministerie van X`` the short form
``X`` is known too when it is an acronym (``OCW``), and a respondent code of
the table (``R05``, also written ``R5``) names the respondent's organisation;
a person's name never does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.corpus import Corpus

__all__ = ["Mention", "OrganisationNames"]

_ARTICLE = re.compile(r"^(?:de|het|een|'t|’t)\s+", re.IGNORECASE)
_MINISTRY = re.compile(r"^ministerie\s+van\s+(?P<short>[A-Z&]{2,6})$", re.IGNORECASE)
_CODE = re.compile(r"(?P<prefix>[A-Za-z]{1,4}[-\s]?)(?P<number>\d{1,3})")
_SEP = re.compile(r"[\s\-‐‑–]+")


def _key(name: str) -> str:
    name = _ARTICLE.sub("", name.strip())
    return _SEP.sub(" ", name).strip().casefold().replace("’", "'")


_SEP_PATTERN = r"[\s\-‐‑–]+"


def _trie(keys: Iterable[str]) -> str:
    """One pattern for all *keys* (words separated by single spaces): the longest that fits wins.

    The keys share their beginnings (``ministerie van …``), so they are laid
    out as a tree of characters, a separator between words, and each node tries
    its longer continuations before it ends: the regex engine then looks at each
    character once, where an alternation of every key would try them all at
    each word of the text. A lookahead for the first characters rejects most
    places at once.
    """
    tree: dict[str, dict] = {}
    for key in keys:
        node = tree
        for token in key:  # a character; " " (keys have single spaces) is the separator
            node = node.setdefault(token, {})
        node[""] = {}  # a key ends here

    # each node's pattern and the tokens its longest key takes, children before parents
    # (a loop, not recursion: an alias may be hundreds of characters long)
    done: dict[int, tuple[str, int]] = {}
    stack: list[tuple[dict, bool]] = [(tree, False)]
    while stack:
        node, ready = stack.pop()
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for t, child in node.items() if t)
            continue
        # longer continuations first (ties: by pattern, for a fixed order)
        branches = sorted(
            (
                (
                    (_SEP_PATTERN if t == " " else re.escape(t)) + done[id(c)][0],
                    done[id(c)][1] + 1,
                )
                for t, c in node.items()
                if t
            ),
            key=lambda b: (-b[1], b[0]),
        )
        if not branches:
            done[id(node)] = ("", 0)
            continue
        texts = [b for b, _ in branches]
        body = texts[0] if len(texts) == 1 else "(?:" + "|".join(texts) + ")"
        done[id(node)] = ((f"(?:{body})?" if "" in node else body), branches[0][1])
    firsts = "".join(re.escape(t) for t in sorted(tree) if t != " ")
    return (f"(?=[{firsts}])" if firsts else "") + done[id(tree)][0]


@dataclass(frozen=True)
class Mention:
    """An organisation named in a text: ``text[start:end]``, resolved to *organisation*.

    *organisation* is None when the name belongs to more than one organisation.
    """

    start: int
    end: int
    organisation: str | None
    written: str


class OrganisationNames:
    """The names and aliases of the respondents' organisations, ready to find in text."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """*names* are ``(name, organisation)`` pairs; a name of two organisations is ambiguous."""
        self._orgs: dict[str, str | None] = {}
        for name, org in names:
            key = _key(name)
            if not key:
                continue
            if key in self._orgs and self._orgs[key] != org:
                self._orgs[key] = None
            else:
                self._orgs.setdefault(key, org)
        self.organisations: tuple[str, ...] = tuple(dict.fromkeys(o for _, o in names))
        self._pattern = (
            re.compile(
                rf"(?<![\w\-])(?:(?:de|het|een|'t|’t)\s+)?(?P<name>{_trie(self._orgs)})"
                r"(?:[-‐‑]\w+|['’]s)?(?!\w)",
                re.IGNORECASE,
            )
            if self._orgs
            else None
        )

    @classmethod
    def from_corpus(cls, corpus: Corpus) -> OrganisationNames:
        """Names from the corpus's respondents table (or its transcripts' organisations)."""
        pairs: list[tuple[str, str]] = []
        rows = corpus.respondents.rows if corpus.respondents is not None else ()
        for row in rows:
            pairs.append((row.organisation, row.organisation))
            pairs.extend((alias, row.organisation) for alias in row.aliases)
            code = _CODE.fullmatch(row.respondent.strip())
            if code:  # a respondent code such as R05 (also written R5)
                pairs.append((row.respondent.strip(), row.organisation))
                pairs.append(
                    (code.group("prefix") + str(int(code.group("number"))), row.organisation)
                )
        for t in corpus.transcripts:
            if t.organisation:
                pairs.append((t.organisation, t.organisation))
        for _, org in list(pairs):
            m = _MINISTRY.match(org)
            if m and m.group("short").isupper():
                pairs.append((m.group("short"), org))
        return cls(pairs)

    def resolve(self, name: str) -> str | None:
        """The organisation called *name* (any known name or alias), or None."""
        return self._orgs.get(_key(name))

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Every organisation named in ``text[start:end]``, in order."""
        if self._pattern is None:
            return []
        stop = len(text) if end is None else end
        return [
            Mention(m.start(), m.end(), self._orgs.get(_key(m.group("name"))), m.group())
            for m in self._pattern.finditer(text, start, stop)
        ]
