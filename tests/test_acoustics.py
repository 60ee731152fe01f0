"""Acoustic measures on planted audio: a stereo call assembled from the fixture recordings' spoken
lines, with a known number of agent overtalks, a dead-air gap of known length and one agent
turn at a known gain. The expected figures are the planted ones, not the code's."""

import json
import math
import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from pipeline.acoustics import call_metrics, segment_loudness
from pipeline.audio import SAMPLE_RATE, decode
from pipeline.calls import Call, CallRecord, Segment
from pipeline.cli import cli
from pipeline.metrics import metrics_of, refresh_metrics
from pipeline.store import open_db, save_call

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio"
LINES = json.loads((AUDIO / "fixtures.json").read_text(encoding="utf-8"))["dialogues"]["violation"]["lines"]
OVERTALKS = 3
DEAD_AIR = 12.0
GAIN_DB = 12.0
GAP_AFTER = 1.0  # the agent starts this long after the customer: inside the customer's turn
LEVEL = 0.2  # the lines peak at 0.89: at this level the +12 dB turn (x 3.98) peaks at 0.7, unclipped


def clip(channels, index):
    """One spoken line of the violation fixture, cut from its speaker's channel."""
    line = LINES[index]
    samples = dict(channels)[line["speaker"]]
    return samples[int(line["start"] * SAMPLE_RATE) : int(line["end"] * SAMPLE_RATE)]


def planted_call():
    """Stereo samples and the segments a perfect transcription would give, with the plan."""
    channels = decode(AUDIO / "violation_stereo_16k.wav").channels
    customer_line, agent_line = clip(channels, 3) * LEVEL, clip(channels, 2) * LEVEL  # 2.61 s and 4.05 s
    placed = []  # (speaker, start, samples)
    t = 0.5
    for _ in range(OVERTALKS):  # the agent cuts in 1 s into each customer turn
        placed.append(("customer", t, customer_line))
        placed.append(("agent", t + GAP_AFTER, agent_line))
        t += GAP_AFTER + len(agent_line) / SAMPLE_RATE + 2.0
    last_end = t - 2.0
    t = last_end + DEAD_AIR  # nobody speaks for DEAD_AIR seconds
    placed.append(("customer", t, customer_line))
    # Turns 2 s apart: VAD (and so the transcription) joins speech across pauses under 1 s.
    t += len(customer_line) / SAMPLE_RATE + 2.0
    gain = 10 ** (GAIN_DB / 20)
    placed.append(("agent", t, agent_line * gain))  # the shouted turn
    t += len(agent_line) / SAMPLE_RATE + 2.0
    placed.append(("agent", t, agent_line))
    t += len(agent_line) / SAMPLE_RATE + 0.5
    length = int(t * SAMPLE_RATE)
    tracks = {"agent": np.zeros(length, np.float32), "customer": np.zeros(length, np.float32)}
    segments = []
    for speaker, start, samples in placed:
        first = int(round(start * SAMPLE_RATE))
        tracks[speaker][first : first + len(samples)] += samples
        segments.append(
            Segment(
                first / SAMPLE_RATE,
                (first + len(samples)) / SAMPLE_RATE,
                speaker,
                "不还钱我就告诉你的家人和单位" if speaker == "agent" else "你不要打给我家里人",
            )
        )
    segments.sort(key=lambda s: s.start)
    return [("agent", tracks["agent"]), ("customer", tracks["customer"])], segments, t


