import dataclasses
import json
import re
import types
from pathlib import Path

import numpy as np
import pytest

from pipeline.audio import SAMPLE_RATE, decode
from pipeline.calls import Segment
from pipeline.config import ConfigError, load_config
from pipeline.text import to_simplified
from pipeline.transcribe import (
    TranscribeSettings,
    compression_ratio,
    cut_repeats,
    drop_hallucinations,
    hallucination_reason,
    is_known_hallucination,
    pack_windows,
    rms_dbfs,
    speech_regions,
    split_at_turns,
    whisper_reason,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "audio"
SETTINGS = TranscribeSettings()


def tone(seconds: float, amplitude: float = 0.1) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def segment(text, start=0.0, end=1.0):
    return Segment(start=start, end=end, speaker="agent", text=text, confidence=0.7)


LOUD = tone(10.0)


# --- repetition loops ---------------------------------------------------------------------


def test_repeats_beyond_the_limit_are_cut():
    assert cut_repeats("好的好的好的好的好的好的", 3) == "好的好的好的"
    assert cut_repeats("你还钱。你还钱。你还钱。你还钱。你还钱。", 3) == "你还钱。你还钱。你还钱。"
    assert cut_repeats("我是法院的" + "啊" * 20, 3) == "我是法院的啊啊啊"


def test_ordinary_speech_and_allowed_repeats_are_untouched():
    for text in ("对对对，我知道了。", "您好，我是某某金融公司的客服。", "谢谢，谢谢。"):
        assert cut_repeats(text, 3) == text
    assert cut_repeats("对对对对", 3) == "对对对"  # a fourth repeat is past the limit


def test_compression_ratio_tells_a_loop_from_speech():
    speech = "您好，我是某某金融公司的客服，工号一二三，您的账单已经逾期三天了。"
    loop = "我们会联系你的家人和单位，请你尽快处理这笔欠款，否则后果自负。" * 5
    assert compression_ratio(speech) < SETTINGS.compression_ratio_max
    assert compression_ratio(loop) > SETTINGS.compression_ratio_max
    assert compression_ratio("") == 0.0


def test_long_loop_that_cut_repeats_cannot_shorten_is_dropped():
    # A 32-character phrase (longer than cut_repeats looks for) looping five times.
    loop = "我们会联系你的家人和单位，请你尽快处理这笔欠款，否则后果自负。" * 5
    assert cut_repeats(loop, 3) == loop
    assert "repetition loop" in hallucination_reason(segment(loop, 0, 9), LOUD, SETTINGS)


def test_short_loop_is_cut_and_kept():
    kept = drop_hallucinations([segment("还钱" * 30, 0, 5)], LOUD, SETTINGS)
    assert [s.text for s in kept] == ["还钱还钱还钱"]


def test_same_text_in_many_segments_in_a_row_is_a_loop():
    heard = [segment("我心里想不到", i, i + 1.0) for i in range(6)] + [segment("喂？", 6, 7)]
    kept = drop_hallucinations(heard, LOUD, SETTINGS)
    assert [s.text for s in kept] == ["我心里想不到"] * 3 + ["喂？"]
    kept = drop_hallucinations([segment("喂？", i, i + 1.0) for i in range(3)], LOUD, SETTINGS)
    assert len(kept) == 3  # up to max_repeats is ordinary (a caller saying hello on a bad line)


def test_a_line_said_again_in_each_of_a_partys_turns_is_not_a_loop():
    # The customer says the same line in four turns, the agent speaking in between (at 2.0, 4.5
    # and 7.0 s): all four are kept. Without the other party between them, the fourth is a loop.
    heard = [segment("我最近没钱。", t, t + 1.5) for t in (0.0, 2.5, 5.0, 7.5)]
    assert len(drop_hallucinations(heard, LOUD, SETTINGS, others=[2.0, 4.5, 7.0])) == 4
    assert len(drop_hallucinations(heard, LOUD, SETTINGS, others=[9.5])) == 3


# --- Whisper's own figures, on Whisper's segments ---------------------------------------------


@pytest.mark.parametrize(
    "no_speech_prob, avg_logprob, dropped",
    [
        (0.9, -1.5, True),  # probably silence and decoded with little confidence
        (0.9, -0.3, False),  # Whisper doubts there is speech but read it confidently
        (0.2, -1.5, False),  # speech, poorly understood: keep it for the reviewer
        (0.6, -1.0, False),  # at the thresholds: kept
    ],
)
def test_no_speech_drop_needs_both_signals(no_speech_prob, avg_logprob, dropped):
    piece = FakePiece("嗯，那个", [], avg_logprob=avg_logprob, no_speech_prob=no_speech_prob)
    reason = whisper_reason(piece, SETTINGS)
    assert (reason is not None and "not speech" in reason) is dropped


def test_a_looping_whisper_segment_is_dropped_before_it_is_cut():
    loop = "我们会联系你的家人和单位，请你尽快处理这笔欠款，否则后果自负。" * 5
    assert "repetition loop" in whisper_reason(FakePiece(loop, []), SETTINGS)
    assert whisper_reason(FakePiece("您好，我是华信资产的客服。", []), SETTINGS) is None


def test_segments_without_a_confidence_are_judged_on_the_rest():
    seg = Segment(start=0, end=1, speaker="agent", text="你好")  # a vendor transcript's segment
    assert hallucination_reason(seg, LOUD, SETTINGS) is None


# --- text over silence -----------------------------------------------------------------------


def test_text_over_silence_is_dropped():
    samples = np.concatenate([tone(2.0), np.zeros(2 * SAMPLE_RATE, np.float32), tone(2.0)])
    kept = drop_hallucinations(
        [segment("我是法院的", 0.0, 2.0), segment("谢谢大家", 2.1, 3.9), segment("你好", 4.0, 6.0)],
        samples,
        SETTINGS,
    )
    assert [s.text for s in kept] == ["我是法院的", "你好"]


def test_faint_noise_is_silence_and_quiet_speech_is_not():
    rng = np.random.default_rng(0)
    hiss = (rng.standard_normal(SAMPLE_RATE) * 10 ** (-60 / 20)).astype(np.float32)
    assert rms_dbfs(hiss) == pytest.approx(-60, abs=1)
    assert "silence" in hallucination_reason(segment("嗯", 0, 1), hiss, SETTINGS)
    quiet = tone(1.0, amplitude=10 ** (-40 / 20))  # a soft voice on a poor line: -43 dBFS RMS
    assert hallucination_reason(segment("嗯", 0, 1), quiet, SETTINGS) is None


def test_segment_beyond_the_audio_is_text_over_nothing():
    assert "silence" in hallucination_reason(segment("好的", 20.0, 21.0), LOUD, SETTINGS)


# --- known subtitle-credit hallucinations ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "字幕由Amara.org社区提供",
        "小編字幕由Amara.org社區提供",
        "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目",
        "請不吝點贊訂閱轉發打賞支持明鏡與點點欄目",
        "优优独播剧场——YoYo Television Series Exclusive",
        "yoyo television series exclusive",
        "谢谢观看!",
    ],
)
def test_known_hallucinations_are_recognised(text):
    assert is_known_hallucination(text)
    assert hallucination_reason(segment(text), LOUD, SETTINGS) == "known subtitle-credit hallucination"


