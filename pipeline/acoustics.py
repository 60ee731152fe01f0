"""How a call sounded, measured from its segment times and text: dead air, overtalk, speech rate,
and (when the audio was measured) loudness.

The segment times come from the transcription, which cuts each channel at Silero VAD's speech
regions (faster-whisper's VAD) and so already holds each speaker's speech; the only thing read
from the decoded audio is each segment's loudness (``segment_loudness``, one numpy pass over the
channel), kept as ``Segment.rms_dbfs`` and stored with the segment.

``measure_call(call)`` returns the events the analyst rules' ``measure:`` conditions read, and
``call_metrics`` the per-call and per-speaker figures of the ``call_metrics`` table:

- silence: every gap in which nobody speaks, between the first and the last speech of the call;
- overtalk: one speaker starting while the other is still speaking (抢话); only on a stereo
  recording, where each speaker has a channel and their times are their own. On mono the
  speakers are ``unknown`` and overlapping speech cannot be told apart: not measurable;
- speech rate: characters per minute of each segment of ``MIN_RATE_CHARACTERS`` or more
  (punctuation and spaces not counted);
- loudness: each segment's RMS in dB above its speaker's median, from ``Segment.rms_dbfs``;
  without it (a transcript import), not measurable.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.calls import Call, Segment

_SPOKEN = re.compile(r"[\w]", re.UNICODE)  # letters, digits and CJK characters; not punctuation
HUNG_UP_KEYS = ("hung_up_by", "hangup", "挂断方")  # manifest columns that say who hung up
_HUNG_UP = {"agent": "agent", "坐席": "agent", "customer": "customer", "客户": "customer"}
# A turn shorter than this has a rate that says more about where the segment was cut than about
# how fast anyone spoke (好的 in 0.3 s is 400 a minute).
MIN_RATE_CHARACTERS = 8


@dataclass(frozen=True)
class Event:
    """One measured occurrence: where it is, the segment it belongs to, and its size."""

    kind: str  # silence, overtalk, speech_rate, loudness
    start: float
    end: float
    segment_index: int  # silence: the segment that ends it; overtalk: the segment that started over
    speaker: str  # whose event: the speaker of that segment
    value: float  # seconds, seconds of overlap, characters per minute, dB over the median


@dataclass(frozen=True)
class CallMeasures:
    stereo: bool  # speakers known per segment: overtalk is measurable
    loudness_measured: bool
    events: dict[str, tuple[Event, ...]]

    def measurable(self, kind: str) -> bool:
        return {"overtalk": self.stereo, "loudness": self.loudness_measured}.get(kind, True)


KINDS = ("silence", "overtalk", "speech_rate", "loudness")


def spoken_characters(text: str) -> int:
    return len(_SPOKEN.findall(text))


def measure_call(call: Call) -> CallMeasures:
    segments = call.segments
    stereo = bool(segments) and all(s.speaker in ("agent", "customer") for s in segments)
    loudness_measured = bool(segments) and any(s.rms_dbfs is not None for s in segments)
    return CallMeasures(
        stereo=stereo,
        loudness_measured=loudness_measured,
        events={
            "silence": _silences(call),
            "overtalk": _overtalks(call) if stereo else (),
            "speech_rate": _speech_rates(call),
            "loudness": _loudness(call) if loudness_measured else (),
        },
    )


def _silences(call: Call) -> tuple[Event, ...]:
    """Gaps between the union of everyone's speech, each ended by the segment that starts next."""
    order = sorted(range(len(call.segments)), key=lambda i: call.segments[i].start)
    events = []
    spoken_until = None
    for i in order:
        s = call.segments[i]
        if spoken_until is not None and s.start > spoken_until:
            events.append(Event("silence", spoken_until, s.start, i, s.speaker, round(s.start - spoken_until, 3)))
        spoken_until = s.end if spoken_until is None else max(spoken_until, s.end)
    return tuple(events)


def _overtalks(call: Call) -> tuple[Event, ...]:
    """A segment that starts while a segment of the other speaker is still going on."""
    events = []
    for i, s in enumerate(call.segments):
        overlaps = [o for o in call.segments if o.speaker != s.speaker and o.start < s.start < o.end]
        if overlaps:
            until = min(s.end, max(o.end for o in overlaps))
            events.append(Event("overtalk", s.start, until, i, s.speaker, round(until - s.start, 3)))
    return tuple(events)


def _speech_rates(call: Call) -> tuple[Event, ...]:
    events = []
    for i, s in enumerate(call.segments):
        seconds = s.end - s.start
        characters = spoken_characters(s.text)
        if seconds > 0 and characters >= MIN_RATE_CHARACTERS:
            events.append(Event("speech_rate", s.start, s.end, i, s.speaker, round(characters * 60 / seconds, 1)))
    return tuple(events)


