"""A small, realistic database for the reviewer console's tests and its screenshot.

Hand-made calls (transcripts in the interchange shape) with hand-made findings, stored
through ``pipeline.store.save_call``; one call has a generated stereo WAV recording, one an
A-law WAV that browsers cannot play. Passwords are the fixtures' own.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import uvicorn

from pipeline.audio import ffmpeg_binary
from pipeline.calls import CallRecord, Finding, call_from_json
from pipeline.review import auth
from pipeline.review.app import create_app
from pipeline.store import open_db, save_call

PASSWORDS = {"wang": "wang-password", "li": "li-password", "admin": "admin-password"}
AGENCY_A = "某某信用管理有限公司"
AGENCY_B = "华信资产管理有限公司"


def _call(call_id, started_at, agent_id, agency, lines):
    return call_from_json(
        {
            "call_id": call_id,
            "started_at": started_at,
            "agent_id": agent_id,
            "agency": agency,
            "debtor_id": "D-" + call_id[-4:],
            "segments": [
                {"start": start, "end": end, "speaker": speaker, "text": text} for start, end, speaker, text in lines
            ],
        }
    )


def _finding(call, category, severity, score, index, evidence, clauses, explanation, span=None):
    segment = call.segments[index] if index is not None else None
    start, end = span if span else (segment.start, segment.end)
    return Finding(
        call_id=call.call_id,
        category=category,
        severity=severity,
        score=score,
        start=start,
        end=end,
        speaker=segment.speaker if segment else None,
        segment_index=index,
        evidence=evidence,
        clauses=clauses,
        detector=f"rule:{category}",
        explanation=explanation,
    )


def write_tone_wav(path: Path, seconds: float = 20.0, rate: int = 8000) -> Path:
    """A stereo 16-bit WAV: agent tone on the left, customer tone on the right."""
    t = np.arange(int(seconds * rate)) / rate
    left = 0.3 * np.sin(2 * np.pi * 440 * t)
    right = 0.3 * np.sin(2 * np.pi * 660 * t)
    frames = (np.stack([left, right], axis=1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames.tobytes())
    return path


def write_alaw_wav(source: Path, path: Path) -> Path:
    """The same recording as telephone systems store it: A-law WAV, which browsers cannot play."""
    subprocess.run(
        [ffmpeg_binary(), "-nostdin", "-y", "-loglevel", "error", "-i", str(source), "-c:a", "pcm_alaw", str(path)],
        check=True,
    )
    return path


def add_call(db, call_id, started_at, findings=(), agency="甲机构", agent="A1", text="您好，我是甲机构的"):
    """A one-segment call with findings given as (category, severity, score)."""
    call = call_from_json(
        {
            "call_id": call_id,
            "started_at": started_at,
            "agency": agency,
            "agent_id": agent,
            "segments": [{"start": 0.0, "end": 3.0, "speaker": "agent", "text": text}],
        }
    )
    record = CallRecord(
        call=call,
        source_path=f"{call_id}.json",
        sha256=hashlib.sha256(call_id.encode()).hexdigest(),
        findings=[
            Finding(call_id, category, severity, score, 0.0, 3.0, "agent", 0, text, ["GB 5.2.1.2"], "test", "")
            for category, severity, score in findings
        ],
    )
    save_call(db, record)


def finding_id(db, call_id, category):
    return db.execute("SELECT id FROM findings WHERE call_id = ? AND category = ?", [call_id, category]).fetchone()[0]


def build_db(directory: Path) -> dict:
    """Build ``directory/qa.db`` and its recordings; returns the paths and finding ids by name.

    The database is built once per process (per password-hashing cost) and copied: building
    it hashes three passwords and runs ffmpeg, and a hundred tests each want a fresh one."""
    template = _template(auth._hasher)
    directory.mkdir(parents=True, exist_ok=True)
    for source in template["db_path"].parent.iterdir():
        shutil.copy(source, directory / source.name)
    info = {**template, **{key: directory / template[key].name for key in ("db_path", "audio", "alaw")}}
    db = open_db(info["db_path"])
    for key in ("audio", "alaw"):
        db.execute("UPDATE calls SET source_path = ? WHERE source_path = ?", [str(info[key]), str(template[key])])
    db.conn.close()
    return info


@functools.cache
def _template(password_hasher) -> dict:
    """The database as built with ``password_hasher`` (the tests use a cheap one, see conftest.py)."""
    directory = Path(tempfile.mkdtemp(prefix="callqa-console-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return _build_db(directory)


def _build_db(directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    audio = write_tone_wav(directory / "c-0001.wav")
    alaw = write_alaw_wav(audio, directory / "c-0002-alaw.wav")
    db = open_db(directory / "qa.db")

    threat_call = _call(
        "c-20260302-0001",
        "2026-03-02T10:15:00+08:00",
        "A017",
        AGENCY_A,
        [
            (0.0, 2.4, "agent", "喂，您好，请问是张先生吗？"),
            (2.6, 3.1, "customer", "我是。"),
            (3.4, 7.0, "agent", "我是某某信用的，您在我们这里的借款已经逾期三个月了。"),
            (7.2, 9.0, "customer", "我最近手头紧，过几天再说吧。"),
            (9.5, 13.5, "agent", "你再不还钱，我们就派人上门，到你单位去找你领导。"),
            (13.8, 15.0, "unknown", "（杂音）"),
            (15.2, 18.5, "agent", "你的电话是13812345678吧，我们也会打给你家里人。"),
            (18.8, 19.9, "customer", "你们这是威胁我。"),
        ],
    )
    threat_findings = [
        _finding(
            threat_call,
            "threat",
            "high",
            0.94,
            4,
            "我们就派人上门，到你单位去找你领导",
            ["GB 5.2.1.2", "HN 7(二)"],
            "坐席以上门、找单位领导相威胁",
        ),
        _finding(
            threat_call,
            "threat",
            "medium",
            0.71,
            6,
            "我们也会打给你家里人",
            ["GB 5.2.1.2", "HN 7(四)"],
            "坐席称将联系家人施压",
        ),
    ]
    impersonation_call = _call(
        "c-20260302-0002",
        "2026-03-02T14:40:00+08:00",
        "A021",
        AGENCY_B,
        [
            (0.0, 2.0, "agent", "喂，是李女士吗？"),
            (2.2, 2.8, "customer", "是我，什么事？"),
            (3.0, 7.5, "agent", "我这边是法院执行局的，你的案子马上就要立案了。"),
            (7.8, 9.0, "customer", "法院？你们不是贷款公司吗？"),
            (9.2, 12.0, "agent", "今天不还，明天就有人去你家抓人坐牢。"),
        ],
    )
    impersonation_findings = [
        _finding(
            impersonation_call,
            "impersonation",
            "high",
            0.97,
            2,
            "我这边是法院执行局的",
            ["GB 5.2.1.2", "HN 7(一)", "NIFA 11(一)"],
            "坐席自称法院执行局工作人员",
        ),
        _finding(
            impersonation_call,
            "exaggeration",
            "high",
            0.88,
            4,
            "明天就有人去你家抓人坐牢",
            ["NIFA 11(二)", "GB 5.2.1.2"],
            "普通欠款被说成会被抓去坐牢",
        ),
        _finding(
            impersonation_call,
            "missing_disclosure",
            "medium",
            0.62,
            None,
            "开场 30 秒内未表明机构",
            ["NIFA 11(一)", "GB 5.2.1.2", "HN 10"],
            "开场窗口内未说出放贷机构或催收机构名称",
            span=(0.0, 12.0),
        ),
    ]
    leak_call = _call(
        "c-20260303-0003",
        "2026-03-03T09:05:00+08:00",
        "A017",
        AGENCY_A,
        [
            (0.0, 2.0, "agent", "您好，请问是王强的同事吗？"),
            (2.2, 3.5, "customer", "对，我是他同事，他不在。"),
            (3.8, 8.0, "agent", "他欠我们八千块，已经逾期三个月了，身份证号110105194912310021。"),
            (8.3, 9.5, "customer", "这跟我有什么关系？"),
        ],
    )
    leak_findings = [
        _finding(
            leak_call,
            "third_party_leak",
            "high",
            0.93,
            2,
            "他欠我们八千块，已经逾期三个月了",
            ["NIFA 8(三)", "GB 5.2.1.1", "HN 7(五)"],
            "对方自称同事后，坐席说出欠款金额和逾期时间",
        ),
    ]
    compliant_call = _call(
        "c-20260304-0004",
        "2026-03-04T11:00:00+08:00",
        "A033",
        AGENCY_B,
        [
            (0.0, 3.0, "agent", "您好，我是华信资产的，受某某金融委托联系您，本次通话会录音。"),
            (3.2, 4.0, "customer", "好的。"),
            (4.2, 8.0, "agent", "逾期信息会按规定报送征信系统，请您尽快安排还款。"),
        ],
    )
    compliant_findings = [
        _finding(
            compliant_call,
            "exaggeration",
            "low",
            0.41,
            2,
            "逾期信息会按规定报送征信系统",
            ["NIFA 11(二)"],
            "提到征信后果（可能是如实告知）",
        ),
    ]

    records = [  # call, findings, recording or transcript file, duration
        (threat_call, threat_findings, str(audio), 20.0),
        (impersonation_call, impersonation_findings, str(alaw), 20.0),
        (leak_call, leak_findings, "transcripts/c-20260303-0003.json", 9.5),
        (compliant_call, compliant_findings, "transcripts/c-20260304-0004.json", 8.0),
    ]
    for call, findings, source, duration in records:
        sha256 = hashlib.sha256(call.call_id.encode()).hexdigest()
        save_call(
            db,
            CallRecord(
                call=call,
                source_path=source,
                sha256=sha256,
                findings=findings,
                duration=duration,
                channels=2,
                model="transcript",
            ),
        )
    for name, password in PASSWORDS.items():
        auth.add_user(db, name, password, "admin" if name == "admin" else "reviewer")

    finding_ids = {
        f"{row[0]}:{row[1]}": row[2]
        for row in db.execute("SELECT call_id, category, MIN(id) FROM findings GROUP BY call_id, category")
    }
    db.conn.close()
    return {"db_path": directory / "qa.db", "audio": audio, "alaw": alaw, "finding_ids": finding_ids}


LONG_CALL = "c-20260305-0020"


def add_long_call(info: dict, findings: int = 20) -> list[tuple[int, float]]:
    """A stereo call with ``findings`` agent lines 4 s apart, one finding on each (categories
    in turn), and its recording; returns (finding id, start) in time order."""
    directory = info["db_path"].parent
    audio = write_tone_wav(directory / "long.wav", seconds=4.0 * findings + 4)
    lines = []
    for i in range(findings):
        lines.append((4.0 * i + 1.0, 4.0 * i + 3.0, "agent", f"第{i + 1}句，你再不还钱我们就上门找你。"))
        lines.append((4.0 * i + 3.2, 4.0 * i + 4.6, "customer", "嗯。"))
    call = _call(LONG_CALL, "2026-03-05T16:00:00+08:00", "A017", AGENCY_A, lines)
    categories = ["threat", "exaggeration", "impersonation", "third_party_leak"]
    found = [
        _finding(call, categories[i % 4], "high", 0.9, 2 * i, "我们就上门找你", ["GB 5.2.1.2"], "坐席以上门相威胁")
        for i in range(findings)
    ]
    db = open_db(info["db_path"])
    save_call(
        db,
        CallRecord(
            call=call,
            source_path=str(audio),
            sha256=hashlib.sha256(LONG_CALL.encode()).hexdigest(),
            findings=found,
            duration=4.0 * findings + 4,
            channels=2,
            model="transcript",
        ),
    )
    rows = db.execute("SELECT id, start FROM findings WHERE call_id = ? ORDER BY start", [LONG_CALL]).fetchall()
    db.conn.close()
    return rows


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def serving(db_path: Path) -> Iterator[str]:
    """The console over ``db_path`` on a free 127.0.0.1 port, in a thread; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(db_path, secret="browser-test"), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/")