@pytest.mark.parametrize("text", ["谢谢您的配合。", "我是法院的。", "请您订阅我们的短信提醒。", "字幕"])
def test_ordinary_sentences_are_not_known_hallucinations(text):
    assert not is_known_hallucination(text)


def test_empty_and_punctuation_only_segments_are_dropped():
    kept = drop_hallucinations([segment("。。"), segment(" "), segment("好")], LOUD, SETTINGS)
    assert [s.text for s in kept] == ["好"]


def test_thresholds_come_from_the_settings():
    strict = TranscribeSettings(min_rms_dbfs=-10.0)
    assert "silence" in hallucination_reason(segment("你好"), LOUD, strict)  # LOUD is -23 dBFS
    assert hallucination_reason(segment("你好"), LOUD, SETTINGS) is None


# --- settings and speech regions -----------------------------------------------------------------


def test_settings_come_from_the_config_file_with_overrides():
    config = load_config()
    settings = TranscribeSettings.from_config(config, beam_size=2, model=None)
    assert settings.beam_size == 2
    assert settings.model is None
    assert settings.language == config["transcription"]["language"]
    assert settings.min_rms_dbfs == config["transcription"]["min_rms_dbfs"]


def test_unknown_transcription_setting_is_refused():
    with pytest.raises(ConfigError, match="beam_szie"):
        TranscribeSettings.from_config({"transcription": {"beam_szie": 3}})


def test_speech_regions_follow_the_turns_of_one_channel():
    audio = decode(FIXTURES / "violation_stereo_16k.wav")
    manifest = json.loads((FIXTURES / "fixtures.json").read_text(encoding="utf-8"))
    lines = manifest["dialogues"]["violation"]["lines"]
    for role, samples in audio.channels:
        regions = speech_regions(samples, vad=True)
        turns = [(line["start"], line["end"]) for line in lines if line["speaker"] == role]
        assert len(regions) == len(turns)
        for (start, end), (turn_start, turn_end) in zip(regions, turns):
            assert start == pytest.approx(turn_start, abs=0.5)
            assert end == pytest.approx(turn_end, abs=0.5)


def test_without_vad_the_channel_is_read_in_whisper_windows():
    assert speech_regions(np.zeros(70 * SAMPLE_RATE, np.float32), vad=False) == [
        (0.0, 30.0),
        (30.0, 60.0),
        (60.0, 70.0),
    ]


def test_silent_channel_has_no_speech_regions():
    assert speech_regions(np.zeros(5 * SAMPLE_RATE, np.float32), vad=True) == []


# --- windows and turns ------------------------------------------------------------------------------

AGENT = [(0.0, 3.0), (4.5, 8.0), (12.0, 15.0), (16.5, 20.0)]
CUSTOMER = [(8.5, 11.5)]  # between the agent's second and third regions


def stereo(**packing):
    (window,) = pack_windows([("agent", AGENT), ("customer", CUSTOMER)], duration=21.0, max_pause=1.0, **packing)
    return window


def test_both_parties_regions_are_laid_end_to_end_in_time_order_with_pauses_shortened():
    window = stereo()
    assert [(p.speaker, p.speech) for p in window.pieces] == [
        ("agent", (0.0, 3.0)),
        ("agent", (4.5, 8.0)),
        ("customer", (8.5, 11.5)),
        ("agent", (12.0, 15.0)),
        ("agent", (16.5, 20.0)),
    ]
    # A pause of 1.5 s keeps its first second; the next region on the channel or the call's end
    # closes it (the customer's pause runs to the end of the call: only its first second).
    assert [p.end for p in window.pieces] == [4.0, 9.0, 12.5, 16.0, 21.0]
    assert [p.at for p in window.pieces] == pytest.approx([0.0, 4.0, 8.5, 12.5, 16.5])
    assert window.length == pytest.approx(21.0)
    # Turns change with the speaker.
    assert [p.turn for p in window.pieces] == [0, 0, 1, 2, 2]


def test_a_window_holds_at_most_thirty_seconds_of_speech():
    regions = [(t, t + 8.0) for t in range(0, 100, 10)]
    windows = pack_windows([("agent", regions), ("customer", [])], duration=100.0)
    assert [len(w.pieces) for w in windows] == [3, 3, 3, 1]
    assert all(w.length <= 30.0 for w in windows)
    assert [p.speech for w in windows for p in w.pieces] == regions


def test_on_a_mono_call_every_region_is_a_turn():
    (window,) = pack_windows([("unknown", AGENT)], duration=21.0)
    assert [p.turn for p in window.pieces] == [0, 1, 2, 3]
    assert [p.turn for p in stereo(every_region_a_turn=True).pieces] == [0, 1, 2, 3, 4]


