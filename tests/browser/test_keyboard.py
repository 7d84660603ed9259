"""Keyboard only: the main action of a checklist step and of an event, by Tab and Enter."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import sign_in_worker
from worker_app.extensions import db
from worker_app.models import Event, User
from worker_app.services import schedule, tasks

pytestmark = pytest.mark.browser


def tab_to(page, name, limit=40):
    """Press Tab until the focused element's text starts with `name`; then it is there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("() => (document.activeElement.innerText || '').trim()")
        if text.startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_step_and_an_event_by_keyboard_only(page, live_server, app, people):
    now = datetime.now(UTC)
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        checklist = tasks.create_checklist(db.session, owner, "Fylle kaffe-maskinen", "2615")
        for text in ("Fyll vann.", "Trykk start."):
            tasks.add_step(db.session, checklist, text=text, pictogram="2615")
        (assignment,) = tasks.push(db.session, checklist, by=owner, on_date=schedule.oslo(now).date(),
                                   workers=[db.session.get(User, people.worker.id)])
        event = Event(title="Tur i skogen", place="Fløyen", starts_at=now + timedelta(days=3),
                      ends_at=now + timedelta(days=3, hours=2))
        db.session.add(event)
        db.session.commit()
        assignment_id, event_id = assignment.id, event.id
    sign_in_worker(page, live_server, app, people.worker)

    page.goto(f"{live_server}/tasks/{assignment_id}/step/1")
    tab_to(page, "Ferdig")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Steg 2 av 2")).to_be_visible()
    tab_to(page, "Jeg trenger hjelp")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen er sendt")

    page.goto(f"{live_server}/events/{event_id}")
    tab_to(page, "Jeg vil være med")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Du er med.")).to_be_visible()


def test_an_api_token_and_more_events_by_keyboard_only(page, live_server, app, people):
    from tests.browser.test_journeys import sign_in_staff

    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/api-tokens")
    page.keyboard.press("Tab")  # the skip link, then the menu and the page
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "name":
            break
    page.keyboard.type("Vaktplan")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first scope: Se vakter
    tab_to(page, "Lag nøkkel")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Nøkkel", exact=True)).to_have_value(re.compile(r"^wa_"))
    tab_to(page, "Slå av")
    page.keyboard.press("Enter")  # opens the confirm
    tab_to(page, "Ja, slå av nøkkelen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Nøkkelen er slått av.")).to_be_visible()

    now = datetime.now(UTC)
    with app.app_context():
        db.session.add_all([Event(title=f"Tur {i:02d}", place="Fløyen", starts_at=now + timedelta(days=i + 1),
                                  ends_at=now + timedelta(days=i + 1, hours=2)) for i in range(11)])
        db.session.commit()
    sign_in_worker(page, live_server, app, people.worker)
    page.goto(f"{live_server}/events")
    tab_to(page, "Vis flere aktiviteter", limit=80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tur 10")).to_be_in_viewport()


def test_the_confirms_by_keyboard_only(page, live_server, app, people):
    """Jeg kan dette nå, Jeg kan ikke komme and Logg ut på denne telefonen each ask first: Enter
    on the first button opens the question, Tab reaches the second, Enter does it."""
    now = datetime.now(UTC)
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        worker = db.session.get(User, people.worker.id)
        checklist = tasks.create_checklist(db.session, owner, "Fylle kaffe-maskinen", "2615")
        tasks.add_step(db.session, checklist, text="Fyll vann.", pictogram="2615")
        (assignment,) = tasks.push(db.session, checklist, by=owner, on_date=schedule.oslo(now).date(),
                                   workers=[worker])
        event = Event(title="Tur i skogen", place="Fløyen", starts_at=now + timedelta(days=3),
                      ends_at=now + timedelta(days=3, hours=2))
        db.session.add(event)
        db.session.commit()
        assignment_id, event_id = assignment.id, event.id
    sign_in_worker(page, live_server, app, people.worker)

    page.goto(f"{live_server}/tasks/{assignment_id}/step/1")
    tab_to(page, "Jeg kan dette nå")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Jobb-spesialisten får vite at du kan dette steget.")).to_be_visible()
    tab_to(page, "Ja, jeg kan dette")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Jobb-spesialisten får beskjed om at du kan dette nå.")).to_be_visible()

    page.goto(f"{live_server}/events/{event_id}")
    tab_to(page, "Jeg vil være med")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Du er med.")).to_be_visible()
    tab_to(page, "Jeg kan ikke komme")  # in the same place: only opens the question
    page.keyboard.press("Enter")
    expect(page.get_by_text("Da mister du plassen din.")).to_be_visible()
    expect(page.get_by_text("Du er med.")).to_be_visible()
    tab_to(page, "Ja, meld meg av")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Du er ikke med lenger.")).to_be_visible()

    page.goto(f"{live_server}/settings")
    tab_to(page, "Logg ut på denne telefonen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Da trenger du en ny lenke fra jobb-spesialisten")).to_be_visible()
    page.keyboard.press("Enter")  # closes it again: nothing happened
    expect(page.get_by_role("button", name="Ja, logg ut")).to_be_hidden()
    page.keyboard.press("Enter")
    tab_to(page, "Ja, logg ut")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut")