def screenshots(folder: Path) -> list[Path]:
    """The console as a reviewer sees it, for the README and docs/console.md: the queue, a call
    page with its timeline (the fixture calls plus a long one, some findings decided, a sample),
    and a sample's progress. Writes console-queue.png, console.png and console-sample.png."""
    from playwright.sync_api import sync_playwright

    from pipeline.review import queries, team

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        info = build_db(Path(tmp))
        long_call = add_long_call(info, 12)
        db = open_db(info["db_path"])
        for finding_id, _ in long_call[:4]:
            queries.record_verdict(db, finding_id, "confirmed" if finding_id % 3 else "dismissed", "wang")
        team.claim(db, "c-20260302-0002", "li")
        db["samples"].insert(
            {
                "id": 3,
                "created_at": "2026-03-10T02:00:00+00:00",
                "created_by": "admin",
                "seed": 7,
                "size": 4,
                "parameters": "{}",
                "population": "{}",
            }
        )
        sampled = [LONG_CALL, "c-20260304-0004", "c-20260302-0001", "c-20260303-0003"]
        db["sample_calls"].insert_all(
            [{"sample_id": 3, "call_id": c, "stratum": "机构", "position": i} for i, c in enumerate(sampled)]
        )
        queries.record_checked(db, "c-20260304-0004", "wang", "听完无违规")
        db.conn.close()
        with serving(info["db_path"]) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 860}, locale="zh-CN")
            log_in(page, base_url, "wang")
            page.keyboard.press("j")
            page.screenshot(path=str(folder / "console-queue.png"))
            page.goto(f"{base_url}/call?id={LONG_CALL}&sample=3")
            page.wait_for_function("() => document.getElementById('player').readyState >= 1")
            page.evaluate("() => { const p = document.getElementById('player'); p.currentTime = 21.5; }")
            page.wait_for_selector(".line.playing")
            page.wait_for_timeout(300)
            page.screenshot(path=str(folder / "console.png"))
            page.goto(f"{base_url}/samples/3")
            page.screenshot(path=str(folder / "console-sample.png"))
            browser.close()
    return [folder / name for name in ("console-queue.png", "console.png", "console-sample.png")]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Screenshots of the console (for the README and docs/).")
    parser.add_argument("folder", type=Path, help="where the PNGs go, e.g. docs")
    args = parser.parse_args()
    for path in screenshots(args.folder):
        print(path)