def test_window_times_map_back_to_their_channel_and_onto_speech():
    window = stereo()
    first, second = window.pieces[:2]
    assert window.piece_of(0.5, 1.0) is first
    assert window.to_channel(1.0, first) == pytest.approx(1.0)
    assert window.to_channel(5.0, second) == pytest.approx(5.5)  # 1.0 s into the second region
    # 3.1-3.5 is in the shortened pause after the first region (3.0-4.0), nearer its speech: the
    # word is the first region's, its end moved back onto the speech; a start in that pause is
    # moved onto the next region's speech.
    assert window.piece_of(3.1, 3.5) is first
    assert window.to_channel(3.5, first) == pytest.approx(3.0)
    assert window.to_channel(3.5, second) == pytest.approx(4.5)
    # A word across the pause belongs where most of it was said.
    assert window.piece_of(3.8, 4.9) is second


@dataclasses.dataclass
class FakeWord:
    start: float
    end: float
    word: str


@dataclasses.dataclass
class FakePiece:
    text: str
    words: list
    avg_logprob: float = -0.2
    no_speech_prob: float = 0.01
    start: float = 0.0
    end: float = 1.0


def test_a_whisper_segment_across_turns_is_cut_there_each_part_on_its_speakers_channel():
    window = stereo()
    words = [
        FakeWord(5.0, 6.0, "你"),
        FakeWord(6.0, 7.5, "欠钱"),
        FakeWord(8.6, 9.4, "没钱"),  # the customer's region: window 8.5-11.5
        FakeWord(12.6, 13.0, "今天"),
        FakeWord(13.0, 13.4, "还"),
    ]
    segments = split_at_turns(FakePiece("你欠钱没钱今天还", words), window)
    assert [(piece.channel, s.speaker, s.text) for piece, s in segments] == [
        (0, "agent", "你欠钱"),
        (1, "customer", "没钱"),
        (0, "agent", "今天还"),
    ]
    (_, agent), (_, customer), (_, later) = segments
    assert (agent.start, agent.end) == (pytest.approx(5.5), pytest.approx(8.0))
    assert (customer.start, customer.end) == (pytest.approx(8.6), pytest.approx(9.4))
    assert (later.start, later.end) == (pytest.approx(12.1), pytest.approx(12.9))
    assert agent.confidence == pytest.approx(0.819, abs=1e-3)  # exp(avg_logprob)


def test_a_segment_within_one_turn_stays_whole():
    words = [FakeWord(0.5, 1.0, "喂"), FakeWord(1.0, 2.9, "您好"), FakeWord(4.0, 5.0, "我是")]
    ((piece, segment),) = split_at_turns(FakePiece("喂您好我是", words), stereo())
    # one segment; recognised with no punctuation, it gets its clause breaks back (text.normalize_spacing)
    assert (piece.channel, segment.start, segment.end, segment.text) == (0, 0.5, 5.5, "喂，您好，我是")


# --- the real model ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [0, 8], ids=["sequential", "batched"])
def test_bundled_model_transcribes_a_stereo_call(batch_size, tmp_path_factory, monkeypatch):
    from pipeline.transcribe import load_transcriber

    monkeypatch.setenv("CALLQA_CACHE", str(tmp_path_factory.getbasetemp() / "model-cache"))
    audio = decode(FIXTURES / "violation_stereo_16k.wav")
    transcriber = load_transcriber(TranscribeSettings(cpu_threads=2, batch_size=batch_size))
    assert transcriber.model_name == "whisper-base (bundled)"

    segments = transcriber.transcribe(audio)

    assert {s.speaker for s in segments} == {"agent", "customer"}
    assert [s.start for s in segments] == sorted(s.start for s in segments)
    for s in segments:
        assert 0 <= s.start < s.end <= audio.duration + 0.5
        assert re.search(r"[\u4e00-\u9fff]", s.text), s.text
        assert to_simplified(s.text) == s.text
        assert 0 < s.confidence <= 1
    # The agent's second turn claims to be from the court; the customer speaks only on her side.
    manifest = json.loads((FIXTURES / "fixtures.json").read_text(encoding="utf-8"))
    lines = manifest["dialogues"]["violation"]["lines"]
    court = next(line for line in lines if "法院" in line["text"])
    heard = [s for s in segments if s.speaker == "agent" and s.start < court["end"] and s.end > court["start"]]
    assert heard and abs(heard[0].start - court["start"]) < 0.5
    assert "法院" in "".join(s.text for s in heard)
    first_customer = next(line for line in lines if line["speaker"] == "customer")
    assert next(s for s in segments if s.speaker == "customer").start > first_customer["start"] - 0.5


@pytest.mark.slow
def test_every_turn_of_a_planted_call_is_heard_on_its_speaker(tmp_path_factory, monkeypatch):
    # The planted call of the acoustics tests: each party says one line again and again, the
    # other party cutting in; every turn is heard once, on its channel, within its planted span
    # (a line said in four turns is not a repetition loop).
    from test_acoustics import LINES, planted_call

    from pipeline.audio import Audio
    from pipeline.transcribe import load_transcriber

    monkeypatch.setenv("CALLQA_CACHE", str(tmp_path_factory.getbasetemp() / "model-cache"))
    channels, planted, duration = planted_call()
    audio = Audio("planted.wav", channels, duration, 2, SAMPLE_RATE)
    segments = load_transcriber(TranscribeSettings(cpu_threads=2, batch_size=8)).transcribe(audio)
    said = {line["speaker"]: line["text"] for line in (LINES[2], LINES[3])}  # the planted lines
    for turn in planted:
        heard = [s for s in segments if s.start < turn.end and s.end > turn.start and s.speaker == turn.speaker]
        assert heard and all(turn.start - 0.6 < s.start and s.end < turn.end + 0.6 for s in heard), turn
        text = "".join(s.text for s in heard)
        assert sum(ch in text for ch in said[turn.speaker]) > 0.7 * len(said[turn.speaker]), (turn, text)
    assert all(any(s.start < t.end and s.end > t.start and s.speaker == t.speaker for t in planted) for s in segments)


# --- the command line ------------------------------------------------------------------------------


