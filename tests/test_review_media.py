import wave
from pathlib import Path

import pytest
from console_fixtures import write_alaw_wav, write_tone_wav

from pipeline.review import media


def test_pcm_wav_plays_as_it_is(tmp_path):
    wav = write_tone_wav(tmp_path / "a.wav", seconds=1)
    assert media.browser_can_play(wav)
    assert media.playable_file(wav, tmp_path / "cache", "k") == wav


def test_alaw_wav_is_converted_once_keeping_both_channels(tmp_path):
    alaw = write_alaw_wav(write_tone_wav(tmp_path / "a.wav", seconds=1), tmp_path / "alaw.wav")
    assert not media.browser_can_play(alaw)
    cached = media.playable_file(alaw, tmp_path / "cache", "key")
    assert cached == tmp_path / "cache" / "key.wav" and media.browser_can_play(cached)
    with wave.open(str(cached)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (2, 2)
    stamp = cached.stat().st_mtime_ns
    assert media.playable_file(alaw, tmp_path / "cache", "key").stat().st_mtime_ns == stamp
    assert list((tmp_path / "cache").iterdir()) == [cached]  # no temporary files left


def test_broken_recording_raises_a_clear_error(tmp_path):
    broken = tmp_path / "x.amr"
    broken.write_bytes(b"not audio")
    try:
        media.playable_file(broken, tmp_path / "cache", "bad")
    except media.AudioError as exc:
        assert "x.amr" in str(exc)
    else:
        raise AssertionError("expected AudioError")
    assert list((tmp_path / "cache").iterdir()) == []


def test_source_file_lookup(tmp_path):
    db_path = tmp_path / "qa.db"
    wav = write_tone_wav(tmp_path / "rec.wav", seconds=0.1)
    assert media.source_file("rec.wav", db_path) == tmp_path / "rec.wav"  # beside the database
    assert media.source_file(str(wav), db_path) == wav
    assert media.source_file("call.json", db_path) is None
    assert media.source_file("missing.wav", db_path) is None
    assert media.source_file(None, db_path) is None
    assert media.media_type(Path("a.mp3")) == "audio/mpeg"


TELEPHONE_FORMATS = {"clean_mono_8k_mulaw.wav", "violation_mono_8k_alaw.wav", "violation_mono_8k_amrnb.amr"}


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in Path("fixtures/audio").glob("*") if p.stem.startswith(("clean_", "violation_"))),
)
def test_every_fixture_recording_reaches_the_browser_in_a_format_it_plays(tmp_path, name):
    source = Path("fixtures/audio") / name
    playable = media.playable_file(source, tmp_path, "k")
    assert (playable != source) == (name in TELEPHONE_FORMATS)
    assert media.browser_can_play(playable)
