"""End to end in headless Chromium: log in, filter, open a call, hear a finding, confirm it
with the keyboard, then find the verdict in the database and in an export."""

from __future__ import annotations

import csv
import io

import pytest
from console_fixtures import CHROMIUM, CHROMIUM_ARGS, build_db, log_in, serving

from pipeline.store import open_db

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium)"),
]
CALL = "c-20260302-0001"


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_review_a_finding_end_to_end(tmp_path, browser):
    info = build_db(tmp_path)
    threat = info["finding_ids"][f"{CALL}:threat"]
    with serving(info["db_path"]) as base_url:
        page = browser.new_page()
        log_in(page, base_url, "wang")

        page.select_option("select[name=category]", "threat")
        page.click("form#filters button[type=submit]")
        assert page.locator("a.call-link").all_inner_texts() == [CALL]

        page.click(f"a.call-link:text('{CALL}')")
        page.wait_for_selector("#player")
        assert "*先生" in page.inner_text(".transcript") and "13812345678" not in page.content()
        page.wait_for_function("document.getElementById('player').readyState >= 1")
        assert page.evaluate("document.getElementById('player').duration") == pytest.approx(20.0, abs=0.1)

        page.click(f"#f{threat} header")
        start = float(page.get_attribute(f"#f{threat}", "data-start"))
        assert start == 9.5
        cue = start - 2  # a finding is heard from two seconds before it
        page.wait_for_function(f"() => Math.abs(document.getElementById('player').currentTime - {cue}) < 0.5")
        assert page.locator("mark.on").inner_text() == "我们就派人上门，到你单位去找你领导"

        page.click("button[data-fill-time=start]")  # a miss starting where the recording is
        assert float(page.input_value("input[name=start]")) == pytest.approx(cue, abs=0.5)

        page.locator("body").press("c")
        page.wait_for_selector(f"#f{threat}.verdict-confirmed")
        assert page.inner_text(f"#f{threat} .status") == "属实"

        db = open_db(info["db_path"])
        assert db.execute("SELECT verdict, reviewer FROM reviews WHERE finding_id = ?", [threat]).fetchall() == [
            ("confirmed", "wang")
        ]
        page.goto(base_url + "/")
        page.click("a.call-link >> nth=0")
        first = page.url
        page.locator("body").press("n")  # next call in the queue without going back to it
        page.wait_for_url(lambda url: url != first)
        # the confirmed threat no longer ranks c-...-0001: its open finding left is medium
        assert "id=c-20260303-0003" in page.url and "pos=1" in page.url

        export = page.request.get(base_url + "/export.csv")
        rows = list(csv.DictReader(io.StringIO(export.body().decode("utf-8-sig"))))
        confirmed = [r for r in rows if r["结论"] == "属实"]
        assert [(r["通话"], r["类别"], r["质检员"]) for r in confirmed] == [(CALL, "威胁恐吓 / 侮辱谩骂", "wang")]


def test_alaw_recording_plays_after_conversion(tmp_path, browser):
    info = build_db(tmp_path)
    with serving(info["db_path"]) as base_url:
        page = browser.new_page()
        log_in(page, base_url, "wang")
        page.goto(base_url + "/call?id=c-20260302-0002")
        page.wait_for_function("document.getElementById('player').readyState >= 1")
        assert page.evaluate("document.getElementById('player').duration") == pytest.approx(20.0, abs=0.1)
        page.keyboard.press("j")  # the next finding is selected and the player seeks to its lead-in
        second = page.locator(".finding.selected")
        start = float(second.get_attribute("data-start"))
        page.wait_for_function(
            f"() => Math.abs(document.getElementById('player').currentTime - {max(start - 2, 0)}) < 0.5"
        )