def test_transcribe_command_reports_a_bad_model_folder(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli

    result = CliRunner().invoke(cli, ["transcribe", "--model", str(tmp_path), str(FIXTURES / "clean_mono_44k.mp3")])
    assert result.exit_code == 1
    assert "lacks model.bin" in result.output


@pytest.mark.slow
def test_transcribe_command_prints_calls_and_reports_bad_files(tmp_path_factory, monkeypatch):
    from click.testing import CliRunner

    from pipeline.calls import call_from_json
    from pipeline.cli import cli

    monkeypatch.setenv("CALLQA_CACHE", str(tmp_path_factory.getbasetemp() / "model-cache"))
    broken = FIXTURES / "broken_text.wav"
    result = CliRunner().invoke(
        cli,
        [
            "transcribe",
            "--batch-size",
            "8",
            "--threads",
            "2",
            str(FIXTURES / "violation_mono_8k_amrnb.amr"),
            str(broken),
        ],
    )
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    call = call_from_json(json.loads(lines[0]))
    assert call.call_id == "violation_mono_8k_amrnb"
    assert call.segments and {s.speaker for s in call.segments} == {"unknown"}
    assert f"error: {broken}: not an audio file" in result.stderr


def test_model_folder_that_does_not_load_is_a_model_error(tmp_path):
    from pipeline.model import ModelError
    from pipeline.transcribe import load_transcriber

    (tmp_path / "model.bin").write_bytes(b"not a model")
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match=f"model {tmp_path}: cannot load it"):
        load_transcriber(TranscribeSettings(model=str(tmp_path)))


# --- what reaches faster-whisper ---------------------------------------------------------------


