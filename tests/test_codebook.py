"""The codebook: the MSM codebook's shape, the tree API, and every validation error (exact text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.codebook import load_codebook, parse_codebook
from qualcode.errors import CodebookError

ROOT = Path(__file__).resolve().parents[1]
MSM = ROOT / "codebook" / "msm.yaml"
VARIABLES = [
    "REPRESENTATIE",
    "LEIDERSCHAP_REGIE",
    "PARTICIPATIE_RECHTVAARDIGHEID",
    "TRANSPARANTIE_AANSPRAKELIJKHEID",
    "FINANCIELE_RANDVOORWAARDEN",
    "AANPASSINGSVERMOGEN",
    "PLANNING",
    "VERTROUWEN_COMMITMENT",
]
CODE_KEYS = "id, name, description, parent, dimension, include, exclude, examples, color, patterns"


@pytest.fixture(scope="module")
def msm():
    return load_codebook(MSM)


# -- the MSM codebook -------------------------------------------------------------------


def test_msm_variables_in_file_order(msm) -> None:
    assert [c.id for c in msm.variables()] == VARIABLES
    assert msm.language == "nl"
    assert [d.id for d in msm.dimensions] == ["MSM", "VALENCE"]
    assert [c.id for c in msm.valence_codes()] == ["BEVORDEREND", "BELEMMEREND"]
    assert [c.id for c in msm.top_level()] == [*VARIABLES, "BEVORDEREND", "BELEMMEREND"]


@pytest.mark.parametrize("variable", VARIABLES)
def test_msm_each_variable_has_documented_subcodes(msm, variable: str) -> None:
    top = msm.get(variable)
    assert top.description.endswith("?"), "the definition is the variable's guiding question"
    assert top.patterns
    children = msm.children(variable)
    assert len(children) >= 3
    for child in children:
        assert child.parent == variable and child.dimension == "MSM"
        assert child.description and child.include and child.exclude and child.examples
        assert len(child.patterns) >= 3
        assert child.color == top.color  # inherited
        assert msm.variable_of(child.id) == variable


def test_msm_valence_cues(msm) -> None:
    for code in msm.valence_codes():
        assert msm.variable_of(code.id) == "VALENCE"
        assert len(code.patterns) >= 8
    sources = " ".join(p.source for p in msm.get("BELEMMEREND").patterns)
    for cue in ("lastig", "knelpunt", "probleem", "te|té laat", "onvoldoende", "gemist"):
        assert cue in sources


def test_tree_api(msm) -> None:
    planning = [c.id for c in msm.descendants("PLANNING")]
    assert planning[0] == "PLANNING" and "PLANNING_UITSTEL" in planning
    assert msm.depth("PLANNING_UITSTEL") == 1 and msm.depth("PLANNING") == 0
    assert msm.top_of("PLANNING_UITSTEL") == "PLANNING"
    assert "PLANNING_UITSTEL" in msm and "NOPE" not in msm
    assert len(msm) == len(msm.codes) == len(list(msm))
    assert "Wet inburgering" in msm.source_text
    assert msm.file_name == "msm.yaml"


def test_unknown_code_suggests_close_ids(msm) -> None:
    with pytest.raises(CodebookError) as err:
        msm.get("PLANING")
    assert str(err.value) == (
        "unknown code 'PLANING' in codebook 'MSM Wet inburgering'; did you mean PLANNING, "
        "PLANNING_PILOTS, PLANNING_UITSTEL? "
        "(see 'qualcode codebook show' for all ids)"
    )


def test_patterns_are_lemmatised_and_folded(msm) -> None:
    terms = {t for _, p in msm.patterns() for item in p.items for t in item}
    signaal = next(t for t in terms if "signalen" in t.alternatives)
    assert "signaal" in signaal.lemmas
    finance = next(t for t in terms if "financiele" in t.alternatives)
    assert "financiële" not in finance.alternatives


# -- a minimal valid codebook -----------------------------------------------------------

HEAD = "name: t\nlanguage: nl\ncodes:\n"


def test_minimal_codebook_defaults() -> None:
    cb = parse_codebook(HEAD + "  - id: A\n    name: a\n    description: d\n", path="x/cb.yaml")
    assert [d.id for d in cb.dimensions] == ["CODES"]
    assert cb.get("A").dimension == "CODES" and cb.variable_of("A") == "A"
    assert cb.file_name == "cb.yaml" and cb.version == ""


def test_pattern_forms() -> None:
    cb = parse_codebook(
        HEAD
        + "  - id: A\n    name: a\n    description: d\n    patterns:\n"
        + "      - geld|budget\n"
        + "      - {phrase: te laat, weight: 2}\n"
        + "      - {near: [geld, tafel], within: 3}\n"
        + "      - {phrase: goed, unless: niet|geen, unless_within: 1}\n"
        + "      - '=teams'\n",
        path="cb.yaml",
    )
    p = cb.get("A").patterns
    assert [x.kind for x in p] == ["phrase", "phrase", "near", "phrase", "phrase"]
    assert p[0].items[0][0].alternatives == ("geld", "budget") and p[0].weight == 1.0
    assert [t.text for t in p[1].items[0]] == ["te", "laat"] and p[1].weight == 2.0
    assert p[2].within == 3 and p[2].source == "near(geld, tafel; 3)"
    assert p[3].unless is not None and p[3].unless.alternatives == ("niet", "geen")
    assert p[3].unless_within == 1
    assert p[4].items[0][0].exact == ("teams",) and p[4].items[0][0].lemmas == ()
    assert [x.line for x in p] == [8, 9, 10, 11, 12]


# -- every validation error, exact text -------------------------------------------------


def code(extra: str = "", *, id_: str = "A") -> str:
    return f"  - id: {id_}\n    name: a\n    description: d\n{extra}"


def pattern(text: str) -> str:
    return HEAD + code(f"    patterns:\n      - {text}\n")


ERRORS = [
    (
        "unknown key",
        HEAD + code("    patern: [geld]\n"),
        f"cb.yaml, line 7, code A: unknown key 'patern' (did you mean 'patterns'?); "
        f"valid keys: {CODE_KEYS}",
    ),
    (
        "unknown key without close match",
        HEAD + code("    zzz: 1\n"),
        f"cb.yaml, line 7, code A: unknown key 'zzz'; valid keys: {CODE_KEYS}",
    ),
    (
        "duplicate id",
        HEAD + code() + code(),
        "cb.yaml, line 7, code A: duplicate id; it is already used on line 4; "
        "give each code its own id",
    ),
    (
        "missing parent",
        HEAD + code(id_="PLANNING") + code("    parent: PLANING\n", id_="B"),
        "cb.yaml, line 10, code B: parent 'PLANING' is not a code id; did you mean "
        "'PLANNING'? add that code or fix the parent",
    ),
    (
        "cycle",
        HEAD + code("    parent: B\n") + code("    parent: A\n", id_="B"),
        "cb.yaml, line 7, code A: parent cycle A -> B -> A; make one of these a top-level "
        "code (remove its parent)",
    ),
    (
        "self parent",
        HEAD + code("    parent: A\n"),
        "cb.yaml, line 7, code A: parent cycle A -> A; make one of these a top-level code "
        "(remove its parent)",
    ),
    (
        "empty pattern",
        pattern("''"),
        "cb.yaml, line 8, code A: pattern '': empty pattern; write a word or phrase, "
        "e.g. 'geld|budget'",
    ),
    (
        "empty alternative",
        pattern("geld||budget"),
        "cb.yaml, line 8, code A: pattern 'geld||budget': empty alternative in "
        "'geld||budget'; remove the extra '|' (write 'a|b', not 'a||b')",
    ),
    (
        "wildcard too short",
        pattern("'a*'"),
        "cb.yaml, line 8, code A: pattern 'a*': wildcard 'a*' keeps 1 letter, so it would "
        "match almost any word; keep at least 3, e.g. 'financ*'",
    ),
    (
        "bare wildcard",
        pattern("'*'"),
        "cb.yaml, line 8, code A: pattern '*': wildcard '*' keeps 0 letters, so it would "
        "match almost any word; keep at least 3, e.g. 'financ*'",
    ),
    (
        "bad character",
        pattern("geld(s)"),
        "cb.yaml, line 8, code A: pattern 'geld(s)': 'geld(s)' contains '(' ')'; a pattern "
        "word may hold letters, digits, - ' . & / + and * (wildcard)",
    ),
    (
        "near with one word",
        pattern("{near: [geld]}"),
        "cb.yaml, line 8, code A: near needs a list of at least two words, e.g. "
        "near: [geld, tafel]",
    ),
    (
        "within not a whole number",
        pattern("{near: [geld, tafel], within: 2.5}"),
        "cb.yaml, line 8, code A: within '2.5' is not a whole number",
    ),
    (
        "weight not positive",
        pattern("{phrase: geld, weight: -1}"),
        "cb.yaml, line 8, code A: weight must be above 0, not -1",
    ),
    (
        "weight not a number",
        pattern("{phrase: geld, weight: veel}"),
        "cb.yaml, line 8, code A: weight 'veel' is not a number",
    ),
    (
        "phrase and near",
        pattern("{phrase: geld, near: [a, b]}"),
        "cb.yaml, line 8, code A: a pattern mapping needs exactly one of 'phrase' or 'near', "
        "e.g. {near: [geld, tafel], within: 5}",
    ),
    (
        "within on a phrase",
        pattern("{phrase: geld, within: 3}"),
        "cb.yaml, line 8, code A: 'within' belongs to 'near' patterns; remove it or write "
        "near: [...]",
    ),
    (
        "unknown pattern key",
        pattern("{phrase: geld, wieght: 2}"),
        "cb.yaml, line 8, code A: unknown key 'wieght' (did you mean 'weight'?); valid keys: "
        "phrase, near, within, weight, unless, unless_within",
    ),
    (
        "patterns not a list",
        HEAD + code("    patterns: geld\n"),
        "cb.yaml, line 7, code A: patterns must be a list; start each pattern with '- '",
    ),
    (
        "bad colour",
        HEAD + code("    color: red\n"),
        "cb.yaml, line 7, code A: color 'red' is not a #RRGGBB hex colour, e.g. '#1f77b4'",
    ),
    (
        "unquoted colour",
        HEAD + code("    color: #1f77b4\n"),
        "cb.yaml, line 7, code A: color is empty; quote it, e.g. color: '#1f77b4' (an "
        "unquoted # starts a YAML comment)",
    ),
    (
        "missing description",
        HEAD + "  - id: A\n    name: a\n",
        "cb.yaml, line 4, code A: missing key 'description'; every code needs id, name and "
        "description",
    ),
    (
        "missing id",
        HEAD + "  - name: a\n    description: d\n",
        "cb.yaml, line 4, code #1: missing key 'id'; every code needs id, name and description",
    ),
    (
        "id not upper snake",
        HEAD + code(id_="Planning tempo"),
        "cb.yaml, line 4, code Planning tempo: id must be UPPER_SNAKE_CASE (letters, digits, "
        "'_'), e.g. 'PLANNING_TEMPO'",
    ),
    (
        "text that is a mapping",
        HEAD + code("    include:\n      - geld: ook subsidies\n"),
        "cb.yaml, line 8, code A: each entry of include must be text, not a list or mapping "
        "(quote a text that contains ': ')",
    ),
    (
        "unknown dimension",
        HEAD.replace("codes:", "dimensions:\n  - {id: MSM, name: m}\ncodes:")
        + code("    dimension: MSN\n"),
        "cb.yaml, line 9, code A: unknown dimension 'MSN' (did you mean 'MSM'?); valid "
        "dimensions: MSM",
    ),
    (
        "child with another dimension",
        HEAD.replace(
            "codes:", "dimensions:\n  - {id: MSM, name: m}\n  - {id: VAL, name: v}\ncodes:"
        )
        + code("    dimension: MSM\n")
        + code("    dimension: VAL\n", id_="C")
        + code("    parent: A\n    dimension: VAL\n", id_="B"),
        "cb.yaml, line 19, code B: dimension VAL differs from its parent's (MSM); sub-codes "
        "inherit the dimension: remove the key",
    ),
    (
        "dimension without codes",
        HEAD.replace(
            "codes:", "dimensions:\n  - {id: MSM, name: m}\n  - {id: VAL, name: v}\ncodes:"
        )
        + code(),
        "cb.yaml, line 5: dimension VAL has no codes; give a top-level code 'dimension: VAL' "
        "or remove the dimension",
    ),
    (
        "duplicate dimension",
        HEAD.replace(
            "codes:", "dimensions:\n  - {id: MSM, name: m}\n  - {id: MSM, name: v}\ncodes:"
        )
        + code(),
        "cb.yaml, line 5: dimension 'MSM' is declared twice; keep one",
    ),
    (
        "unknown top-level key",
        "name: t\nlanguage: nl\nkodes: []\ncodes:\n" + code(),
        "cb.yaml, line 3: unknown key 'kodes' (did you mean 'codes'?); valid keys: name, "
        "language, version, description, dimensions, codes",
    ),
    (
        "missing language",
        "name: t\ncodes:\n" + code(),
        "cb.yaml, line 1: missing top-level key 'language'; a codebook needs language and "
        "codes (see docs/codebook.md)",
    ),
    (
        "unsupported language",
        "name: t\nlanguage: xx\ncodes:\n" + code(),
        "cb.yaml, line 2: language 'xx' is not supported offline (needs spaCy and lookup "
        "lemmas); use an ISO code such as 'nl' or 'en'",
    ),
    (
        "codes empty",
        HEAD + "  []\n",
        "cb.yaml, line 4: codes is empty; add at least one code",
    ),
    (
        "codes not a list",
        "name: t\nlanguage: nl\ncodes: A\n",
        "cb.yaml, line 3: codes must be a list of codes, each starting with '- id: ...'",
    ),
    (
        "repeated key",
        HEAD + code("    name: b\n"),
        "cb.yaml, line 7, code #1: key 'name' appears twice (first on line 5); keep one",
    ),
    (
        "invalid YAML",
        HEAD + "  - id: A\n   name: [a\n",
        "cb.yaml, line 5: not valid YAML (expected <block end>, but found '<block mapping "
        "start>'); check "
        "indentation and quote texts that contain ': ' or start with '#', '*', '&' or '['",
    ),
    ("empty file", "", "cb.yaml: the codebook is empty; see docs/codebook.md"),
    (
        "top level not a mapping",
        "- a\n- b\n",
        "cb.yaml, line 1: the codebook must be a mapping of 'key: value' lines",
    ),
]


@pytest.mark.parametrize(("case", "text", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_codebook_errors(case: str, text: str, message: str) -> None:
    with pytest.raises(CodebookError) as err:
        parse_codebook(text, path="some/dir/cb.yaml")
    assert str(err.value) == message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CodebookError) as err:
        load_codebook(tmp_path / "nope.yaml")
    assert str(err.value) == (
        f"{tmp_path / 'nope.yaml'}: codebook file not found; pass a YAML file such as "
        "codebook/msm.yaml"
    )


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == "cb.yaml: not UTF-8 text (byte 9); save the codebook as UTF-8"


# -- CLI --------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_check_valid() -> None:
    code_, out, err = run("codebook", "check", str(MSM))
    assert code_ == 0, err
    cb = load_codebook(MSM)
    n = sum(len(c.patterns) for c in cb.codes)
    assert (
        out
        == f"msm.yaml: valid; {len(cb.codes)} codes, 8 variables, 2 VALENCE codes, {n} patterns\n"
    )


def test_cli_check_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(HEAD + code("    patern: [geld]\n"), encoding="utf-8")
    code_, out, err = run("codebook", "check", str(path))
    assert code_ == 1 and out == ""
    assert err == (
        f"error: bad.yaml, line 7, code A: unknown key 'patern' (did you mean 'patterns'?); "
        f"valid keys: {CODE_KEYS}\n"
    )


def test_cli_show_tree() -> None:
    code_, out, err = run("codebook", "show", str(MSM))
    assert code_ == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("MSM Wet inburgering (language nl, version 1.0): ")
    assert "MSM: Variabelen van het multi-stakeholdermodel" in lines
    n = len(load_codebook(MSM).get("REPRESENTATIE").patterns)
    assert f"  REPRESENTATIE  Representatie  [{n} patterns]" in lines
    assert any(
        line.startswith("    PLANNING_UITSTEL  Uitstel van de invoering  [") for line in lines
    )
    assert lines.index("VALENCE: Valentie") > lines.index(
        "  VERTROUWEN_COMMITMENT  Samenwerking: vertrouwen en commitment  [7 patterns]"
    )


def test_cli_show_patterns_and_json() -> None:
    code_, out, _ = run("codebook", "show", str(MSM), "--patterns")
    assert code_ == 0
    assert "      line " in out and "(weight 3)" in out
    code_, out, _ = run("codebook", "show", str(MSM), "--format", "json")
    assert code_ == 0
    payload = json.loads(out)
    assert payload["language"] == "nl"
    by_id = {c["id"]: c for c in payload["codes"]}
    assert by_id["PLANNING_UITSTEL"]["variable"] == "PLANNING"
    assert by_id["BEVORDEREND"]["variable"] == "VALENCE"
    first = by_id["REPRESENTATIE"]["patterns"][0]
    assert set(first) == {"source", "kind", "weight", "within", "line"}
