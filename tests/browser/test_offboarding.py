"""Off-boarding in Chromium at 360x740: the worker's erasure request, and the admin's user page
with its confirms (deactivate, sign out everywhere, erase, hand over), axe on every page and
state, and the confirms by keyboard only."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff, sign_in_worker
from tests.browser.test_keyboard import tab_to
from worker_app.extensions import db
from worker_app.models import Erasure, User

pytestmark = pytest.mark.browser


def test_the_worker_asks_for_everything_to_be_deleted(page, live_server, app, people):
    sign_in_worker(page, live_server, app, people.worker)
    page.goto(f"{live_server}/my-data")
    page.get_by_role("link", name="Slette alt om deg").click()
    expect(page.get_by_text("Vil du at vi sletter alt om deg?")).to_be_visible()
    check_page(page, "the erasure question")
    yes = page.get_by_role("button", name="Ja, slett alt")
    box = yes.bounding_box()
    assert box["y"] + box["height"] <= 740, "the answer is on the first screen"
    page.screenshot(path="test-artifacts/erase-ask.png", full_page=True)
    # Keyboard only: Tab to "Ja, slett alt", Enter.
    tab_to(page, "Ja, slett alt")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Vi har fått beskjeden din.")).to_be_visible()
    check_page(page, "the erasure request arrived")
    page.screenshot(path="test-artifacts/erase-asked.png", full_page=True)
    with app.app_context():
        assert db.session.scalars(db.select(Erasure.state)).one() == "asked"


def test_the_worker_sees_the_answer(page, live_server, app, people):
    with app.app_context():
        from worker_app.services import erasure

        row = erasure.ask(db.session, db.session.get(User, people.worker.id))
        erasure.answer(db.session, db.session.get(User, people.admin.id), row,
                       "Vi må ta vare på vaktene i 1 år til.")
        db.session.commit()
    sign_in_worker(page, live_server, app, people.worker)
    page.goto(f"{live_server}/my-data/erase")
    expect(page.get_by_text("Vi må ta vare på vaktene i 1 år til.")).to_be_visible()
    check_page(page, "the admin's answer")


def test_the_admin_user_page_and_its_confirms(page, live_server, app, people):
    with app.app_context():
        from worker_app.services import erasure

        erasure.ask(db.session, db.session.get(User, people.second_worker.id))
        db.session.commit()
    sign_in_staff(page, live_server, people.admin, app)
    page.goto(f"{live_server}/admin/users/{people.worker.id}")
    expect(page.get_by_role("heading", name="Tilgang og sletting")).to_be_visible()
    check_page(page, "admin user page")
    page.screenshot(path="test-artifacts/admin-user.png", full_page=True)

    # Sign out everywhere, by keyboard only: the link, then the confirm.
    tab_to(page, "Logg ut overalt")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logge ut Ola Johansen overalt?")
    check_page(page, "sign-out confirm")
    tab_to(page, "Ja, logg ut overalt")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ola Johansen er logget ut overalt.")).to_be_visible()

    # Deactivate, by keyboard only; then the page offers to activate again.
    tab_to(page, "Deaktiver")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deaktivere Ola Johansen?")
    check_page(page, "deactivate confirm")
    tab_to(page, "Ja, deaktiver")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ola Johansen er deaktivert.")).to_be_visible()
    expect(page.get_by_role("link", name="Aktiver igjen")).to_be_visible()
    check_page(page, "admin user page, deactivated")

    # Erase: the tick is needed; without it the problem is named; by keyboard only.
    tab_to(page, "Slett personen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Slette Ola Johansen?")
    check_page(page, "erase confirm")
    page.screenshot(path="test-artifacts/admin-erase.png", full_page=True)
    tab_to(page, "Slett for alltid")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Kryss av")
    check_page(page, "erase confirm with its problem")
    page.get_by_label("Jeg forstår at slettingen ikke kan angres.").focus()
    page.keyboard.press("Space")
    tab_to(page, "Slett for alltid")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sletting")
    expect(page.get_by_text("ble slettet")).to_be_visible()
    expect(page.get_by_text("Emma Larsen ba om å få slettet alt")).to_be_visible()
    check_page(page, "erasures list")
    page.screenshot(path="test-artifacts/admin-erasures.png", full_page=True)

    page.get_by_role("link", name="Svar uten å slette").click()
    check_page(page, "answer form")
    page.get_by_role("button", name="Send svaret").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv svaret")
    check_page(page, "answer form with its problem")

    page.goto(f"{live_server}/admin/users/{people.specialist.id}/handover")
    check_page(page, "hand-over form")
    page.get_by_role("button", name="Gi videre").click()
    expect(page.get_by_role("alert")).to_contain_text("Velg en annen jobb-spesialist.")
    check_page(page, "hand-over form with its problem")
    page.get_by_label("Ny jobb-spesialist").select_option(label="Per Hansen")
    tab_to(page, "Gi videre")
    page.keyboard.press("Enter")
    expect(page.get_by_text("arbeidstakere er gitt videre")).to_be_visible()
