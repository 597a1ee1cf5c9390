"""The learned part of the auto-coder: a calibrated linear model over words, n-grams and rules.

Two multinomial logistic regressions (scikit-learn) share one representation
(:mod:`qualcode.coding.features`) plus the rule evidence of the codebook's
patterns (the summed score per top-level code, ``log1p``-scaled): one over the
codebook's variables and ``GEEN`` (none of them), one over the valence of a
passage (``bevorderend``, ``belemmerend``, ``gemengd``, ``neutraal``). Their
class scores are divided by a temperature fitted on out-of-fold scores
(grouped by writer), so that ``confidence`` is a calibrated probability.

Training data (:func:`shipped_passages`): the labelled passages in
``qualcode/data/training/`` (written for this project, see the README) and the
codebook's own examples. :func:`train` fits a model on them, plus any passages
a researcher coded (``extra``), which weigh more. Fitting is deterministic and
offline; :func:`default_model` caches the fitted model per process.
"""

from __future__ import annotations

import csv
import hashlib
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from qualcode.coding.features import DIMENSIONS, FeatureWeights, WordFeatures, prepare
from qualcode.coding.modelcache import FORMAT, load_model, save_model
from qualcode.errors import CodingError

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook
    from qualcode.coding.matcher import Matcher, TextScan

__all__ = [
    "NONE_LABEL",
    "VALENCES",
    "LearnedModel",
    "ModelSettings",
    "Passage",
    "default_model",
    "read_passages",
    "shipped_passages",
    "train",
]

#: The label of a passage about none of the variables.
NONE_LABEL = "GEEN"
#: The valence classes of the training passages.
VALENCES = ("bevorderend", "belemmerend", "gemengd", "neutraal")
#: A variable needs this many passages (first label) to count towards a model.
MIN_PASSAGES = 5
TRAINING_DIR = Path(__file__).resolve().parent.parent / "data" / "training"
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]
_TEMPERATURES = np.exp(np.linspace(math.log(0.25), math.log(4.0), 61))


@dataclass(frozen=True)
class Passage:
    """A labelled training passage: its variables (most important first) and valence.

    ``valence`` is '' when unknown; ``group`` says where it came from (a writer,
    a codebook, a codings file), for grouped cross-validation.
    """

    text: str
    variables: tuple[str, ...]
    valence: str = ""
    weight: float = 1.0
    group: str = ""


@dataclass(frozen=True)
class ModelSettings:
    """Regularisation and feature weights of the model (tuned by grouped cross-validation)."""

    c: float = 4.0
    valence_c: float = 2.0
    second_weight: float = 0.5
    features: FeatureWeights = field(default_factory=FeatureWeights)
    calibrate: bool = True


