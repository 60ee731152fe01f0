"""The benchmarks' recognition scores: short lines scored alone."""

from benchmarks.recognition_scores import Tally, findings_kept, heard_during
from pipeline.calls import Finding


def line(speaker, text, start, end):
    return {"speaker": speaker, "text": text, "start": start, "end": end}


REFERENCE = [
    line("agent", "您好，请问是李娜女士吗？", 0.4, 2.4),
    line("customer", "是我，什么事？", 3.6, 4.7),
    line("agent", "李女士您好，我是华信资产管理公司的客服，受安易贷委托联系您。", 5.9, 12.0),
    line("customer", "好的，你说。", 13.0, 14.0),
]


def test_a_short_line_is_what_its_speaker_said_while_it_was_said():
    heard = [line("agent", "您好请问是李娜女是吗", 0.4, 2.4), line("customer", "指握什么事？", 3.6, 4.6)]
    assert heard_during(REFERENCE[1], heard) == "指握什么事"
    assert heard_during(REFERENCE[3], heard) == ""  # nothing heard then: missed


def test_short_lines_are_counted_exact_or_by_their_errors():
    heard = [
        line("agent", "您好，请问是李娜女是吗？", 0.4, 2.4),
        line("customer", "指握什么事？", 3.6, 4.6),
        line("agent", "李女士您好，我是华信资产管理公司的客服，受安易贷委托联系您。", 5.9, 12.0),
        line("customer", "好的，你说。", 13.0, 14.0),
    ]
    tally = Tally()
    tally.add(REFERENCE, heard)
    # Two short lines (the agent's are longer than eight characters): one exact, one with two errors.
    assert (tally.short_lines, tally.short_exact, tally.short_errors, tally.short_length) == (2, 1, 2, 9)
    assert tally.short().endswith("heard exactly 1/2, CER 0.222")


def test_a_line_no_segment_covers_is_counted_lost_whoever_the_segments_are_given_to():
    heard = [line("unknown", "您好请问是李娜女是吗指握什么事", 0.4, 4.6), line("unknown", "好的你说", 13.2, 13.8)]
    tally = Tally()
    tally.add(REFERENCE, heard)
    assert (tally.unheard, tally.lines) == (1, 4)  # the agent's long line, 5.9-12.0
    assert tally.cer("agent") == 1.0  # a mono call's segments are nobody's
    # In time order, speakers ignored: the long line's 27 characters missing, 士 and 是我 misheard.
    assert tally.merged_cer() == 30 / 46


def finding(category, start, end, segment_index=0):
    return Finding("c", category, "high", 0.9, start, end, "agent", segment_index, "", [], "rule", "")


def test_a_line_finding_is_kept_when_the_audio_flags_its_category_at_that_time():
    text = [[finding("threat", 0.4, 2.4), finding("threat", 5.9, 12.0), finding("missing_disclosure", 0, 0, None)]]
    heard = [
        [finding("threat", 0.3, 2.5), finding("exaggeration", 5.9, 12.0), finding("missing_disclosure", 0, 0, None)]
    ]
    # the second threat line was heard as another category; call-level findings are not lines
    assert findings_kept(text, heard) == {"threat": (1, 2)}


def _calls(n_each: int, missed_by_audio: int):
    """``n_each`` calls per category of two plus clean ones; the audio misses ``missed_by_audio``
    threat calls the text flags."""
    labels = [{"threat"}] * n_each + [{"exaggeration"}] * n_each + [set()] * n_each
    text = [set(ls) for ls in labels]
    audio = [set(ls) for ls in labels]
    for i in range(missed_by_audio):
        audio[i] = set()
    return labels, text, audio


def test_the_macro_f1_of_the_bootstrap_scores_as_evaluate_does():
    from benchmarks.recognition_scores import macro_f1

    labels, text, audio = _calls(4, 2)
    everyone = list(range(len(labels)))
    assert macro_f1(labels, text, ("threat", "exaggeration"), everyone) == 1.0
    # threat: P 1, R 0.5, F1 2/3; exaggeration 1; impersonation neither labelled nor flagged: 0.
    assert abs(macro_f1(labels, audio, ("threat", "exaggeration"), everyone) - (2 / 3 + 1) / 2) < 1e-9
    assert abs(macro_f1(labels, audio, ("threat", "exaggeration", "impersonation"), everyone) - (2 / 3 + 1) / 3) < 1e-9
    assert macro_f1(labels, text, ("threat",), [0, 0, 0]) == 1.0  # repeats allowed


def test_the_bootstrap_interval_is_fixed_by_its_seed_and_brackets_the_loss():
    from benchmarks.recognition_scores import bootstrap_loss

    categories = ("threat", "exaggeration")
    labels, text, audio = _calls(8, 3)
    spread = bootstrap_loss(labels, text, audio, categories, rounds=500)
    assert spread == bootstrap_loss(labels, text, audio, categories, rounds=500), "same seed, same interval"
    assert spread != bootstrap_loss(labels, text, audio, categories, rounds=500, seed=7)
    point = 1.0 - (2 * 5 / 8 / (1 + 5 / 8) + 1) / 2  # threat R 5/8
    assert spread.low <= point <= spread.high
    assert spread.low < spread.median < spread.high
    assert 0 <= spread.under <= 1 and spread.audio_low <= 1 - point <= spread.audio_high


def test_no_loss_has_no_spread():
    from benchmarks.recognition_scores import bootstrap_loss

    labels, text, audio = _calls(5, 0)
    spread = bootstrap_loss(labels, text, audio, ("threat", "exaggeration"), rounds=200)
    assert spread.low == spread.high == spread.median == 0.0 and spread.under == 1.0


def test_a_mono_scan_is_scored_without_speakers_and_says_so():
    from benchmarks.end_to_end import recognition_line

    reference = [line("agent", "您的借款已经逾期了。", 0.4, 3.0), line("customer", "是我，什么事？", 3.6, 4.7)]
    mono = [line("unknown", "您的借款已经逾期了。是我，什么事？", 0.4, 4.7)]
    tally = Tally()
    tally.add(reference, mono)
    assert tally.merged_cer() == 0.0 and tally.recall() == 1.0, "domain words count a mono call's segments"
    assert tally.unheard == 0
    printed = recognition_line(tally, mono=True)
    assert "n/a" in printed and "agent" not in printed and "short lines (" not in printed
    assert "CER, speakers ignored, 0.000" in printed and "domain words heard 1.00" in printed
    stereo = Tally()
    stereo.add(reference, reference)
    assert "agent 0.000" in recognition_line(stereo, mono=False)
