"""The specialist changes and ends a repeat rule: at a laptop's size and at 360×740, with axe,
and with the keyboard only. The worker's Vakter reaches the weeks further on."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff, sign_in_worker
from worker_app.extensions import db
from worker_app.models import User
from worker_app.services import schedule

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}


def make_rule(app, people):
    first = date.today() + timedelta(days=7 - date.today().weekday())  # next Monday
    with app.app_context():
        rule, _shifts = schedule.add_rule(
            db.session, worker=db.session.get(User, people.worker.id), by=db.session.get(User, people.specialist.id),
            weekdays=[4], start="09:00", end="12:00", starts_on=first.isoformat(),
            ends_on=(first + timedelta(weeks=8)).isoformat())
        db.session.commit()
        return rule.id, first


def tab_to(page, locator, most=40):
    """Press Tab until the element has the focus, as a keyboard user does."""
    for _ in range(most):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def at_laptop(page, label):
    check_page(page, label)  # phone size, 320 px reflow
    page.set_viewport_size(LAPTOP)
    check_page(page, label + " (laptop)")
    page.set_viewport_size(LAPTOP)


def test_the_specialist_changes_and_ends_a_rule_with_the_keyboard_only(page, live_server, app, people):
    Path("test-artifacts").mkdir(exist_ok=True)
    rule_id, first = make_rule(app, people)
    sign_in_staff(page, live_server, people.specialist)
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server}/staff/workers/{people.worker.id}")
    page.get_by_role("link", name=re.compile("^Endre eller avslutt")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Endre faste vakter")).to_be_visible()
    at_laptop(page, "edit rule")
    page.screenshot(path="test-artifacts/edit-rule-laptop.png", full_page=True)

    # Keyboard only: Tab to Thursday and tick it, to Friday and untick it, then type the times.
    tab_to(page, page.get_by_label("torsdag"))
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # fredag off
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # lørdag, søndag, then Start
    expect(page.get_by_label("Start")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("13:00")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("12:00")  # before the start: named beside the field
    tab_to(page, page.get_by_role("button", name="Lagre endringen"))
    page.keyboard.press("Enter")
    expect(page.locator("#rule-end-error")).to_contain_text("Slutten må være etter starten.")
    expect(page.get_by_label("Start")).to_have_value("13:00")
    at_laptop(page, "edit rule with an error")

    page.get_by_label("Slutt").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("15:00")
    tab_to(page, page.get_by_role("button", name="Lagre endringen"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"De faste vaktene er endret\. \d+ vakter kommer\."))).to_be_visible()

    page.get_by_role("link", name=re.compile("^Endre eller avslutt")).focus()
    page.keyboard.press("Enter")
    page.get_by_label("Ingen vakter fra og med").focus()
    page.keyboard.type("01012001")  # a date field takes digits, segment by segment
    tab_to(page, page.get_by_role("button", name="Avslutt de faste vaktene"))
    page.keyboard.press("Enter")
    expect(page.locator("#end-from_day-error")).to_contain_text("Velg i dag eller en dag senere.")
    expect(page.get_by_label("Ingen vakter fra og med")).to_have_value("2001-01-01")
    at_laptop(page, "end rule with an error")
    # Back to the worker page and in again, all by keyboard: an empty day field to type into.
    page.get_by_role("link", name="Tilbake").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name=re.compile("^Endre eller avslutt")).focus()
    page.keyboard.press("Enter")
    page.get_by_label("Ingen vakter fra og med").focus()
    page.keyboard.type(f"{first + timedelta(weeks=2):%m%d%Y}")  # headless Chromium: month, day, year
    tab_to(page, page.get_by_role("button", name="Avslutt de faste vaktene"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"De faste vaktene er avsluttet\. \d+ vakter er tatt bort\."))).to_be_visible()


def test_the_worker_is_told_and_reaches_the_weeks_further_on(page, live_server, app, people):
    Path("test-artifacts").mkdir(exist_ok=True)
    rule_id, first = make_rule(app, people)
    with app.app_context():
        schedule.end_rule(db.session, db.session.get(schedule.rules.ShiftRule, rule_id),
                          by=db.session.get(User, people.specialist.id),
                          from_day=(first + timedelta(weeks=6)).isoformat(), now=datetime.now(UTC))
        db.session.commit()
    sign_in_worker(page, live_server, app, people.worker)
    expect(page.get_by_text("Vaktene dine på fredag er slutt fra mandag")).to_be_visible()
    check_page(page, "I dag with a rule notice")
    page.screenshot(path="test-artifacts/today-rule-notice.png", full_page=True)
    page.get_by_role("navigation", name="Hoved-meny").get_by_role("link", name="Vakter").click()
    page.get_by_role("link", name="Se de neste 2 ukene").click()
    expect(page.get_by_role("heading", name=re.compile("^Uka fra mandag"))).to_have_count(2)
    check_page(page, "Vakter, later weeks")
    page.screenshot(path="test-artifacts/shifts-later.png", full_page=True)
    page.get_by_role("link", name="Tilbake").click()
    expect(page.get_by_role("heading", name="Denne uka")).to_be_visible()