def read_passages(path: str | Path, *, weight: float = 1.0) -> list[Passage]:
    """The passages of a training CSV (``id,text,variables,valence,...``)."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for number, row in enumerate(rows, start=2):
        text, labels = (row.get("text") or "").strip(), (row.get("variables") or "").strip()
        if not text or not labels:
            raise CodingError(f"{path.name}, row {number}: 'text' and 'variables' are required")
        variables = tuple(v.strip() for v in labels.split(";") if v.strip())
        group = row.get("writer") or path.stem
        out.append(Passage(text, variables, (row.get("valence") or "").strip(), weight, group))
    return out


def shipped_passages(codebook: Codebook) -> list[Passage]:
    """The training passages that ship with qualcode, plus *codebook*'s examples.

    Passages keep only the variables *codebook* has; a passage with none of them
    is left out (it is about something, only not in this codebook's terms).
    """
    known = {c.id for c in codebook.variables()}
    out: list[Passage] = []
    for path in sorted(TRAINING_DIR.glob("*.csv")) if TRAINING_DIR.is_dir() else []:
        for p in read_passages(path):
            kept = tuple(v for v in p.variables if v in known or v == NONE_LABEL)
            if kept:
                out.append(Passage(p.text, kept, p.valence, p.weight, p.group))
    for code in codebook.codes:
        variable = codebook.variable_of(code.id)
        if variable not in known:
            continue
        out.extend(Passage(e, (variable,), "", 1.0, "codebook") for e in code.examples)
    return out


class LearnedModel:
    """A fitted model: per word form class scores, and how to score segments of a scan.

    Build with :func:`train`. ``classes`` are the variables then ``GEEN``;
    ``valences`` the valence classes it knows (empty when it has none).
    """

    def __init__(
        self,
        codebook: Codebook,
        settings: ModelSettings,
        words: WordFeatures,
        heads: dict[str, tuple[Floats, Floats, float]],
        classes: tuple[str, ...],
        valences: tuple[str, ...],
        key: str,
        *,
        by_column: Floats | None = None,
    ) -> None:
        self.codebook = codebook
        self.settings = settings
        self.words = words
        self.heads = heads  # name -> (coef classes x columns, intercept, temperature)
        self.classes = classes
        self.valences = valences
        self.key = key
        width = sum(len(intercept) for _, intercept, _ in heads.values())
        self._per_word: Floats = np.zeros((0, width))
        # feature columns x the classes of every head: the same weights as the heads'
        # coef, laid out as coding reads them (given by a loader that built them so)
        self._by_column = by_column
        # per head, its weights of the rule features (classes x rule columns), contiguous
        self._rule_coef = {
            name: np.ascontiguousarray(coef[:, DIMENSIONS:]) for name, (coef, _, _) in heads.items()
        }
        self._forms: npt.NDArray[np.object_] = np.empty(0, dtype=object)
        sizes = [len(intercept) for _, intercept, _ in heads.values()]
        self._offsets = dict(zip(heads, np.cumsum([0, *sizes[:-1]]).tolist(), strict=True))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LearnedModel) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key,))

    # -- scoring ---------------------------------------------------------------------

    def cover(self, texts: list[str]) -> None:
        """Extend the per-word tables to every form of *texts* (a lexicon's, by word id)."""
        self.words.rows(texts)
        self._word_table()
        self._form_array()

    def word_scores(self, head: str) -> Floats:
        """Rows x classes: each word form's summed feature weights in *head*."""
        start = self._offsets[head]
        return self._word_table()[:, start : start + len(self.heads[head][1])]

    def _word_table(self) -> Floats:
        """Rows x the classes of every head: the word forms' summed feature weights."""
        if len(self._per_word) < len(self.words):
            fresh = np.asarray(self.words.matrix(len(self._per_word)) @ self._column_table())
            self._per_word = np.vstack([self._per_word, fresh])
        return self._per_word

    def _column_table(self) -> Floats:
        """``DIMENSIONS`` x the classes of every head: weights by feature column (rows
        contiguous, so that a column's classes are read at once)."""
        if self._by_column is None:
            joined = np.vstack([coef for coef, _, _ in self.heads.values()])
            self._by_column = np.ascontiguousarray(joined.T)
        return self._by_column[:DIMENSIONS]

    def logits(self, seg: Segments, rules: Floats) -> dict[str, Floats]:
        """Per head, segments x classes: the calibrated class scores of the segments *seg*.

        *rules* is segments x top-level codes: the summed rule scores. Words and pairs
        of words are looked up once for every head.
        """
        # segments x word forms (and x pair columns) as sparse counts, times the weights:
        # each token's weights are read once, nothing per token is written
        words = self._word_table()
        out = np.asarray(_counts(seg.token_segment, seg.ids, seg.n, len(words)) @ words)
        columns = self._column_table()
        pairs = _counts(seg.pair_segment, seg.pair_columns, seg.n, DIMENSIONS) @ columns
        out += np.asarray(pairs) * self.words.pair_weight()
        out /= seg.scale[:, None]
        features = _rule_features(rules, self.settings.features)
        result = {}
        for head, (_, intercept, temperature) in self.heads.items():
            start = self._offsets[head]
            part = out[:, start : start + len(intercept)]
            part += features @ self._rule_coef[head].T + intercept
            result[head] = part / temperature
        return result

    def probabilities(self, scan: TextScan, rules: Floats) -> Prediction:
        """The variable and valence probabilities of every segment of *scan*.

        *rules* is segments x top-level codes: the summed rule scores.
        """
        seg = _segments_of(scan, self.words, self.settings.features)
        logits = self.logits(seg, rules)
        valence = _softmax(logits["valence"]) if self.valences else None
        return Prediction(_softmax(logits["variables"]), valence, seg)

    def explain(
        self, seg: Segments, rows: Ints, classes: Ints, *, head: str = "variables", top: int = 3
    ) -> list[str]:
        """For each (segment ``rows[i]``, class ``classes[i]`` of *head*): the words that
        weighed most for that class, strongest first (all rows at once)."""
        if not len(rows):
            return []
        # rows of one segment and class (a variable's sub-codes) share their explanation
        per_word = self.word_scores(head)
        width = per_word.shape[1]
        pairs, back = np.unique(rows.astype(np.int64) * width + classes, return_inverse=True)
        rows, classes = pairs // width, pairs % width
        # every content word of every row's segment, with its weight there
        first = np.searchsorted(seg.content_segment, rows, side="left")
        counts = np.searchsorted(seg.content_segment, rows, side="right") - first
        row = np.repeat(np.arange(len(rows), dtype=np.intp), counts)
        token = np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(len(row))
        word = seg.content_ids[token]
        weight = per_word[word, classes[row]]
        keep = weight > 0
        row, word, weight = row[keep], word[keep], weight[keep]
        # the strongest word of each row, *top* times over (ties: the first): linear passes
        picked_row: list[Ints] = []
        picked_word: list[Ints] = []
        position = np.arange(len(row))
        for _ in range(top):
            if not len(row):
                break
            change = row[1:] != row[:-1]
            starts = np.flatnonzero(np.concatenate(([True], change)))
            run = np.zeros(len(row), dtype=np.intp)  # each entry's run (row) number
            np.cumsum(change, out=run[1:])
            best = np.maximum.reduceat(weight, starts)
            at = np.minimum.reduceat(np.where(weight == best[run], position, len(row)), starts)
            picked_row.append(row[at])
            picked_word.append(word[at])
            rest = word != word[at][run]  # the word is taken: all its tokens in the row
            row, word, weight = row[rest], word[rest], weight[rest]
            position = position[: len(row)]
        # the words joined by ", " with whole-array string operations (no loop per row); a
        # row picked in a round was picked in every round before it
        forms = self._form_array()
        out = np.full(len(rows), "", dtype=object)
        for k, (r, w) in enumerate(zip(picked_row, picked_word, strict=True)):
            out[r] = forms[w] if k == 0 else out[r] + (", " + forms[w])
        said: list[str] = out[back.reshape(-1)].tolist()
        return said

    def _form_array(self) -> npt.NDArray[np.object_]:
        """The word forms by row, as an array of Python strings."""
        if len(self._forms) < len(self.words):
            more = np.empty(len(self.words) - len(self._forms), dtype=object)
            more[:] = self.words.forms[len(self._forms) :]
            self._forms = np.concatenate([self._forms, more])
        return self._forms


@dataclass(frozen=True, eq=False)
class Segments:
    """The tokens of a scan's segments as the model sees them."""

    n: int
    ids: Ints  # rows (word forms) of the word tokens inside segments
    token_segment: Ints  # their segment, ascending
    pair_columns: Ints
    pair_segment: Ints
    scale: Floats  # per segment: words ** length_power (at least 1)
    content_ids: Ints  # the content words among ids
    content_segment: Ints


def _segments_of(scan: TextScan, words: WordFeatures, weights: FeatureWeights) -> Segments:
    n = len(scan._lo) - 1
    rows = words.rows(scan.matcher.lexicon.texts)[scan.ids]
    segment = np.where(scan.inside, scan.segment, -1)
    keep = np.flatnonzero((segment >= 0) & words.is_word(rows))
    ids, token_segment = rows[keep], segment[keep]
    left, columns = words.pair_columns(rows, segment)
    counts = np.bincount(token_segment, minlength=n).astype(np.float64)
    scale = np.maximum(counts, 1.0) ** weights.length_power
    content = words.is_content(ids)
    return Segments(
        n, ids, token_segment, columns, segment[left], scale, ids[content], token_segment[content]
    )


@dataclass(frozen=True, eq=False)
class Prediction:
    """Per segment: variable probabilities (classes of the model) and valence ones."""

    variables: Floats
    valence: Floats | None
    segments: Segments


def _counts(segment: Ints, column: Ints, n: int, width: int) -> sp.csr_matrix:
    """``n`` x *width*: how often each column occurs per segment (*segment* ascending)."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(segment, minlength=n), out=indptr[1:])
    data = np.ones(len(column), dtype=np.float64)
    return sp.csr_matrix((data, column, indptr), shape=(n, width))


def _softmax(logits: Floats) -> Floats:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    out: Floats = e / e.sum(axis=1, keepdims=True)
    return out


def _rule_features(rules: Floats, weights: FeatureWeights) -> Floats:
    out: Floats = np.log1p(np.maximum(rules, 0.0)) * weights.rules
    return out


# -- training ---------------------------------------------------------------------------


def _scan_passages(matcher: Matcher, texts: Sequence[str]) -> TextScan:
    from qualcode.nlp import tokenizer_only

    tokenizer: Any = tokenizer_only(matcher.language).tokenizer
    docs = tokenizer.pipe(list(texts))
    return matcher.scan_texts([(doc, [(0, len(doc.text))]) for doc in docs])


def _design(
    scan: TextScan, words: WordFeatures, weights: FeatureWeights, rules: Floats
) -> sp.csr_matrix:
    """Segments x (``DIMENSIONS`` + rule columns): the training matrix."""
    seg = _segments_of(scan, words, weights)
    n_words = len(words)
    counts = sp.csr_matrix(
        (np.ones(len(seg.ids)), (seg.token_segment, seg.ids)), shape=(seg.n, n_words)
    )
    x = counts @ words.matrix()
    pairs = sp.csr_matrix(
        (np.full(len(seg.pair_columns), words.pair_weight()), (seg.pair_segment, seg.pair_columns)),
        shape=(seg.n, DIMENSIONS),
    )
    x = sp.diags(1.0 / seg.scale) @ (x + pairs)
    return sp.hstack([x, sp.csr_matrix(_rule_features(rules, weights))]).tocsr()


def _idf(scan: TextScan, words: WordFeatures) -> tuple[dict[str, float], float]:
    segment = np.where(scan.inside, scan.segment, -1)
    rows = words.rows(scan.matcher.lexicon.texts)[scan.ids]
    keep = segment >= 0
    stems = np.array(words.stems, dtype=object)[rows[keep]]
    pairs = set(zip(segment[keep].tolist(), stems.tolist(), strict=True))
    df: dict[str, int] = {}
    for _, stem in pairs:
        df[stem] = df.get(stem, 0) + 1
    n = len(scan._lo) - 1
    idf = {s: math.log((1 + n) / (1 + d)) + 1.0 for s, d in df.items() if s}
    return idf, math.log(1 + n) + 1.0


@dataclass(frozen=True, eq=False)
class _Data:
    x: sp.csr_matrix
    labels: list[str]
    weights: Floats
    rows: Ints  # passage index of each training row


def _expand(passages: Sequence[Passage], x: sp.csr_matrix, second: float, head: str) -> _Data:
    labels: list[str] = []
    weights: list[float] = []
    rows: list[int] = []
    for i, p in enumerate(passages):
        if head == "valence":
            if p.valence in VALENCES:
                labels.append(p.valence)
                weights.append(p.weight)
                rows.append(i)
            continue
        for rank, variable in enumerate(p.variables[:2]):
            labels.append(variable)
            weights.append(p.weight * (1.0 if rank == 0 else second))
            rows.append(i)
    index = np.array(rows, dtype=np.intp)
    return _Data(x[index], labels, np.array(weights), index)


def _fit(data: _Data, c: float, classes: Sequence[str]) -> tuple[Floats, Floats]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    # Columns no training row uses get no weight: fit on the others only (much faster).
    used = np.unique(data.x.indices)
    model = LogisticRegression(C=c, max_iter=300, tol=1e-4, random_state=0)
    with warnings.catch_warnings():
        # an unfinished last step of the optimiser is no news for the user
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(data.x[:, used], data.labels, sample_weight=data.weights)
    dense = np.zeros((model.coef_.shape[0], data.x.shape[1]))
    dense[:, used] = model.coef_
    coef = np.zeros((len(classes), data.x.shape[1]))
    intercept = np.full(len(classes), -30.0)
    for k, label in enumerate(model.classes_.tolist()):
        if len(model.classes_) == 2:
            sign = 1.0 if k == 1 else -1.0
            coef[classes.index(label)] = sign * dense[0] / 2
            intercept[classes.index(label)] = sign * model.intercept_[0] / 2
        else:
            coef[classes.index(label)] = dense[k]
            intercept[classes.index(label)] = model.intercept_[k]
    return coef, intercept


def fit_temperature(logits: Floats, truth: Ints, weights: Floats | None = None) -> float:
    """The temperature that minimises the log loss of ``softmax(logits / T)`` on *truth*."""
    weights = np.ones(len(truth)) if weights is None else weights
    best, best_loss = 1.0, math.inf
    for t in _TEMPERATURES.tolist():
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = float(-(weights * logp[np.arange(len(truth)), truth]).sum())
        if loss < best_loss:
            best, best_loss = t, loss
    return best


def _fit_head(
    passages: Sequence[Passage],
    x: sp.csr_matrix,
    settings: ModelSettings,
    classes: tuple[str, ...],
    head: str,
) -> tuple[Floats, Floats, float]:
    c = settings.c if head == "variables" else settings.valence_c
    data = _expand(passages, x, settings.second_weight, head)
    coef, intercept = _fit(data, c, classes)
    temperature = 1.0
    groups = sorted({passages[i].group for i in data.rows.tolist()})
    if settings.calibrate and len(groups) >= 2:
        group_of = np.array([groups.index(passages[i].group) for i in data.rows.tolist()])
        logits = np.zeros((len(data.labels), len(classes)))
        for g in range(len(groups)):
            test = group_of == g
            labels = [lab for lab, t in zip(data.labels, test.tolist(), strict=True) if not t]
            part = _Data(data.x[~test], labels, data.weights[~test], data.rows[~test])
            if len(set(part.labels)) < 2:
                continue
            fold_coef, fold_intercept = _fit(part, c, classes)
            logits[test] = np.asarray(data.x[test] @ fold_coef.T) + fold_intercept
        truth = np.array([classes.index(lab) for lab in data.labels])
        temperature = fit_temperature(logits, truth, data.weights)
    return coef, intercept, temperature


def train(
    codebook: Codebook,
    passages: Sequence[Passage] | None = None,
    *,
    extra: Iterable[Passage] = (),
    settings: ModelSettings | None = None,
) -> LearnedModel | None:
    """Fit a model on *passages* (default: :func:`shipped_passages`) plus *extra*.

    Returns None when there is too little to learn from: fewer than two variables
    with ``MIN_PASSAGES`` passages each (a codebook the shipped passages do not
    speak to, and no passages of its own).
    Raises ``CodingError`` for a label that is not a variable of *codebook*.
    """
    from qualcode.coding.autocoder import CodeGroups
    from qualcode.coding.matcher import Matcher

    settings = settings or ModelSettings()
    base = list(shipped_passages(codebook) if passages is None else passages)
    data = base + list(extra)
    variables = tuple(c.id for c in codebook.variables())
    classes = (*variables, NONE_LABEL)
    for p in data:
        for v in p.variables:
            if v not in classes:
                raise CodingError(
                    f"training passage {p.text[:40]!r}: {v!r} is not a variable of the "
                    f"codebook; choose from {', '.join(classes)}"
                )
    per_variable: dict[str, int] = {}
    for p in data:
        if p.variables and p.variables[0] != NONE_LABEL:
            per_variable[p.variables[0]] = per_variable.get(p.variables[0], 0) + 1
    if sum(n >= MIN_PASSAGES for n in per_variable.values()) < 2:
        return None
    key = _key(codebook, data, settings)
    if key in _MODELS:
        return _MODELS[key]
    cached = load_model(key, codebook, settings)
    if cached is not None:
        _MODELS[key] = cached
        return cached
    matcher = Matcher(codebook)
    scan = _scan_passages(matcher, [p.text for p in data])
    rules = CodeGroups.of(codebook).sums(scan.scores)
    probe = WordFeatures(codebook.language, settings.features)
    idf, max_idf = _idf(scan, probe)
    words = WordFeatures(codebook.language, settings.features, idf, max_idf)
    x = _design(scan, words, settings.features, rules)
    heads = {"variables": _fit_head(data, x, settings, classes, "variables")}
    valences = VALENCES if len({p.valence for p in data if p.valence in VALENCES}) >= 2 else ()
    if valences:
        heads["valence"] = _fit_head(data, x, settings, valences, "valence")
    model = LearnedModel(codebook, settings, words, heads, classes, valences, key)
    _MODELS[key] = model
    save_model(model)
    return model


def _key(codebook: Codebook, data: Sequence[Passage], settings: ModelSettings) -> str:
    digest = hashlib.sha256(repr((FORMAT, codebook, settings)).encode())
    for p in data:
        digest.update(repr(p).encode())
    return digest.hexdigest()


_MODELS: dict[str, LearnedModel] = {}
_DEFAULTS: dict[str, LearnedModel | None] = {}


def _rebuild(key: str) -> LearnedModel:
    found = _MODELS.get(key)
    if found is None:
        raise CodingError("a learned model can only be shared with processes forked after it")
    return found


def default_model(codebook: Codebook) -> LearnedModel | None:
    """The model trained on the shipped passages for *codebook* (cached per process)."""
    key = hashlib.sha256(repr(codebook).encode()).hexdigest()
    if key not in _DEFAULTS:
        _DEFAULTS[key] = train(codebook)
        prepare(codebook.language)  # the compound splitter's word list: part of the model
    return _DEFAULTS[key]
