"""The opening model: does the agent's opening name the institution it calls for? Read from the
opening as a whole, for ``missing_disclosure``.

The disclosure rule (``recognizers/disclosure.py``) decides by the names it finds: a name before
a suffix, an introduction, the agency's trade name. On recognised speech the brand is the word
recognition garbles most (驰乐汽车金融 heard 车了汽车金融, 渤汇商务 heard 不会商务: no name left),
and a garbled word may pass for one (催款的找他 heard 摧款地找他); the rule then errs either way.
This model reads the opening whole, by characters and by sound (``classifier.features``), with one
calibrated linear SVM, trained on the tune writers' calls with their call labels as the target
(``pipeline.learn.training.train_opening``). Where it is sure, it overrules the rule
(``classifier.opening_unflag_below`` and ``opening_flag_above`` in the settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from sklearn.pipeline import Pipeline

from pipeline.detect.classifier import (
    ModelFileError,
    calibrated_svm,
    drop_pruned_terms,
    features,
    load_pipeline,
    read_once,
    save_pipeline,
)
from pipeline.detect.settings import DetectionSettings
from pipeline.detect.view import CallView, Utterance

OPENING_FILE = "opening_classifier.skops"


def opening_text(view: CallView, window: list[Utterance]) -> str:
    """The call from its start to the opening window's last agent turn, each line marked A: or C:
    by its role: what the model reads (the listener's lines show whether a name was asked for)."""
    if not window:
        return ""
    said = view.utterances[: window[-1].index + 1]
    return " | ".join(f"{'A' if u.role == 'agent' else 'C'}:{u.text}" for u in said)


@dataclass
class OpeningModel:
    pipeline: Pipeline

    def unnamed(self, openings: list[str]) -> list[float]:
        """Per opening, the probability that it names no institution."""
        if not openings:
            return []
        # the texts are plain strings: skip the input validation, which costs more than the model
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return [float(p) for p in self.pipeline.predict_proba(openings)[:, 1]]


def fit(openings: list[str], unnamed: list[bool], seed: int = 0) -> OpeningModel:
    pipeline = Pipeline([("features", features()), ("model", calibrated_svm(seed))])
    pipeline.fit(openings, np.array(unnamed, dtype=np.int8))
    drop_pruned_terms(pipeline)
    return OpeningModel(pipeline)


def save(model: OpeningModel, path: str | Path) -> None:
    save_pipeline(path, model.pipeline)


def load(path: str | Path) -> OpeningModel:
    pipeline = load_pipeline(path)["pipeline"]
    if list(getattr(pipeline, "classes_", ())) != [0, 1]:
        raise ModelFileError(
            f"{path}: not an opening model (two classes: named, unnamed); rebuild it with callqa train"
        )
    return OpeningModel(pipeline)


def opening_model(settings: DetectionSettings) -> OpeningModel | None:
    """The settings' opening model, read once per process; None when the classifier is off, the
    overrule unset or the file absent."""
    classifier = settings.classifier
    path = classifier.opening_model_path
    wanted = classifier.opening_unflag_below is not None or classifier.opening_flag_above is not None
    if not classifier.enabled or not wanted or not path.exists():
        return None
    return read_once(load, path)
