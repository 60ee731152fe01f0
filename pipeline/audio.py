"""Decode any recording with ffmpeg into 16 kHz float channels, each with a speaker role.

Call-centre recorders write stereo files with the agent on one side and the customer on the
other; each side is transcribed on its own, so every segment knows who spoke. Mono files (and
files with more than two channels) give one channel whose speaker is ``unknown``.

ffmpeg comes from PATH when installed, else from imageio-ffmpeg's bundled binary. That binary
has no ffprobe, so the channel count and sample rate are read from the stream line that
``ffmpeg -i FILE`` prints.
"""

from __future__ import annotations

import functools
import itertools
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
import numpy as np

from pipeline.errors import CallqaError

SAMPLE_RATE = 16000
CHANNEL_MODES = ("agent-customer", "customer-agent", "mono")

# "Stream #0:0[0x1](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, ..."
_STREAM_LINE = re.compile(r"Stream #\d+:\d+\S*: Audio: (?P<codec>[^,\s]+)[^,]*, (?P<rate>\d+) Hz, (?P<layout>[^,]+)")
_DURATION_LINE = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_READ_BLOCK = 10 * SAMPLE_RATE  # frames read from ffmpeg at a time
BLOCK_SECONDS = 600  # ``decode_blocks``: a long recording is decoded (and transcribed) ten minutes at a time
_LAYOUT_CHANNELS = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "5.0": 5, "5.1": 6, "7.1": 8}
_AMR_NB_DECODER = "libopencore_amrnb"


class AudioError(CallqaError):
    pass


@dataclass
class Audio:
    path: str
    channels: list[tuple[str, np.ndarray]]  # (speaker role, float32 mono samples at 16 kHz)
    duration: float  # seconds
    n_channels: int  # channels in the file
    sample_rate: int  # sample rate in the file
    offset: float = 0.0  # where these samples start in the recording (seconds): a block of it
    last: bool = True  # whether the recording ends with these samples (a whole recording does)


def ffmpeg_binary() -> str:
    """ffmpeg on PATH if there is one, else the binary bundled with imageio-ffmpeg."""
    return shutil.which("ffmpeg") or _bundled_ffmpeg()


def _bundled_ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def decode(path, channel_mode: str = "agent-customer") -> Audio:
    """Read ``path`` into 16 kHz float32 channels with roles; AudioError if it holds no audio.

    ``channel_mode`` says how to read stereo files: ``agent-customer`` (left is the agent),
    ``customer-agent`` (left is the customer) or ``mono`` (mix both sides into one).
    """
    path, command, (codec, sample_rate, n_channels, duration) = _command(path, channel_mode)
    capacity = int(((duration or 60.0) + 1.0) * SAMPLE_RATE)
    arrays: list[np.ndarray] = []
    filled = 0
    # Sized from the probed duration: a long call is held once, not also as the raw bytes and
    # an interleaved copy.
    for frames in _run(path, codec, command, n_channels, channel_mode):
        if not arrays:
            arrays = [np.empty(capacity, np.float32) for _ in frames]
        if filled + len(frames[0]) > capacity:
            capacity = max(2 * capacity, filled + len(frames[0]))
            arrays = [np.concatenate([a[:filled], np.empty(capacity - filled, np.float32)]) for a in arrays]
        for array, channel in zip(arrays, frames):
            array[filled : filled + len(channel)] = channel
        filled += len(frames[0])
    if not filled:
        raise AudioError(f"{path}: no audio samples")
    return Audio(
        path=path,
        channels=_with_roles([array[:filled] for array in arrays], channel_mode),
        duration=filled / SAMPLE_RATE,
        n_channels=n_channels,
        sample_rate=sample_rate,
    )


