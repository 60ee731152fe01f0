"""Building calls for the detection tests: turns as (speaker, text), timed 3 s apart."""

from pipeline.calls import Call, Segment
from pipeline.config import load_config
from pipeline.detect import detect_call

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
