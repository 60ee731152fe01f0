"""faster-whisper over each channel of a call → time-ordered segments, hallucinations dropped.

Each channel (agent, customer, or one ``unknown`` mono channel) is transcribed on its own in
Mandarin with voice-activity detection, so every segment carries its speaker. Whisper writes
traditional characters now and then; segments are converted to simplified with OpenCC.

Whisper invents text where there is none, so every segment passes a filter before it is kept
(``drop_hallucinations``, pure functions tested without a model):

* a phrase repeated more than ``max_repeats`` times in a row is cut back to ``max_repeats``,
  and a segment whose text still compresses better than ``compression_ratio_max`` (zlib, as
  Whisper measures it) is a decoding loop and dropped; so are segments beyond the
  ``max_repeats``-th in a row with the same text;
* a segment Whisper itself thinks is probably not speech (``no_speech_prob`` above
  ``no_speech_prob_max``) *and* decoded with low confidence (``avg_logprob`` below
  ``avg_logprob_min``) is dropped: Whisper's own silence rule, applied per segment;
* text over audio quieter than ``min_rms_dbfs`` is text on silence, dropped;
* the subtitle credits Whisper learned from Chinese video subtitles (``KNOWN_HALLUCINATIONS``)
  are dropped wherever they appear.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

from pipeline.audio import SAMPLE_RATE, Audio
from pipeline.calls import Segment
from pipeline.config import ConfigError
from pipeline.model import DEFAULT_MODEL_NAME, ModelError, resolve_model
from pipeline.text import to_chinese_punctuation, to_simplified

log = logging.getLogger(__name__)

_WINDOW = 30.0  # seconds of audio Whisper reads at once

# Credits and sign-offs from the subtitles Whisper was trained on; it writes them over silence,
# music and noise. A segment containing any of these (compared without spaces or punctuation,
# case-insensitive) is dropped. Full forms seen in the wild:
#   字幕由Amara.org社区提供 / 小编字幕由Amara.org社区提供
#   请不吝点赞 订阅 转发 打赏支持明镜与点点栏目
#   优优独播剧场——YoYo Television Series Exclusive
KNOWN_HALLUCINATIONS = (
    "Amara.org社区",
    "请不吝点赞",
    "点赞订阅转发打赏",
    "明镜与点点栏目",
    "欢迎订阅明镜",
    "优优独播剧场",
    "YoYo Television Series Exclusive",
    "中文字幕志愿者",
    "字幕志愿者",
    "谢谢观看",
    "感谢观看",
    "感谢收看",
    "请订阅我的频道",
    "本期视频就到这里",
)


@dataclass
class TranscribeSettings:
    model: str | None = None  # None: the bundled Whisper base; else a CTranslate2 model folder
    device: str = "cpu"
    compute_type: str = "int8"
    beam_size: int = 5
    cpu_threads: int = 0  # 0: CTranslate2's default
    language: str = "zh"
    vad: bool = True
    batch_size: int = 0  # > 0: faster-whisper's batched pipeline with this many chunks at once
    no_speech_prob_max: float = 0.6
    avg_logprob_min: float = -1.0
    compression_ratio_max: float = 2.4
    min_rms_dbfs: float = -50.0
    max_repeats: int = 3

    @classmethod
    def from_config(cls, config: dict, **overrides) -> TranscribeSettings:
        """Settings from the ``transcription`` section of the loaded config (``load_config()``).

        ``overrides`` (e.g. command-line options) win over the file; None values are ignored.
        """
        section = dict(config.get("transcription") or {})
        section.update({key: value for key, value in overrides.items() if value is not None})
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(section) - set(known))
        if unknown:
            raise ConfigError(f"transcription: unknown setting(s) {', '.join(unknown)}")
        return cls(**section)


class Transcriber:
    """Loads the Whisper model once (from a local folder, never downloading) and transcribes."""

    def __init__(self, settings: TranscribeSettings):
        from faster_whisper import BatchedInferencePipeline, WhisperModel

        self.settings = settings
        self.model_name = settings.model or DEFAULT_MODEL_NAME
        folder = resolve_model(settings.model)
        try:
            self._model = WhisperModel(
                str(folder),
                device=settings.device,
                compute_type=settings.compute_type,
                cpu_threads=settings.cpu_threads,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"model {folder}: cannot load it: {exc}") from None
        self._batched = BatchedInferencePipeline(self._model) if settings.batch_size > 0 else None

    def transcribe(self, audio: Audio) -> list[Segment]:
        segments: list[Segment] = []
        for speaker, samples in audio.channels:
            heard = self._recognise(samples, speaker)
            segments.extend(drop_hallucinations(heard, samples, self.settings))
        return sorted(segments, key=lambda s: (s.start, s.end, s.speaker))

    def _recognise(self, samples: np.ndarray, speaker: str) -> list[Segment]:
        s = self.settings
        regions = speech_regions(samples, s.vad)
        if not regions:
            return []
        options = dict(
            language=s.language,
            beam_size=s.beam_size,
            # Conditioning on earlier text is the usual trigger of Whisper's repetition loops.
            condition_on_previous_text=False,
        )
        # Each speech region is decoded as its own clip: faster-whisper's own VAD glues the
        # regions together, and a segment then spans the other party's turn in between.
        if self._batched is not None:
            clips = [{"start": start, "end": end} for start, end in regions]
            pieces, _ = self._batched.transcribe(
                samples, clip_timestamps=clips, batch_size=s.batch_size,
                without_timestamps=False, **options,
            )
        else:
            clips = [t for region in regions for t in region]
            pieces, _ = self._model.transcribe(
                samples, clip_timestamps=clips, vad_filter=False, **options
            )
        channel_end = len(samples) / SAMPLE_RATE  # batched decoding can run past the clip
        return [
            Segment(
                start=round(piece.start, 2),
                end=round(min(piece.end, channel_end), 2),
                speaker=speaker,
                text=to_chinese_punctuation(to_simplified(piece.text.strip())),
                avg_logprob=piece.avg_logprob,
                no_speech_prob=piece.no_speech_prob,
            )
            for piece in pieces
        ]


def speech_regions(
    samples: np.ndarray, vad: bool, sample_rate: int = SAMPLE_RATE
) -> list[tuple[float, float]]:
    """(start, end) seconds of the stretches to transcribe, each at most 30 s (one Whisper window).

    With ``vad``, Silero VAD's speech stretches, split at pauses of a second or more: on one
    side of a stereo call such a pause is usually the other party's turn, and a shorter split
    only costs Whisper another 30-second window. Without, the channel in 30-second windows.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    duration = len(samples) / sample_rate
    if not vad:
        return [(t, min(t + _WINDOW, duration)) for t in np.arange(0, duration, _WINDOW).tolist()]
    options = VadOptions(min_silence_duration_ms=1000, max_speech_duration_s=_WINDOW)
    return [
        (region["start"] / sample_rate, region["end"] / sample_rate)
        for region in get_speech_timestamps(samples, options, sampling_rate=sample_rate)
    ]


