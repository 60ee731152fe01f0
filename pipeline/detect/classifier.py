"""The scikit-learn utterance classifier: does an utterance threaten, impersonate an authority,
exaggerate consequences, disclose someone's debt, ask for payment to a private account, push the
debtor to borrow elsewhere, charge a fee of its own, or none of these?

Lexicon rules catch the phrases analysts wrote down; this model catches paraphrases of them,
including what speech recognition made of them (发院 for 法院, 做牢 for 坐牢). It reads two
views of the text, each a TF-IDF over n-grams: characters (no word cutting to go wrong on
garbled text) and toneless pinyin syllables (a homophone error leaves the syllables unchanged).
jieba words were tried as a third view: they added 0.009 to the cross-validated macro-F1, cost
70% more time per call, and would tie the model to the jieba dictionary, which the lexicon files
extend. One linear SVM per category (one versus the rest: a line may be a threat and an
exaggeration at once, and is a positive of both) and ``CalibratedClassifierCV`` turns each
one's margins into a probability, so that a per-category threshold means the same on every call.
A single five-label model, trained on one label per line, taught the exaggeration half of such
lines that they are not exaggeration: leave-one-writer-out average precision of exaggeration
0.64 against 0.84 one versus the rest (``benchmarks/leave_writer_out.py``).

This module is the model (features, pipeline, file); ``recognizers/classifier.py`` is the detector
over it and ``pipeline/learn/training.py`` trains it.

The model file is written and read with skops, never pickle: loading refuses any type outside
``TRUSTED_TYPES``. ``callqa train`` (``pipeline.learn.training``) builds it.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
import skops.io
from pypinyin import Style, lazy_pinyin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from pipeline.errors import CallqaError

NONE = "none"
# Each feeds findings of the model (categories.yaml's classifier family) or overrules a rule; the
# money categories it learns from the writers' segment labels only (the templates carry none).
# One versus the rest, so adding a category leaves every other category's estimator and
# probabilities as they were.
CATEGORIES = (
    "threat",
    "impersonation",
    "exaggeration",
    "third_party_leak",
    "private_channel",
    "illegal_funding",
    "extra_fees",
)
LABELS = CATEGORIES + (NONE,)

# Every type the model file may hold. Saving checks the file against this list, so a change
# of pipeline that needs a new type fails at training time, not at the first scan.
TRUSTED_TYPES = [
    "pipeline.detect.classifier.normalise",
    "pipeline.detect.classifier.pinyin_syllables",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "numpy.float64",
    "builtins.list",
]


class ModelFileError(CallqaError, ValueError):
    """A model file that cannot be read or holds types outside ``TRUSTED_TYPES``."""


# --- features -----------------------------------------------------------------------------


NOT_ALNUM = re.compile(r"[\W_]+")  # \w is exactly str.isalnum() plus "_" (checked over all of Unicode)


def normalise(text: str) -> str:
    """Letters and digits only: punctuation and spaces depend on the transcriber, not the speaker."""
    return NOT_ALNUM.sub("", text).lower()


@functools.lru_cache(maxsize=20000)
def _syllable(ch: str) -> str:
    return lazy_pinyin(ch, style=Style.NORMAL)[0]


def pinyin_syllables(text: str) -> list[str]:
    """Toneless pinyin, one syllable per Chinese character (法院 and 发院 both give fa yuan)."""
    return [_syllable(ch) for ch in text if "\u4e00" <= ch <= "\u9fff"]


def features() -> FeatureUnion:
    """The text's two views: character n-grams and toneless pinyin n-grams."""

    def tfidf(**options: Any) -> TfidfVectorizer:
        return TfidfVectorizer(preprocessor=normalise, sublinear_tf=True, min_df=2, lowercase=False, **options)

    return FeatureUnion(
        [
            ("chars", tfidf(analyzer="char", ngram_range=(1, 3))),
            ("pinyin", tfidf(tokenizer=pinyin_syllables, token_pattern=None, ngram_range=(1, 3))),
        ]
    )


