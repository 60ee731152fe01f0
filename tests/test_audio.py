import json
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from pipeline import audio
from pipeline.audio import SAMPLE_RATE, AudioError, decode, decode_blocks

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "audio"
MANIFEST = json.loads((FIXTURES / "fixtures.json").read_text(encoding="utf-8"))
GOOD_FILES = sorted(MANIFEST["files"])


@pytest.mark.parametrize("name", GOOD_FILES)
def test_every_format_decodes_to_16k_with_the_recorded_duration(name):
    expected = MANIFEST["files"][name]
    result = decode(FIXTURES / name)
    assert result.path == str(FIXTURES / name)
    assert result.n_channels == expected["channels"]
    assert result.sample_rate == expected["sample_rate"]
    # Codecs pad or trim a few frames (AMR 20 ms, AAC/Opus priming); 50 ms is far below a word.
    assert result.duration == pytest.approx(expected["duration"], abs=0.05)
    for _, samples in result.channels:
        assert samples.dtype == np.float32
        assert len(samples) == pytest.approx(result.duration * SAMPLE_RATE, abs=1)
        assert np.sqrt(np.mean(samples**2)) > 0.01  # real sound, not zeros


def _loudness_by_line(samples, lines):
    """RMS of ``samples`` during each dialogue line."""
    return [
        float(np.sqrt(np.mean(samples[int(line["start"] * SAMPLE_RATE) : int(line["end"] * SAMPLE_RATE)] ** 2)))
        for line in lines
    ]


@pytest.mark.parametrize("name", [n for n in GOOD_FILES if MANIFEST["files"][n]["channels"] == 2])
def test_stereo_gives_agent_left_and_customer_right(name):
    lines = MANIFEST["dialogues"][MANIFEST["files"][name]["dialogue"]]["lines"]
    result = decode(FIXTURES / name)
    assert [role for role, _ in result.channels] == ["agent", "customer"]
    for role, samples in result.channels:
        for line, level in zip(lines, _loudness_by_line(samples, lines)):
            if line["speaker"] == role:
                assert level > 0.02, (role, line["text"])
            else:
                assert level < 0.005, (role, line["text"])  # the other party's turn is silent here


def test_customer_agent_mode_swaps_the_sides():
    path = FIXTURES / "violation_stereo_16k.wav"
    normal = dict(decode(path).channels)
    swapped = dict(decode(path, channel_mode="customer-agent").channels)
    np.testing.assert_array_equal(swapped["agent"], normal["customer"])
    np.testing.assert_array_equal(swapped["customer"], normal["agent"])


def test_mono_mode_mixes_both_sides_into_one_unknown_channel():
    path = FIXTURES / "violation_stereo_16k.wav"
    sides = dict(decode(path).channels)
    result = decode(path, channel_mode="mono")
    assert [role for role, _ in result.channels] == ["unknown"]
    assert result.n_channels == 2
    np.testing.assert_allclose(result.channels[0][1], (sides["agent"] + sides["customer"]) / 2, atol=1e-6)


@pytest.mark.parametrize("mode", ["agent-customer", "customer-agent", "mono"])
def test_mono_file_is_one_unknown_channel_whatever_the_mode(mode):
    result = decode(FIXTURES / "violation_mono_8k_alaw.wav", channel_mode=mode)
    assert [role for role, _ in result.channels] == ["unknown"]


def test_unknown_channel_mode_is_refused():
    with pytest.raises(ValueError, match="channel mode"):
        decode(FIXTURES / "violation_stereo_16k.wav", channel_mode="left-right")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("broken_empty.wav", "empty file"),
        ("broken_truncated.mp3", "not an audio file: Invalid data"),
        ("broken_text.wav", "not an audio file: Invalid data"),
        ("broken_header_only.wav", "no audio samples"),
        ("missing.wav", "no such file"),
    ],
)
def test_broken_files_raise_audio_error_naming_the_file(name, reason):
    with pytest.raises(AudioError) as error:
        decode(FIXTURES / name)
    assert str(error.value).startswith(f"{FIXTURES / name}: ")
    assert reason in str(error.value)


def test_file_without_audio_stream_is_not_audio(tmp_path):
    image = tmp_path / "cover.wav"
    subprocess.run(
        [
            audio.ffmpeg_binary(),
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=16x16",
            "-frames:v",
            "1",
            "-f",
            "image2",
            "-c:v",
            "png",
            str(image),
        ],
        check=True,
    )
    with pytest.raises(AudioError, match="no audio stream"):
        decode(image)


