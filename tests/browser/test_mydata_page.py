"""'Se alt som er lagret om deg' in Chromium at 360x740: axe, the download, the keyboard."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_worker

pytestmark = pytest.mark.browser


def test_the_worker_finds_and_downloads_everything_stored(page, live_server, app, people):
    sign_in_worker(page, live_server, app, people.worker)
    page.goto(f"{live_server}/sharing")
    page.get_by_role("link", name="Se alt som er lagret om deg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alt som er lagret om deg")
    check_page(page, "Alt som er lagret om deg")
    download_button = page.get_by_role("link", name="Last ned alt")
    box = download_button.bounding_box()
    assert box["y"] + box["height"] <= 740, "the main action is on the first screen"
    page.screenshot(path="test-artifacts/mydata.png", full_page=True)
    # Keyboard only: Tab reaches the download, Enter takes it.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Last ned alt":
            break
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["person"][0]["name"] == "Ola Johansen"
