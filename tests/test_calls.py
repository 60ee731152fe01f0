"""The transcript interchange format: reading, validating, and naming what is wrong."""

import json

import pytest

from pipeline.calls import CallFormatError, call_from_json, read_calls

GOOD = {
    "call_id": "c-1",
    "started_at": "2026-03-02T10:15:00+08:00",
    "segments": [{"start": 0.0, "end": 2.4, "speaker": "agent", "text": "喂，您好"}],
    "vendor": "x",
}


def test_good_call_keeps_unknown_fields():
    call = call_from_json(GOOD)
    assert call.call_id == "c-1" and call.segments[0].speaker == "agent"
    assert call.extra == {"vendor": "x"}
    assert call.to_json()["vendor"] == "x" and call.to_json()["segments"][0]["text"] == "喂，您好"


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda c: c.pop("call_id"), "call_id"),
        (lambda c: c.pop("segments"), "segments"),
        (lambda c: c["segments"][0].pop("text"), "segments[0].text"),
        (lambda c: c["segments"][0].update(speaker="bot"), "segments[0].speaker"),
        (lambda c: c["segments"][0].update(start="zero"), "segments[0].start"),
        (lambda c: c["segments"][0].update(end=-1), "segments[0].end"),
        (lambda c: c.update(agent_id=17), "agent_id"),
    ],
)
def test_broken_call_names_call_and_field(mutate, field):
    data = json.loads(json.dumps(GOOD))
    mutate(data)
    with pytest.raises(CallFormatError) as err:
        call_from_json(data)
    assert err.value.field_name == field
    if field != "call_id":
        assert "c-1" in str(err.value)


def test_read_json_list_jsonl_and_broken_lines(tmp_path):
    as_list = tmp_path / "calls.json"
    as_list.write_text(json.dumps([GOOD, {"call_id": "c-2"}]), encoding="utf-8")
    results = list(read_calls(as_list))
    assert results[0].call.call_id == "c-1" and "segments" in results[1].error

    lines = tmp_path / "calls.jsonl"
    lines.write_text(json.dumps(GOOD) + "\n\n{oops\n" + json.dumps({**GOOD, "call_id": "c-3"}) + "\n")
    results = list(read_calls(lines))
    assert [r.call.call_id if r.call else r.error[:14] for r in results] == ["c-1", "calls.jsonl:3:", "c-3"]


def test_json_file_holding_several_lines_is_read_as_jsonl(tmp_path):
    path = tmp_path / "calls.json"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "call_id": "c-9"}) + "\n")
    assert [r.call.call_id for r in read_calls(path)] == ["c-1", "c-9"]
