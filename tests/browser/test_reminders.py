"""Reminders in Chromium at 360×740: a push delivered to the service worker through the
DevTools protocol shows the notification, its "Jeg har gått" button is recorded by the server,
the specialist's open page shows a new help request by itself, and axe on every new page."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.conftest import PASSWORD, new_sign_in_token
from worker_app import pictograms
from worker_app.extensions import db
from worker_app.models import HelpRequest, LeftHome, Reminder, Shift, User, Workplace
from worker_app.services import reminders

pytestmark = pytest.mark.browser


def _shift_soon(app, people) -> int:
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        worker.travel_minutes, worker.ready_minutes = 20, 20
        place = Workplace(name="Fjordhotellet", contact_name="Hilde", contact_phone="+47 55 00 11 22")
        db.session.add(place)
        db.session.flush()
        start = datetime.now(UTC) + timedelta(minutes=30)
        shift = Shift(worker_id=worker.id, workplace_id=place.id, starts_at=start, ends_at=start + timedelta(hours=3))
        db.session.add(shift)
        db.session.commit()
        return shift.id


def _sign_in_worker(page, base, app, worker):
    page.goto(f"{base}/signin/{new_sign_in_token(app, worker)}")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("I dag")


def _leave_home_message(app, worker_id, shift_id) -> str:
    """What the sender would push for this shift's leave-home moment, made by the same code."""
    with app.app_context():
        shift = db.session.get(Shift, shift_id)
        worker = db.session.get(User, worker_id)
        row = Reminder(key="browser-test", user=worker, worker=worker, kind="leave_home", shift=shift,
                       shift_id=shift.id, due_at=reminders.moments(shift, worker).leave_home)
        message = reminders.message(db.session, row, app.config["SECRET_KEY"])
        db.session.rollback()
        return json.dumps(message, ensure_ascii=False)


NOTIFICATIONS = """() => navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => ns.map(n => ({
    title: n.title, body: n.body, icon: n.icon, tag: n.tag,
    actions: n.actions.map(a => ({action: a.action, title: a.title})), data: n.data})))"""


def test_a_push_shows_jeg_har_gatt_and_pressing_it_is_recorded(page, context, live_server, app, people):
    Path("test-artifacts").mkdir(exist_ok=True)
    shift_id = _shift_soon(app, people)
    base = live_server
    context.grant_permissions(["notifications"], origin=base)
    _sign_in_worker(page, base, app, people.worker)
    # The service worker controls the pages opened after it is ready (the first one may load first).
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30000)

    # I dag: the top card, between get-ready time and the shift.
    expect(page.locator("#now-card")).to_contain_text("Gå hjemme-fra kl.")
    expect(page.locator("#now-card").get_by_role("button", name="Jeg har gått")).to_be_visible()
    page.screenshot(path="test-artifacts/reminders-i-dag.png")
    check_page(page, "I dag with the reminder card")

    registrations: list[dict] = []
    cdp = context.new_cdp_session(page)
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if any(not r["isDeleted"] for r in registrations):
            break
        page.wait_for_timeout(100)
    (registration,) = {r["registrationId"] for r in registrations if not r["isDeleted"]}
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": base, "registrationId": registration,
        "data": _leave_home_message(app, people.worker.id, shift_id)})

    shown = []
    for _ in range(150):  # up to 15 s: on a loaded machine the push can take seconds to show
        shown = page.evaluate(NOTIFICATIONS)
        if shown:
            break
        page.wait_for_timeout(100)
    (notification,) = shown
    assert notification["title"] == "Gå hjemme-fra nå"
    assert re.fullmatch(r"Vakten begynner kl\. \d\d:\d\d\.", notification["body"])
    assert notification["icon"].endswith(f"/static/vendor/openmoji/{pictograms.code('leave_home')}.svg")
    assert notification["actions"] == [{"action": "left", "title": "Jeg har gått"}]
    assert notification["data"]["url"] == "/"

    # The "Jeg har gått" button, answered by the service worker's own handler.
    page.evaluate("""tag => navigator.serviceWorker.controller.postMessage(
        {type: 'notification-action', tag: tag, action: 'left'})""", notification["tag"])
    answer = None
    for _ in range(50):
        with app.app_context():
            answer = db.session.query(LeftHome).filter_by(shift_id=shift_id).one_or_none()
        if answer:
            break
        page.wait_for_timeout(100)
    assert answer is not None and answer.via == "push" and answer.left_at is not None
    assert page.evaluate(NOTIFICATIONS) == []  # closed once answered

    page.reload()
    expect(page.locator("#now-card")).to_contain_text("Du trykket «Jeg har gått» kl.")
    check_page(page, "I dag after Jeg har gått")