class FakeModel:
    """Stands in for faster-whisper's WhisperModel where the batched decoding reads it."""

    hf_tokenizer = None
    model = types.SimpleNamespace(is_multilingual=True)

    def feature_extractor(self, clip):
        return np.zeros((80, len(clip) // 160 + 1), np.float32)

    def encode(self, features):
        return features

    def find_alignment(self, tokenizer, text_tokens, encoder_output, num_frames):
        return [[] for _ in text_tokens]


class FakeBatched:
    """Stands in for faster-whisper's BatchedInferencePipeline: records each batch's features
    and options, hears nothing."""

    calls: list = []

    def __init__(self, model):
        pass

    def forward(self, features, tokenizer, metadata, options):
        FakeBatched.calls.append((features, options))
        return [[] for _ in metadata]


def fake_transcriber(monkeypatch, tmp_path, batched=None, **settings):
    import faster_whisper
    import faster_whisper.tokenizer
    import faster_whisper.transcribe

    import pipeline.transcribe as transcribe

    monkeypatch.setattr(faster_whisper, "WhisperModel", lambda *args, **kwargs: FakeModel())
    monkeypatch.setattr(faster_whisper, "BatchedInferencePipeline", batched or FakeBatched)
    monkeypatch.setattr(faster_whisper.tokenizer, "Tokenizer", lambda *args, **kwargs: None)
    monkeypatch.setattr(faster_whisper.transcribe, "get_suppressed_tokens", lambda tokenizer, tokens: tokens)
    monkeypatch.setattr(transcribe, "resolve_model", lambda path: tmp_path)
    monkeypatch.setattr(transcribe, "speech_regions", lambda samples, vad: [(0.5, 2.0)])
    FakeBatched.calls = []
    return transcribe.load_transcriber(TranscribeSettings(batch_size=8, **settings))


def stereo_call():
    from pipeline.audio import Audio

    return Audio("call.wav", [("agent", LOUD), ("customer", LOUD)], duration=10.0, n_channels=2, sample_rate=8000)


def test_the_domain_prompt_with_the_calls_institutions_reaches_faster_whisper(monkeypatch, tmp_path):
    transcriber = fake_transcriber(monkeypatch, tmp_path, domain_prompt=True, institutions=["华信资产管理有限公司"])
    transcriber.transcribe(stereo_call(), names=["安达商务咨询有限公司", None])
    prompt = FakeBatched.calls[0][1].initial_prompt
    assert prompt.startswith("安达商务咨询有限公司、华信资产管理有限公司、")
    for word in ("逾期", "还款", "欠款"):
        assert word in prompt
    for word in ("法院", "坐牢", "律师"):  # violation words are never primed
        assert word not in prompt
    assert to_simplified(prompt) == prompt
    assert FakeBatched.calls[0][1].hotwords is None


def test_own_prompt_and_hotwords_reach_faster_whisper_as_given(monkeypatch, tmp_path):
    transcriber = fake_transcriber(
        monkeypatch, tmp_path, initial_prompt="您好，这里是某某银行。", hotwords="某某银行 信用卡"
    )
    transcriber.transcribe(stereo_call(), names=["安达商务咨询有限公司"])
    assert FakeBatched.calls[0][1].initial_prompt == "您好，这里是某某银行。"
    assert FakeBatched.calls[0][1].hotwords == "某某银行 信用卡"


def test_the_names_prompt_is_the_calls_institution_names_alone(monkeypatch, tmp_path):
    transcriber = fake_transcriber(monkeypatch, tmp_path, names_prompt=True, institutions=["华信资产管理有限公司"])
    transcriber.transcribe(stereo_call(), names=["安达商务咨询有限公司", None, "华信资产管理有限公司"])
    assert FakeBatched.calls[0][1].initial_prompt == "安达商务咨询有限公司、华信资产管理有限公司。"
    fake_transcriber(monkeypatch, tmp_path, names_prompt=True).transcribe(stereo_call(), names=[None])
    assert FakeBatched.calls[0][1].initial_prompt is None  # no names, no prompt


def test_the_names_prompt_by_default_and_none_when_it_is_off(monkeypatch, tmp_path):
    fake_transcriber(monkeypatch, tmp_path).transcribe(stereo_call(), names=["安达商务咨询有限公司"])
    assert FakeBatched.calls[0][1].initial_prompt == "安达商务咨询有限公司。"
    fake_transcriber(monkeypatch, tmp_path, names_prompt=False).transcribe(
        stereo_call(), names=["安达商务咨询有限公司"]
    )
    assert FakeBatched.calls[0][1].initial_prompt is None


class EchoBatched(FakeBatched):
    """Hears the agent's 您好 (window 0.6-1.5 s) and the customer's reply (2.6-3.5 s: the
    customer's region is laid after the agent's, at 2.5 s); with a prompt, Whisper writes the
    prompt's name over the reply, without one it hears 是我."""

    reply_at = 2.6
    reply_length = 0.9

    def forward(self, features, tokenizer, metadata, options):
        FakeBatched.calls.append((features, options))
        reply = "安达商务" if options.initial_prompt or options.hotwords else "是我"
        words = [
            {"start": 0.6, "end": 1.5, "word": "您好", "probability": 0.9},
            {"start": self.reply_at, "end": self.reply_at + self.reply_length, "word": reply, "probability": 0.4},
        ]
        piece = {
            "start": 0.0,
            "end": 4.0,
            "text": "您好" + reply,
            "tokens": [],
            "avg_logprob": -0.3,
            "compression_ratio": 1.0,
            "no_speech_prob": 0.01,
            "words": words,
        }
        return [[piece] for _ in metadata]


def heard_texts(segments):
    return sorted((s.speaker, s.text) for s in segments)  # both regions start at 0.5 s on their channels


@pytest.mark.parametrize("prompt", [{}, {"names_prompt": False, "hotwords": "安达商务咨询有限公司"}])
def test_a_short_reply_that_writes_the_prompt_back_is_read_again_without_it(monkeypatch, tmp_path, prompt):
    transcriber = fake_transcriber(monkeypatch, tmp_path, batched=EchoBatched, **prompt)
    segments = transcriber.transcribe(stereo_call(), names=["安达商务咨询有限公司"])
    assert heard_texts(segments) == [("agent", "您好"), ("customer", "是我")]
    first, again = (options for _, options in FakeBatched.calls)
    assert (first.initial_prompt or first.hotwords) and (again.initial_prompt, again.hotwords) == (None, None)


def test_a_longer_turn_may_say_the_name_and_is_read_once(monkeypatch, tmp_path):
    import pipeline.transcribe as transcribe

    transcriber = fake_transcriber(monkeypatch, tmp_path, batched=EchoBatched)
    monkeypatch.setattr(transcribe, "speech_regions", lambda samples, vad: [(0.5, 3.0)])  # 2.5 s a turn
    monkeypatch.setattr(EchoBatched, "reply_at", 3.6)  # the customer's region laid at 3.5 s
    monkeypatch.setattr(EchoBatched, "reply_length", 2.0)  # the reply fills its region
    segments = transcriber.transcribe(stereo_call(), names=["安达商务咨询有限公司"])
    assert heard_texts(segments) == [("agent", "您好"), ("customer", "安达商务")]
    assert len(FakeBatched.calls) == 1


def test_no_second_reading_without_a_prompt_or_with_the_echo_check_off(monkeypatch, tmp_path):
    for settings in ({"names_prompt": False}, {"prompt_echo_turn": 0.0}):
        transcriber = fake_transcriber(monkeypatch, tmp_path, batched=EchoBatched, **settings)
        transcriber.transcribe(stereo_call(), names=["安达商务咨询有限公司"])
        assert len(FakeBatched.calls) == 1


# --- what Whisper skipped is read again --------------------------------------------------------


class EarlyStopBatched(FakeBatched):
    """Reads the first window it is given only up to ``stops_at`` s (window time) and stops, as
    Whisper does before a window's end; reads any later window to half a second before its end."""

    stops_at = 3.0
    durations: list = []

    def forward(self, features, tokenizer, metadata, options):
        FakeBatched.calls.append((features, options))
        outputs = []
        for meta in metadata:
            first = not EarlyStopBatched.durations
            EarlyStopBatched.durations.append(meta["duration"])
            text, end = ("前半句", self.stops_at) if first else ("后半句", meta["duration"] - 0.5)
            word = {"start": 0.1, "end": end, "word": text, "probability": 0.9}
            piece = {"start": 0.0, "end": end, "text": text, "tokens": [], "avg_logprob": -0.2}
            outputs.append([dict(piece, compression_ratio=1.0, no_speech_prob=0.01, words=[word])])
        return outputs


def mono_call():
    from pipeline.audio import Audio

    return Audio("call.mp3", [("unknown", LOUD)], duration=10.0, n_channels=1, sample_rate=8000)


def test_speech_left_unheard_after_a_windows_last_word_is_read_again_alone(monkeypatch, tmp_path):
    import pipeline.transcribe as transcribe

    transcriber = fake_transcriber(monkeypatch, tmp_path, batched=EarlyStopBatched)
    monkeypatch.setattr(transcribe, "speech_regions", lambda samples, vad: [(0.5, 9.0)])
    EarlyStopBatched.durations = []
    segments = transcriber.transcribe(mono_call())
    assert [(s.text, s.start, s.end) for s in segments] == [("前半句", 0.6, 3.5), ("后半句", 3.6, 9.0)]
    # The second window holds the region from the first reading's last word on (and its pause).
    assert EarlyStopBatched.durations == [pytest.approx(9.5), pytest.approx(6.5)]


def test_a_window_heard_to_its_speechs_end_is_read_once(monkeypatch, tmp_path):
    import pipeline.transcribe as transcribe

    transcriber = fake_transcriber(monkeypatch, tmp_path, batched=EarlyStopBatched)
    monkeypatch.setattr(transcribe, "speech_regions", lambda samples, vad: [(0.5, 9.0)])
    monkeypatch.setattr(EarlyStopBatched, "stops_at", 7.9)  # 0.6 s of the region after it: a pause
    EarlyStopBatched.durations = []
    assert [s.text for s in transcriber.transcribe(mono_call())] == ["前半句"]
    assert len(EarlyStopBatched.durations) == 1


def test_unheard_speech_is_a_region_without_words_or_a_long_stretch_of_one():
    from pipeline.transcribe import unheard

    regions = [(0.0, 10.0), (12.0, 12.5), (20.0, 25.0)]
    said = [segment("a", 0.0, 4.0), segment("b", 6.0, 9.5), segment("c", 20.5, 25.2)]
    # 4-6 s: two seconds skipped; 9.5-10 and 20-20.5: pauses and padding; 12-12.5 heard nothing.
    assert unheard(regions, said) == [(4.0, 6.0), (12.0, 12.5)]
    assert unheard(regions, said, least=0.4) == [(4.0, 6.0), (9.5, 10.0), (12.0, 12.5), (20.0, 20.5)]


def test_prompt_pieces_are_runs_of_three_characters_or_more_within_one_name():
    from pipeline.transcribe import prompt_pieces

    pieces = prompt_pieces("安达商务咨询有限公司、华信银行。")
    assert {"有限公司", "安达商", "华信银行", "信银行"} <= pieces
    assert "公司" not in pieces and "司华信" not in pieces  # two characters; across two names


def test_institutions_in_the_detection_settings_reach_the_transcription_settings():
    config = {"detection": {"institutions": ["某某银行"]}, "transcription": {"beam_size": 3}}
    assert TranscribeSettings.from_config(config).institutions == ["某某银行"]


def test_the_domain_prompt_reads_the_lexicon_folder_of_the_detection_settings(monkeypatch, tmp_path):
    lexicons = tmp_path / "my_lexicons"
    lexicons.mkdir()
    (lexicons / "dialogue.yaml").write_text("domain_words: [分期还款计划]\n", encoding="utf-8")
    settings = TranscribeSettings.from_config({"detection": {"lexicon_dir": str(lexicons)}})
    assert settings.lexicon_dir == lexicons
    transcriber = fake_transcriber(monkeypatch, tmp_path, domain_prompt=True, lexicon_dir=settings.lexicon_dir)
    transcriber.transcribe(stereo_call())
    prompt = FakeBatched.calls[0][1].initial_prompt
    assert "分期还款计划" in prompt and "欠款" not in prompt  # the shipped dialogue.yaml's words are not read


# --- homophone repair of stored text -------------------------------------------------------------


def test_sure_homophones_are_repaired_and_the_heard_text_kept():
    from pipeline.transcribe import repair_homophones

    heard = [segment("您在安易贷的借款已经预期四十五天了"), segment("我是发院的"), segment("这个结果在预期之内")]
    heard.append(segment("你那八千块已经一起三个月了"))
    debt, court, expectation, overdue = repair_homophones(heard, load_config())
    assert (debt.text, debt.raw_text) == ("您在安易贷的借款已经逾期四十五天了", "您在安易贷的借款已经预期四十五天了")
    assert (court.text, court.raw_text) == ("我是法院的", "我是发院的")  # 发院 is no word: sure anywhere
    # 预期 is a word of its own; with no talk of the debt around it, it stays as heard.
    assert (expectation.text, expectation.raw_text) == ("这个结果在预期之内", None)
    # 一起 is a word too, but only 逾期 is said before how long a debt is overdue
    assert (overdue.text, overdue.raw_text) == ("你那八千块已经逾期三个月了", "你那八千块已经一起三个月了")


def test_the_recording_notice_heard_as_camping_or_filming_is_stored_as_recorded():
    from pipeline.transcribe import repair_homophones

    heard = [segment("本次通话会露营，请问是张伟吗？"), segment("这通电话是全程录影的"), segment("周末去露营")]
    notice, whole, weekend = repair_homophones(heard, load_config())
    assert (notice.text, notice.raw_text) == ("本次通话会录音，请问是张伟吗？", "本次通话会露营，请问是张伟吗？")
    assert (whole.text, whole.raw_text) == ("这通电话是全程录音的", "这通电话是全程录影的")
    assert (weekend.text, weekend.raw_text) == ("周末去露营", None)  # no call said to be recorded


def test_stored_text_is_repaired_only_towards_the_lexicons_domain_words():
    from pipeline.transcribe import repair_homophones

    # Rightly heard lines that sound like words of the rules' cues (我借, 没法, 请楚): as heard.
    heard = [segment("我姐自己都困难，那笔借款我还不上"), segment("厂里三个月没发全工资了，欠款真还不了")]
    heard.append(segment("你自己借的钱自己清楚，九千六"))
    assert [s.raw_text for s in repair_homophones(heard, load_config())] == [None, None, None]


def test_stored_text_keeps_the_names_the_call_knows():
    from pipeline.calls import Call
    from pipeline.transcribe import repair_homophones

    heard = [segment("锦融客服提醒您，借款今天到期"), segment("已经预期两天了，借款要还")]
    # No name known: 锦融 (jin rong) is no word, so it is sure to be 金融.
    assert [s.text for s in repair_homophones(heard, load_config())][0] == "金融客服提醒您，借款今天到期"
    # The manifest names the lender (or the agency): its brand stays as heard, 预期 is still 逾期.
    call = Call("c1", [], agency="华信资产管理有限公司", extra={"lender": "锦融消费金融有限公司"})
    kept, repaired = repair_homophones(heard, load_config(), call)
    assert (kept.text, kept.raw_text) == ("锦融客服提醒您，借款今天到期", None)
    assert (repaired.text, repaired.raw_text) == ("已经逾期两天了，借款要还", "已经预期两天了，借款要还")


def test_a_turns_opening_wei_heard_as_wei_of_another_word_is_put_back():
    from pipeline.transcribe import repair_homophones

    def turn(speaker, text, start):
        return Segment(start=start, end=start + 2.0, speaker=speaker, text=text, confidence=0.7)

    heard = [
        turn("agent", "为，是张伟吗？", 0.0),
        turn("customer", "为什么打给我？", 2.5),  # 为什么 is a word: as heard
        turn("agent", "唯，您好，我是华信资产的", 5.0),
        turn("agent", "为这个事情", 7.1),  # the same turn goes on: not its opening
        turn("agent", "维持原来的方案", 10.0),  # 维持 is a word
    ]
    texts = [(s.text, s.raw_text) for s in repair_homophones(heard, load_config())]
    assert texts == [
        ("喂，是张伟吗？", "为，是张伟吗？"),
        ("为什么打给我？", None),
        ("喂，您好，我是华信资产的", "唯，您好，我是华信资产的"),
        ("为这个事情", None),
        ("维持原来的方案", None),
    ]


def test_stored_segments_hold_the_repaired_text_searchable_and_the_raw_text_beside(tmp_path, monkeypatch):
    import sqlite3

    from pipeline import store
    from pipeline.calls import Call, CallRecord
    from pipeline.transcribe import repair_homophones

    # A database made before raw_text existed gains the column when opened.
    old = sqlite3.connect(tmp_path / "qa.db")
    old.executescript(store.SCHEMA.replace("raw_text TEXT,", "-- (no raw_text yet)"))
    assert "raw_text" not in {row[1] for row in old.execute("PRAGMA table_info(segments)")}
    old.close()
    # Only raw_text's migration is pending: the columns later ALTER TABLEs add are in SCHEMA already.
    monkeypatch.setattr(
        store,
        "MIGRATIONS",
        store.MIGRATIONS[: store.MIGRATIONS.index("ALTER TABLE segments ADD COLUMN raw_text TEXT") + 1],
    )
    db = store.open_db(tmp_path / "qa.db")
    segments = repair_homophones([segment("您的借款已经预期三天了")], load_config())
    store.save_call(db, CallRecord(Call("c1", segments), "c1.wav", "sha-c1"))
    row = db.execute("SELECT text, raw_text FROM segments WHERE call_id = 'c1'").fetchone()
    assert row == ("您的借款已经逾期三天了", "您的借款已经预期三天了")
    assert [hit.call_id for hit in store.search_segments(db, "逾期")] == ["c1"]


def test_the_encoder_reads_the_windows_length_not_thirty_seconds(monkeypatch, tmp_path):
    # Both channels' regions (0.5-2.0 s each, with a second of pause): one window of 5 s, read
    # as 6 s of features, not 30.
    fake_transcriber(monkeypatch, tmp_path).transcribe(stereo_call())
    features, options = FakeBatched.calls[0]
    assert features.shape == (1, 80, 600)
    assert options.beam_size == 5 and options.word_timestamps and options.temperatures == [0.0]


@pytest.mark.parametrize(("seconds", "frames"), [(0.4, 200), (12.0, 1300), (12.3, 1400), (28.9, 3000), (29.9, 3000)])
def test_encoder_frames_are_whole_seconds_and_one_more_at_most_thirty(seconds, frames):
    from pipeline.transcribe import encoder_frames

    assert encoder_frames(seconds) == frames


# --- block by block ------------------------------------------------------------------------------


def test_speech_running_over_a_block_end_is_read_once_with_the_next_block(monkeypatch, tmp_path):
    from pipeline.audio import Audio
    from pipeline.transcribe import blocks_of

    said = [(2.0, 4.0), (8.5, 12.0), (19.0, 21.5), (25.0, 27.0)]  # two run over a 10 s block end
    samples = np.zeros(30 * SAMPLE_RATE, np.float32)
    for start, end in said:
        samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)] = 0.1
    transcriber = fake_transcriber(monkeypatch, tmp_path)
    monkeypatch.setattr("pipeline.transcribe.speech_regions", lambda samples, vad: regions_of(samples))
    read = []

    def heard(audio, regions, options):
        read.append([(audio.offset + start, audio.offset + end) for start, end in regions[0]])
        return [Segment(start, end, "unknown", "嗯", 0.9) for start, end in regions[0]]

    monkeypatch.setattr(transcriber, "_transcribe", heard)
    audio = Audio("long.wav", [("unknown", samples)], duration=30.0, n_channels=1, sample_rate=8000)
    stretches = list(transcriber.transcribe_blocks(blocks_of(audio, seconds=10)))

    assert read == [[(2.0, 4.0)], [(8.5, 12.0)], [(19.0, 21.5), (25.0, 27.0)]]
    segments = [s for _, heard in stretches for s in heard]
    assert [(round(s.start, 2), round(s.end, 2)) for s in segments] == said
    # Each stretch comes with the audio it was read from, placed in the recording.
    for stretch, heard in stretches:
        for s in heard:
            assert stretch.offset <= s.start < s.end <= stretch.offset + stretch.duration