def drop_hallucinations(
    segments: list[Segment],
    samples: np.ndarray,
    settings: TranscribeSettings,
    sample_rate: int = SAMPLE_RATE,
) -> list[Segment]:
    """The segments worth keeping, repeats cut; ``samples`` is the channel they were heard on.

    Segments come in time order from one channel; a text repeated in more than
    ``max_repeats`` segments in a row is a loop across segments, and the extra ones go.
    """
    kept: list[Segment] = []
    for segment in segments:
        segment = dataclasses.replace(segment, text=cut_repeats(segment.text, settings.max_repeats))
        reason = hallucination_reason(segment, samples, settings, sample_rate)
        run = kept[-settings.max_repeats:]
        if not reason and len(run) == settings.max_repeats and all(
            _normalized(earlier.text) == _normalized(segment.text) for earlier in run
        ):
            reason = f"the same text as the {settings.max_repeats} segments before it"
        if reason:
            log.debug("dropped %s segment %.2f-%.2f %r: %s",
                      segment.speaker, segment.start, segment.end, segment.text, reason)
        else:
            kept.append(segment)
    return kept


def hallucination_reason(
    segment: Segment,
    samples: np.ndarray,
    settings: TranscribeSettings,
    sample_rate: int = SAMPLE_RATE,
) -> str | None:
    """Why ``segment`` is a hallucination, or None when it looks like real speech."""
    if not _normalized(segment.text):
        return "no text"
    if is_known_hallucination(segment.text):
        return "known subtitle-credit hallucination"
    ratio = compression_ratio(segment.text)
    if ratio > settings.compression_ratio_max:
        return f"repetition loop (compression ratio {ratio:.2f})"
    if (
        segment.no_speech_prob is not None
        and segment.avg_logprob is not None
        and segment.no_speech_prob > settings.no_speech_prob_max
        and segment.avg_logprob < settings.avg_logprob_min
    ):
        return (f"probably not speech (no_speech_prob {segment.no_speech_prob:.2f}, "
                f"avg_logprob {segment.avg_logprob:.2f})")
    level = rms_dbfs(samples[int(segment.start * sample_rate):int(segment.end * sample_rate)])
    if level < settings.min_rms_dbfs:
        return f"text over silence ({level:.1f} dBFS)"
    return None


def cut_repeats(text: str, max_repeats: int) -> str:
    """Cut any phrase (up to 30 characters) repeated more than ``max_repeats`` times in a row."""
    repeated = re.compile(r"(.{1,30}?)\1{%d,}" % max_repeats, re.DOTALL)
    return repeated.sub(lambda m: m[1] * max_repeats, text)


def compression_ratio(text: str) -> float:
    """Whisper's loop measure: UTF-8 length over zlib-compressed length."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def is_known_hallucination(text: str) -> bool:
    normalized = _normalized(text)
    return any(phrase in normalized for phrase in _KNOWN_NORMALIZED)


def rms_dbfs(samples: np.ndarray) -> float:
    """Loudness of float samples in dB relative to full scale; -inf-like for no samples."""
    if samples.size == 0:
        return -200.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20 * np.log10(max(rms, 1e-10))


def _normalized(text: str) -> str:
    """Lower case, without spaces, punctuation or symbols: how hallucinations are compared."""
    return "".join(
        ch for ch in to_simplified(text).lower() if unicodedata.category(ch)[0] not in "PSZC"
    )


_KNOWN_NORMALIZED = tuple(_normalized(phrase) for phrase in KNOWN_HALLUCINATIONS)
