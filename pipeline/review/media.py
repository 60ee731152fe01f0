"""A call's recording, in a form the browser's <audio> element can play.

Browsers play PCM WAV, MP3, Ogg/Opus, FLAC and AAC. Anything else (AMR, A-law or μ-law WAV
from telephone systems) is converted once with ffmpeg to 16-bit PCM WAV, keeping every
channel, and kept in a cache folder beside the database.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import wave
from pathlib import Path

from pipeline.audio import ffmpeg_binary
from pipeline.errors import CallqaError

BROWSER_SUFFIXES = {".mp3", ".ogg", ".oga", ".opus", ".flac", ".m4a", ".aac", ".webm"}
TRANSCRIPT_SUFFIXES = {".json", ".jsonl"}
MEDIA_TYPES = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".webm": "audio/webm",
}


class AudioError(CallqaError, RuntimeError):
    pass


def source_file(source_path: str | None, db_path: Path) -> Path | None:
    """The recording of a call, or None for imported transcripts and files no longer there.
    A relative path is looked up from the working directory, then beside the database."""
    if not source_path:
        return None
    path = Path(source_path)
    if path.suffix.lower() in TRANSCRIPT_SUFFIXES:
        return None
    for candidate in (path, db_path.parent / path):
        if candidate.is_file():
            return candidate
    return None


def browser_can_play(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in BROWSER_SUFFIXES:
        return True
    if suffix != ".wav":
        return False
    try:  # the wave module opens plain PCM only; A-law, μ-law and others raise
        with wave.open(str(path), "rb"):
            return True
    except (wave.Error, EOFError):
        return False


def playable_file(path: Path, cache_dir: Path, cache_key: str) -> Path:
    """``path`` itself when the browser plays it, else its cached PCM WAV (made on first use)."""
    if browser_can_play(path):
        return path
    cached = cache_dir / f"{cache_key}.wav"
    if cached.exists():
        return cached
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(suffix=".wav", dir=cache_dir)
    os.close(fd)
    command = [ffmpeg_binary(), "-nostdin", "-y", "-loglevel", "error", "-i", str(path), "-c:a", "pcm_s16le", partial]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise AudioError(f"{path}: ffmpeg could not convert the recording ({result.stderr.strip()[-300:]})")
        os.replace(partial, cached)  # atomic: a concurrent request sees the whole file or none
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return cached


def media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
