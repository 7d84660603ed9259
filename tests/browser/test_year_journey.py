"""The job specialist's year in Chromium at 360×740: a specialist makes a workplace and a worker,
enters a trial, records a meeting with a next date; the worker sees the next meeting and
"Uke 1 av 4" on I dag. Axe on every new page and state; the new forms by keyboard only."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff, sign_in_worker
from worker_app.extensions import db
from worker_app.models import User
from worker_app.services import schedule

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector!r}")


def test_specialist_sets_up_a_worker_who_sees_her_job(page, live_server, app, people):
    Path("test-artifacts").mkdir(exist_ok=True)
    today = schedule.oslo(datetime.now(UTC)).date()
    sign_in_staff(page, live_server, people.specialist)

    page.get_by_role("link", name="Arbeidsplasser").click()
    expect(page.get_by_text("Regionen din har ingen arbeidsplasser ennå.")).to_be_visible()
    check_page(page, "Arbeidsplasser, empty")
    page.get_by_role("link", name="Ny arbeidsplass").click()
    check_page(page, "new workplace form")
    # Keyboard only: a wrong phone number, named beside the field, then put right.
    tab_to(page, "#name")
    page.keyboard.type("Kiwi Sentrum")
    tab_to(page, "#leader_name")
    page.keyboard.type("Anne Leder")
    tab_to(page, "#leader_phone")
    page.keyboard.type("ring meg")
    tab_to(page, "#mentor_name")
    page.keyboard.type("Per Fadder")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#leader_phone-error")).to_contain_text("Skriv et telefonnummer med sifre")
    expect(page.locator("#name")).to_have_value("Kiwi Sentrum")
    check_page(page, "workplace form with an error")
    page.locator("#leader_phone").fill("912 34 567")
    page.get_by_role("button", name="Lagre arbeidsplassen").click()
    expect(page.get_by_text("Arbeidsplassen er lagret.")).to_be_visible()
    check_page(page, "Arbeidsplasser with one")

    page.get_by_role("link", name="Mine arbeidstakere").click()
    page.get_by_role("link", name="Ny arbeidstaker").click()
    check_page(page, "new worker form")
    tab_to(page, "#name")
    page.keyboard.type("Lise Ny")
    tab_to(page, "#workplace")
    page.keyboard.press("ArrowDown")  # Kiwi Sentrum
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Lise Ny er lagt til")).to_be_visible()
    expect(page.locator("#workplace").get_by_text("Kiwi Sentrum").first).to_be_visible()

    trial = page.locator("#trial form").first
    trial.get_by_label("Første dag").fill(today.isoformat())
    trial.get_by_role("button", name="Lagre praksis-perioden").click()
    expect(page.get_by_text("Praksis-perioden er lagret.")).to_be_visible()
    expect(page.locator("#trial").get_by_text("Uke 1 av 4.")).to_be_visible()

    meeting = page.locator("form", has=page.get_by_role("button", name="Lagre møtet"))
    meeting.get_by_label("Dato for møtet").fill((today - timedelta(days=1)).isoformat())
    meeting.get_by_label("Klokkeslett", exact=True).fill("10:00")
    meeting.get_by_label("Begge").check()
    meeting.get_by_label("Kort notat").fill("Lise liker jobben.")
    meeting.get_by_label("Neste møte: dato").fill((today - timedelta(days=2)).isoformat())
    meeting.get_by_label("Neste møte: klokkeslett").fill("10:00")
    meeting.get_by_role("button", name="Lagre møtet").click()
    expect(page.locator("#meeting-next_day-error")).to_contain_text("Neste møte er i fortiden.")
    check_page(page, "meeting form with a past next meeting")
    meeting = page.locator("form", has=page.get_by_role("button", name="Lagre møtet"))
    expect(meeting.get_by_label("Kort notat")).to_have_value("Lise liker jobben.")
    next_day = today + timedelta(days=3)
    meeting.get_by_label("Neste møte: dato").fill(next_day.isoformat())
    meeting.get_by_role("button", name="Lagre møtet").click()
    expect(page.get_by_text("Møtet er lagret.")).to_be_visible()
    check_page(page, "worker page with the follow-up record")
    page.screenshot(path="test-artifacts/year-worker-page.png", full_page=True)

    with app.app_context():
        lise = db.session.query(User).filter_by(name="Lise Ny").one()
        db.session.expunge(lise)
    page.context.clear_cookies()
    sign_in_worker(page, live_server, app, lise)
    card = page.locator("#job-heading").locator("xpath=..")
    expect(card.get_by_text("Uke 1 av 4.")).to_be_visible()
    expect(card.get_by_text("Du skal møte Kari")).to_be_visible()
    expect(card.get_by_text("kl. 10:00 på jobben.")).to_be_visible()
    expect(card.get_by_text("Lederen din heter Anne.")).to_be_visible()
    expect(page.get_by_role("link", name="Ring lederen")).to_have_attribute("href", "tel:91234567")
    check_page(page, "I dag with the job card")
    page.screenshot(path="test-artifacts/year-today.png", full_page=True)
    page.get_by_role("link", name="Se mer om jobben").click()
    expect(page.get_by_text("Lise liker jobben.")).to_be_visible()
    check_page(page, "Jobben min")
    page.screenshot(path="test-artifacts/year-my-job.png", full_page=True)


def test_the_follow_up_forms_by_keyboard_only(page, live_server, app, people):
    """Trial, outcome and meeting on the worker page: Tab, typing, arrows, Space and Enter."""
    today = schedule.oslo(datetime.now(UTC)).date()
    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/staff/workers/{people.worker.id}")

    tab_to(page, "#trial-starts_on")
    page.keyboard.type(today.strftime("%m%d%Y"))  # Chromium's date field takes the digits
    tab_to(page, "#trial-weeks")
    page.keyboard.press("Control+A")
    page.keyboard.type("30")
    tab_to(page, "#trial form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#trial-weeks-error")).to_contain_text("Praksis kan vare høyst 6 måneder.")
    check_page(page, "trial form with an error")
    tab_to(page, "#trial-weeks")  # from the top of the page that came back
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    tab_to(page, "#trial form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Praksis-perioden er lagret.")).to_be_visible()

    tab_to(page, "#outcome-outcome-0")
    page.keyboard.press("Space")  # Fast ansatt
    tab_to(page, "#outcome-on")
    page.keyboard.type(today.strftime("%m%d%Y"))
    tab_to(page, "form[action$='/trial/outcome'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Utfallet av praksisen er lagret.")).to_be_visible()
    expect(page.get_by_text("Utfall: Fast ansatt")).to_be_visible()
    check_page(page, "worker page after the trial's outcome")

    tab_to(page, "#meeting-day")
    page.keyboard.type((today - timedelta(days=1)).strftime("%m%d%Y"))
    tab_to(page, "#meeting-time")
    page.keyboard.type("1000AM")
    tab_to(page, "#meeting-with_whom-0")
    page.keyboard.press("ArrowDown")  # Arbeidsgiveren
    tab_to(page, "#meeting-note")
    page.keyboard.type("Lederen er fornøyd.")
    tab_to(page, "#meeting-shared")
    page.keyboard.press("Space")  # not shown on Jobben min
    tab_to(page, "form[action$='/meetings'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Møtet er lagret.")).to_be_visible()
    row = page.locator(".meeting-list__row").first
    expect(row).to_contain_text("Arbeidsgiveren")
    expect(row).to_contain_text("Ikke vist på Jobben min")
    expect(row).to_contain_text("kl. 10:00")
