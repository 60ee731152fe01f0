"""The end-to-end benchmark's draw of report-writer calls: by labels and length alone, fixed."""

from __future__ import annotations

from benchmarks.spoken_set import TUNE_SELECTION, Selection, audio_name, report_calls, select_calls, tune_calls

CORE = ("threat", "impersonation", "exaggeration", "missing_disclosure", "third_party_leak")


def make_call(n: int, writer: str, labels=(), chars: int = 100, variants=()) -> dict:
    return {
        "call_id": f"{writer}-{n:03d}",
        "writer": writer,
        "variants": list(variants),
        "labels": [{"category": c, "segment_index": None} for c in labels],
        "segments": [{"speaker": "agent", "text": "字" * chars, "start": 0.0, "end": 1.0}],
    }


def corpus() -> list[dict]:
    calls = []
    for writer in ("w6", "w7", "w11"):
        for n, category in enumerate(CORE * 4):
            calls.append(make_call(n, writer, [category]))
        calls += [make_call(100 + n, writer) for n in range(6)]
        calls += [make_call(200 + n, writer, ["recording_notice"]) for n in range(3)]
        calls.append(make_call(300, writer, ["threat"], variants=["asr_noise"]))
        calls.append(make_call(301, writer, ["threat"], variants=["mono"]))
        calls.append(make_call(302, writer, ["threat"], chars=500))
    return calls


def test_the_draw_fills_each_core_category_and_the_clean_calls_to_their_quota():
    chosen = select_calls(corpus(), CORE, Selection(per_category=3, clean=4, max_chars=240))
    labels = [{label["category"] for label in call["labels"]} for call in chosen]
    assert {c: sum(c in ls for ls in labels) for c in CORE} == dict.fromkeys(CORE, 3)
    assert sum(not ls for ls in labels) == 4
    assert len(chosen) == 19
    assert {call["writer"] for call in chosen} == {"w6", "w7", "w11"}, "writers take turns"


def test_the_draw_skips_variants_long_calls_and_calls_labelled_outside_the_core():
    chosen = select_calls(corpus(), CORE, Selection(per_category=20, clean=0, max_chars=240))
    ids = {call["call_id"] for call in chosen}
    assert not any(call_id.split("-")[1].startswith(("2", "3")) for call_id in ids)
    assert all(not call["variants"] and len(call["segments"][0]["text"]) <= 240 for call in chosen)
    assert len(chosen) == 3 * 20


def test_the_draw_is_fixed_by_its_seed():
    first = select_calls(corpus(), CORE, Selection(seed=1))
    assert [c["call_id"] for c in select_calls(corpus(), CORE, Selection(seed=1))] == [c["call_id"] for c in first]
    assert [c["call_id"] for c in select_calls(corpus(), CORE, Selection(seed=2))] != [c["call_id"] for c in first]


def test_spoken_audio_is_named_by_what_is_said():
    call = make_call(1, "w6")
    changed = make_call(1, "w6", chars=99)
    assert audio_name(call) == audio_name(make_call(1, "w6"))
    assert audio_name(call) != audio_name(changed)
    assert audio_name(call).startswith("w6-001-")


def test_the_tune_set_is_drawn_from_tune_writers_only_and_the_report_set_from_report_writers_only():
    # The tune set is read while the engine is shaped; the report set never is.
    assert not set(TUNE_SELECTION.writers) & set(Selection().writers)
    tune, report = tune_calls(), report_calls()
    assert {call["writer"] for call in tune} <= set(TUNE_SELECTION.writers)
    assert {call["writer"] for call in report} <= set(Selection().writers)
    assert 10 <= len(tune) <= 16


def _digest(calls: list[dict]) -> str:
    # The report set's ids are not written down anywhere a reader tunes from: a digest pins them.
    import hashlib

    return hashlib.sha256(",".join(sorted(c["call_id"] for c in calls)).encode()).hexdigest()[:16]


def _core_counts(calls: list[dict]) -> dict[str, int]:
    labels = [{label["category"] for label in call.get("labels") or []} for call in calls]
    counts = {c: sum(c in ls for ls in labels) for c in CORE}
    counts["clean"] = sum(not ls for ls in labels)
    return counts


def test_the_report_draw_takes_every_report_writer_and_honours_its_quota():
    from benchmarks.spoken_set import REPORT_WRITER_IDS, REPORT_WRITERS

    assert set(REPORT_WRITER_IDS) == {p.stem for p in REPORT_WRITERS.glob("*.jsonl")}
    selection = Selection()
    assert selection.writers == REPORT_WRITER_IDS
    chosen = report_calls()
    counts = _core_counts(chosen)
    assert all(counts[c] >= selection.per_category for c in CORE), counts
    assert counts["clean"] == selection.clean
    assert len(chosen) == 65 and _digest(chosen) == "e2f0016e7602e614"
    assert [c["call_id"] for c in report_calls()] == [c["call_id"] for c in chosen], "deterministic"


def test_the_old_fourteen_call_draw_is_reachable_from_the_command_line_options():
    from benchmarks.spoken_set import OLD_REPORT_SELECTION, selection_for

    assert selection_for("report", 3, 3, "w6,w7,w11,w12,w13,w14") == OLD_REPORT_SELECTION
    old = report_calls(OLD_REPORT_SELECTION)
    assert len(old) == 14 and _digest(old) == "170ba1fa00a76e8b"
    assert {c["writer"] for c in old} == {"w6", "w7", "w11", "w12", "w13", "w14"}
    assert all(3 <= n <= 5 for c, n in _core_counts(old).items() if c != "clean")