def calibrated_svm(seed: int = 0) -> CalibratedClassifierCV:
    """One linear SVM whose margins a sigmoid turns into probabilities."""
    svm = LinearSVC(C=1.0, class_weight="balanced", random_state=seed)  # C: benchmarks/classifier_variants.py
    # ensemble=False: one SVM on all rows, calibrated on cross-validated margins; a third the size.
    return CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False)


def build_pipeline(seed: int = 0) -> Pipeline:
    return Pipeline([("features", features()), ("model", OneVsRestClassifier(calibrated_svm(seed)))])


def indicator(labels: Iterable[Iterable[str]]) -> np.ndarray:
    """The training target: per row, 1 in the column of each of its ``CATEGORIES`` (``none``: no 1)."""
    return np.array([[int(c in set(row)) for c in CATEGORIES] for row in labels], dtype=np.int8)


def category_probabilities(pipeline: Pipeline, texts: list[str]) -> list[dict[str, float]]:
    """Per text, the probability of each category (each on its own: they need not sum to 1) and
    of ``none``, the complement of the likeliest category."""
    return _by_category(pipeline.predict_proba(texts))


def _by_category(rows: np.ndarray) -> list[dict[str, float]]:
    return [{**dict(zip(CATEGORIES, map(float, row))), NONE: 1.0 - float(max(row))} for row in rows]


def calibrated_probabilities(pipeline: Pipeline, texts: list[str]) -> np.ndarray:
    """What ``pipeline.predict_proba`` gives, the same numbers, computed from each category's SVM
    and its sigmoid directly: scikit-learn checks its input again in every calibrated estimator,
    which on a call's few dozen lines cost more than the arithmetic (half the model's time with
    seven categories)."""
    matrix = pipeline.named_steps["features"].transform(texts)
    columns = []
    for estimator in pipeline.named_steps["model"].estimators_:
        [calibrated] = estimator.calibrated_classifiers_  # ensemble=False: one SVM, one sigmoid
        svm, [sigmoid] = calibrated.estimator, calibrated.calibrators
        margins = np.asarray(matrix @ svm.coef_.T + svm.intercept_).reshape(-1)
        columns.append(sigmoid.predict(margins))
    return np.column_stack(columns)


def drop_pruned_terms(pipeline: Pipeline) -> None:
    """Forget the terms ``min_df`` pruned: scikit-learn keeps them only for introspection and
    they would triple the size of the model file."""
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        vectorizer.stop_words_ = None


# --- the trained model and its file -------------------------------------------------------


@dataclass
class TrainedClassifier:
    pipeline: Pipeline
    thresholds: dict[str, float]  # per category: flag when the probability is at least this
    alone_thresholds: dict[str, float] = field(default_factory=dict)  # ... with no rule agreeing

    def predict_proba(self, texts: list[str]) -> list[dict[str, float]]:
        """Per text, the probability of each category and of none (``category_probabilities``), in one batch."""
        if not texts:
            return []
        # Input validation costs more than the prediction on a call's handful of utterances;
        # the texts are plain strings, so skip it.
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return _by_category(calibrated_probabilities(self.pipeline, texts))


def _vectorizers(pipeline: Pipeline) -> list[TfidfVectorizer]:
    return [vectorizer for _, vectorizer in pipeline.named_steps["features"].transformer_list]


def save(model: TrainedClassifier, path: str | Path) -> None:
    """Write the model with skops (``save_pipeline``)."""
    save_pipeline(path, model.pipeline, thresholds=model.thresholds, alone_thresholds=model.alone_thresholds)


