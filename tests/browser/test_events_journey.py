"""Aktiviteter in Chromium at 360×740, with axe on every page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff
from tests.conftest import new_sign_in_token
from worker_app.extensions import db
from worker_app.models import Event

pytestmark = pytest.mark.browser


def make_event(app, **fields):
    start = datetime.now(UTC) + timedelta(days=5)
    with app.app_context():
        event = Event(title=fields.pop("title", "Grilling i parken"), place="Nygårdsparken",
                      meeting_point="Vi møtes ved fontenen.", pictogram="1F356",
                      description="Vi griller pølser. Alt er gratis.", starts_at=start,
                      ends_at=start + timedelta(hours=3), **fields)
        db.session.add(event)
        db.session.commit()
        return event.id


def signed_in_worker(browser, live_server, app, worker):
    context = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server}/signin/{new_sign_in_token(app, worker)}")
    page.get_by_role("button", name="Logg inn").click()
    return context, page


def test_waiting_list_journey(browser, live_server, app, people):
    make_event(app, capacity=1)
    first_context, first = signed_in_worker(browser, live_server, app, people.worker)
    second_context, second = signed_in_worker(browser, live_server, app, people.second_worker)

    first.goto(f"{live_server}/events")
    check_page(first, "Aktiviteter")
    first.get_by_role("button", name=re.compile("^Jeg vil være med")).click()
    expect(first.get_by_text("Du er med.")).to_be_visible()
    check_page(first, "one event")

    second.goto(f"{live_server}/events")
    expect(second.get_by_text("Fullt")).to_be_visible()
    second.get_by_role("button", name=re.compile("^Sett meg på vente-listen")).click()
    expect(second.get_by_text("Du står på vente-listen.")).to_be_visible()
    second.goto(f"{live_server}/events")
    expect(second.get_by_text("På vente-listen, nummer 1")).to_be_visible()

    first.goto(f"{live_server}/events")
    first.locator("summary", has_text="Jeg kan ikke komme").click()  # asks first
    expect(first.get_by_text("Da mister du plassen din.")).to_be_visible()
    check_page(first, "Jeg kan ikke komme asks first")
    first.get_by_role("button", name=re.compile("^Ja, meld meg av")).click()
    expect(first.get_by_text("Du er ikke med lenger.")).to_be_visible()

    second.goto(f"{live_server}/")
    expect(second.get_by_text(re.compile("Du har fått plass: Grilling i parken"))).to_be_visible()
    check_page(second, "I dag with a place on an event")
    first_context.close()
    second_context.close()


def test_organizer_and_guest_pages(page, browser, live_server, app, people):
    event_id = make_event(app, title="Kafé-treff", invite_only=True, capacity=10, guest_limit=1,
                          created_by_id=people.organizer.id)
    sign_in_staff(page, live_server, people.organizer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktiviteter")
    check_page(page, "organizer list")
    page.get_by_role("link", name="Ny aktivitet").click()
    page.get_by_label("Navn på aktiviteten").fill("Spill-kveld")
    page.get_by_label("Sted", exact=True).fill("Frivillig-sentralen")
    page.get_by_label("Dato").fill((datetime.now(UTC) + timedelta(days=9)).date().isoformat())
    page.get_by_label("Start").fill("20:00")
    page.get_by_label("Slutt").fill("18:00")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Slutten må være etter starten.").first).to_be_visible()
    check_page(page, "event form with an error")
    page.goto(f"{live_server}/organize/events/{event_id}")
    check_page(page, "attendees")
    link = page.get_by_label("Invitasjons-lenke").input_value()

    guest = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 740}).new_page()
    guest.goto(link)
    check_page(guest, "guest invitation")
    guest.get_by_label("Navnet ditt").fill("Mari Gjest")
    guest.get_by_label("Mobil-nummeret ditt").fill("912 34 567")
    guest.get_by_role("button", name="Jeg vil være med").click()
    expect(guest.get_by_text("Du må si ja til at vi lagrer navnet og nummeret ditt.").first).to_be_visible()
    check_page(guest, "guest form with an error")
    guest.get_by_label(re.compile("Ja, de frivillige kan lagre")).check()
    guest.get_by_role("button", name="Jeg vil være med").click()
    expect(guest.get_by_text("Du er med, Mari Gjest.")).to_be_visible()
    expect(guest.get_by_role("link", name="Ring trygghets-nummeret")).to_be_visible()
    guest.context.close()
    # The one guest place is taken: the next guest is told so, simply, without a form.
    late = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 740}).new_page()
    late.goto(link)
    expect(late.get_by_text("Det er ikke plass til flere gjester.")).to_be_visible()
    expect(late.get_by_label("Mobil-nummeret ditt")).to_have_count(0)
    check_page(late, "guest places taken")
    late.screenshot(path="/tmp/audit-guests-full.png")
    late.context.close()
