"""Issue 13 in Chromium at 360×740: the specialist's open page shows an escalation with
"Ring Ola" by itself (no reload), it is marked as seen, and the new specialist forms (the
worker's number, the suggested reminders) work by keyboard only. axe on every state."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff
from tests.browser.test_keyboard import tab_to
from tests.reminders.helpers import FakePush, run_sender
from worker_app.extensions import db
from worker_app.models import Shift, User

pytestmark = pytest.mark.browser


def _escalation_due_now(app, people) -> None:
    """A shift whose "Jeg har gått" margin ran out a minute ago (leave home 20 minutes before,
    the helpers told 10 minutes after that), and the worker's number."""
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        worker.travel_minutes, worker.ready_minutes, worker.phone = 20, None, "90012345"
        start = datetime.now(UTC) + timedelta(minutes=9)
        db.session.add(Shift(worker_id=worker.id, starts_at=start, ends_at=start + timedelta(hours=3)))
        db.session.commit()


@pytest.mark.parametrize("where", ["caseload", "worker"])
def test_the_specialists_open_page_shows_the_escalation_with_ring_ola_by_itself(page, live_server, app, people, where):
    base = live_server
    _escalation_due_now(app, people)
    sign_in_staff(page, base, people.specialist)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mine arbeidstakere")
    if where == "worker":
        page.goto(f"{base}/staff/workers/{people.worker.id}")
    page.evaluate("window.scrollTo(0, 150)")
    scrolled = page.evaluate("window.scrollY")
    with app.app_context():  # one run of `flask reminders send`
        run_sender(datetime.now(UTC), FakePush())
    started = time.monotonic()
    alert = page.locator(f"#alerts-{people.worker.id}")
    expect(alert).to_contain_text("Ola har ikke trykket «Jeg har gått».", timeout=30000)
    assert time.monotonic() - started <= 25  # within the 20-second polling interval (and a little)
    assert page.evaluate("window.scrollY") == scrolled  # no reload, same place
    call = alert.get_by_role("link", name="Ring Ola: 900 12 345")
    assert call.get_attribute("href") == "tel:+4790012345"
    page.screenshot(path=f"test-artifacts/reach-alert-{where}.png", full_page=True)
    check_page(page, f"the escalation on the {where} page")
    alert.get_by_role("button", name="Merk som sett").click()
    expect(alert).to_contain_text("Merket som sett.")
    check_page(page, f"the escalation marked as seen on the {where} page")
    page.reload()
    expect(page.locator("main")).not_to_contain_text("har ikke trykket")


def test_the_number_and_the_suggested_reminders_by_keyboard_only(page, live_server, app, people):
    base = live_server
    sign_in_staff(page, base, people.specialist)
    page.goto(f"{base}/staff/workers/{people.worker.id}")
    field = page.locator("#phone-phone")
    tab_to_field(page, "phone-phone")
    page.keyboard.type("123 45")
    tab_to(page, "Lagre mobil-nummeret")
    page.keyboard.press("Enter")
    expect(page.locator("#phone-phone-error")).to_contain_text("Skriv et norsk mobil-nummer med 8 sifre")
    assert field.input_value() == "123 45"  # what was typed is kept
    check_page(page, "the number, refused")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("+47 900 12 345")
    tab_to(page, "Lagre mobil-nummeret")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Mobil-nummeret er lagret.")).to_be_visible()
    assert page.locator("#phone-phone").input_value() == "900 12 345"

    tab_to_field(page, "suggest-on-0")  # "Gjør deg klar"
    page.keyboard.press("Space")
    tab_to(page, "Lagre forslaget")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Forslaget er lagret.")).to_be_visible()
    expect(page.locator("#suggest-on-0")).not_to_be_checked()
    expect(page.locator("#suggest-on-1")).to_be_checked()
    page.screenshot(path="test-artifacts/reach-specialist-forms.png", full_page=True)
    check_page(page, "the worker page after the two forms")
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        assert worker.phone == "90012345" and "get_ready:off" in worker.reminders_suggested


def tab_to_field(page, element_id, limit=400):
    """Press Tab until the element with this id has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")
