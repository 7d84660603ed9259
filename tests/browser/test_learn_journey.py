"""Lære in Chromium at 360×740: a worker takes a lesson, gets one answer wrong, then right."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff, sign_in_worker

pytestmark = pytest.mark.browser
SLUG = "trygghets-nummeret"


def test_worker_takes_a_lesson_and_the_quiz(page, live_server, app, people):
    Path("test-artifacts").mkdir(exist_ok=True)
    sign_in_worker(page, live_server, app, people.worker)
    page.get_by_role("navigation", name="Hoved-meny").get_by_role("link", name="Lære").click()
    check_page(page, "Lære")
    page.get_by_role("link", name="Når noe føles galt").click()
    expect(page.get_by_text("Side 1 av 3")).to_be_visible()
    check_page(page, "lesson screen 1")
    page.screenshot(path="test-artifacts/lesson-screen.png", full_page=True)
    page.get_by_role("link", name="Neste").click()
    expect(page.get_by_text("Side 2 av 3")).to_be_visible()
    page.get_by_role("link", name="Tilbake").click()
    expect(page.get_by_text("Side 1 av 3")).to_be_visible()
    page.get_by_role("link", name="Neste").click()
    page.get_by_role("link", name="Neste").click()
    page.get_by_role("link", name="Neste: spørsmål").click()
    check_page(page, "quiz question")

    page.get_by_role("button", name="Ikke si noe").click()
    expect(page.get_by_text("Ikke helt.")).to_be_visible()
    expect(page.get_by_text("Det er lurt å si fra.", exact=False)).to_be_visible()
    check_page(page, "quiz after a wrong answer")
    page.screenshot(path="test-artifacts/quiz-wrong.png", full_page=True)
    page.get_by_role("button", name="Ringe trygghets-nummeret").click()
    expect(page.get_by_text("Riktig.")).to_be_visible()
    check_page(page, "quiz after a right answer")
    page.get_by_role("link", name="Neste").click()
    page.get_by_role("button", name="Ja").click()
    page.get_by_role("link", name="Neste").click()
    expect(page.get_by_text("Du er ferdig med leksjonen. Bra jobbet.")).to_be_visible()
    check_page(page, "lesson done")
    page.get_by_role("link", name="Gå til Lære").click()
    expect(page.get_by_role("link", name="Når noe føles galt")).to_contain_text("Ferdig")
    page.goto(f"{live_server}/learn/certificate")
    check_page(page, "certificate, not yet")


def test_specialist_follows_the_lessons(page, live_server, app, people):
    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/staff/workers/{people.worker.id}#lessons")
    page.get_by_role("button", name=re.compile(r"^Anbefal\W+Når noe føles galt")).click()
    expect(page.get_by_text("Leksjonen er anbefalt. Den vises på I dag.")).to_be_visible()
    check_page(page, "worker page with lessons")
