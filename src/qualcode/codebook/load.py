"""Loading a codebook from YAML, with validation errors that name file, line and code.

The YAML is composed into nodes (not plain dicts) so that every error can say
on which line the problem is; see ``docs/codebook.md`` for the format.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qualcode.codebook.model import Code, Codebook, Dimension, Pattern, Term
from qualcode.codebook.patterns import PatternSyntaxError, parse_phrase, parse_term
from qualcode.errors import CodebookError, QualcodeError

__all__ = [
    "CODE_KEYS",
    "DIMENSION_KEYS",
    "PATTERN_KEYS",
    "TOP_KEYS",
    "load_codebook",
    "parse_codebook",
]

TOP_KEYS = ("name", "language", "version", "description", "dimensions", "codes")
DIMENSION_KEYS = ("id", "name", "description")
CODE_KEYS = (
    "id",
    "name",
    "description",
    "parent",
    "dimension",
    "include",
    "exclude",
    "examples",
    "color",
    "patterns",
)
#: Deeper YAML nesting than this is refused before it is composed.
MAX_YAML_DEPTH = 50
#: A code tree deeper than this is refused (parent chains are walked for cycles).
MAX_CODE_DEPTH = 20
PATTERN_KEYS = ("phrase", "near", "within", "weight", "unless", "unless_within")

_ID = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
#: Default window of a ``near`` pattern, in tokens.
DEFAULT_WITHIN = 5
#: The dimension of a codebook that declares none.
DEFAULT_DIMENSION = Dimension(id="CODES", name="Codes")


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate the codebook at *path* (YAML).

    Raises ``CodebookError`` naming the file, the line and the code for the
    first problem found, and saying how to fix it.
    """
    path = Path(path)
    if not path.is_file():
        raise CodebookError(
            f"{path}: codebook file not found; pass a YAML file such as codebook/msm.yaml"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError(
            f"{path.name}: not UTF-8 text (byte {exc.start}); save the codebook as UTF-8"
        ) from None
    return parse_codebook(text, path=str(path))


def parse_codebook(text: str, *, path: str = "") -> Codebook:
    """Validate the YAML codebook *text*; *path* names it in error messages."""
    return _Reader(Path(path).name if path else "<codebook>", text, path).read()


@dataclass
class _RawCode:
    """A code entry as read, before the tree is checked."""

    node: MappingNode
    position: int
    fields: dict[str, Node] = field(default_factory=dict)
    id: str = ""

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1


class _Reader:
    def __init__(self, file: str, text: str, path: str) -> None:
        self.file = file
        self.text = text
        self.path = path

    # -- errors ---------------------------------------------------------------------------

    def fail(self, node: Node | None, message: str, *, code: str = "") -> CodebookError:
        where = self.file
        if node is not None:
            where += f", line {node.start_mark.line + 1}"
        if code:
            where += f", code {code}"
        return CodebookError(f"{where}: {message}")

    # -- generic node helpers -------------------------------------------------------------

    def mapping(self, node: Node, what: str, *, code: str = "") -> dict[str, Node]:
        """Keys to value nodes; refuses non-mappings and repeated keys."""
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping of 'key: value' lines", code=code)
        out: dict[str, Node] = {}
        lines: dict[str, int] = {}
        for key_node, value in node.value:
            key = str(key_node.value)
            if key in out:
                raise self.fail(
                    key_node,
                    f"key {key!r} appears twice (first on line {lines[key]}); keep one",
                    code=code,
                )
            out[key] = value
            lines[key] = key_node.start_mark.line + 1
        return out

    def check_keys(self, node: MappingNode, valid: tuple[str, ...], *, code: str = "") -> None:
        for key_node, _ in node.value:
            key = str(key_node.value)
            if key not in valid:
                close = get_close_matches(key, valid, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.fail(
                    key_node,
                    f"unknown key {key!r}{hint}; valid keys: {', '.join(valid)}",
                    code=code,
                )

    def string(self, node: Node, key: str, *, code: str = "", required: bool = True) -> str:
        if not isinstance(node, ScalarNode):
            raise self.fail(
                node,
                f"{key} must be text, not a list or mapping (quote a text that contains ': ')",
                code=code,
            )
        value = str(node.value).strip()
        if required and not value:
            raise self.fail(node, f"{key} is empty; write a {key}", code=code)
        return value

    def strings(self, node: Node, key: str, *, code: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode):
            value = str(node.value).strip()
            return (value,) if value else ()
        if isinstance(node, SequenceNode):
            return tuple(
                self.string(item, f"each entry of {key}", code=code) for item in node.value
            )
        raise self.fail(node, f"{key} must be text or a list of texts", code=code)

    def number(self, node: Node, key: str, *, code: str, integer: bool) -> float:
        raw = str(node.value).strip() if isinstance(node, ScalarNode) else ""
        kind = "a whole number" if integer else "a number"
        try:
            value = float(int(raw)) if integer else float(raw)
        except ValueError:
            raise self.fail(node, f"{key} {raw!r} is not {kind}", code=code) from None
        if not math.isfinite(value):
            raise self.fail(node, f"{key} must be a finite number, not {raw}", code=code)
        if value <= 0:
            raise self.fail(node, f"{key} must be above 0, not {raw}", code=code)
        return value

    # -- the document ---------------------------------------------------------------------

    def check_nesting(self) -> None:
        """Refuse YAML nested deeper than ``MAX_YAML_DEPTH`` before it is composed.

        The events are read one by one (no recursion), so a file nested 50,000 deep
        is refused in one line instead of exhausting the composer's recursion.
        """
        depth = 0
        try:
            for event in yaml.parse(self.text, Loader=yaml.SafeLoader):
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_YAML_DEPTH:
                        mark = event.start_mark
                        line = f", line {mark.line + 1}" if mark is not None else ""
                        raise CodebookError(
                            f"{self.file}{line}: lists and mappings "
                            f"nest more than {MAX_YAML_DEPTH} deep; a codebook needs a few "
                            "levels (codes: - id: ... patterns: - ...), see docs/codebook.md"
                        )
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
        except yaml.YAMLError:
            return  # composing says what is wrong, with its line

    def read(self) -> Codebook:
        self.check_nesting()
        try:
            root = yaml.compose(self.text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = f", line {mark.line + 1}" if mark is not None else ""
            raise CodebookError(
                f"{self.file}{line}: not valid YAML ({exc.problem}); check indentation and "
                "quote texts that contain ': ' or start with '#', '*', '&' or '['"
            ) from None
        except yaml.YAMLError as exc:
            raise CodebookError(f"{self.file}: not valid YAML ({exc})") from None
        if root is None:
            raise CodebookError(f"{self.file}: the codebook is empty; see docs/codebook.md")
        top = self.mapping(root, "the codebook")
        self.check_keys(root, TOP_KEYS)  # type: ignore[arg-type]
        for key in ("language", "codes"):
            if key not in top:
                raise self.fail(
                    root,
                    f"missing top-level key {key!r}; a codebook needs "
                    "language and codes (see docs/codebook.md)",
                )
        language = self.string(top["language"], "language")
        self.check_language(top["language"], language)
        dimensions = self.read_dimensions(top.get("dimensions"))
        raw = self.read_codes(top["codes"])
        codes = self.build_tree(raw, dimensions, language)
        return Codebook(
            name=self.string(top["name"], "name") if "name" in top else Path(self.file).stem,
            language=language,
            version=self.string(top["version"], "version", required=False)
            if "version" in top
            else "",
            dimensions=dimensions,
            codes=codes,
            source_text=self.text,
            path=self.path,
            description=(
                self.string(top["description"], "description", required=False)
                if "description" in top
                else ""
            ),
        )

    def check_language(self, node: Node, language: str) -> None:
        from qualcode.codebook.patterns import lemmatizer

        try:
            lemmatizer(language)
        except (QualcodeError, ValueError, OSError):
            raise self.fail(
                node,
                f"language {language!r} is not supported offline (needs spaCy and lookup "
                "lemmas); use an ISO code such as 'nl' or 'en'",
            ) from None

    def read_dimensions(self, node: Node | None) -> tuple[Dimension, ...]:
        if node is None:
            return (DEFAULT_DIMENSION,)
        if not isinstance(node, SequenceNode) or not node.value:
            raise self.fail(node, "dimensions must be a list of {id, name, description}")
        out: list[Dimension] = []
        for item in node.value:
            fields = self.mapping(item, "a dimension")
            self.check_keys(item, DIMENSION_KEYS)
            for key in ("id", "name"):
                if key not in fields:
                    raise self.fail(
                        item, f"dimension without {key!r}; a dimension needs id and name"
                    )
            dim_id = self.string(fields["id"], "id")
            if not _ID.fullmatch(dim_id):
                raise self.fail(
                    fields["id"],
                    f"dimension id {dim_id!r} must be UPPER_SNAKE_CASE, "
                    f"e.g. {_suggest_id(dim_id)!r}",
                )
            if any(d.id == dim_id for d in out):
                raise self.fail(fields["id"], f"dimension {dim_id!r} is declared twice; keep one")
            out.append(
                Dimension(
                    id=dim_id,
                    name=self.string(fields["name"], "name"),
                    description=self.string(fields["description"], "description", required=False)
                    if "description" in fields
                    else "",
                    line=item.start_mark.line + 1,
                )
            )
        return tuple(out)

    def read_codes(self, node: Node) -> list[_RawCode]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, "codes must be a list of codes, each starting with '- id: ...'")
        if not node.value:
            raise self.fail(node, "codes is empty; add at least one code")
        raw: list[_RawCode] = []
        seen: dict[str, _RawCode] = {}
        for position, item in enumerate(node.value, start=1):
            label = f"#{position}"
            fields = self.mapping(item, "a code", code=label)
            entry = _RawCode(node=item, position=position, fields=fields)  # type: ignore[arg-type]
            if "id" in fields:
                entry.id = self.string(fields["id"], "id", code=label)
                label = entry.id
            self.check_keys(item, CODE_KEYS, code=label)  # type: ignore[arg-type]
            for key in ("id", "name", "description"):
                if key not in fields:
                    raise self.fail(
                        item,
                        f"missing key {key!r}; every code needs id, name and description",
                        code=label,
                    )
            if not _ID.fullmatch(entry.id):
                raise self.fail(
                    fields["id"],
                    f"id must be UPPER_SNAKE_CASE (letters, digits, "
                    f"'_'), e.g. {_suggest_id(entry.id)!r}",
                    code=label,
                )
            if entry.id in seen:
                raise self.fail(
                    fields["id"],
                    f"duplicate id; it is already used on line "
                    f"{seen[entry.id].line}; give each code its own id",
                    code=label,
                )
            seen[entry.id] = entry
            raw.append(entry)
        return raw

    def build_tree(
        self, raw: list[_RawCode], dimensions: tuple[Dimension, ...], language: str
    ) -> tuple[Code, ...]:
        by_id = {r.id: r for r in raw}
        ids = list(by_id)
        parents: dict[str, str | None] = {}
        for r in raw:
            parent = None
            if "parent" in r.fields:
                parent = self.string(r.fields["parent"], "parent", code=r.id)
                if parent not in by_id:
                    close = get_close_matches(parent, ids, n=1, cutoff=0.6)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    raise self.fail(
                        r.fields["parent"],
                        f"parent {parent!r} is not a code id; "
                        f"{hint}add that code or fix the parent",
                        code=r.id,
                    )
            parents[r.id] = parent
        for r in raw:
            chain = [r.id]
            current = parents[r.id]
            while current is not None:
                if len(chain) > MAX_CODE_DEPTH:
                    raise self.fail(
                        r.fields["parent"],
                        f"codes nest more than {MAX_CODE_DEPTH} levels deep above {r.id}; "
                        "a code tree needs a few levels, give some codes a higher parent",
                        code=r.id,
                    )
                if current in chain:
                    cycle = " -> ".join([*chain[chain.index(current) :], current])
                    raise self.fail(
                        r.fields["parent"],
                        f"parent cycle {cycle}; make one of "
                        "these a top-level code (remove its parent)",
                        code=r.id,
                    )
                chain.append(current)
                current = parents[current]
        dims = {d.id: d for d in dimensions}
        resolved_dim: dict[str, str] = {}
        resolved_color: dict[str, str] = {}
        for r in _top_down(raw, parents):
            parent = parents[r.id]
            dim = resolved_dim[parent] if parent else dimensions[0].id
            if "dimension" in r.fields:
                node = r.fields["dimension"]
                stated = self.string(node, "dimension", code=r.id)
                if stated not in dims:
                    close = get_close_matches(stated, list(dims), n=1, cutoff=0.6)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise self.fail(
                        node,
                        f"unknown dimension {stated!r}{hint}; valid dimensions: {', '.join(dims)}",
                        code=r.id,
                    )
                if parent and stated != dim:
                    raise self.fail(
                        node,
                        f"dimension {stated} differs from its parent's ({dim}); "
                        "sub-codes inherit the dimension: remove the key",
                        code=r.id,
                    )
                dim = stated
            resolved_dim[r.id] = dim
            color = resolved_color[parent] if parent else ""
            if "color" in r.fields:
                color = self.color(r.fields["color"], r.id)
            resolved_color[r.id] = color
        for dim_id, declared in dims.items():
            if dim_id not in resolved_dim.values():
                raise CodebookError(
                    f"{self.file}, line {declared.line}: dimension {dim_id} has no codes; give a "
                    f"top-level code 'dimension: {dim_id}' or remove the dimension"
                )
        return tuple(
            Code(
                id=r.id,
                name=self.string(r.fields["name"], "name", code=r.id),
                description=self.string(r.fields["description"], "description", code=r.id),
                parent=parents[r.id],
                dimension=resolved_dim[r.id],
                color=resolved_color[r.id],
                include=self.strings(r.fields["include"], "include", code=r.id)
                if "include" in r.fields
                else (),
                exclude=self.strings(r.fields["exclude"], "exclude", code=r.id)
                if "exclude" in r.fields
                else (),
                examples=self.strings(r.fields["examples"], "examples", code=r.id)
                if "examples" in r.fields
                else (),
                patterns=tuple(self.patterns(r.fields["patterns"], r.id, language))
                if "patterns" in r.fields
                else (),
                line=r.line,
            )
            for r in raw
        )

    def color(self, node: Node, code: str) -> str:
        value = str(node.value).strip() if isinstance(node, ScalarNode) else ""
        if not value:
            raise self.fail(
                node,
                "color is empty; quote it, e.g. color: '#1f77b4' (an unquoted "
                "# starts a YAML comment)",
                code=code,
            )
        if not _COLOR.fullmatch(value):
            raise self.fail(
                node, f"color {value!r} is not a #RRGGBB hex colour, e.g. '#1f77b4'", code=code
            )
        return value.lower()

    # -- patterns -------------------------------------------------------------------------

    def patterns(self, node: Node, code: str, language: str) -> Iterator[Pattern]:
        if not isinstance(node, SequenceNode):
            raise self.fail(
                node, "patterns must be a list; start each pattern with '- '", code=code
            )
        for item in node.value:
            try:
                yield self.pattern(item, code, language)
            except PatternSyntaxError as exc:
                raise self.fail(item, f"pattern {_source(item)!r}: {exc}", code=code) from None

    def pattern(self, node: Node, code: str, language: str) -> Pattern:
        line = node.start_mark.line + 1
        if isinstance(node, ScalarNode):
            text = str(node.value)
            return Pattern(
                kind="phrase",
                items=(parse_phrase(text, language=language),),
                source=" ".join(text.split()),
                line=line,
            )
        fields = self.mapping(node, "a pattern", code=code)
        self.check_keys(node, PATTERN_KEYS, code=code)  # type: ignore[arg-type]
        if ("phrase" in fields) == ("near" in fields):
            raise self.fail(
                node,
                "a pattern mapping needs exactly one of 'phrase' or 'near', "
                "e.g. {near: [geld, tafel], within: 5}",
                code=code,
            )
        weight = (
            self.number(fields["weight"], "weight", code=code, integer=False)
            if "weight" in fields
            else 1.0
        )
        unless: Term | None = None
        unless_within = 2
        if "unless" in fields:
            unless = parse_term(
                self.string(fields["unless"], "unless", code=code), language=language
            )
        if "unless_within" in fields:
            unless_within = int(
                self.number(fields["unless_within"], "unless_within", code=code, integer=True)
            )
        if "phrase" in fields:
            if "within" in fields:
                raise self.fail(
                    fields["within"],
                    "'within' belongs to 'near' patterns; remove it or write near: [...]",
                    code=code,
                )
            text = self.string(fields["phrase"], "phrase", code=code, required=False)
            return Pattern(
                kind="phrase",
                items=(parse_phrase(text, language=language),),
                source=" ".join(text.split()),
                weight=weight,
                unless=unless,
                unless_within=unless_within,
                line=line,
            )
        near = fields["near"]
        if not isinstance(near, SequenceNode) or len(near.value) < 2:
            raise self.fail(
                near, "near needs a list of at least two words, e.g. near: [geld, tafel]", code=code
            )
        items = tuple(
            parse_phrase(
                self.string(n, "each word of near", code=code, required=False), language=language
            )
            for n in near.value
        )
        within = (
            int(self.number(fields["within"], "within", code=code, integer=True))
            if "within" in fields
            else DEFAULT_WITHIN
        )
        source = (
            "near(" + ", ".join(" ".join(t.text for t in item) for item in items) + f"; {within})"
        )
        return Pattern(
            kind="near",
            items=items,
            source=source,
            weight=weight,
            within=within,
            unless=unless,
            unless_within=unless_within,
            line=line,
        )


def _source(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return str(node.value)
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value in ("phrase", "near"):
                if isinstance(value, SequenceNode):
                    return "near: [" + ", ".join(str(v.value) for v in value.value) + "]"
                return str(value.value)
    return "..."


def _top_down(raw: list[_RawCode], parents: dict[str, str | None]) -> list[_RawCode]:
    """The codes ordered so that every parent comes before its children."""
    done: set[str] = set()
    order: list[_RawCode] = []
    by_id = {r.id: r for r in raw}

    def visit(code_id: str) -> None:
        if code_id in done:
            return
        parent = parents[code_id]
        if parent is not None:
            visit(parent)
        done.add(code_id)
        order.append(by_id[code_id])

    for r in raw:
        visit(r.id)
    return order


def _suggest_id(value: str) -> str:
    from qualcode.codebook.patterns import fold

    cleaned = re.sub(r"[^A-Za-z0-9]+", "_", fold(value)).strip("_").upper()
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "CODE_" + cleaned
    return cleaned or "CODE"