def save_pipeline(path: str | Path, pipeline: Pipeline, **fields: Any) -> None:
    """Write a pipeline over ``features`` (and ``fields`` beside it) with skops. Each vectorizer's
    vocabulary is stored as an array of its terms (index order) beside the pipeline, not as the
    dict scikit-learn keeps: skops checks a dict entry by entry on load, which took 5 s for the
    ~130,000 terms against 0.06 s for the array."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    vectorizers = [v for v in _vectorizers(pipeline) if hasattr(v, "vocabulary_")]  # fitted
    vocabularies = [vectorizer.vocabulary_ for vectorizer in vectorizers]
    terms = [np.array(sorted(vocabulary, key=vocabulary.__getitem__)) for vocabulary in vocabularies]
    data = {"pipeline": pipeline, **fields, "vocabularies": terms}
    try:
        for vectorizer in vectorizers:
            vectorizer.vocabulary_ = None
            vars(vectorizer).pop("_stop_words_id", None)  # a cache holding id(stop_words): new every run
        path.write_bytes(_reproducible(skops.io.dumps(data, compression=zipfile.ZIP_DEFLATED, compresslevel=9)))
    finally:
        for vectorizer, vocabulary in zip(vectorizers, vocabularies):
            vectorizer.vocabulary_ = vocabulary
    untrusted = sorted(set(skops.io.get_untrusted_types(file=path)) - set(TRUSTED_TYPES))
    if untrusted:
        path.unlink()
        raise ModelFileError(f"{path}: the model needs types outside TRUSTED_TYPES: {', '.join(untrusted)}")


def load_pipeline(path: str | Path) -> dict[str, Any]:
    """What ``save_pipeline`` wrote: the pipeline, its vocabularies put back, and the fields."""
    path = Path(path)
    try:
        data = skops.io.load(path, trusted=TRUSTED_TYPES)
    except Exception as exc:  # skops raises its own types for untrusted content, zip and format errors
        raise ModelFileError(f"{path}: cannot load the classifier ({type(exc).__name__}: {exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("pipeline"), Pipeline):
        raise ModelFileError(f"{path}: not a callqa classifier file")
    # Files written before the vocabularies were stored apart keep them inside the pipeline.
    vectorizers = _vectorizers(data["pipeline"]) if "features" in data["pipeline"].named_steps else []
    for vectorizer, terms in zip(vectorizers, data.get("vocabularies", [])):
        vectorizer.vocabulary_ = {term: index for index, term in enumerate(terms.tolist())}
    return data


def read_once(load: Callable[[Path], Any], path: Path) -> Any:
    """``load(path)``, once per process and again when the file changes: loading a model file
    takes up to a second, and every registry built with the same settings shares it."""
    return _read_once(load, path, path.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _read_once(load: Callable[[Path], Any], path: Path, modified: float) -> Any:
    return load(path)


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def _reproducible(written: bytes) -> bytes:
    """skops's file with the same bytes for the same model: skops names each object by its id in
    memory (``__id__`` in the schema, and the array files) and stamps each zip entry with the time
    of writing, so two trainings of one model differed byte for byte. Both are renumbered in the
    order the schema meets them and the times fixed. The ids only tell shared objects apart;
    whether two equal numbers or strings are one object depends on how the model reached this
    process (fitted here, or in a worker and pickled back), so each of those gets its own."""
    numbers = itertools.count()
    ids: dict[Any, int] = {}
    files: dict[str, str] = {}

    def renumber(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                renumber(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "__id__":
                    shared = node.get("__loader__") != "JsonNode"  # JSON: a number, string, bool or None
                    node[key] = ids.setdefault(value, next(numbers)) if shared else next(numbers)
                elif key == "file" and isinstance(value, str):
                    node[key] = files.setdefault(value, f"{len(files)}{Path(value).suffix}")
                else:
                    renumber(value)

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(written)) as source, zipfile.ZipFile(buffer, "w") as target:
        schema = json.loads(source.read("schema.json"))
        renumber(schema)
        for name in sorted(source.namelist(), key=lambda n: files.get(n, n)):
            entry = zipfile.ZipInfo(files.get(name, name), date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = json.dumps(schema, indent=2).encode() if name == "schema.json" else source.read(name)
            target.writestr(entry, content, compresslevel=9)
    return buffer.getvalue()


def load(path: str | Path) -> TrainedClassifier:
    data = load_pipeline(path)
    columns = len(getattr(data["pipeline"], "classes_", ()))
    if columns != len(CATEGORIES):  # one label per line, or fewer categories than this version's
        raise ModelFileError(
            f"{path}: a classifier of an older layout ({columns} outputs for the {len(CATEGORIES)} categories "
            f"{', '.join(CATEGORIES)}); rebuild it with callqa train"
        )
    return TrainedClassifier(
        pipeline=data["pipeline"],
        thresholds=dict(data["thresholds"]),
        alone_thresholds=dict(data.get("alone_thresholds", {})),
    )
