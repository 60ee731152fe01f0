import dataclasses
import types

import numpy as np

from benchmarks.greedy_first import Readings, unsure
from pipeline.transcribe import TranscribeSettings

SURE = {"avg_logprob": -0.2, "no_speech_prob": 0.1, "compression_ratio": 1.1}


def test_a_greedy_reading_is_unsure_by_each_of_its_signs():
    settings = TranscribeSettings()
    assert not unsure([SURE], -0.5, settings)
    assert unsure([], -0.5, settings)
    for change in ({"avg_logprob": -0.6}, {"no_speech_prob": 0.7}, {"compression_ratio": 2.5}):
        assert unsure([{**SURE, **change}], -0.5, settings), change


def test_each_window_is_read_once_each_way_and_the_unsure_take_the_beams_reading():
    calls = []

    def forward(features, tokenizer, metadata, options):
        calls.append((len(features), options.beam_size))
        return [[{**SURE, "avg_logprob": -float(f[0]), "beam": options.beam_size}] for f in features]

    batched = types.SimpleNamespace(forward=forward, last_speech_timestamp=0.0)
    readings = Readings(batched, beam_size=5)
    features = np.array([[0.1], [0.9]], np.float32)  # greedy log-probabilities -0.1 and -0.9
    readings.choose = lambda reading: unsure(reading, -0.5, TranscribeSettings())
    options = dataclasses.make_dataclass("Options", [("beam_size", int)])(5)
    first = readings(features, None, [{}, {}], options)
    again = readings(features, None, [{}, {}], options)
    assert [r[0]["beam"] for r in first] == [1, 5] and again == first
    assert calls == [(2, 1), (2, 5)]  # read once each way, then reused
    assert (readings.windows, readings.beam_windows) == (4, 2)