def decode_blocks(path, channel_mode: str = "agent-customer", seconds: float = BLOCK_SECONDS) -> Iterator[Audio]:
    """``path`` decoded ``seconds`` at a time, as ``decode`` reads it: each block an ``Audio``
    whose ``offset`` says where it starts, so memory follows the block, not the recording, and
    ``last`` whether it ends the recording. AudioError as ``decode``: at once for a file that is
    no audio, once its end is read for one that breaks midway."""
    path, command, (codec, sample_rate, n_channels, _) = _command(path, channel_mode)
    return _blocks(path, codec, command, n_channels, sample_rate, channel_mode, int(seconds * SAMPLE_RATE))


def _blocks(
    path: str, codec: str, command: list[str], n_channels: int, sample_rate: int, channel_mode: str, size: int
) -> Iterator[Audio]:
    pending: list[list[np.ndarray]] = []
    offset, held = 0, 0
    for frames in itertools.chain(_run(path, codec, command, n_channels, channel_mode), [None]):  # None: the end
        # A block is handed on once ffmpeg's next read (at most 10 s) is in, or its output ended:
        # it knows whether it is the last without the next block read ahead. That read joins
        # the pending frames only after, so the block is not a view of it as well.
        while held > size or (held == size and frames is not None):
            joined = [np.concatenate(parts) for parts in zip(*pending)]
            # The frames go before the block is handed on, and the rest is a copy: otherwise the
            # block's samples were held twice (its frames and their join) while it was read.
            pending, held = [[c[size:].copy() for c in joined]], held - size
            yield _block(path, [c[:size] for c in joined], n_channels, sample_rate, channel_mode, offset, last=False)
            offset += size
        if frames is not None:
            pending.append(frames)
            held += len(frames[0])
    if held:
        joined = [np.concatenate(parts) for parts in zip(*pending)]
        yield _block(path, joined, n_channels, sample_rate, channel_mode, offset, last=True)
    elif not offset:
        raise AudioError(f"{path}: no audio samples")


def _block(
    path: str, samples: list[np.ndarray], n_channels: int, sample_rate: int, mode: str, offset: int, last: bool
) -> Audio:
    return Audio(
        path=path,
        channels=_with_roles(samples, mode),
        duration=len(samples[0]) / SAMPLE_RATE,
        n_channels=n_channels,
        sample_rate=sample_rate,
        offset=offset / SAMPLE_RATE,
        last=last,
    )


def _command(path, channel_mode: str) -> tuple[str, list[str], tuple[str, int, int, float | None]]:
    """The path as a string, the ffmpeg command that decodes it to 16 kHz float32 (two channels
    for stereo, else one), and what ``_probe`` read; AudioError for a missing or empty file."""
    if channel_mode not in CHANNEL_MODES:
        raise ValueError(f"channel mode {channel_mode!r}: expected one of {', '.join(CHANNEL_MODES)}")
    path = str(path)
    if not Path(path).is_file():
        raise AudioError(f"{path}: no such file")
    if Path(path).stat().st_size == 0:
        raise AudioError(f"{path}: empty file")
    # "file:" keeps ffmpeg from reading a name such as "rtp:call 10:15.wav" as a protocol.
    source = f"file:{path}"
    probed = _probe(path, source)
    codec, _, n_channels, _ = probed
    binary, input_options = _decoder_for(codec)
    command = (
        ffmpeg.input(source, **input_options)
        .output("pipe:", format="f32le", acodec="pcm_f32le", ac=2 if n_channels == 2 else 1, ar=SAMPLE_RATE)
        .global_args("-nostdin", "-hide_banner", "-loglevel", "error")
        .compile(cmd=binary)
    )
    return path, command, probed


