"""faster-whisper over the channels of a call → time-ordered segments, hallucinations dropped.

Each channel (agent, customer, or one ``unknown`` mono channel) is heard on its own audio, so
every segment carries its speaker: the speech regions of all channels (Silero VAD) are laid end
to end in time order and packed into Whisper windows (``pack_windows``), the windows decoded in
batches, and each word Whisper writes traced back to the region it was said in; a Whisper
segment is cut where the turn changes (``split_at_turns``). Whisper can read the call's
institution names first (``names_prompt``), and the domain's words (``domain_prompt``); a short
turn whose reading writes the prompt back is read again without it (``echoed_turns``). Its text is converted
to simplified script (OpenCC), full-width punctuation and one spacing (``pipeline.text``);
``repair_homophones`` then puts back the lexicon words the detectors' homophone engine is sure
of, and a turn's opening 喂 heard as 为, keeping the heard text.

Whisper invents text where there is none, so every segment passes a filter before it is kept
(``drop_hallucinations``, pure functions tested without a model):

* a phrase repeated more than ``max_repeats`` times in a row is cut back to ``max_repeats``,
  and a segment whose text still compresses better than ``compression_ratio_max`` (zlib, as
  Whisper measures it) is a decoding loop and dropped; so are segments beyond the
  ``max_repeats``-th in a row with the same text within one turn of the party;
* a segment Whisper itself thinks is probably not speech (``no_speech_prob`` above
  ``no_speech_prob_max``) *and* decoded with low confidence (``avg_logprob`` below
  ``avg_logprob_min``) is dropped: Whisper's own silence rule, applied to Whisper's segments
  (``whisper_reason``) before they become the generic ``Segment``, whose ``confidence`` is
  Whisper's mean token probability;
* text over audio quieter than ``min_rms_dbfs`` is text on silence, dropped;
* the subtitle credits Whisper learned from Chinese video subtitles (``KNOWN_HALLUCINATIONS``)
  are dropped wherever they appear.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import logging
import math
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from pipeline.audio import BLOCK_SECONDS, SAMPLE_RATE, Audio
from pipeline.calls import Call, Segment
from pipeline.config import read_options
from pipeline.model import DEFAULT_MODEL_NAME, ModelError, resolve_model
from pipeline.text import LEXICON_DIR, domain_words, is_word, normalize_spacing, to_chinese_punctuation, to_simplified

if TYPE_CHECKING:
    from pipeline.detect.view import Repair

log = logging.getLogger(__name__)

_WINDOW = 30.0  # seconds of audio Whisper reads at once
_PACKED = 28.0  # seconds of speech (and kept pauses) packed into one window; on the stereo
# fixtures 28 against 24 took 15 windows instead of 19 and 55 CPU s instead of 65 at CER 0.135
# Windows the encoder reads at once: its self-attention holds heads x frames^2 floats per window
# (72 MB for Whisper base's 30 s), so a batch of 8 full windows encoded together held half a GB
# at once, and a call with minutes of speech peaked at 1.4 GB (README, "Speed, accuracy and memory").
_ENCODE_AT_ONCE = 1
# Windows the word alignment reads at once: it holds every token's probabilities over the whole
# vocabulary (a 30 s window's 150 tokens: 31 MB), and was a batch's peak (README, same section).
_ALIGN_AT_ONCE = 2
_RETRY_WINDOWS = (20.0, 0.0)  # readings again of what Whisper skipped: shorter windows, then one region each
# Speech a window's words leave uncovered for this long (s) is read again: Whisper stopped early.
# Measured 2026-12-03 on the spoken heldout_v1 (stereo, mono) and tune calls (mono): a region's speech
# runs 0.5-0.85 s past its last word when all of it was heard (VAD's 0.4 s padding and the word's
# timestamp), 1.6 s and more when a line after the last word was lost (嗯。 alone: 1.6 s).
_UNHEARD_LEAST = 1.2
_VAD_BLOCK = 120.0  # seconds of a channel given to the voice-activity detector at once: Silero
# copies its input twice and onnxruntime keeps the arena its largest input needed

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
    batch_size: int = 4  # decode this many windows at once (faster-whisper's batched pipeline, no
    # temperature fallback); 0: one window at a time, with fallback. Memory grows with it: a talking
    # call peaked at 1.06-1.19 GB with 8 and 0.83-0.91 GB with 4, CPU within 2% (README, "Speed, accuracy and memory")
    no_speech_prob_max: float = 0.6
    avg_logprob_min: float = -1.0
    compression_ratio_max: float = 2.4
    min_rms_dbfs: float = -50.0
    max_repeats: int = 3
    # What Whisper reads before each window: with ``names_prompt``, the call's institution names
    # (on by default: agencies' trade names are heard and detection from audio loses about half
    # as much; the demo's clean files stay clean; README, "Names prompt"); with ``domain_prompt``,
    # the conversation's domain words after them (off: Whisper base wrote the word list back over
    # short customer turns); ``initial_prompt`` is your own text instead, ``hotwords``
    # faster-whisper's hotwords.
    names_prompt: bool = True
    domain_prompt: bool = False
    initial_prompt: str | None = None
    hotwords: str | None = None
    # A turn of at most this many seconds of speech (VAD's, padding included) whose reading writes
    # a piece of the prompt back (嗯 heard 有限公司) is read again without the prompt; 0: never.
    prompt_echo_turn: float = 2.0
    # A mono segment holding both parties' sentences is cut where the guessed speaker changes
    # (``split_mixed_turns``); false leaves every segment as Whisper wrote it, pause to pause.
    split_mixed_turns: bool = True
    # Taken from the detection section (the prompt's names and domain words), not set here.
    institutions: list[str] = field(default_factory=list, metadata={"from": "detection.institutions"})
    lexicon_dir: Path = field(default=LEXICON_DIR, metadata={"from": "detection.lexicon_dir"})

    @classmethod
    def from_config(cls, config: dict, **overrides) -> TranscribeSettings:
        """Settings from the ``transcription`` section of the loaded config (``load_config()``),
        read as every section is (``pipeline.config.read_options``); ``institutions`` and
        ``lexicon_dir`` come from the detection section.

        ``overrides`` (e.g. command-line options) win over the file; None values are ignored.
        """
        from pipeline.detect.settings import DetectionSettings

        section = dict(config.get("transcription") or {})
        detection = DetectionSettings.from_config(config)
        base = cls(institutions=list(detection.institutions), lexicon_dir=detection.lexicon_path)
        section.update({key: value for key, value in overrides.items() if value is not None})
        return read_options(cls, section, "transcription", base)


class Transcriber(Protocol):
    """What the scan needs from a speech recogniser: a name and ``transcribe``.

    ``transcribe`` turns a decoded call into time-ordered segments, each on its speaker's
    channel; a segment never spans the other party's turn. ``load_transcriber`` is the one
    place a recogniser is built, so another backend plugs in there.
    """

    model_name: str

    def transcribe(self, audio: Audio, names: Sequence[str] = ()) -> list[Segment]:
        """``names``: institutions this call is about (the manifest's agency, lender)."""
        ...


def load_transcriber(settings: TranscribeSettings) -> Transcriber:
    return WhisperTranscriber(settings)


# The prompt primes the words of the conversation itself (dialogue.yaml: 欠款, 逾期, 还款 ...), not
# those of the violation lexicons: a prompt makes Whisper likelier to write its words, and 法院 or
# 坐牢 written where nobody said them would be a false finding.
PROMPT_LEXICONS = "dialogue.yaml"


def domain_prompt(names: Sequence[str], lexicon_dir: Path = LEXICON_DIR, with_words: bool = True) -> str:
    """Simplified-Chinese text for Whisper to read before each window: the institutions' names
    and (``with_words``) the conversation's domain words. It also keeps Whisper in simplified
    script."""
    names = [n.strip() for n in dict.fromkeys(names) if n and n.strip()]
    words = list(dict.fromkeys(domain_words(lexicon_dir, PROMPT_LEXICONS))) if with_words else []
    return "、".join([*names, *words]) + "。" if names or words else ""


@dataclass
class Piece:
    """One speech region of one channel in a window, with the pause kept after it."""

    speaker: str
    channel: int  # index into the call's channels
    speech: tuple[float, float]  # the region (channel seconds)
    end: float  # where the piece stops on the channel: its speech and at most ``max_pause`` after
    at: float  # where the piece starts in the window
    turn: int  # pieces of one turn: one speaker, nobody else in between

    @property
    def length(self) -> float:
        return self.end - self.speech[0]


@dataclass
class Window:
    """Speech regions of all channels laid end to end in time order, read as one Whisper window.

    Both parties' regions fill windows together (a customer's short reply is heard after the
    agent's question instead of padded alone to 30 s); every piece keeps its channel, so each
    word Whisper writes is traced back to its piece: its speaker, turn and time.
    """

    pieces: list[Piece] = field(default_factory=list)

    @property
    def length(self) -> float:
        return sum(piece.length for piece in self.pieces)

    def samples(self, channels: Sequence[tuple[str, np.ndarray]]) -> np.ndarray:
        return np.concatenate(
            [channels[p.channel][1][round(p.speech[0] * SAMPLE_RATE) : round(p.end * SAMPLE_RATE)] for p in self.pieces]
        )

    def piece_of(self, start: float, end: float) -> Piece:
        """The piece a word (window times) belongs to: the one whose speech it overlaps most, or
        lies nearest to. A word's timestamps often stretch into the pause beside it, so its
        midpoint alone can land in the wrong piece."""
        return max(self.pieces, key=lambda p: min(end, p.at + p.speech[1] - p.speech[0]) - max(start, p.at))

    @staticmethod
    def to_channel(t: float, piece: Piece) -> float:
        """A time in the window as a time on ``piece``'s channel, moved onto its speech (a word's
        edge often lies in the pause beside it)."""
        return min(max(piece.speech[0] + t - piece.at, piece.speech[0]), piece.speech[1])


def pack_windows(
    channels: Sequence[tuple[str, list[tuple[float, float]]]],
    duration: float,
    max_pause: float = 1.0,
    longest: float = _WINDOW,
    every_region_a_turn: bool = False,
) -> list[Window]:
    """The speech regions of all channels, ``(speaker, regions)`` each, in time order, packed
    into windows of at most ``longest`` s of speech, each region with at most ``max_pause`` s of
    the pause after it on its channel.

    A turn ends where the speaker changes. On a mono call every region is a turn of its own
    (regions are split at pauses of a second or more, see ``speech_regions``), and so with
    ``every_region_a_turn`` (a second reading of some regions, without the others between).
    """
    ordered = sorted(
        (start, end, channel, regions[i + 1][0] if i + 1 < len(regions) else duration)
        for channel, (_, regions) in enumerate(channels)
        for i, (start, end) in enumerate(regions)
    )
    every_region_a_turn = every_region_a_turn or len(channels) == 1
    windows: list[Window] = []
    turn = -1
    for start, end, channel, next_start in ordered:
        if not windows or windows[-1].length + (end - start) > longest:
            windows.append(Window())
        window = windows[-1]
        if every_region_a_turn or not window.pieces or window.pieces[-1].channel != channel:
            turn += 1
        piece_end = min(next_start, end + max_pause)
        window.pieces.append(Piece(channels[channel][0], channel, (start, end), piece_end, window.length, turn))
    return windows


class WhisperTranscriber:
    """Loads the Whisper model once (from a local folder, never downloading) and transcribes.

    The speech regions of both channels, in time order, fill windows of up to 28 s (pauses
    shortened to a second), so Whisper reads whole windows with context instead of one padded
    window per utterance, and a customer's short reply after the agent's question. With
    ``batch_size`` the windows are decoded in batches. Each word goes back to the region it
    was said in, so a segment is cut where the speaker changes (mono: at every pause of a
    second or more) and no segment spans the other party's turn.
    """

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
        # The batched pipeline encodes and aligns a whole batch at once; a window or two at a time
        # bound memory, with the same results.
        self._model.encode = functools.partial(encode_in_parts, self._model.encode)
        self._model.find_alignment = functools.partial(align_in_parts, self._model.find_alignment)
        self._batched = BatchedInferencePipeline(self._model) if settings.batch_size > 0 else None

    def transcribe(self, audio: Audio, names: Sequence[str] = ()) -> list[Segment]:
        return [segment for _, heard in self.transcribe_blocks(blocks_of(audio), names) for segment in heard]

    def transcribe_blocks(
        self, blocks: Iterable[Audio], names: Sequence[str] = ()
    ) -> Iterator[tuple[Audio, list[Segment]]]:
        """A recording given block by block (``pipeline.audio.decode_blocks``), transcribed as it
        comes: memory follows the block, not the recording. Yields each stretch of audio read
        (its ``offset`` in the recording) with its segments, in recording time. Speech still
        running at a block's end is held over and read with the next block."""
        options = self.decode_options(names)
        held: Audio | None = None
        done: list[float] = []  # per channel: recording time up to which speech was read
        for block in blocks:
            # Only ``audio`` (the block with what was held over) is held while it is read: the
            # block says whether it is the last, so the next one is not read ahead.
            audio, block, held = (block if held is None else joined(held, block)), None, None
            regions = [
                unread(speech_regions(samples, self.settings.vad), done_at - audio.offset)
                for (_, samples), done_at in zip(audio.channels, done or [0.0] * len(audio.channels))
            ]
            cut = audio.duration if audio.last else held_over(regions, audio.duration)
            now = [[r for r in channel if r[0] < cut] for channel in regions]
            segments = self._transcribe(audio, now, options)
            done = [
                max([done_at, *(audio.offset + end for _, end in channel)])
                for channel, done_at in zip(now, done or [0.0] * len(now))
            ]
            yield (
                audio,
                [dataclasses.replace(s, start=s.start + audio.offset, end=s.end + audio.offset) for s in segments],
            )
            held, audio = tail(audio, cut), None

    def _transcribe(self, audio: Audio, regions: list[list[tuple[float, float]]], options: dict) -> list[Segment]:
        """The segments heard in ``regions`` (per channel) of ``audio``, in its time."""
        heard = self._hear(audio, regions, _PACKED, options)
        # Whisper now and then stops before the end of a window (faster-whisper's batched decoding
        # drops the sentence Whisper left unfinished there, where one window at a time would
        # read on from it), loops and is dropped, or leaves out a line said again word for word
        # in the same window: the speech it left without words (``unheard``) is read again in
        # shorter windows, and what is still missed, each stretch alone.
        for longest in _RETRY_WINDOWS:
            missed = [unheard(channel_regions, said) for channel_regions, said in zip(regions, heard)]
            if not any(missed):
                break
            again = self._hear(audio, missed, longest, options, every_region_a_turn=True)
            for said, more in zip(heard, again):
                said.extend(more)
        segments: list[Segment] = []
        for channel, ((_, samples), said) in enumerate(zip(audio.channels, heard)):
            said.sort(key=lambda s: (s.start, s.end))
            others = [start for other, rs in enumerate(regions) if other != channel for start, _ in rs]
            segments.extend(drop_hallucinations(said, samples, self.settings, others=others))
        return sorted(segments, key=lambda s: (s.start, s.end, s.speaker))

    def decode_options(self, names: Sequence[str] = ()) -> dict:
        """faster-whisper's options for this call; ``names`` go into the domain prompt."""
        s = self.settings
        prompt = s.initial_prompt
        if prompt is None and (s.names_prompt or s.domain_prompt):
            prompt = domain_prompt([*names, *s.institutions], s.lexicon_dir, with_words=s.domain_prompt)
        return dict(
            language=s.language,
            beam_size=s.beam_size,
            word_timestamps=True,
            # Conditioning on earlier text is the usual trigger of Whisper's repetition loops.
            condition_on_previous_text=False,
            initial_prompt=prompt or None,
            hotwords=s.hotwords or None,
        )

    def _hear(self, audio: Audio, regions, longest: float, options: dict, **packing) -> list[list[Segment]]:
        """The segments heard in ``regions`` (per channel), per channel, in windows of at most
        ``longest`` s of speech.

        A short turn whose reading writes the prompt back (``echoed_turns``: 嗯 heard 有限公司, 行
        heard 宏远信用服务) is taken from its window read again without the prompt, unless that
        reading writes the same."""
        windows = pack_windows(
            [(speaker, channel_regions) for (speaker, _), channel_regions in zip(audio.channels, regions)],
            audio.duration,
            longest=longest,
            **packing,
        )
        readings = self._read(audio, windows, options)
        pieces = prompt_pieces(" ".join(filter(None, (options["initial_prompt"], options["hotwords"]))))
        echoed = {
            i: turns
            for i, (window, reading) in enumerate(zip(windows, readings))
            if (turns := echoed_turns(window, reading, pieces, self.settings.prompt_echo_turn))
        }
        if echoed:
            plain = dict(options, initial_prompt=None, hotwords=None)
            for i, again in zip(echoed, self._read(audio, [windows[i] for i in echoed], plain)):
                for turn, echo in echoed[i].items():
                    if not held_pieces(again.get(turn, []), echo):
                        readings[i][turn] = again.get(turn, [])
        heard: list[list[Segment]] = [[] for _ in audio.channels]
        for reading in readings:
            for said in reading.values():
                for piece, segment in said:
                    heard[piece.channel].append(segment)
        return heard

    def _read(self, audio: Audio, windows: list[Window], options: dict) -> list[dict[int, list[tuple[Piece, Segment]]]]:
        """Each window's reading: per turn, its segments (with the piece each starts in)."""
        readings = []
        for window, pieces in zip(windows, self._decode(audio, windows, options)):
            turns: dict[int, list[tuple[Piece, Segment]]] = {}
            for piece in pieces:
                if not self._unheard(piece):
                    for owner, segment in split_at_turns(piece, window):
                        turns.setdefault(owner.turn, []).append((owner, segment))
            readings.append(turns)
        return readings

    def _unheard(self, piece) -> bool:
        """Whether Whisper's whole segment is to be dropped by Whisper's own figures (checked
        before it is cut at turns): a repetition loop, or probably no speech."""
        reason = whisper_reason(piece, self.settings)
        if reason:
            log.debug("dropped %.2f-%.2f %r: %s", piece.start, piece.end, piece.text[:60], reason)
        return reason is not None

    def _decode(self, audio: Audio, windows: list[Window], options: dict) -> list[list]:
        """Whisper's segments (with words, in window time) for each window, in order."""
        if self._batched is None:
            return [
                list(self._model.transcribe(window.samples(audio.channels), vad_filter=False, **options)[0])
                for window in windows
            ]
        return self._decode_batched(audio, windows, options)

    def _decode_batched(self, audio: Audio, windows: list[Window], options: dict) -> list[list]:
        """Windows decoded ``batch_size`` at a time, each batch's features padded only to its
        longest window instead of Whisper's 30 s: the encoder (CTranslate2 reads any length up
        to 30 s) and the decoder's cross-attention then cost what the audio holds. Windows of
        similar length share a batch. Measured on the spoken calls: CER no worse than padding
        every window to 30 s (README, "Speed, accuracy and memory")."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import Segment as WhisperSegment
        from faster_whisper.transcribe import Word

        model = self._model
        tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=options["language"]
        )
        whisper_options = batch_options(options, tokenizer)
        heard: list[list] = [[] for _ in windows]
        order = sorted(range(len(windows)), key=lambda i: windows[i].length)
        for first in range(0, len(order), self.settings.batch_size):
            batch = order[first : first + self.settings.batch_size]
            clips = [windows[i].samples(audio.channels) for i in batch]
            features = [model.feature_extractor(clip)[..., :-1] for clip in clips]
            frames = encoder_frames(max(len(clip) for clip in clips) / SAMPLE_RATE)
            metadata = [{"offset": 0.0, "duration": len(clip) / SAMPLE_RATE} for clip in clips]
            self._batched.last_speech_timestamp = 0.0  # each window starts at 0
            outputs = self._batched.forward(
                np.stack([pad_or_trim(f, frames) for f in features]), tokenizer, metadata, whisper_options
            )
            release_freed_memory()
            for i, output in zip(batch, outputs):
                heard[i] = [
                    WhisperSegment(
                        id=n,
                        seek=0,
                        start=piece["start"],
                        end=piece["end"],
                        text=piece["text"],
                        tokens=piece["tokens"],
                        avg_logprob=piece["avg_logprob"],
                        compression_ratio=piece["compression_ratio"],
                        no_speech_prob=piece["no_speech_prob"],
                        words=[Word(**word) for word in piece.get("words") or []],
                        temperature=0.0,
                    )
                    for n, piece in enumerate(output)
                ]
        return heard


def blocks_of(audio: Audio, seconds: float = BLOCK_SECONDS) -> Iterator[Audio]:
    """A decoded recording as ``decode_blocks`` gives it, so both are transcribed alike."""
    size = int(seconds * SAMPLE_RATE)
    length = len(audio.channels[0][1])
    for start in range(0, length, size):
        channels = [(speaker, samples[start : start + size]) for speaker, samples in audio.channels]
        yield dataclasses.replace(
            audio,
            channels=channels,
            duration=len(channels[0][1]) / SAMPLE_RATE,
            offset=audio.offset + start / SAMPLE_RATE,
            last=start + size >= length,
        )


def joined(first: Audio, then: Audio) -> Audio:
    """Two consecutive stretches of a recording as one."""
    channels = [(speaker, np.concatenate([a, b])) for (speaker, a), (_, b) in zip(first.channels, then.channels)]
    return dataclasses.replace(first, channels=channels, duration=first.duration + then.duration, last=then.last)


def tail(audio: Audio, cut: float) -> Audio | None:
    """``audio`` from ``cut`` (its time) on, or None if nothing is left."""
    start = round(cut * SAMPLE_RATE)
    if start >= len(audio.channels[0][1]):
        return None
    # A copy: a view would keep the whole block's samples while the next block is read.
    channels = [(speaker, samples[start:].copy()) for speaker, samples in audio.channels]
    return dataclasses.replace(
        audio, channels=channels, duration=len(channels[0][1]) / SAMPLE_RATE, offset=audio.offset + start / SAMPLE_RATE
    )


def unheard(
    regions: list[tuple[float, float]], said: Sequence[Segment], least: float = _UNHEARD_LEAST
) -> list[tuple[float, float]]:
    """The stretches of one channel's speech ``regions`` that no segment ``said`` on it covers,
    to be read again: a region without words, and a stretch of a region at least ``least`` s long
    (shorter ones are the pauses between words and VAD's padding)."""
    stretches = []
    for start, end in regions:
        covered = sorted((s.start, s.end) for s in said if s.start < end and s.end > start)
        if not covered:
            stretches.append((start, end))
            continue
        at = start
        for covered_start, covered_end in [*covered, (end, end)]:
            if min(covered_start, end) - at >= least:
                stretches.append((at, min(covered_start, end)))
            at = max(at, covered_end)
    return stretches


def unread(regions: list[tuple[float, float]], done: float, least: float = 0.5) -> list[tuple[float, float]]:
    """``regions`` without what was read before ``done`` (a region held over is found again in
    the next block, often a little longer); a remainder under ``least`` s is dropped."""
    return [(max(start, done), end) for start, end in regions if start >= done or end - done >= least]


def held_over(regions: list[list[tuple[float, float]]], duration: float, running: float = 1.0) -> float:
    """Where to stop reading a block that is followed by more: the start of the earliest speech
    region (any channel) ending within ``running`` s of the block's end, which may go on in the
    next block; the whole block if none does, or if that would leave nothing to read."""
    starts = [start for channel in regions for start, end in channel if end > duration - running]
    cut = min(starts, default=duration)
    return cut if cut > 0 else duration


def encode_in_parts(encode, features: np.ndarray, at_once: int = _ENCODE_AT_ONCE):
    """``encode`` (a WhisperModel's) over a batch of ``features`` at most ``at_once`` windows at
    a time, the outputs joined: the batch's encoder output, without every window's attention
    matrices in memory together. One window's features (2-D) go to ``encode`` as they are. The
    memory the encoder freed is handed back before the beam search takes its own."""
    import ctranslate2

    if features.ndim == 2 or len(features) <= at_once:
        output = encode(features)
    else:
        parts = [np.asarray(encode(features[i : i + at_once])) for i in range(0, len(features), at_once)]
        output = ctranslate2.StorageView.from_array(np.concatenate(parts))
    release_freed_memory()
    return output


def align_in_parts(
    find_alignment,
    tokenizer,
    text_tokens: list[list[int]],
    encoder_output,
    num_frames,
    at_once: int = _ALIGN_AT_ONCE,
    **options,
):
    """``find_alignment`` (a WhisperModel's word alignment) over a batch of windows, in the groups
    of about ``at_once`` that ``alignment_parts`` makes, each window's alignment the one the
    whole batch gives it. The memory the beam search freed is handed back first."""
    import ctranslate2

    release_freed_memory()
    if len(text_tokens) <= at_once:  # also one window of WhisperModel.transcribe, its frames a number
        return find_alignment(tokenizer, text_tokens, encoder_output, num_frames, **options)
    parts = alignment_parts([len(tokens) for tokens in text_tokens], num_frames, at_once)
    if len(parts) == 1:
        return find_alignment(tokenizer, text_tokens, encoder_output, num_frames, **options)
    outputs = np.asarray(encoder_output)
    aligned: list = [None] * len(text_tokens)
    for part in parts:
        results = find_alignment(
            tokenizer,
            [text_tokens[i] for i in part],
            ctranslate2.StorageView.from_array(outputs[part]),
            [num_frames[i] for i in part],
            **options,
        )
        for i, result in zip(part, results):
            aligned[i] = result  # the longest window is in every group, read alike in each
    return aligned


def alignment_parts(lengths: list[int], num_frames: list[int], at_once: int) -> list[list[int]]:
    """The windows of a batch (by index; ``lengths``: their tokens, ``num_frames``: their mel
    frames) in groups of about ``at_once`` (2 or more) whose alignments, group by group, are the
    whole batch's. CTranslate2's ``align`` pads every window's tokens to the longest, and its
    results move with that padding (a word's probability by a fifth), so every group holds the
    longest window. When the windows' encoder frames (mel frames // 2) are all the same, it
    normalises each window's attention over the padded tokens, and any group does; when they
    differ, each window is read without the padding, and so only in a group whose frames differ
    too: each group then holds a window whose frames are not the longest's, and where there are
    too few of those, the groups are fewer and larger (one: the whole batch)."""
    encoded = [frames // 2 for frames in num_frames]
    longest = max(range(len(lengths)), key=lengths.__getitem__)
    others = [i for i in range(len(lengths)) if i != longest]
    even = len(set(encoded)) == 1
    seeds = [i for i in others if even or encoded[i] != encoded[longest]]
    groups = [[longest, seed] for seed in seeds[: math.ceil(len(others) / (at_once - 1))]]
    for i in others:
        if not any(i in group for group in groups):
            min(groups, key=len).append(i)
    return groups


def release_freed_memory() -> None:
    """Hand the memory freed so far back to the system (glibc's ``malloc_trim``; nothing where
    the C library has none): after each batch, and between its encoding, beam search and word
    alignment. Without it, what the first full batch took stayed resident, 0.5 GB becoming
    0.88 GB between batches, and every later batch peaked on top of it; within a batch, each
    step peaked on top of what the step before had freed."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):
        pass


def encoder_frames(seconds: float) -> int:
    """Mel frames the encoder reads for a window of ``seconds``: the audio rounded up to whole
    seconds (faster-whisper's word alignment reads whole seconds) and one more of padding, at
    most Whisper's 30 s."""
    return min(int(_WINDOW), math.ceil(seconds) + 1) * 100


def batch_options(options: dict, tokenizer):
    """faster-whisper's ``TranscriptionOptions`` for its batched decoding from ``decode_options``:
    its batched pipeline's defaults (one temperature, no fallback)."""
    from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

    return TranscriptionOptions(
        beam_size=options["beam_size"],
        best_of=5,
        patience=1.0,
        length_penalty=1.0,
        repetition_penalty=1.0,
        no_repeat_ngram_size=0,
        log_prob_threshold=-1.0,
        no_speech_threshold=0.6,
        compression_ratio_threshold=2.4,
        condition_on_previous_text=False,
        prompt_reset_on_temperature=0.5,
        temperatures=[0.0],
        initial_prompt=options["initial_prompt"],
        prefix=None,
        suppress_blank=True,
        suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
        without_timestamps=False,
        max_initial_timestamp=0.0,
        word_timestamps=options["word_timestamps"],
        prepend_punctuations="\"'“¿([{-",
        append_punctuations="\"'.。,，!！?？:：”)]}、",
        multilingual=False,
        max_new_tokens=None,
        clip_timestamps="0",
        hallucination_silence_threshold=None,
        hotwords=options["hotwords"],
    )


def split_at_turns(piece, window: Window) -> list[tuple[Piece, Segment]]:
    """One Whisper segment (times in ``window``) as (piece, segment) pairs, cut by its words'
    timestamps where the turn changes; the piece is the one the segment starts in (its channel,
    its turn)."""
    groups: list[list] = []  # [(piece of the window, word), ...] per turn
    for word in piece.words or []:
        owner = window.piece_of(word.start, word.end)
        if groups and groups[-1][-1][0].turn == owner.turn:
            groups[-1].append((owner, word))
        else:
            groups.append([(owner, word)])
    segments = []
    for group in groups:
        (first, first_word), (last, last_word) = group[0], group[-1]
        start, end = window.to_channel(first_word.start, first), window.to_channel(last_word.end, last)
        text = "".join(word.word for _, word in group)
        segment = Segment(
            start=round(start, 2),
            end=round(max(end, start), 2),
            speaker=first.speaker,
            text=normalize_spacing(to_chinese_punctuation(to_simplified(text))),
            confidence=round(math.exp(piece.avg_logprob), 3),
        )
        segments.append((first, segment))
    return segments


def prompt_pieces(prompt: str, least: int = 3) -> set[str]:
    """Every run of at least ``least`` characters within one item of the prompt (a name or word,
    items split at punctuation and spaces): what a reading holds that writes the prompt back."""
    items = re.split(r"[\W_]+", prompt)
    return {item[i:j] for item in items for i in range(len(item)) for j in range(i + least, len(item) + 1)}


def held_pieces(said: Sequence[tuple[Piece, Segment]], pieces: set[str]) -> set[str]:
    """The ``pieces`` that a turn's segments hold (compared without spaces and punctuation)."""
    text = re.sub(r"[\W_]+", "", "".join(segment.text for _, segment in said))
    return {p for p in pieces if p in text}


def echoed_turns(
    window: Window, reading: dict[int, list[tuple[Piece, Segment]]], pieces: set[str], shortest: float
) -> dict[int, set[str]]:
    """The turns of ``window`` with at most ``shortest`` s of speech whose reading holds pieces of
    the prompt, with the pieces: a short reply is where Whisper writes the prompt back over
    speech it barely hears (a turn that long can say a name, but an agent says it in a sentence)."""
    echoed = {}
    for turn, said in reading.items():
        speech = sum(p.speech[1] - p.speech[0] for p in window.pieces if p.turn == turn)
        if speech <= shortest and (held := held_pieces(said, pieces)):
            echoed[turn] = held
    return echoed


def repair_homophones(segments: list[Segment], config: dict, call: Call | None = None) -> list[Segment]:
    """Segments with the homophones the detectors' engine is sure of repaired (``sure_repairs``)
    and a turn's opening 喂 that Whisper wrote as 为 put back (``greeting_wei``); the recogniser's
    text kept in ``raw_text``. ``call``: the call they are of, for the names it knows."""
    repaired = []
    for segment, text, sure in sure_repairs(segments, config, call):
        chars = list(text)
        for r in sure:
            chars[r.start : r.end] = r.word
        if "".join(chars) != segment.text:
            segment = dataclasses.replace(segment, text="".join(chars), raw_text=segment.text)
        repaired.append(segment)
    return repaired


# Where a recognised sentence ends: a mono segment is cut into its sentences there.
_SENTENCE_END = re.compile(r"(?<=[。？！?!])")


def sentences_of(text: str) -> list[str]:
    """``text`` cut after each sentence's closing mark, every piece kept as written."""
    return [piece for piece in _SENTENCE_END.split(text) if piece.strip("，。？！?!,. ")]


def split_mixed_turns(segments: list[Segment], config: dict, call: Call | None = None) -> list[Segment]:
    """A mono recording's segments (``unknown``) cut where the guessed speaker changes inside one.

    A mono segment runs from pause to pause, so a short reply and the other party's next
    sentence can be one segment (是我。我们是某某检察院的); the role guess, which gives a segment
    one role, then gives the agent's sentence to the customer. Each such segment is cut into its
    sentences (``sentences_of``), the roles are guessed over the call's sentences with one voice
    expected to go on inside a segment (``RoleGuesser.guess``'s ``within``), and consecutive
    sentences of one role are joined again: a segment is cut only where a sentence clearly
    belongs to the other party. Times are shared out by characters. The pieces stay ``unknown``:
    detection guesses their roles again, each piece now one voice. Off
    (``transcription.split_mixed_turns: false``), the segments are returned as they are."""
    if not TranscribeSettings.from_config(config).split_mixed_turns:
        return segments
    if not any(s.speaker == "unknown" and len(sentences_of(s.text)) > 1 for s in segments):
        return segments
    from pipeline.detect.registry import default_registry

    preparer = default_registry(config).preparer
    owner, pieces = [], []
    for n, segment in enumerate(segments):
        for piece in time_shared(segment, sentences_of(segment.text) if segment.speaker == "unknown" else []):
            owner.append(n)
            pieces.append(piece)
    split_call = dataclasses.replace(call or Call(call_id="", segments=[]), segments=pieces)
    texts = [text for text, _ in preparer.repaired(split_call)]
    _, roles = preparer.spoken(split_call, texts, within=[a == b for a, b in zip(owner, owner[1:])])
    out: list[Segment] = []
    for n, (piece, (role, _)) in enumerate(zip(pieces, roles)):
        if n and owner[n] == owner[n - 1] and role == roles[n - 1][0]:
            out[-1] = dataclasses.replace(out[-1], end=piece.end, text=out[-1].text + piece.text)
        else:
            out.append(piece)
    return out


def time_shared(segment: Segment, parts: list[str]) -> list[Segment]:
    """``segment`` as one segment per part of its text, its time shared out by characters; the
    segment itself where there are fewer than two parts."""
    if len(parts) < 2:
        return [segment]
    out, done, whole = [], 0, sum(map(len, parts))
    length = segment.end - segment.start
    for part in parts:
        start = segment.start + length * done / whole
        done += len(part)
        out.append(
            dataclasses.replace(
                segment, start=round(start, 2), end=round(segment.start + length * done / whole, 2), text=part
            )
        )
    return out


def sure_repairs(
    segments: list[Segment], config: dict, call: Call | None = None
) -> Iterator[tuple[Segment, str, list[Repair]]]:
    """Each segment, its text with a turn's opening 喂 put back, and the homophone repairs sure
    enough for the text reviewers read and search.

    A repair is kept only when it is sure: what is said around it confirms it (一起 before how
    long the debt is overdue, 露营 right after 本次通话会), or it puts back a word of the lexicons'
    ``domain_words`` (逾期, 法院, 征信 ...) and the heard text is no word at all (发院), or a word
    (预期) in a segment that speaks of the debt (a word of the prompt lexicon: 借款, 还款, 欠款
    ...). No repair cuts into a name the call knows (``CallPreparer.names``: the manifest's agency
    and lender, names its lines write out before a suffix), so a brand 津融 is never 金融.
    ``benchmarks/stored_repairs.py`` counts the correctly written lines these repairs still rewrite.
    """
    from pipeline.detect.registry import default_registry
    from pipeline.detect.settings import DetectionSettings

    preparer = default_registry(config).preparer
    repairer = preparer.repairer
    names = preparer.names(dataclasses.replace(call or Call(call_id="", segments=[]), segments=segments))
    debt_words = domain_words(DetectionSettings.from_config(config).lexicon_path, PROMPT_LEXICONS)
    for previous, segment in zip([None, *segments], segments):
        text = greeting_wei(segment.text) if opens_turn(previous, segment) else segment.text
        _, repairs = repairer.repair(text, names)
        sure = [
            r
            for r in repairs
            if r.in_context
            or (
                r.word in repairer.domain_words
                and (not is_word(r.heard) or any(w in text for w in debt_words if w != r.heard))
            )
        ]
        yield segment, text, sure


# What Whisper base writes for the 喂 that opens a phone turn, after conversion to simplified
# script: on the 13 spoken tune calls none of the 12 turns opening with 喂 was heard so (为 eight
# times, 唯 twice, 维 once, 为了 once).
_WEI_HEARD = "为唯维"


def greeting_wei(text: str) -> str:
    """``text`` with a 喂 opening it put back where Whisper wrote a character of the same sound
    that starts no word with what follows it (为是秦丽丽吗, 为你好 → 喂...; 为了, 为什么, 为何,
    维持 stay as heard)."""
    if text[:1] in _WEI_HEARD and not any(is_word(text[:n]) for n in (2, 3)):
        return "喂" + text[1:]
    return text


def opens_turn(previous: Segment | None, segment: Segment, pause: float = 1.0) -> bool:
    """Whether ``segment`` starts a turn: the first, another speaker's than the one before, or
    after a pause of ``pause`` s or more (a mono call's regions are cut at such pauses)."""
    return previous is None or previous.speaker != segment.speaker or segment.start - previous.end >= pause


def speech_regions(samples: np.ndarray, vad: bool, sample_rate: int = SAMPLE_RATE) -> list[tuple[float, float]]:
    """(start, end) seconds of the stretches to transcribe, each at most 30 s (one Whisper window).

    With ``vad``, Silero VAD's speech stretches, split at pauses of a second or more: on one
    side of a stereo call such a pause is usually the other party's turn, and a shorter split
    only costs Whisper another 30-second window. Without, the channel in 30-second windows.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    duration = len(samples) / sample_rate
    if not vad:
        return [(t, min(t + _WINDOW, duration)) for t in np.arange(0, duration, _WINDOW).tolist()]
    options = VadOptions(min_silence_duration_ms=1000, max_speech_duration_s=_PACKED)
    regions: list[tuple[float, float]] = []
    step = int(_VAD_BLOCK * sample_rate)
    # Block by block: the detector's memory follows the block, not the call.
    for offset in range(0, len(samples), step):
        for region in get_speech_timestamps(samples[offset : offset + step], options, sampling_rate=sample_rate):
            start, end = (offset + region["start"]) / sample_rate, (offset + region["end"]) / sample_rate
            # Speech running over a block boundary comes back as two regions: join them.
            if regions and start - regions[-1][1] < 0.1 and end - regions[-1][0] <= _PACKED:
                start = regions.pop()[0]
            regions.append((start, end))
    return regions


def drop_hallucinations(
    segments: list[Segment],
    samples: np.ndarray,
    settings: TranscribeSettings,
    sample_rate: int = SAMPLE_RATE,
    others: Sequence[float] = (),
) -> list[Segment]:
    """The segments worth keeping, repeats cut; ``samples`` is the channel they were heard on.

    Segments come in time order from one channel; a text repeated in more than
    ``max_repeats`` segments in a row is a loop across segments, and the extra ones go.
    ``others``: where the other party starts speaking (a stereo call's other channel). A run
    of repeats ends there: a party who says the same line in four turns said it four times.
    """
    kept: list[Segment] = []
    for segment in segments:
        segment = dataclasses.replace(segment, text=cut_repeats(segment.text, settings.max_repeats))
        reason = hallucination_reason(segment, samples, settings, sample_rate)
        run = kept[-settings.max_repeats :]
        if (
            not reason
            and len(run) == settings.max_repeats
            and all(_normalized(earlier.text) == _normalized(segment.text) for earlier in run)
            and not any(run[0].start < t < segment.start for t in others)
        ):
            reason = f"the same text as the {settings.max_repeats} segments before it"
        if reason:
            log.debug(
                "dropped %s segment %.2f-%.2f %r: %s", segment.speaker, segment.start, segment.end, segment.text, reason
            )
        else:
            kept.append(segment)
    return kept


def whisper_reason(piece, settings: TranscribeSettings) -> str | None:
    """Why a faster-whisper segment is no speech by Whisper's own figures, or None: a repetition
    loop (its text compresses too well), or Whisper's silence rule (``no_speech_prob`` high
    *and* ``avg_logprob`` low; real speech on a poor line can score low on one alone)."""
    ratio = compression_ratio(piece.text)
    if ratio > settings.compression_ratio_max:
        return f"repetition loop (compression ratio {ratio:.2f})"
    if piece.no_speech_prob > settings.no_speech_prob_max and piece.avg_logprob < settings.avg_logprob_min:
        return f"probably not speech (no_speech_prob {piece.no_speech_prob:.2f}, avg_logprob {piece.avg_logprob:.2f})"
    return None


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
    level = rms_dbfs(samples[int(segment.start * sample_rate) : int(segment.end * sample_rate)])
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
    return "".join(ch for ch in to_simplified(text).lower() if unicodedata.category(ch)[0] not in "PSZC")


_KNOWN_NORMALIZED = tuple(_normalized(phrase) for phrase in KNOWN_HALLUCINATIONS)
