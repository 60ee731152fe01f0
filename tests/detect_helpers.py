"""Building calls for the detection tests: turns as (speaker, text), timed 3 s apart."""

import copy

from pipeline.calls import Call, Segment
from pipeline.config import load_config
from pipeline.detect import Detector, Result, detect_call
from pipeline.detect.registry import build_registry, default_registry

SPEAKERS = {"a": "agent", "c": "customer", "u": "unknown"}
OPENING = [
    ("a", "喂，您好，请问是张伟先生吗？"),
    ("c", "是我。"),
    ("a", "您好，我是某某金融的工作人员，本次通话将被录音。"),
]


def make_call(turns, call_id="t1", **fields) -> Call:
    return Call(
        call_id=call_id,
        segments=[
            Segment(start=3.0 * i, end=3.0 * i + 2.5, speaker=SPEAKERS[who], text=text)
            for i, (who, text) in enumerate(turns)
        ],
        **fields,
    )


def findings_for(turns, category=None, config=None, **fields):
    found = detect_call(make_call(turns, **fields), config or load_config())
    return [f for f in found if category is None or f.category == category]


def segments(turns, category):
    """The segments of ``turns`` flagged with ``category``, in order."""
    return sorted({f.segment_index for f in findings_for(turns, category)})


def listening(turns):
    """Who the listener is, turn by turn, as the prepared view reads it."""
    return default_registry().preparer.view(make_call(turns)).listening


def model_only_on(category, line, score=0.95):
    """A detector standing in for the utterance model: it scores the call's ``line`` (a segment
    index) as ``category`` with ``score``, whatever it says, and nothing else."""

    class ModelOnLine(Detector):
        family = "classifier"
        name = "classifier"
        categories = (category,)

        def analyze(self, view):
            s = view.call.segments[line]
            return [
                Result(
                    view.call.call_id, category, "high", score, s.start, s.end, "agent", line, s.text, [], [self.name]
                )
            ]

    return ModelOnLine()


def lexicon_only():
    """Settings with the classifier off: tests of the lexicon rules alone."""
    config = copy.deepcopy(load_config())
    config["detection"]["classifier"]["enabled"] = False
    return config


def with_model_on(category, turns, line, score=0.95, **fields):
    """The findings of ``category`` in the call of ``turns`` (with the call's ``fields``), by the
    rules (the real model off) and a stand-in model that scores ``line`` as ``category`` with
    ``score``."""
    registry = build_registry(lexicon_only()["detection"])
    registry.detectors.append(model_only_on(category, line, score))
    return [f for f in registry.analyze(make_call(turns, **fields)) if f.category == category]


# what follows the agent's line under test: the customer's reply and the agent's next line
BODY = [("c", "嗯，这个月手头确实紧。"), ("a", "理解，那您看月底前能先还一部分吗？"), ("c", "行，我尽量。")]


def classifier_threats(text):
    """Threat findings when the model alone calls the agent's ``text`` a threat."""
    detection = copy.deepcopy(lexicon_only()["detection"])
    registry = build_registry(detection)
    registry.detectors.append(model_only_on("threat", len(OPENING)))
    found = registry.analyze(make_call(OPENING + [("a", text)] + BODY))
    return [f for f in found if f.category == "threat"]
