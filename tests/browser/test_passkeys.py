"""Passkeys in the real browser: Chromium's virtual authenticator (CDP WebAuthn domain) registers
a passkey on Innlogging og sikkerhet and then signs in with it, at 360x740, axe on each page
and state, and once by keyboard only. WebAuthn needs a domain as the RP id, never an IP
address, so the browser opens the live server as localhost (BASE_URL says so too)."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_keyboard import tab_to
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def base(app, live_server):
    url = live_server.replace("127.0.0.1", "localhost")
    app.config["BASE_URL"] = url
    return url


def virtual_authenticator(page) -> tuple:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    found = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True}})
    return cdp, found["authenticatorId"]


def tab_to_field(page, name, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == name:
            return
    raise AssertionError(f"Tab never reached the field {name!r}")


def password(page, base, user):
    page.goto(f"{base}/login")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def test_register_a_passkey_and_sign_in_with_it(page, base, people):
    cdp, authenticator = virtual_authenticator(page)
    password(page, base, people.specialist)
    expect(page.get_by_text("Gjør innloggingen tryggere")).to_be_visible()
    page.get_by_role("link", name="Innstillinger").click()
    page.get_by_role("link", name="Innlogging og sikkerhet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Innlogging og sikkerhet")
    check_page(page, "Innlogging og sikkerhet, no factor yet")

    # Without a name the browser is not asked; the problem is named on the page.
    page.get_by_role("button", name="Legg til passnøkkel").click()
    expect(page.get_by_role("alert")).to_have_text("Gi passnøkkelen et navn.")
    check_page(page, "Innlogging og sikkerhet, a passkey without a name")

    page.get_by_label("Navn på passnøkkelen").fill("Telefonen min")
    page.get_by_role("button", name="Legg til passnøkkel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dine reserve-koder")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    check_page(page, "the recovery codes, shown once")
    page.screenshot(path="test-artifacts/mfa-codes.png")
    page.get_by_role("link", name="Jeg har lagret kodene").click()
    expect(page.get_by_text("Telefonen min", exact=True)).to_be_visible()
    expect(page.get_by_text("Du har 10 ubrukte reserve-koder.")).to_be_visible()
    check_page(page, "Innlogging og sikkerhet, with a passkey")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["rpId"] == "localhost"

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/signed-out")
    password(page, base, people.specialist)
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn: andre steg")
    check_page(page, "the second step")
    page.screenshot(path="test-artifacts/mfa-second-step.png")
    page.get_by_role("button", name="Logg inn med passnøkkel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine arbeidstakere")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert credentials[0]["signCount"] >= 1


def test_the_code_app_pages(page, base, people):
    blocked = []  # the QR code is inline SVG: the strict CSP must not block any of it
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    password(page, base, people.organizer)
    page.goto(f"{base}/account/security")
    page.get_by_role("button", name="Bruk en kode-app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bruk en kode-app")
    expect(page.get_by_role("img", name="QR-kode for kode-appen")).to_be_visible()
    check_page(page, "the code app, set up")
    page.screenshot(path="test-artifacts/mfa-totp.png")
    secret = page.get_by_label("Kan du ikke skanne? Skriv inn denne nøkkelen i appen").input_value()
    wrong = "000000" if pyotp.TOTP(secret.replace(" ", "")).now() != "000000" else "111111"
    page.get_by_label("Koden fra kode-appen").fill(wrong)
    page.get_by_role("button", name="Bekreft").click()
    expect(page.get_by_text("Koden stemmer ikke.").first).to_be_visible()
    check_page(page, "the code app, a wrong code")
    page.get_by_label("Koden fra kode-appen").fill(pyotp.TOTP(secret.replace(" ", "")).now())
    page.get_by_role("button", name="Bekreft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dine reserve-koder")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert not blocked, blocked
    page.goto(f"{base}/account/security")
    expect(page.locator("summary", has_text="Fjern kode-appen")).to_be_visible()
    check_page(page, "Innlogging og sikkerhet, with the code app")

    # The second step with the code app and a recovery code, and a wrong code.
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/signed-out")
    password(page, base, people.organizer)
    expect(page.get_by_label("Koden fra kode-appen")).to_be_visible()
    page.get_by_label("Reserve-kode").fill("aaaaa-aaaaa")
    page.get_by_role("button", name="Logg inn med reserve-kode").click()
    expect(page.get_by_text("Reserve-koden stemmer ikke").first).to_be_visible()
    check_page(page, "the second step, a wrong recovery code")
    page.get_by_label("Reserve-kode").fill(codes[0])
    page.get_by_role("button", name="Logg inn med reserve-kode").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktiviteter")


def test_an_admin_resets_a_staff_members_second_factor(page, base, app, people):
    from tests.conftest import second_factor_passed

    password(page, base, people.admin)
    second_factor_passed(app, people.admin)
    page.goto(f"{base}/admin/users/{people.specialist.id}")
    expect(page.get_by_role("heading", name="Andre steg ved innlogging")).to_be_visible()
    check_page(page, "an admin's page for a staff member, with the reset")
    page.locator("summary", has_text="Nullstill andre steg").click()
    check_page(page, "the reset, asking first")
    page.get_by_role("button", name="Ja, nullstill og logg ut").click()
    expect(page.get_by_text("er nullstilt").first).to_be_visible()


def test_an_admin_is_sent_to_enrol_and_does_it_by_keyboard_only(page, base, people):
    virtual_authenticator(page)
    password(page, base, people.admin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Innlogging og sikkerhet")
    expect(page.get_by_text("Som administrator må du ha et andre steg")).to_be_visible()
    check_page(page, "Innlogging og sikkerhet, an admin who must enrol")
    page.screenshot(path="test-artifacts/mfa-admin.png")
    tab_to_field(page, "name")
    page.keyboard.type("PC på kontoret")
    tab_to(page, "Legg til passnøkkel")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dine reserve-koder")
    tab_to(page, "Jeg har lagret kodene")
    page.keyboard.press("Enter")
    # On to the page the admin first asked for, which now works.
    expect(page.get_by_role("heading", level=1)).to_have_text("Brukere")

    tab_to(page, "Logg ut")
    page.keyboard.press("Enter")
    page.wait_for_url("**/signed-out")
    password(page, base, people.admin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn: andre steg")
    tab_to(page, "Logg inn med passnøkkel")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Brukere")