def test_draw_options_left_out_keep_each_sets_own_draw():
    from benchmarks.spoken_set import selection_for

    assert selection_for("report") == Selection()
    assert selection_for("tune") == TUNE_SELECTION
    assert selection_for("tune", quota=5).writers == TUNE_SELECTION.writers
    assert selection_for("tune", quota=5).per_category == 5
    assert len(tune_calls()) == 13, "the tune set's figures stay comparable"


def test_the_lost_lines_are_never_shown_for_the_report_or_dev_set(monkeypatch, capsys):
    import pytest

    from benchmarks import end_to_end

    for chosen in ([], ["--set", "dev", "--writers", "w34"]):
        monkeypatch.setattr("sys.argv", ["end_to_end", "--show-lost", *chosen])
        with pytest.raises(SystemExit):
            end_to_end.main()
        assert "not on the report or dev set" in capsys.readouterr().err


def test_the_dev_set_is_every_eligible_call_of_the_dev_writers_named():
    import pytest

    from benchmarks.spoken_set import dev_calls, selection_for

    drawn = dev_calls(selection_for("dev", writers="w34,w37"))
    assert drawn and {c["writer"] for c in drawn} == {"w34", "w37"}
    with pytest.raises(SystemExit, match="needs --writers"):
        dev_calls(selection_for("dev"))


def test_detection_redone_on_a_kept_scan_keeps_only_the_call_history_findings_it_stored():
    from benchmarks.end_to_end import detected_again
    from pipeline.calls import Call, Finding, Segment
    from pipeline.config import load_config

    said = "我们马上派人去你家，把你拘留十五天。"
    call = Call("c1", [Segment(start=0.0, end=3.0, speaker="agent", text=said)])

    def stored(category: str, detector: str) -> Finding:
        return Finding("c1", category, "high", 1.0, 0.0, 3.0, "agent", 0, said, [], detector, "")

    found = detected_again(
        [call], {"c1": [stored("quiet_hours", "rule:quiet_hours"), stored("private_channel", "old")]}, load_config()
    )
    categories = {f.category for f in found["c1"]}
    assert "quiet_hours" in categories, "the call history's findings are the scan's"
    assert "private_channel" not in categories, "a per-call finding the scan stored is not kept"
    assert "exaggeration" in categories or "threat" in categories, "detection ran on the transcript"


def test_sets_spoken_apart_are_pooled_into_one_score(tmp_path, monkeypatch, capsys):
    """Each round's fresh writers are spoken into a folder of their own, and kept scans of them
    read back together: one score and one bootstrap over all their calls."""
    import json

    import pytest

    from benchmarks import end_to_end
    from pipeline.calls import Call, CallRecord, Segment
    from pipeline.store import open_db, save_call

    said = [
        ("agent", "喂，你好，我是安信消费金融的，请问是张伟吗？"),
        ("customer", "是我。"),
        ("agent", "你再不还钱，我们就去你单位闹。"),
    ]
    scans, folders = [], []
    for k, writer in enumerate(("w1", "w2")):
        segments = [
            {"speaker": who, "text": text, "start": 3.0 * i, "end": 3.0 * i + 2.5} for i, (who, text) in enumerate(said)
        ]
        call = {"call_id": f"{writer}-001", "writer": writer, "file": "a.wav", "duration": 9.0, "segments": segments}
        call["labels"] = [{"category": "threat", "segment_index": 2}]
        folders.append(tmp_path / writer)
        folders[-1].mkdir()
        (folders[-1] / "reference.jsonl").write_text(json.dumps(call, ensure_ascii=False) + "\n", encoding="utf-8")
        scans.append(tmp_path / f"{writer}.db")
        heard = Call(call["call_id"], [Segment(**s) for s in segments])
        db = open_db(scans[-1])
        save_call(db, CallRecord(heard, "a.wav", f"sha{k}"))
        db.close()  # a kept scan is a closed database file
    pooled = ["end_to_end", "--folder", str(folders[0]), "--folder", str(folders[1])]
    monkeypatch.setattr("sys.argv", [*pooled, "--from-scan", str(scans[0]), "--from-scan", str(scans[1])])
    end_to_end.main()
    out = capsys.readouterr().out
    assert "2 calls (0 without labels; writers w1 1 w2 1)" in out
    assert "resamples of the 2 calls" in out
    monkeypatch.setattr("sys.argv", [*pooled, "--from-scan", str(scans[0])])
    with pytest.raises(SystemExit):
        end_to_end.main()
    assert "one kept scan per --folder" in capsys.readouterr().err


def test_huan_of_paying_back_is_spelt_for_the_synthesiser_and_hai_of_still_is_not():
    from pipeline.detect.sound import as_said, phrase_readings

    assert as_said("你到底还不还钱？先还五百也行，还款日早过了。") == "你到底还不环钱？先环五百也行，环款日早过了。"
    assert as_said("他还是没还，还有两天，还差三百。") == "他还是没环，还有两天，还差三百。"
    assert ("huan", "kuan") in phrase_readings("还款") and phrase_readings("还是") == {("hai", "shi")}