def test_while_a_block_is_read_only_it_is_held_not_the_next(monkeypatch, tmp_path):
    import tracemalloc

    from pipeline.audio import Audio
    from pipeline.transcribe import blocks_of

    samples = np.zeros(40 * SAMPLE_RATE, np.float32)
    samples[int(9.5 * SAMPLE_RATE) : int(11 * SAMPLE_RATE)] = 0.1  # held over into the second block
    block_bytes = 10 * SAMPLE_RATE * 4
    transcriber = fake_transcriber(monkeypatch, tmp_path)
    monkeypatch.setattr("pipeline.transcribe.speech_regions", lambda samples, vad: regions_of(samples))
    held = []

    def heard(audio, regions, options):
        held.append(tracemalloc.get_traced_memory()[0])
        return []

    monkeypatch.setattr(transcriber, "_transcribe", heard)
    audio = Audio("long.wav", [("unknown", samples)], duration=40.0, n_channels=1, sample_rate=8000)
    # Each block its own samples, as decode_blocks reads them.
    blocks = (dataclasses.replace(b, channels=[(r, s.copy()) for r, s in b.channels]) for b in blocks_of(audio, 10))
    tracemalloc.start()
    try:
        for stretch, _ in transcriber.transcribe_blocks(blocks):
            del stretch
    finally:
        tracemalloc.stop()
    assert len(held) == 4
    # The block being read (with what was held over), not the one after it nor any before it.
    assert max(held) < 1.5 * block_bytes