def _loudness(call: Call) -> tuple[Event, ...]:
    """Each measured segment's loudness over the median of its speaker's measured segments."""
    by_speaker: dict[str, list[float]] = {}
    for s in call.segments:
        if s.rms_dbfs is not None:
            by_speaker.setdefault(s.speaker, []).append(s.rms_dbfs)
    medians = {speaker: statistics.median(values) for speaker, values in by_speaker.items()}
    return tuple(
        Event("loudness", s.start, s.end, i, s.speaker, round(s.rms_dbfs - medians[s.speaker], 2))
        for i, s in enumerate(call.segments)
        if s.rms_dbfs is not None
    )


# --- from the decoded audio ---------------------------------------------------------------


def segment_loudness(
    channels: list[tuple[str, np.ndarray]], segments: list[Segment], sample_rate: int
) -> list[float | None]:
    """Each segment's RMS in dBFS on its speaker's channel (the only channel of a mono call);
    None for a segment with no samples."""
    by_role = dict(channels)
    first = channels[0][1]
    out: list[float | None] = []
    for s in segments:
        samples = by_role.get(s.speaker, first)
        piece = samples[int(s.start * sample_rate) : int(s.end * sample_rate)]
        if piece.size == 0:
            out.append(None)
            continue
        rms = float(np.sqrt(np.mean(np.square(piece, dtype=np.float64))))
        out.append(round(20 * math.log10(max(rms, 1e-10)), 2))
    return out


# --- the figures of call_metrics ----------------------------------------------------------


def call_metrics(call: Call, duration: float | None) -> list[dict[str, Any]]:
    """Rows of ``call_metrics``: one for the whole call (speaker ``call``) and one per speaker.
    Overtalk is None (not measurable) on mono; loudness None when the audio was not measured."""
    measures = measure_call(call)
    events = measures.events
    spoken_end = max((s.end for s in call.segments), default=0.0)
    length = duration if duration else spoken_end
    silences = [e.value for e in events["silence"]]
    rows = [
        {
            "speaker": "call",
            "duration": round(length, 3) if length else None,
            "talk_seconds": round(_union_seconds([(s.start, s.end) for s in call.segments]), 3),
            "dead_air_seconds": round(sum(silences), 3),
            "dead_air_longest": max(silences, default=0.0),
            "overtalk_count": len(events["overtalk"]) if measures.stereo else None,
            "overtalk_seconds": round(sum(e.value for e in events["overtalk"]), 3) if measures.stereo else None,
            "hung_up_by": hung_up_by(call),
            "measurable": _measurable(measures),
        }
    ]
    for speaker in dict.fromkeys(s.speaker for s in call.segments):
        mine = [i for i, s in enumerate(call.segments) if s.speaker == speaker]
        talk = _union_seconds([(call.segments[i].start, call.segments[i].end) for i in mine])
        characters = sum(spoken_characters(call.segments[i].text) for i in mine)
        overtalk = [e for e in events["overtalk"] if e.speaker == speaker]
        loudness = [call.segments[i].rms_dbfs for i in mine if call.segments[i].rms_dbfs is not None]
        median = statistics.median(loudness) if loudness else None
        rows.append(
            {
                "speaker": speaker,
                "talk_seconds": round(talk, 3),
                "talk_ratio": round(talk / length, 4) if length else None,
                "speech_rate_cpm": round(characters * 60 / talk, 1) if talk else None,
                "overtalk_count": len(overtalk) if measures.stereo else None,
                "overtalk_seconds": round(sum(e.value for e in overtalk), 3) if measures.stereo else None,
                "longest_silence_after_other": _longest_reply_gap(call, speaker) if measures.stereo else None,
                "loudness_dbfs": round(median, 2) if median is not None else None,
                "loudness_peak_db": round(max(loudness) - median, 2) if median is not None else None,
            }
        )
    return rows


def hung_up_by(call: Call) -> str | None:
    """agent or customer, as the manifest says (column hung_up_by, hangup or 挂断方); else None."""
    for key in HUNG_UP_KEYS:
        value = call.extra.get(key)
        if isinstance(value, str) and value.strip().lower() in _HUNG_UP:
            return _HUNG_UP[value.strip().lower()]
    return None


def _measurable(measures: CallMeasures) -> str:
    """What could not be measured on this call, in words (empty when everything could)."""
    notes = []
    if not measures.stereo:
        notes.append("overtalk: mono recording, speakers share one channel")
    if not measures.loudness_measured:
        notes.append("loudness: audio not measured (transcript import)")
    return "; ".join(notes)


def _union_seconds(spans: list[tuple[float, float]]) -> float:
    total, until = 0.0, None
    for start, end in sorted(spans):
        if until is None or start > until:
            total += end - start
            until = end
        elif end > until:
            total += end - until
            until = end
    return total


def _longest_reply_gap(call: Call, speaker: str) -> float | None:
    """The longest time ``speaker`` stayed silent after the other party stopped speaking, when
    nobody spoke in between (the agent's silence after the customer spoke)."""
    order = sorted(call.segments, key=lambda s: s.start)
    gaps = [
        b.start - a.end
        for a, b in zip(order, order[1:])
        if a.speaker != speaker
        and b.speaker == speaker
        and b.start > a.end
        and not any(o.start < b.start and o.end > a.end for o in order if o is not a and o is not b)
    ]
    return round(max(gaps), 3) if gaps else None
