"""The classifier family: the scikit-learn utterance model (``pipeline/detect/classifier.py``)
over the agent's (and unknown speakers') utterances.

The model reads the transcript's speakers, so on a mono recording it also scores the customer's
words; its results on a segment the role guess gives to the customer are dropped (客户说“你们这些
放贷的都是骗子” is no agent insult), the others take the guessed role. A guess from turn order
alone, without any cue, overrules nothing.
"""

from __future__ import annotations

from pipeline.categories import category_table
from pipeline.detect.base import Detector, Result
from pipeline.detect.classifier import CATEGORIES as MODEL_CATEGORIES
from pipeline.detect.classifier import TrainedClassifier, load, read_once
from pipeline.detect.resources import Resources
from pipeline.detect.roles import TURN_TAKING
from pipeline.detect.settings import DetectionSettings
from pipeline.detect.view import CallView, Utterance
from pipeline.present.explanation import Explanation, sentence
from pipeline.yamldoc import LexiconError

CHECKED_SPEAKERS = ("agent", "unknown")


class ClassifierRecognizer(Detector):
    """Flags utterances the model scores over a category's threshold."""

    family = "classifier"
    name = "classifier"

    def __init__(
        self,
        model: TrainedClassifier,
        categories: list[str],
        thresholds: dict[str, float | None] | None = None,
        max_chars: int | None = None,
    ):
        self.model = model
        self.categories = tuple(categories)
        self.thresholds = dict(model.thresholds)
        self.thresholds.update({k: float(v) for k, v in (thresholds or {}).items() if v is not None})
        # what a finding of the model needs with no rule agreeing; the registry applies it after
        # merging, and classifier.alone_thresholds in the settings overrides it
        self.alone_thresholds = dict(model.alone_thresholds)
        self.max_chars = max_chars

    @classmethod
    def build(cls, categories: list[str], resources: Resources) -> list[Detector]:
        """One recognizer for every category the model feeds, when the model file is there."""
        settings = resources.settings
        if not settings.classifier.enabled:
            return []
        unknown = [c for c in categories if c not in MODEL_CATEGORIES]
        if unknown:
            raise LexiconError(
                [
                    f"{category_table().path}: the classifier cannot feed {', '.join(unknown)} (it knows {', '.join(MODEL_CATEGORIES)})"
                ]
            )
        model = trained_model(settings)
        if model is None:
            return []
        return [cls(model, categories, settings.classifier.thresholds, settings.max_segment_chars)]

    def predict_proba(self, texts: list[str]) -> list[dict[str, float]]:
        return self.model.predict_proba(texts)

    def line_probabilities(self, lines: list[Utterance]) -> list[dict[str, float]]:
        return line_probabilities(self.model, lines, self.max_chars)

    def analyze(self, view: CallView) -> list[Result]:
        return self.analyze_many([view])[0]

    def analyze_many(self, views: list[CallView]) -> list[list[Result]]:
        """Results per call, scoring the utterances of all ``views`` in one batch: a model call
        has a fixed cost, so a batch of calls is several times faster than one call at a time."""
        checked = [
            (k, u)
            for k, view in enumerate(views)
            for u in view.utterances
            if u.segment.speaker in CHECKED_SPEAKERS and u.segment.text.strip()
        ]
        probabilities = self.line_probabilities([u for _, u in checked])
        found: list[list[Result]] = [[] for _ in views]
        for (k, u), proba in zip(checked, probabilities):
            for category in self.categories:
                score = proba.get(category, 0.0)
                if score >= self.thresholds[category]:
                    result = self._result(views[k], u, category, score)
                    if result is not None:
                        found[k].append(result)
        return found

    def _result(self, view: CallView, u: Utterance, category: str, score: float) -> Result | None:
        facts = category_table()[category]
        explanation = Explanation(
            detector=self.name,
            text=sentence("classifier", label=facts.label, probability=score),
            score_parts=(("probability", score),),
        )
        speaker = u.segment.speaker
        if speaker == "unknown" and u.role_reason != TURN_TAKING:  # turn order alone overrules nothing
            if u.role == "customer":
                return None
            speaker = u.role
            explanation = explanation.guessed(u.role_reason)
        return Result(
            call_id=view.call.call_id,
            category=category,
            severity=facts.severity,
            score=round(score, 4),
            start=u.segment.start,
            end=u.segment.end,
            speaker=speaker,
            segment_index=u.index,
            evidence=u.segment.text,
            clauses=facts.clauses,
            detectors=[self.name],
            explanations=[explanation],
        )


def line_probabilities(
    model: TrainedClassifier, lines: list[Utterance], max_chars: int | None = None
) -> list[dict[str, float]]:
    """The model's probability of each category for each of ``lines``, read as the rules read them:
    homophones repaired (预期 as 逾期), where the stored text keeps only the repairs sure enough to
    show reviewers; the model learned from written text. What the classifier family, the overrule
    and the third-party rule ask of the model, several of them about the same lines of a batch:
    each line is read once (``Utterance.reading``)."""
    unread = [u for u in lines if u.reading is None or u.reading[0] is not model or u.reading[1] != max_chars]
    for u, probabilities in zip(unread, model.predict_proba([u.text[:max_chars] for u in unread])):
        u.reading = (model, max_chars, probabilities)
    return [u.reading[2] for u in lines]


def trained_model(settings: DetectionSettings) -> TrainedClassifier | None:
    """The settings' model, read once per process; None when the classifier is off or its file is absent."""
    path = settings.classifier.model_path
    if not settings.classifier.enabled or not path.exists():
        return None
    return read_once(load, path)
