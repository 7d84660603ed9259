"""People using the real app in Chromium at 360×740, with axe on every page they visit."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.conftest import PASSWORD, new_sign_in_token, second_factor_passed
from worker_app.extensions import db
from worker_app.models import HelpRequest

pytestmark = pytest.mark.browser


def sign_in_worker(page, live_server, app, worker):
    token = new_sign_in_token(app, worker)
    page.goto(f"{live_server}/signin/{token}")
    check_page(page, "sign-in link page")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I dag")


def sign_in_staff(page, live_server, user, app=None):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    if user.role == "admin":
        # Admins are sent to enrol a second factor first (test_passkeys.py does that for real);
        # here the session is marked as having passed it, as tests/conftest.py does.
        expect(page.get_by_role("heading", level=1)).to_have_text("Innlogging og sikkerhet")
        second_factor_passed(app, user)
        page.goto(f"{live_server}/admin/users")


def test_worker_signs_in_with_a_link_and_visits_every_page(page, live_server, app, people):
    sign_in_worker(page, live_server, app, people.worker)
    expect(page.get_by_text("Hei, Ola.")).to_be_visible()
    safety = page.get_by_role("link", name="Ring trygghets-nummeret")
    expect(safety).to_have_attribute("href", "tel:+4780012345")
    check_page(page, "I dag")

    for label, title in [("Vakter", "Vakter"), ("Oppgaver", "Oppgaver"), ("Lære", "Lære"),
                         ("Aktiviteter", "Aktiviteter"), ("I dag", "I dag")]:
        page.get_by_role("navigation", name="Hoved-meny").get_by_role("link", name=label).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("link", name="Ring trygghets-nummeret")).to_be_visible()
        check_page(page, title)

    page.get_by_role("link", name="Hjelp").first.click()
    check_page(page, "Hjelp")
    page.get_by_role("link", name="Jeg trenger hjelp").click()
    check_page(page, "Jeg trenger hjelp")
    page.get_by_role("button", name="Jeg kommer for sent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen er sendt")
    expect(page.get_by_text("Jobb-spesialisten din har fått meldingen.")).to_be_visible()
    check_page(page, "Meldingen er sendt")

    page.goto(f"{live_server}/sharing")
    expect(page.get_by_text("Anne Johansen (mor)")).to_be_visible()
    check_page(page, "Hvem ser hva?")
    page.get_by_role("link", name=re.compile("Stopp")).first.click()
    check_page(page, "Stoppe?")
    page.get_by_role("button", name="Ja, stopp").click()
    expect(page.get_by_text("Ingen andre ser noe av det som er ditt.")).to_be_visible()

    page.goto(f"{live_server}/settings")
    check_page(page, "Innstillinger")
    page.get_by_role("button", name="Norsk nynorsk").click()  # saved by the tap
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    page.get_by_role("button", name="Stor", exact=True).click()
    expect(page.locator("html")).to_have_class("text-large")
    expect(page.get_by_role("button", name="Les høgt")).to_be_visible()
    check_page(page, "Innstillingar")

    page.goto(f"{live_server}/settings/picture-code")
    check_page(page, "Bilde-kode")
    for picture in ("Hund", "Stjerne", "Fisk"):
        page.get_by_text(picture, exact=True).click()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status").first).to_contain_text("3")


def test_read_aloud_plays_audio_made_by_the_server_when_there_is_no_norwegian_voice(
        page, live_server, app, people):
    from worker_app.services import read_aloud

    if read_aloud.tools() is None:
        pytest.skip("espeak-ng and lame are set up by make")
    sign_in_worker(page, live_server, app, people.worker)
    button = page.get_by_role("button", name="Les høyt")
    expect(button).to_be_visible()
    page.evaluate("() => { speechSynthesis.getVoices = () => []; }")  # the test browser has none
    with page.expect_response(lambda r: r.url.endswith(".mp3")) as played:
        button.click()
    assert played.value.status in (200, 206)
    data = page.request.get(played.value.url).body()
    assert data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0), data[:4]
    # Spoken, not written: no "can't read aloud" text.
    expect(page.get_by_text("Telefonen din kan ikke lese høyt på norsk.")).to_be_hidden()
    check_page(page, "I dag, read aloud")


def test_keyboard_reaches_the_safety_call_and_every_nav_button(page, live_server, app, people):
    sign_in_worker(page, live_server, app, people.worker)
    reached = []
    for _ in range(25):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "() => (document.activeElement.innerText || document.activeElement.getAttribute('href') || '').trim()"))
    assert reached[0] == "Gå til innholdet"
    assert reached[1].split("\n") == ["Ring trygghets-nummeret", "800 12 345"]
    for label in ("I dag", "Vakter", "Oppgaver", "Lære", "Aktiviteter", "Jeg trenger hjelp"):
        assert label in reached, reached
    focus_ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert float(focus_ring.removesuffix("px")) >= 2


def test_pages_read_and_the_safety_call_works_without_javascript(browser, live_server, app, people):
    context = browser.new_context(java_script_enabled=False, locale="nb-NO",
                                  viewport={"width": 360, "height": 740})
    page = context.new_page()
    token = new_sign_in_token(app, people.worker)
    page.goto(f"{live_server}/signin/{token}")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_text("Hei, Ola.")).to_be_visible()
    expect(page.get_by_role("link", name="Ring trygghets-nummeret")).to_have_attribute(
        "href", "tel:+4780012345")
    expect(page.get_by_role("button", name="Les høyt")).to_be_hidden()
    page.get_by_role("link", name="Jeg trenger hjelp").click()
    page.get_by_role("button", name="Jeg er syk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen er sendt")
    context.close()


def test_a_used_link_and_error_pages_are_calm_and_keep_the_safety_call(page, live_server, app, people):
    token = new_sign_in_token(app, people.worker)
    page.goto(f"{live_server}/signin/{token}")
    page.get_by_role("button", name="Logg inn").click()
    page.context.clear_cookies()
    page.goto(f"{live_server}/signin/{token}")
    expect(page.get_by_text("Be jobb-spesialisten din om en ny lenke.")).to_be_visible()
    expect(page.get_by_role("link", name="Ring trygghets-nummeret")).to_be_visible()
    check_page(page, "used link")
    page.goto(f"{live_server}/finnes-ikke")
    expect(page.get_by_role("link", name="Ring trygghets-nummeret")).to_be_visible()
    check_page(page, "404")
    page.goto(f"{live_server}/components")
    check_page(page, "components")


def test_specialist_handles_help_and_makes_a_sign_in_link(page, live_server, app, people):
    with app.app_context():
        db.session.add(HelpRequest(worker_id=people.worker.id, reason="sad"))
        db.session.commit()
    page.goto(f"{live_server}/login")
    check_page(page, "login")
    page.get_by_label("E-post").fill(people.specialist.email)
    page.get_by_label("Passord").fill("wrong password")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_text("E-post eller passord er feil.").first).to_be_visible()
    expect(page.get_by_label("E-post")).to_have_value(people.specialist.email)
    check_page(page, "login with error")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine arbeidstakere")
    check_page(page, "Mine arbeidstakere")
    page.get_by_role("button", name=re.compile("Merk som behandlet")).click()  # htmx swap
    expect(page.locator(".help-request .status--done")).to_have_text("Behandlet")
    page.get_by_role("link", name="Ola Johansen").click()
    check_page(page, "worker page")
    page.get_by_role("button", name="Lag innloggings-lenke", exact=True).click()
    expect(page.locator(".qr svg")).to_be_visible()
    link = page.get_by_label(re.compile("kopier lenken")).input_value()
    assert "/signin/" in link
    check_page(page, "sign-in link")


def test_admin_pages(page, live_server, app, people):
    sign_in_staff(page, live_server, people.admin, app)
    expect(page.get_by_role("heading", level=1)).to_have_text("Brukere")
    check_page(page, "Brukere")
    page.get_by_role("link", name="Ny bruker").click()
    page.get_by_label("Navn").fill("Ny Ansatt")
    page.get_by_label("Rolle").select_option("specialist")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Ansatte trenger en e-post-adresse.").first).to_be_visible()
    expect(page.get_by_label("Navn")).to_have_value("Ny Ansatt")
    check_page(page, "new user with error")
    page.goto(f"{live_server}/admin/safety")
    check_page(page, "Trygghets-nummeret")
    page.goto(f"{live_server}/admin/audit")
    check_page(page, "Logg")
    page.goto(f"{live_server}/admin/audit?worker={'x' * 161}")  # the field's maxlength stops typing it
    expect(page.get_by_text("Navnet er for langt.").first).to_be_visible()
    check_page(page, "Logg with an error")
    page.get_by_label("Gjelder (navn)").fill("")
    page.get_by_label("Gjort av (navn)").fill("Ingrid")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("cell", name="login.ok").first).to_be_visible()
    check_page(page, "Logg filtered by person")
    page.screenshot(path="/tmp/audit-log-page.png", full_page=True)
    page.goto(f"{live_server}/admin/users/{people.organizer.id}")
    page.get_by_label(re.compile("Region-arrangør")).check()
    page.get_by_role("button", name="Lagre").last.click()
    expect(page.get_by_label(re.compile("Region-arrangør"))).to_be_checked()
    check_page(page, "an organizer's user page")
    page.screenshot(path="/tmp/audit-organizer-user.png", full_page=True)


def test_support_person_page(page, live_server, app, people):
    token = new_sign_in_token(app, people.supporter)
    page.goto(f"{live_server}/signin/{token}")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_text("Ola Johansen")).to_be_visible()
    check_page(page, "support")
