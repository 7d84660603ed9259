"""A specialist makes an API token for an employer's shift system, and reads the API's page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff

pytestmark = pytest.mark.browser


def test_specialist_makes_and_turns_off_an_api_token(page, live_server, app, people):
    sign_in_staff(page, live_server, people.specialist)
    page.get_by_role("link", name="API-nøkler").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-nøkler")
    check_page(page, "API-nøkler, empty")

    page.get_by_label("Navn", exact=True).fill("Vaktplan Kiwi")
    page.get_by_role("button", name="Lag nøkkel").click()
    expect(page.get_by_text("Velg minst én tilgang.").first).to_be_visible()
    expect(page.get_by_label("Navn", exact=True)).to_have_value("Vaktplan Kiwi")
    check_page(page, "API-nøkler, with an error")

    page.get_by_label("Se vakter (shifts:read)").check()
    page.get_by_label("Legge inn, flytte og avlyse vakter (shifts:write)").check()
    page.get_by_role("button", name="Lag nøkkel").click()
    secret = page.get_by_label("Nøkkel", exact=True).input_value()
    assert secret.startswith("wa_")
    check_page(page, "API-nøkler, the new key")

    page.get_by_text("Slå av").first.click()
    page.get_by_role("button", name="Ja, slå av nøkkelen").click()
    expect(page.get_by_text("Nøkkelen er slått av.")).to_be_visible()
    check_page(page, "API-nøkler, after turning off")
    page.screenshot(path="test-artifacts/api-tokens.png", full_page=True)

    page.get_by_role("link", name="Les om API-et").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API for andre systemer")
    check_page(page, "API docs")


def test_admin_sees_and_turns_off_someone_elses_token(page, live_server, app, people):
    from worker_app.extensions import db
    from worker_app.models import User
    from worker_app.services import api_tokens

    with app.app_context():
        api_tokens.create(db.session, db.session.get(User, people.specialist.id), "Vaktplan Kiwi", ["shifts:read"])
    sign_in_staff(page, live_server, people.admin, app)
    page.goto(f"{live_server}/api-tokens")
    expect(page.get_by_role("heading", name="Andres nøkler som virker")).to_be_visible()
    check_page(page, "API-nøkler, an admin's view")
    page.locator("summary", has_text="Slå av").click()
    page.get_by_role("button", name="Ja, slå av nøkkelen").click()
    expect(page.get_by_text("Nøkkelen er slått av.")).to_be_visible()
    expect(page.get_by_role("heading", name="Andres nøkler som virker")).to_have_count(0)