def test_innstillinger_reminder_switches_and_jeg_blir_sen(page, live_server, app, people):
    shift_id = _shift_soon(app, people)
    base = live_server
    _sign_in_worker(page, base, app, people.worker)
    page.goto(f"{base}/settings")
    section = page.locator("#reminders")
    expect(section).to_contain_text("Gjør deg klar: På")
    section.get_by_role("button", name=re.compile(r"^Slå av\W+Gjør deg klar$")).click()
    expect(page.locator("#reminders")).to_contain_text("Gjør deg klar: Av")
    page.screenshot(path="test-artifacts/reminders-settings.png", full_page=True)
    check_page(page, "Innstillinger with reminders")

    page.goto(f"{base}/")
    page.locator("#now-card").get_by_role("button", name="Jeg blir sen").click()
    expect(page.locator("#now-card")).to_contain_text("Du blir sen")
    call = page.locator("#now-card").get_by_role("link", name="Ring lederen")
    assert call.get_attribute("href") == "tel:+4755001122"
    check_page(page, "I dag after Jeg blir sen")
    with app.app_context():
        assert db.session.query(LeftHome).filter_by(shift_id=shift_id).one().late_at is not None


def test_the_specialists_open_page_shows_a_new_help_request_by_itself(page, live_server, app, people):
    base = live_server
    page.goto(f"{base}/login")
    page.get_by_label("E-post").fill(people.specialist.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mine arbeidstakere")
    # Scrolled down a little (a wheel scrolls smoothly, after the call returns: set it at once).
    # A short window, so the page can scroll whatever signs the hour of the run brings.
    page.set_viewport_size({"width": 360, "height": 400})
    scrolled = page.evaluate("() => { window.scrollTo(0, 100); return window.scrollY; }")
    assert scrolled > 0
    with app.app_context():
        db.session.add(HelpRequest(worker_id=people.worker.id, reason="unsafe"))
        db.session.commit()
    started = time.monotonic()
    expect(page.locator("#caseload")).to_contain_text("Jeg føler meg utrygg", timeout=30000)
    waited = time.monotonic() - started
    assert waited <= 25, waited  # within the 20-second polling interval (and a little)
    assert page.evaluate("window.scrollY") == scrolled  # no reload, same place
    check_page(page, "Mine arbeidstakere with a new request")


def test_the_receipt_updates_by_itself_and_leads_back(page, live_server, app, people, sign_in):
    base = live_server
    _sign_in_worker(page, base, app, people.worker)
    page.goto(f"{base}/help/ask")
    page.get_by_role("button", name="Jeg er lei meg").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meldingen er sendt")
    check_page(page, "the receipt, not seen yet")
    with app.app_context():
        request = db.session.query(HelpRequest).one()
        request.seen_at, request.seen_by_id = datetime.now(UTC), people.specialist.id
        db.session.commit()
    expect(page.locator("#receipt")).to_contain_text(re.compile(r"Kari har sett meldingen kl\. \d\d:\d\d\."),
                                                      timeout=30000)
    page.screenshot(path="test-artifacts/reminders-receipt.png")
    check_page(page, "the receipt, seen")