def write_stereo(path, channels):
    left, right = (np.clip(samples, -1, 1) for _, samples in channels)
    pcm = (np.stack([left, right], axis=1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())


def by_speaker(rows):
    return {row["speaker"]: row for row in rows}


def test_planted_overtalk_dead_air_and_loud_turn():
    channels, segments, duration = planted_call()
    for segment, loudness in zip(segments, segment_loudness(channels, segments, SAMPLE_RATE)):
        segment.rms_dbfs = loudness
    call = Call("p1", segments)
    rows = by_speaker(call_metrics(call, duration))
    assert rows["call"]["overtalk_count"] == OVERTALKS and rows["agent"]["overtalk_count"] == OVERTALKS
    assert rows["customer"]["overtalk_count"] == 0
    assert rows["call"]["dead_air_longest"] == pytest.approx(DEAD_AIR, abs=0.01)
    # the agent's turns: the same line five times, one at +12 dB: the median is the plain line
    assert rows["agent"]["loudness_peak_db"] == pytest.approx(GAIN_DB, abs=0.1)
    assert rows["call"]["duration"] == pytest.approx(duration, abs=0.01) and rows["call"]["measurable"] == ""
    agent_talk = 5 * len(clip(decode(AUDIO / "violation_stereo_16k.wav").channels, 2)) / SAMPLE_RATE
    assert rows["agent"]["talk_seconds"] == pytest.approx(agent_talk, abs=0.01)


def test_mono_says_overtalk_is_not_measurable():
    _, segments, duration = planted_call()
    mono = [Segment(s.start, s.end, "unknown", s.text) for s in segments]
    rows = by_speaker(call_metrics(Call("m1", mono), duration))
    assert rows["call"]["overtalk_count"] is None and rows["unknown"]["overtalk_count"] is None
    assert "overtalk: mono" in rows["call"]["measurable"] and "loudness" in rows["call"]["measurable"]
    assert rows["unknown"]["loudness_dbfs"] is None


def test_hung_up_by_from_the_manifest_and_the_agents_wait():
    segments = [
        Segment(0, 2, "customer", "喂"),
        Segment(5.5, 7, "agent", "您好"),
        Segment(7.5, 9, "customer", "嗯"),
        Segment(10, 11, "agent", "好的"),
    ]
    rows = by_speaker(call_metrics(Call("h1", segments, extra={"挂断方": "客户"}), 11))
    assert rows["call"]["hung_up_by"] == "customer"
    assert rows["agent"]["longest_silence_after_other"] == 3.5  # 2.0 → 5.5
    assert rows["agent"]["talk_ratio"] == pytest.approx(2.5 / 11, abs=1e-4)


@pytest.mark.slow  # decodes a recording with ffmpeg (a subprocess) and measures it
def test_stored_metrics_and_redetect_measures_the_recording_again(tmp_path):
    channels, segments, duration = planted_call()
    recording = tmp_path / "planted.wav"
    write_stereo(recording, channels)
    db = open_db(tmp_path / "qa.db")
    call = Call("p1", segments, started_at="2026-03-02T10:00:00+08:00")
    save_call(db, CallRecord(call, str(recording), "sha-p1", duration=duration, channels=2, model="base"))
    refresh_metrics(db)
    assert metrics_of(db, "p1")["agent"]["loudness_peak_db"] is None  # stored without audio figures
    result = CliRunner().invoke(cli, ["redetect", "--metrics", "--db", str(tmp_path / "qa.db"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "measured again: 1 recordings" in result.output
    [(arguments, counts)] = db.execute("SELECT arguments, counts FROM runs WHERE command = 'redetect'").fetchall()
    assert json.loads(arguments)["metrics"] and json.loads(counts)["remeasured"] == 1  # one run, recorded
    stored = metrics_of(db, "p1")
    assert stored["agent"]["loudness_peak_db"] == pytest.approx(GAIN_DB, abs=0.1)
    assert stored["call"]["overtalk_count"] == OVERTALKS
    assert [s.text for s in segments] == [r[0] for r in db.execute("SELECT text FROM segments ORDER BY idx")]


@pytest.mark.slow
def test_a_scan_of_planted_audio_measures_what_was_planted(tmp_path):
    """End to end: VAD and Whisper cut the segments, so the figures carry their timing error."""
    from pipeline.config import load_config
    from pipeline.run import audio_settings, scan

    channels, _, _ = planted_call()
    folder = tmp_path / "calls"
    folder.mkdir()
    write_stereo(folder / "planted.wav", channels)
    db = open_db(tmp_path / "qa.db")
    scan(db, audio_settings(load_config(), threads=2), root=folder)
    [call_id] = [r[0] for r in db.execute("SELECT id FROM calls")]
    stored = metrics_of(db, call_id)
    assert stored["call"]["overtalk_count"] == OVERTALKS
    assert abs(stored["call"]["dead_air_longest"] - DEAD_AIR) < 1.0
    assert abs(stored["agent"]["loudness_peak_db"] - GAIN_DB) < 2.0
    assert not math.isnan(stored["agent"]["speech_rate_cpm"])