def test_amr_nb_is_decoded_with_libopencore_when_a_binary_has_it():
    binary, options = audio._decoder_for("amr_nb")
    assert options == {"acodec": "libopencore_amrnb"}
    assert "libopencore_amrnb" in audio._decoders(binary)
    assert audio._decoder_for("mp3") == (audio.ffmpeg_binary(), {})


def test_amr_nb_falls_back_to_the_built_in_decoder(monkeypatch):
    monkeypatch.setattr(audio, "_decoders", lambda binary: frozenset({"amrnb"}))
    assert audio._decoder_for("amr_nb") == (audio.ffmpeg_binary(), {})


def test_ffmpeg_binary_prefers_path(monkeypatch, tmp_path):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert audio.ffmpeg_binary() == str(fake)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert Path(audio.ffmpeg_binary()).is_file()  # imageio-ffmpeg's binary


@pytest.mark.parametrize("rate", [8000, 44100, 48000])
def test_other_rates_are_resampled_to_16k(tmp_path, rate):
    path = tmp_path / f"tone_{rate}.wav"
    seconds = 1.5
    t = np.arange(int(seconds * rate)) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440 * t) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(tone.tobytes())
    result = decode(path)
    assert result.sample_rate == rate
    assert result.duration == pytest.approx(seconds, abs=0.01)
    # The 440 Hz tone survives resampling: its spectrum peaks at 440 Hz.
    samples = result.channels[0][1]
    peak = np.argmax(np.abs(np.fft.rfft(samples))) * SAMPLE_RATE / len(samples)
    assert peak == pytest.approx(440, abs=2)


def test_file_name_that_looks_like_a_protocol_is_read_as_a_file(tmp_path):
    path = tmp_path / "rtp:call 10:15.wav"
    path.write_bytes((FIXTURES / "violation_mono_8k_alaw.wav").read_bytes())
    expected = MANIFEST["files"]["violation_mono_8k_alaw.wav"]["duration"]
    assert decode(path).duration == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize("name", ["violation_stereo_16k.wav", "violation_mono_8k_amrnb.amr"])
def test_blocks_of_a_recording_are_the_recording_in_order(name):
    whole = decode(FIXTURES / name)
    blocks = list(decode_blocks(FIXTURES / name, seconds=4))
    assert [b.offset for b in blocks] == [4.0 * i for i in range(len(blocks))]
    assert all(b.duration == 4.0 for b in blocks[:-1]) and 0 < blocks[-1].duration <= 4.0
    for i, (role, samples) in enumerate(whole.channels):
        assert [b.channels[i][0] for b in blocks] == [role] * len(blocks)
        assert np.array_equal(np.concatenate([b.channels[i][1] for b in blocks]), samples)


def test_blocks_of_a_file_that_is_no_audio_fail_at_once(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("not audio")
    with pytest.raises(AudioError, match="not an audio file"):
        decode_blocks(path)


@pytest.mark.parametrize("seconds, last", [(130, [False, False, True]), (120, [False, True])])
def test_a_block_knows_it_is_the_last_having_read_only_ten_seconds_past_its_end(tmp_path, seconds, last):
    import tracemalloc

    path = tmp_path / "long.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(SAMPLE_RATE)
        out.writeframes(np.zeros(seconds * SAMPLE_RATE, np.int16).tobytes())
    tracemalloc.start()
    try:
        blocks = decode_blocks(path, seconds=60)
        first = next(blocks)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert [first.last, *(block.last for block in blocks)] == last
    # The block and ffmpeg's next 10 s read (its bytes and their samples), not the next block.
    assert held < 1.5 * 60 * SAMPLE_RATE * 4


def test_a_block_handed_on_is_its_samples_held_once(tmp_path):
    import tracemalloc

    path = tmp_path / "long.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(SAMPLE_RATE)
        out.writeframes(np.zeros(130 * SAMPLE_RATE, np.int16).tobytes())
    block_bytes = 60 * SAMPLE_RATE * 4
    tracemalloc.start()
    try:
        blocks = decode_blocks(path, seconds=60)
        first, second = next(blocks), next(blocks)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert first.duration == second.duration == 60.0
    # The two blocks (and ffmpeg's last 10 s read), not their frames as read as well.
    assert held < 2.5 * block_bytes
