"""Vakter and I dag in Chromium at 360×740: a worker reads the day, a specialist edits shifts."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff, sign_in_worker
from tests.conftest import new_sign_in_token
from worker_app.extensions import db
from worker_app.models import Shift, User

pytestmark = pytest.mark.browser


def give_shifts(app, worker):
    now = datetime.now(UTC)
    with app.app_context():
        person = db.session.get(User, worker.id)
        person.ready_minutes, person.travel_minutes = 30, 20
        db.session.add(Shift(worker_id=worker.id, starts_at=now - timedelta(minutes=40),
                             ends_at=now + timedelta(minutes=140), note="Ta med nøkkel-kort."))
        later = now + timedelta(days=2)
        db.session.add(Shift(worker_id=worker.id, starts_at=later, ends_at=later + timedelta(hours=3),
                             changed_at=now))
        db.session.commit()


def test_worker_reads_today_and_the_weeks(page, live_server, app, people):
    Path("test-artifacts").mkdir(exist_ok=True)  # screenshots to look at; git-ignored
    give_shifts(app, people.worker)
    sign_in_worker(page, live_server, app, people.worker)
    expect(page.get_by_text("Du er på jobb nå")).to_be_visible()
    left = re.compile(r"(2 timer( og \d+ minutter)?|1 time og \d+ minutter) igjen\.")
    expect(page.get_by_text(left)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Klokke som viser kl. "))).to_be_visible()
    expect(page.locator("progress.time-left")).to_be_visible()
    check_page(page, "I dag with a shift now")
    page.screenshot(path="test-artifacts/today-shift.png", full_page=True)

    page.get_by_role("navigation", name="Hoved-meny").get_by_role("link", name="Vakter").click()
    expect(page.get_by_role("heading", name="Denne uka")).to_be_visible()
    expect(page.locator("li.day-card, li.day-card--today")).to_have_count(14)
    check_page(page, "Vakter")
    page.screenshot(path="test-artifacts/shifts.png", full_page=True)

    page.get_by_role("link", name="Legg til i kalenderen").click()
    feed = page.get_by_label("Eller kopier denne lenken").input_value()
    assert feed.endswith(".ics")
    check_page(page, "Legg til i kalenderen")


def test_specialist_enters_moves_and_cancels_shifts(page, live_server, app, people):
    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/staff/workers/{people.worker.id}")
    check_page(page, "worker page with shift forms")

    day = (date.today() + timedelta(days=3)).isoformat()
    one = page.locator("form", has=page.get_by_role("button", name="Legg til vakten"))
    one.get_by_label("Dato").fill(day)
    one.get_by_label("Start").fill("12:00")
    one.get_by_label("Slutt").fill("09:00")
    one.get_by_role("button", name="Legg til vakten").click()
    expect(page.get_by_text("Slutten må være etter starten.").first).to_be_visible()
    check_page(page, "shift form with an error")
    one = page.locator("form", has=page.get_by_role("button", name="Legg til vakten"))
    one.get_by_label("Slutt").fill("15:00")
    one.get_by_role("button", name="Legg til vakten").click()
    expect(page.get_by_text("Vakten er lagt til.")).to_be_visible()

    rule = page.locator("form", has=page.get_by_role("button", name="Legg til de faste vaktene"))
    rule.get_by_label("fredag").check()
    rule.get_by_label("Start").fill("09:00")
    rule.get_by_label("Slutt").fill("11:00")
    rule.get_by_label("Første dag").fill((date.today() + timedelta(days=1)).isoformat())
    rule.get_by_label("Siste dag").fill((date.today() + timedelta(days=22)).isoformat())
    rule.get_by_role("button", name="Legg til de faste vaktene").click()
    expect(page.get_by_text(re.compile(r"\d vakter er lagt til\."))).to_be_visible()

    page.get_by_role("link", name=re.compile("^Flytt")).first.click()
    check_page(page, "move a shift")
    page.get_by_label("Start").fill("10:00")
    page.get_by_label("Slutt").fill("12:00")
    page.get_by_role("button", name="Flytt vakten").click()
    expect(page.get_by_text("Vakten er flyttet. Arbeidstakeren får beskjed.")).to_be_visible()
    expect(page.locator(".shift-list .tag", has_text="Endret")).to_have_count(1)

    page.get_by_role("link", name=re.compile("^Avlys")).first.click()
    check_page(page, "cancel a shift")
    page.get_by_role("button", name="Ja, avlys vakten").click()
    expect(page.locator(".shift-list .tag", has_text="Avlyst")).to_have_count(1)

    travel = page.locator("form", has=page.get_by_role("button", name="Lagre reise-tiden"))
    travel.get_by_label("Minutter på reisen til jobb").fill("mange")
    travel.get_by_role("button", name="Lagre reise-tiden").click()
    expect(page.get_by_text("Skriv et antall minutter fra 0 til 240.").first).to_be_visible()
    check_page(page, "travel form with an error")


def test_support_person_reads_the_workers_day_and_shifts(page, live_server, app, people):
    give_shifts(app, people.worker)
    token = new_sign_in_token(app, people.supporter)
    page.goto(f"{live_server}/signin/{token}")
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("link", name="Dagen til Ola").click()
    expect(page.get_by_text("Ola er på jobb nå")).to_be_visible()
    check_page(page, "support: day")
    page.goto(f"{live_server}/support/workers/{people.worker.id}/shifts")
    expect(page.locator("li.day-card, li.day-card--today")).to_have_count(14)
    check_page(page, "support: shifts")