def _run(path: str, codec: str, command: list[str], n_channels: int, channel_mode: str) -> Iterator[list[np.ndarray]]:
    """ffmpeg's output, 10 s at a time, as one array per channel (one mixed array for a stereo
    file read in ``mono`` mode); AudioError with ffmpeg's reason if it fails."""
    channels = 2 if n_channels == 2 else 1
    mix = channels == 2 and channel_mode == "mono"
    frame, rest = 4 * channels, b""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
        try:
            with process.stdout:
                while block := process.stdout.read(_READ_BLOCK * frame):
                    block = rest + block  # a read may end inside a frame: keep that part for the next
                    whole = len(block) // frame * frame
                    block, rest = block[:whole], block[whole:]
                    frames = np.frombuffer(block, np.float32).reshape(-1, channels)
                    if mix:
                        yield [frames.mean(axis=1, dtype=np.float32)]
                    else:
                        yield [frames[:, i].copy() for i in range(channels)]
        finally:
            if process.poll() is None and process.stdout.closed:  # the reader stopped early
                process.kill()
                process.wait()
        if process.wait() != 0:
            errors.seek(0)
            reason = _reason(errors.read(), f"file:{path}")
            raise AudioError(f"{path}: cannot decode {codec} audio: {reason}")


def _with_roles(samples: list[np.ndarray], channel_mode: str) -> list[tuple[str, np.ndarray]]:
    if len(samples) == 1:
        return [("unknown", samples[0])]
    left, right = samples
    if channel_mode == "agent-customer":
        return [("agent", left), ("customer", right)]
    return [("agent", right), ("customer", left)]


def _probe(path: str, source: str) -> tuple[str, int, int, float | None]:
    """The first audio stream's codec, sample rate and channel count, and the duration if
    the container states it, from ``ffmpeg -i``."""
    result = subprocess.run(
        [ffmpeg_binary(), "-nostdin", "-hide_banner", "-i", source],
        capture_output=True,
    )
    stderr = result.stderr.decode("utf-8", errors="replace")
    match = _STREAM_LINE.search(stderr)
    if match is None:
        if re.search(r"Stream #\d+:\d+", stderr):
            raise AudioError(f"{path}: not an audio file: it has no audio stream")
        raise AudioError(f"{path}: not an audio file: {_reason(result.stderr, source)}")
    layout = match["layout"].strip()
    channels = re.match(r"(\d+) channels", layout)
    n_channels = int(channels[1]) if channels else _LAYOUT_CHANNELS.get(layout.split("(")[0], 1)
    stated = _DURATION_LINE.search(stderr)
    duration = int(stated[1]) * 3600 + int(stated[2]) * 60 + float(stated[3]) if stated else None
    return match["codec"], int(match["rate"]), n_channels, duration


def _decoder_for(codec: str) -> tuple[str, dict[str, str]]:
    """The binary and input options that decode ``codec`` best.

    ffmpeg's built-in AMR-NB decoder mis-decodes some low-bitrate (4.75 kbps) streams that
    libopencore_amrnb reads correctly, so AMR-NB goes to a binary that has libopencore_amrnb
    (imageio-ffmpeg's has) and falls back to the built-in decoder when none has it.
    """
    if codec in ("amr_nb", "amrnb"):
        for binary in dict.fromkeys((ffmpeg_binary(), _bundled_ffmpeg())):
            if _AMR_NB_DECODER in _decoders(binary):
                return binary, {"acodec": _AMR_NB_DECODER}
    return ffmpeg_binary(), {}


@functools.cache
def _decoders(binary: str) -> frozenset[str]:
    result = subprocess.run([binary, "-hide_banner", "-decoders"], capture_output=True, text=True)
    names = (line.split()[1] for line in result.stdout.splitlines() if len(line.split()) > 1)
    return frozenset(names)


def _reason(stderr: bytes | None, source: str) -> str:
    """ffmpeg's own words for what went wrong: its last error line, without the file name."""
    lines = [line.strip() for line in (stderr or b"").decode("utf-8", errors="replace").splitlines()]
    lines = [line for line in lines if line and not line.startswith("Error opening input file ")]
    if not lines:
        return "ffmpeg gave no reason"
    reason = re.sub(r"^\[[^\]]+\] ", "", lines[-1])
    for prefix in (f"{source}: ", "Error opening input files: ", "Error opening input: "):
        reason = reason.removeprefix(prefix)
    return reason
