"""A reviewer's day by keyboard in headless Chromium: twenty findings decided with one key
each while the recording plays on, each next finding cued two seconds early; a comment written
and saved without the mouse."""

from __future__ import annotations

import pytest
from console_fixtures import CHROMIUM, CHROMIUM_ARGS, LONG_CALL, add_long_call, build_db, log_in, serving

from pipeline.store import open_db

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium)"),
]
LEAD_IN = 2.0


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every seek and pause of the player, recorded in the page as they happen.
WATCH_PLAYER = """() => {
  const player = document.getElementById('player');
  window.seeks = []; window.pauses = 0;
  player.addEventListener('seeked', () => window.seeks.push(player.currentTime));
  player.addEventListener('pause', () => { window.pauses += 1; });
}"""


def test_twenty_findings_by_keyboard_with_the_audio_playing_on(tmp_path, browser):
    info = build_db(tmp_path)
    findings = add_long_call(info, 20)
    with serving(info["db_path"]) as base_url:
        page = browser.new_page()
        log_in(page, base_url, "wang")
        page.goto(f"{base_url}/call?id={LONG_CALL}")
        page.wait_for_function("() => document.getElementById('player').readyState >= 1")
        first_start = findings[0][1]
        page.wait_for_function(
            f"() => Math.abs(document.getElementById('player').currentTime - {max(first_start - LEAD_IN, 0)}) < 0.01"
        )
        page.evaluate(WATCH_PLAYER)
        history_length = page.evaluate("history.length")
        url = page.url

        presses = 0
        page.keyboard.press(" ")  # play, from the first finding's lead-in
        presses += 1
        page.wait_for_function("() => !document.getElementById('player').paused")
        keys = "cd"
        for i, (finding_id, _start) in enumerate(findings):
            page.keyboard.press(keys[i % 2])
            presses += 1
            page.wait_for_selector(f"#f{finding_id}.verdict-{'confirmed' if i % 2 == 0 else 'dismissed'}")
            if i + 1 < len(findings):
                page.wait_for_selector(f"#f{findings[i + 1][0]}.selected")
                page.wait_for_function(f"() => window.seeks.length >= {i + 1}")

        assert presses == 21  # one key to start, then one key per finding
        seeks = page.evaluate("window.seeks")
        expected = [start - LEAD_IN for _, start in findings[1:]]
        assert len(seeks) == len(expected)
        for landed, wanted in zip(seeks, expected):
            assert abs(landed - wanted) <= 0.5, (landed, wanted)
        assert page.evaluate("window.pauses") == 0 and not page.evaluate("document.getElementById('player').paused")
        assert page.url == url and page.evaluate("history.length") == history_length  # no reloads, no history

    db = open_db(info["db_path"])
    saved = db.execute(
        "SELECT finding_id, verdict, reviewer FROM reviews WHERE call_id = ? ORDER BY id", [LONG_CALL]
    ).fetchall()
    assert saved == [(fid, "confirmed" if i % 2 == 0 else "dismissed", "wang") for i, (fid, _) in enumerate(findings)]


def test_a_comment_by_keyboard_ctrl_enter_saves_and_escape_leaves(tmp_path, browser):
    info = build_db(tmp_path)
    findings = add_long_call(info, 3)
    with serving(info["db_path"]) as base_url:
        page = browser.new_page()
        log_in(page, base_url, "wang")
        page.goto(f"{base_url}/call?id={LONG_CALL}")
        first = findings[0][0]
        page.wait_for_selector(f"#f{first}.selected")
        page.keyboard.press("m")
        assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
        page.keyboard.type("说的是上门核实地址 d c")  # letters typed here are text, not verdicts
        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.tagName") != "TEXTAREA"
        assert open_db(info["db_path"]).execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
        page.keyboard.press("m")
        page.keyboard.press("Control+Enter")  # an open finding: saved as 存疑, still open
        page.wait_for_selector(f"#f{first}.verdict-uncertain")
        page.wait_for_selector(f"#f{findings[1][0]}.selected")
    rows = open_db(info["db_path"]).execute("SELECT finding_id, verdict, comment FROM reviews").fetchall()
    assert rows == [(first, "uncertain", "说的是上门核实地址 d c")]


def test_the_timeline_shows_both_channels_and_a_marker_per_finding_and_seeks(tmp_path, browser):
    info = build_db(tmp_path)
    findings = add_long_call(info, 6)
    with serving(info["db_path"]) as base_url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        log_in(page, base_url, "wang")
        page.goto(f"{base_url}/call?id={LONG_CALL}")
        page.wait_for_function("() => document.getElementById('player').readyState >= 1")
        assert page.locator(".lane-agent .region").count() == 6
        assert page.locator(".lane-customer .region").count() == 6
        assert page.locator(".lane-findings .marker").count() == 6
        page.locator(".lane-findings .marker").nth(3).click()
        page.wait_for_selector(f"#f{findings[3][0]}.selected")
        page.wait_for_function(
            f"() => Math.abs(document.getElementById('player').currentTime - {findings[3][1] - LEAD_IN}) < 0.5"
        )
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => document.getElementById('player').currentTime > {findings[3][1] + 2.5}")
        page.keyboard.press("s")
        assert page.evaluate("document.getElementById('player').playbackRate") == 1.25
        page.keyboard.press("/")
        page.keyboard.type("第5句")
        assert page.inner_text("#find-count") == "1 处"
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('.line.playing') && document.querySelector('.line.playing').textContent.includes('第5句')"
        )
        assert page.locator(".line.hit").count() == 1


def test_one_key_decides_every_open_finding_on_a_line(tmp_path, browser):
    info = build_db(tmp_path)
    findings = add_long_call(info, 3)
    db = open_db(info["db_path"])
    for category in ("exaggeration", "impersonation"):  # two more on the first line
        db.execute(
            'INSERT INTO findings (call_id, category, severity, score, start, "end", speaker, segment_index, '
            "evidence, clauses, detector, explanation, created_at) "
            "VALUES (?, ?, 'medium', 0.6, 1.0, 3.0, 'agent', 0, '上门找你', '[]', 'test', '', '2026-03-05')",
            [LONG_CALL, category],
        )
    on_line = [r[0] for r in db.execute("SELECT id FROM findings WHERE call_id = ? AND segment_index = 0", [LONG_CALL])]
    db.conn.close()
    with serving(info["db_path"]) as base_url:
        page = browser.new_page()
        log_in(page, base_url, "wang")
        page.goto(f"{base_url}/call?id={LONG_CALL}")
        assert page.locator(".line-group .finding").count() == 3
        page.wait_for_selector(f"#f{on_line[0]}.selected")
        page.keyboard.press("Shift+C")
        for finding_id in on_line:
            page.wait_for_selector(f"#f{finding_id}.verdict-confirmed")
        page.wait_for_selector(f"#f{findings[1][0]}.selected")  # on to the next line's finding
    verdicts = (
        open_db(info["db_path"]).execute("SELECT finding_id, verdict FROM reviews ORDER BY finding_id").fetchall()
    )
    assert verdicts == [(finding_id, "confirmed") for finding_id in sorted(on_line)]
