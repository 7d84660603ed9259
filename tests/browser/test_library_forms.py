"""The checklist library's forms with a problem, in Chromium at 360×740: each problem is said
beside its field, what was typed stays, and the page passes axe in that state too."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff

pytestmark = pytest.mark.browser


def test_the_library_forms_name_each_problem_beside_its_field(page, live_server, people):
    Path("test-artifacts").mkdir(exist_ok=True)
    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/staff/checklists")
    page.get_by_role("button", name="Lag oppgaven").click()  # no name
    title = page.get_by_label("Navn på oppgaven")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#title-error")).to_contain_text("Skriv et navn på oppgaven.")
    check_page(page, "new checklist without a name")

    title.fill("Rydde handle-kurvene")
    page.get_by_role("button", name="Lag oppgaven").click()
    text = page.get_by_label("Hva skal arbeidstakeren gjøre?")
    text.fill(" ")
    page.get_by_label("Hint (valgfritt)").fill("Bruk kluten.")
    page.get_by_role("button", name="Legg til steget").click()
    expect(page.locator("#text-error")).to_contain_text("Skriv hva arbeidstakeren skal gjøre.")
    expect(page.get_by_label("Hint (valgfritt)")).to_have_value("Bruk kluten.")
    check_page(page, "a step without words")

    page.get_by_label("Hva skal arbeidstakeren gjøre?").fill("Hent kurvene ved kassene.")
    page.get_by_role("button", name="Legg til steget").click()
    expect(page.get_by_text("Steget er lagt til.")).to_be_visible()
    page.get_by_label("Én gang, denne dagen").fill("2030-01-07")
    page.get_by_role("button", name="Send oppgaven").click()  # nobody chosen
    expect(page.locator("#workers-error")).to_contain_text("Velg minst én arbeidstaker.")
    expect(page.get_by_label("Én gang, denne dagen")).to_have_value("2030-01-07")
    page.locator("#workers-error").scroll_into_view_if_needed()
    page.screenshot(path="test-artifacts/library-push-problem.png")
    check_page(page, "push to nobody")
