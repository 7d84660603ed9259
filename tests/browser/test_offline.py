"""Without net, in Chromium at 360×740: the service worker keeps the worker's day, and the
server process really goes away (not only `context.set_offline`, which does not cover a service
worker's own requests in every Chromium version). axe on the offline page and a kept page."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.browser.conftest import check_page
from tests.conftest import new_sign_in_token
from worker_app.extensions import db
from worker_app.models import HelpRequest, Run, Shift, StepDone, User
from worker_app.services import auth as auth_service
from worker_app.services import schedule, tasks
from worker_app.web import lock as picture_lock

pytestmark = pytest.mark.browser


class _OneRequestPerConnection(WSGIRequestHandler):
    # HTTP/1.0: every connection closes after its answer, so no kept-alive connection keeps
    # answering after the server is stopped.
    protocol_version = "HTTP/1.0"


class Server:
    """The app on 127.0.0.1, stopped and started again on the same port (same app, same
    database), the way a server process goes away and comes back."""

    def __init__(self, app):
        self.app, self.port, self._server, self._thread = app, 0, None, None

    def start(self):
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=True,
                                   request_handler=_OneRequestPerConnection)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@pytest.fixture
def server(app):
    running = Server(app)
    app.config["BASE_URL"] = running.start()
    yield running
    if running._thread.is_alive():
        running.stop()


def _a_day_with_a_checklist(app, people):
    now = datetime.now(UTC)
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        worker = db.session.get(User, people.worker.id)
        checklist = tasks.create_checklist(db.session, owner, "Fylle kaffe-maskinen", "2615")
        for text in ("Fyll vann i tanken.", "Sett i en ny pose.", "Trykk på start."):
            tasks.add_step(db.session, checklist, text=text, pictogram="2615")
        (assignment,) = tasks.push(db.session, checklist, by=owner, workers=[worker],
                                   on_date=schedule.oslo(now).date())
        db.session.add(Shift(worker_id=worker.id, starts_at=now + timedelta(hours=2),
                             ends_at=now + timedelta(hours=5)))
        db.session.commit()
        return assignment.id


def _sign_in(page, base, app, worker):
    page.goto(f"{base}/signin/{new_sign_in_token(app, worker)}")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("I dag")


def _wait_until_kept(page):
    """The service worker is in charge and has kept the pages I dag warms."""
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'warmed'",
                           timeout=60000)
    # The next page the phone opens goes through it (this one may still be without it).
    assert page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.active.state)") == "activated"


def _ticks(app, assignment_id):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StepDone).join(Run, Run.id == StepDone.run_id)
                                 .where(Run.assignment_id == assignment_id))


def test_the_day_stays_readable_and_a_tick_without_net_arrives_once(page, server, app, people):
    Path("test-artifacts").mkdir(exist_ok=True)
    assignment_id = _a_day_with_a_checklist(app, people)
    base = app.config["BASE_URL"]
    _sign_in(page, base, app, people.worker)
    _wait_until_kept(page)

    server.stop()
    safety = page.get_by_role("link", name="Ring trygghets-nummeret").first
    for path, heading, content in (
            ("/", "I dag", "Fylle kaffe-maskinen"),
            ("/shifts", "Vakter", "I dag"),
            ("/tasks", "Oppgaver", "Fylle kaffe-maskinen"),
            (f"/tasks/{assignment_id}/step/2", "Fylle kaffe-maskinen", "Sett i en ny pose."),
            ("/help", "Hjelp", "trygghets-nummer")):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.locator("main")).to_contain_text(content)
        expect(page.get_by_text(re.compile(r"Du er ikke på nett\. Dette er fra kl\. \d\d:\d\d\."))).to_be_visible()
        assert (safety.get_attribute("href") or "").startswith("tel:")
    check_page(page, "Hjelp kept")
    page.goto(f"{base}/tasks/{assignment_id}/step/1")
    page.screenshot(path="test-artifacts/offline-kept-step.png")
    check_page(page, "a step kept")

    # Ferdig without net: shown as done at once, sent when the server is back.
    page.get_by_role("button", name="Ferdig").click()
    expect(page.get_by_text("Vi sender det når du har nett igjen.")).to_be_visible()
    expect(page.locator(".status--done")).to_be_visible()
    assert _ticks(app, assignment_id) == 0

    # "Jeg trenger hjelp" without net: said plainly, with the safety call now.
    page.get_by_role("button", name="Jeg trenger hjelp").click()
    expect(page.get_by_text("Vi sender meldingen når telefonen har nett igjen.")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="Ring trygghets-nummeret")).to_have_attribute(
        "href", re.compile("^tel:"))
    check_page(page, "help waits")

    # Another form without net is not kept for later: the offline page, not the browser's error.
    page.goto(f"{base}/settings")
    page.locator("button.choice-button[aria-pressed=false]").first.click()  # each choice saves on its tap
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er ikke på nett")

    page.goto(f"{base}/learn")  # never opened: the offline page, with the safety call
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er ikke på nett")
    expect(page.get_by_role("link", name="Vakter").first).to_be_visible()
    assert page.get_by_role("link", name="Ring trygghets-nummeret").count() >= 1
    page.screenshot(path="test-artifacts/offline-page.png")
    check_page(page, "offline page")

    server.start()
    page.goto(f"{base}/")
    expect(page.get_by_text(re.compile("Dette er fra kl"))).to_be_hidden()
    page.wait_for_function("() => document.documentElement.dataset.offlineReady", timeout=15000)
    for _ in range(50):
        if _ticks(app, assignment_id):
            break
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)
    assert _ticks(app, assignment_id) == 1
    with app.app_context():
        helps = db.session.scalars(select(HelpRequest)).all()
        assert [(h.reason, h.worker_id) for h in helps] == [("task", people.worker.id)]
    page.goto(f"{base}/tasks/{assignment_id}/step/1")  # the server's own page says it now
    expect(page.get_by_text("Vi sender det når du har nett igjen.")).to_be_hidden()
    expect(page.locator(".status--done")).to_be_visible()


def test_signing_out_empties_the_kept_pages(page, server, app, people):
    _a_day_with_a_checklist(app, people)
    base = app.config["BASE_URL"]
    _sign_in(page, base, app, people.worker)
    _wait_until_kept(page)
    names = page.evaluate("caches.keys()")
    pages = [n for n in names if n.startswith("wa-pages-")]
    assert len(pages) == 1, names
    kept = page.evaluate(f"caches.open({pages[0]!r}).then(c => c.keys()).then(k => k.length)")
    assert kept >= 8

    page.goto(f"{base}/settings")
    page.get_by_text("Logg ut på denne telefonen").click()  # it asks first
    page.get_by_role("button", name="Ja, logg ut").click()
    page.wait_for_function("() => caches.keys().then(n => !n.some(x => x.startsWith('wa-pages-')))",
                           timeout=10000)
    assert not [n for n in page.evaluate("caches.keys()") if n.startswith("wa-pages-")]


def _kept_caches(page):
    return sorted(n for n in page.evaluate("() => caches.keys()") if n.startswith("wa-pages-"))


def _kept_paths(page, name):
    return page.evaluate(f"""() => caches.open({name!r}).then(c => c.keys())
        .then(keys => keys.map(k => new URL(k.url).pathname))""")


def test_pages_are_kept_per_person_and_go_when_the_phone_is_no_longer_theirs(page, server, app, people,
                                                                              monkeypatch):
    assignment_id = _a_day_with_a_checklist(app, people)
    base = app.config["BASE_URL"]
    _sign_in(page, base, app, people.worker)
    _wait_until_kept(page)
    (ola,) = _kept_caches(page)
    assert f"/tasks/{assignment_id}/step/3" in _kept_paths(page, ola)

    # Another person signs in on this phone: Ola's pages go, Emma's are kept on their own.
    _sign_in(page, base, app, people.second_worker)
    _wait_until_kept(page)
    (emma,) = _kept_caches(page)
    assert emma != ola
    assert not any(p.startswith(f"/tasks/{assignment_id}") for p in _kept_paths(page, emma))

    # "Logg ut overalt" from another phone: noticed on the next contact.
    with app.app_context():
        auth_service.sign_out_everywhere(db.session, db.session.get(User, people.second_worker.id))
        db.session.commit()
    page.goto(f"{base}/tasks")
    page.wait_for_function("() => caches.keys().then(n => !n.some(x => x.startsWith('wa-pages-')))",
                           timeout=10000)

    # A picture code that locks the phone: nothing stays readable behind the lock.
    with app.app_context():
        auth_service.set_picture_code(db.session, db.session.get(User, people.worker.id),
                                      ["dog", "cat", "fish"], ["dog", "cat", "fish"])
        db.session.commit()
    _sign_in(page, base, app, people.worker)
    _wait_until_kept(page)
    assert _kept_caches(page)
    monkeypatch.setattr(picture_lock, "PICTURE_CODE_IDLE", timedelta(0))  # the phone lies unused a while
    page.wait_for_timeout(1100)
    page.goto(f"{base}/tasks")
    expect(page).to_have_url(re.compile("/unlock"))
    page.wait_for_function("() => caches.keys().then(n => !n.some(x => x.startsWith('wa-pages-')))",
                           timeout=10000)


def test_a_browser_without_service_workers_works_as_before(browser, server, app, people):
    assignment_id = _a_day_with_a_checklist(app, people)
    base = app.config["BASE_URL"]
    context = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 740},
                                  service_workers="block")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, base, app, people.worker)
    page.goto(f"{base}/tasks/{assignment_id}/step/1")
    page.get_by_role("button", name="Ferdig").click()
    expect(page.get_by_text("Steg 2 av 3")).to_be_visible()
    assert _ticks(app, assignment_id) == 1
    assert page.evaluate("() => navigator.serviceWorker === undefined || navigator.serviceWorker.controller === null")
    assert not errors
    context.close()
