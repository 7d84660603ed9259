"""The worker page's open sign-in links in Chromium: axe on the list and on the opened
question, and ending a link with the keyboard-reachable button."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff
from tests.conftest import new_sign_in_token

pytestmark = pytest.mark.browser


def test_the_specialist_ends_an_open_link(page, live_server, app, people):
    token = new_sign_in_token(app, people.worker)
    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/staff/workers/{people.worker.id}#sign-in")
    section = page.locator("#sign-in")
    expect(section.get_by_text("Åpen lenke, laget")).to_be_visible()
    check_page(page, "worker page with an open link")
    section.locator("summary", has_text="Slå av lenken").click()  # the question opens
    check_page(page, "the question opened")
    section.screenshot(path="test-artifacts/open-sign-in-link.png")
    section.get_by_role("button", name="Ja, slå av lenken").click()
    expect(page.get_by_text("Lenken for Ola Johansen er slått av.")).to_be_visible()
    expect(page.get_by_text("Ola har ingen åpne innloggings-lenker.")).to_be_visible()
    check_page(page, "after ending it")
    page.goto(f"{live_server}/signin/{token}")
    expect(page.get_by_text("Denne lenken er brukt før.")).to_be_visible()
