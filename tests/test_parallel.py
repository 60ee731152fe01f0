from pathlib import Path

import pytest

from pipeline.calls import read_calls
from pipeline.config import load_config
from pipeline.detect.registry import detect_calls
from pipeline.run import executors
from pipeline.run.run import batches, detect_stream

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev"


def dev_calls(name):
    return [r.call for r in read_calls(str(DEV / name))]


def findings(records):
    return [record.findings for record in records]


def test_batches_keep_order_and_size():
    assert list(batches(iter(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batches([], 3)) == []


def test_the_pool_gives_the_in_process_findings_in_the_same_order():
    calls = dev_calls("mono.jsonl") + dev_calls("scripted.jsonl")[:15]
    config = load_config()
    expected = detect_calls(calls, config)
    assert sum(map(len, expected)) > 20  # enough findings for the comparison to mean something
    found = findings(detect_stream(iter(calls), config, workers=2, batch_size=4))  # ten batches
    assert found == expected
    assert all(f.call_id == call.call_id for findings, call in zip(found, calls) for f in findings)


class NoPool:
    def __init__(self, *args, **kwargs):
        raise AssertionError("a pool was started for an input of one batch")


def test_one_batch_stays_in_this_process(monkeypatch):
    monkeypatch.setattr(executors.concurrent.futures, "ProcessPoolExecutor", NoPool)
    calls = dev_calls("mono.jsonl")[:4]
    config = load_config()
    assert findings(detect_stream(calls, config, workers=2, batch_size=4)) == detect_calls(calls, config)
    assert findings(detect_stream([], config)) == []


def test_one_worker_never_starts_a_pool(monkeypatch):
    monkeypatch.setattr(executors.concurrent.futures, "ProcessPoolExecutor", NoPool)
    calls = dev_calls("mono.jsonl")[:9]
    config = load_config()
    assert findings(detect_stream(calls, config, workers=1, batch_size=4)) == detect_calls(calls, config)


def test_a_pool_is_started_for_more_than_one_batch(monkeypatch):
    with pytest.raises(AssertionError, match="a pool was started"):
        monkeypatch.setattr(executors.concurrent.futures, "ProcessPoolExecutor", NoPool)
        list(detect_stream(dev_calls("mono.jsonl")[:5], load_config(), workers=2, batch_size=4))
