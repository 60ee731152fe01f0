"""How a call sounded, measured from its segment times and text: dead air, overtalk, speech rate,
and (when the audio was measured) loudness.

``measure_call(call)`` returns the events the analyst rules' ``measure:`` conditions read:

- silence: every gap in which nobody speaks, between the first and the last speech of the call;
- overtalk: one speaker starting while the other is still speaking (抢话); only on a stereo
  recording, where each speaker has a channel and their times are their own. On mono the
  speakers are ``unknown`` and overlapping speech cannot be told apart: not measurable;
- speech rate: characters per minute of each segment of ``MIN_RATE_CHARACTERS`` or more
  (punctuation and spaces not counted);
- loudness: each segment's RMS in dB above its speaker's median, from
  ``call.extra["segment_loudness_db"]`` (one RMS dBFS per segment, written when the audio was
  measured); without it, not measurable.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .calls import Call

_SPOKEN = re.compile(r"[\w]", re.UNICODE)  # letters, digits and CJK characters; not punctuation
LOUDNESS_KEY = "segment_loudness_db"
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
    loudness = call.extra.get(LOUDNESS_KEY)
    loudness_measured = isinstance(loudness, list) and len(loudness) == len(segments)
    return CallMeasures(
        stereo=stereo,
        loudness_measured=loudness_measured,
        events={
            "silence": _silences(call),
            "overtalk": _overtalks(call) if stereo else (),
            "speech_rate": _speech_rates(call),
            "loudness": _loudness(call, loudness) if loudness_measured else (),
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


def _loudness(call: Call, rms_dbfs: list) -> tuple[Event, ...]:
    """Each segment's loudness over the median of its speaker's segments."""
    by_speaker: dict[str, list[float]] = {}
    for s, db in zip(call.segments, rms_dbfs):
        if isinstance(db, (int, float)):
            by_speaker.setdefault(s.speaker, []).append(float(db))
    medians = {speaker: statistics.median(values) for speaker, values in by_speaker.items()}
    return tuple(
        Event("loudness", s.start, s.end, i, s.speaker, round(float(db) - medians[s.speaker], 2))
        for i, (s, db) in enumerate(zip(call.segments, rms_dbfs))
        if isinstance(db, (int, float))
    )