def regions_of(samples):
    """Where ``samples`` are not silent, as (start, end) seconds: a voice-activity detector."""
    loud = np.flatnonzero(np.diff(np.concatenate([[0], (samples != 0).astype(np.int8), [0]])))
    return [(a / SAMPLE_RATE, b / SAMPLE_RATE) for a, b in zip(loud[::2], loud[1::2])]


def test_what_was_read_before_is_not_read_again():
    from pipeline.transcribe import unread

    assert unread([(1.0, 3.0), (4.0, 6.0), (7.0, 8.0)], 5.8) == [(7.0, 8.0)]  # 0.2 s left: dropped
    assert unread([(4.0, 7.0), (7.5, 8.0)], 5.0) == [(5.0, 7.0), (7.5, 8.0)]


def test_a_block_is_read_up_to_the_speech_that_runs_over_its_end():
    from pipeline.transcribe import held_over

    assert held_over([[(1.0, 3.0), (8.0, 9.8)], [(7.0, 8.5)]], 10.0) == 8.0
    assert held_over([[(1.0, 3.0)], []], 10.0) == 10.0  # nothing runs over: the whole block
    assert held_over([[(0.0, 10.0)]], 10.0) == 10.0  # one long region: read it now


def test_a_batch_is_encoded_a_few_windows_at_a_time_and_joined():
    import ctranslate2

    from pipeline.transcribe import encode_in_parts

    read = []

    def encode(features):
        read.append(len(features))
        return ctranslate2.StorageView.from_array(features * 2)

    features = np.arange(5 * 80 * 30, dtype=np.float32).reshape(5, 80, 30)
    joined = np.asarray(encode_in_parts(encode, features, at_once=2))

    assert read == [2, 2, 1]  # never the whole batch's attention matrices at once
    np.testing.assert_array_equal(joined, features * 2)
    read.clear()
    encode_in_parts(encode, features[0], at_once=2)  # one window (2-D): as it is
    assert read == [80]


def test_what_the_encoder_freed_is_handed_back_before_the_beam_search(monkeypatch):
    import ctranslate2

    from pipeline.transcribe import encode_in_parts

    steps = []
    monkeypatch.setattr("pipeline.transcribe.release_freed_memory", lambda: steps.append("release"))

    def encode(features):
        steps.append("encode")
        return ctranslate2.StorageView.from_array(features)

    encode_in_parts(encode, np.zeros((3, 80, 30), np.float32))
    assert steps == ["encode", "encode", "encode", "release"]  # one window at a time, then handed back


def fake_alignment(calls):
    """A stand-in for WhisperModel.find_alignment whose results depend on the batch as
    CTranslate2's do: on the padding of the tokens to the longest window's, and on whether the
    windows' encoder frames are all the same (a window's attention normalised over the padding)."""

    def find_alignment(tokenizer, text_tokens, encoder_output, num_frames):
        windows = np.asarray(encoder_output)[:, 0, 0].astype(int).tolist()
        calls.append(windows)
        padded = max(map(len, text_tokens))
        even = len({frames // 2 for frames in num_frames}) == 1
        return [(i, len(tokens), padded, even) for i, tokens in zip(windows, text_tokens)]

    return find_alignment


@pytest.mark.parametrize(
    ("num_frames", "groups"),
    [
        ([2900] * 5, [[2, 0], [2, 1], [2, 3], [2, 4]]),  # the same frames: any window with the longest
        ([2800, 2900, 2700, 2800, 2600], [[2, 0], [2, 1], [2, 3], [2, 4]]),  # each frames unlike the longest's
        ([2800, 2900, 2700, 2700, 2600], [[2, 0, 3], [2, 1], [2, 4]]),  # one like it, with one unlike
        ([2800, 2700, 2700, 2700, 2700], [[0, 1, 2, 3, 4]]),  # one unlike it: the whole batch at once
    ],
)
def test_a_batch_is_aligned_a_few_windows_at_a_time_each_as_in_the_whole_batch(monkeypatch, num_frames, groups):
    import ctranslate2

    from pipeline.transcribe import align_in_parts

    released = []
    monkeypatch.setattr("pipeline.transcribe.release_freed_memory", lambda: released.append(len(calls)))
    calls = []
    find_alignment = fake_alignment(calls)
    tokens = [[1] * n for n in (30, 80, 120, 20, 60)]  # the third window the longest
    windows = np.arange(5, dtype=np.float32).reshape(5, 1, 1) * np.ones((5, 4, 8), np.float32)
    encoder_output = ctranslate2.StorageView.from_array(windows)

    whole = find_alignment(None, tokens, encoder_output, num_frames)
    calls.clear()
    parts = align_in_parts(find_alignment, None, tokens, encoder_output, num_frames, at_once=2)

    assert parts == whole
    assert calls == groups
    assert released == [0]  # what the beam search freed is handed back before the alignment


@pytest.mark.slow
def test_the_encoder_reads_a_batch_in_parts_as_it_reads_it_whole(tmp_path_factory, monkeypatch):
    from pipeline.transcribe import load_transcriber

    monkeypatch.setenv("CALLQA_CACHE", str(tmp_path_factory.getbasetemp() / "model-cache"))
    model = load_transcriber(TranscribeSettings(cpu_threads=2, batch_size=8))._model
    samples = decode(FIXTURES / "violation_stereo_16k.wav").channels[0][1]
    features = np.stack([model.feature_extractor(samples[i * SAMPLE_RATE :][: 8 * SAMPLE_RATE]) for i in range(5)])

    whole = np.asarray(model.encode.args[0](features))  # the WhisperModel's own encode
    np.testing.assert_allclose(np.asarray(model.encode(features)), whole, atol=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("num_frames", [[800] * 4, [800, 700, 800, 600], [800, 800, 700, 600]])
def test_the_words_of_a_batch_are_aligned_in_parts_as_in_the_whole_batch(tmp_path_factory, monkeypatch, num_frames):
    from faster_whisper.tokenizer import Tokenizer

    from pipeline.transcribe import load_transcriber

    monkeypatch.setenv("CALLQA_CACHE", str(tmp_path_factory.getbasetemp() / "model-cache"))
    model = load_transcriber(TranscribeSettings(cpu_threads=2, batch_size=4))._model
    samples = decode(FIXTURES / "violation_stereo_16k.wav").channels[0][1]
    features = np.stack(
        [model.feature_extractor(samples[i * SAMPLE_RATE :][: 8 * SAMPLE_RATE])[..., :800] for i in range(4)]
    )
    encoder_output = model.encode(features)
    tokenizer = Tokenizer(model.hf_tokenizer, True, task="transcribe", language="zh")
    lines = [
        "您好，这里是某某金融公司。",
        "请问是张先生吗？您的借款已经逾期三十天了，今天需要还款。",
        "好的。",
        "我们会再联系您。",
    ]
    tokens = [tokenizer.encode(line) for line in lines]

    whole = model.find_alignment.args[0](tokenizer, tokens, encoder_output, num_frames)  # its own, whole
    assert model.find_alignment(tokenizer, tokens, encoder_output, num_frames) == whole
