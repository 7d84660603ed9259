"""The installable app and what the service worker may keep, through the Flask test client;
and a worker's page when the database is away."""

from __future__ import annotations

import json
import os
import socket
import struct
import threading
from contextlib import suppress
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select

from tests.conftest import fresh_app, main_text, new_sign_in_token
from worker_app.config import _database_url
from worker_app.extensions import db
from worker_app.models import Run, StepDone, User
from worker_app.services import site as site_service

from .test_tasks import push_coffee


def test_manifest_has_the_required_members_and_real_icons(app, client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    for member in ("name", "short_name", "start_url", "display", "icons", "lang", "theme_color",
                   "background_color", "scope"):
        assert manifest[member], member
    assert manifest["name"] == "Arbeidsdagen" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["lang"] == "nb"
    # The theme colours are the stylesheet's own tokens.
    tokens = Path(app.static_folder, "css", "app.css").read_text()
    assert f"--primary: {manifest['theme_color']};" in tokens
    assert manifest["background_color"] == "#ffffff" and "--bg: #fff;" in tokens
    sizes = set()
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as png:
            assert png.status_code == 200 and png.mimetype == "image/png", icon["src"]
            data = png.data
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
        assert f"{width}x{height}" == icon["sizes"]
        sizes.add((width, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= sizes


def test_manifest_speaks_the_workers_language(client, make_user, sign_in):
    sign_in(client, make_user("worker", locale="nn"))
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    assert manifest["lang"] == "nn" and "oppgåver" in manifest["description"]


def test_service_worker_is_served_from_the_root_and_never_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.text
    assert body.startswith("self.WA = ")
    settings = json.loads(body.split("\n", 1)[0][len("self.WA = "):-1])
    for script in settings["workbox"]:  # the Workbox modules it loads exist, with their hash
        with client.get(script) as module:
            assert "?v=" in script and module.status_code == 200
    assert "importScripts(...WA.workbox)" in body


@pytest.mark.fresh_database  # changes the app itself (its static folder or its engine)
def test_a_changed_service_worker_source_is_a_new_version(app, client, tmp_path):
    (tmp_path / "js").mkdir()
    source = tmp_path / "js" / "sw.js"
    source.write_text("// first\n")
    app.static_folder = str(tmp_path)

    def version():
        return json.loads(client.get("/sw.js").text.split("\n", 1)[0][len("self.WA = "):-1])["version"]

    first = version()
    assert version() == first
    source.write_text("// second\n")
    assert version() != first
    (tmp_path / "js" / "sw-push.js").write_text("// push handlers\n")
    with_push = client.get("/sw.js").text
    assert "sw-push.js" in with_push and version() not in (first,)


WORKER_PAGES = ["/", "/shifts", "/tasks", "/help", "/help/ask", "/settings", "/sharing", "/offline",
                "/offline/help"]


def test_only_the_workers_own_pages_may_be_kept(app, client, people, sign_in):
    assignment_id = push_coffee(app, people)
    sign_in(client, people.worker)
    for path in [*WORKER_PAGES, f"/tasks/{assignment_id}/step/1"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("X-Offline-Cache") == "1", path
    for path in ("/learn", "/events", "/shifts/calendar"):  # not promised offline
        assert "X-Offline-Cache" not in client.get(path).headers, path
    # An htmx block is not a page to show on its own.
    assert "X-Offline-Cache" not in client.get("/", headers={"HX-Request": "true"}).headers


@pytest.mark.parametrize("who", ["specialist", "supporter", "organizer", "admin"])
def test_nothing_of_staff_or_support_pages_is_kept(client, people, sign_in, who):
    person = getattr(people, who)
    sign_in(client, person)
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200
    assert "X-Offline-Cache" not in home.headers
    assert home.headers["X-Offline-Person"] == "none"
    for path in ("/help", "/offline", "/settings"):
        response = client.get(path)
        assert "X-Offline-Cache" not in response.headers, (who, path)


def test_nothing_of_the_api_is_kept(app, client, people):
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        from worker_app.services import api_tokens

        _token, secret = api_tokens.create(db.session, owner, "test", ["people:read"])
        db.session.commit()
    response = client.get("/api/v1/workers", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert "X-Offline-Cache" not in response.headers
    assert response.headers["X-Offline-Person"] == "none"


def test_the_person_key_is_per_person_and_changes_when_signed_out_everywhere(app, people, sign_in):
    first, second = app.test_client(), app.test_client()
    sign_in(first, people.worker)
    sign_in(second, people.second_worker)
    ola = first.get("/").headers["X-Offline-Person"]
    emma = second.get("/").headers["X-Offline-Person"]
    assert ola != "none" and emma != "none" and ola != emma
    assert len(ola) == 24 and people.worker.name not in ola  # says nothing about who it is
    assert first.get("/tasks").headers["X-Offline-Person"] == ola

    other_phone = app.test_client()
    sign_in(other_phone, people.worker)
    other_phone.post("/logout-everywhere")
    # Noticed by the first phone on its next contact: nobody's pages may stay.
    assert first.get("/").headers["X-Offline-Person"] == "none"
    sign_in(first, people.worker)
    again = first.get("/").headers["X-Offline-Person"]
    assert again not in ("none", ola)


def test_signing_out_and_a_locked_picture_code_say_nobody(app, client, people, sign_in):
    sign_in(client, people.worker)
    assert client.get("/").headers["X-Offline-Person"] != "none"
    with client.session_transaction() as session:  # a phone with a picture code, locked again
        session["has_code"] = session["locked"] = True
    locked = client.get("/", follow_redirects=True)
    assert "/unlock" in locked.request.path
    assert locked.headers["X-Offline-Person"] == "none" and "X-Offline-Cache" not in locked.headers
    client.post("/logout")
    signed_out = client.get("/signed-out")
    assert signed_out.headers["X-Offline-Person"] == "none"


def test_warm_list_has_every_step_of_todays_checklists(app, client, people, sign_in):
    assignment_id = push_coffee(app, people, steps=3)
    sign_in(client, people.worker)
    response = client.get("/offline/pages")
    assert response.headers["Cache-Control"] == "no-store"
    urls = response.get_json()["urls"]
    for path in [*WORKER_PAGES, f"/tasks/{assignment_id}",
                 *(f"/tasks/{assignment_id}/step/{n}" for n in (1, 2, 3))]:
        assert path in urls, path


def test_warming_a_step_starts_nothing(app, client, people, sign_in):
    """The service worker fetching a step ahead is not the worker opening the checklist: the
    checklist stays 'Ny' and no run is started."""
    assignment_id = push_coffee(app, people)
    sign_in(client, people.worker)
    warm = client.get(f"/tasks/{assignment_id}/step/2", headers={"X-Offline-Warm": "1"})
    assert warm.status_code == 200 and "Steg 2 av 3" in warm.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Run)) == 0
    assert "<span>Ny</span>" in client.get("/tasks").text
    # Opening a step only reads too (GET requests don't write); the first Ferdig starts the run.
    client.get(f"/tasks/{assignment_id}/step/1")
    assert "<span>Ny</span>" in client.get("/tasks").text
    client.post(f"/tasks/{assignment_id}/step/1/done")
    assert "<span>Ny</span>" not in client.get("/tasks").text


def test_a_tick_sent_twice_counts_once(app, client, people, sign_in):
    assignment_id = push_coffee(app, people)
    sign_in(client, people.worker)
    for _ in range(2):  # the queue sends it again when the answer was lost on the way
        assert client.post(f"/tasks/{assignment_id}/step/1/done").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StepDone)) == 1


def test_a_waiting_tick_for_a_run_another_phone_finished_is_harmless(app, people, sign_in):
    assignment_id = push_coffee(app, people, steps=2)
    phone, other_phone = app.test_client(), app.test_client()
    sign_in(phone, people.worker)
    sign_in(other_phone, people.worker)
    for n in (1, 2):
        other_phone.post(f"/tasks/{assignment_id}/step/{n}/done")
    with app.app_context():
        finished = db.session.scalar(select(Run)).finished_at
    assert finished is not None
    late = phone.post(f"/tasks/{assignment_id}/step/1/done")  # made offline, sent now
    assert late.status_code == 302 and late.location.endswith(f"/tasks/{assignment_id}/finished")
    with app.app_context():
        run = db.session.scalar(select(Run))
        assert run.finished_at == finished
        assert db.session.scalar(select(func.count()).select_from(StepDone)) == 2


def test_offline_pages_in_the_workers_language(client, make_user, sign_in):
    sign_in(client, make_user("worker", locale="nn"))
    page = client.get("/offline")
    assert "Du er ikkje på nett" in page.text and 'lang="nn"' in page.text
    assert 'href="tel:' in page.text
    queued = client.get("/offline/help")
    assert "Vi sender meldinga når telefonen har nett igjen." in queued.text
    assert main_text(queued.text).count("Ring trygghets-nummeret") == 2  # said, and the button


def test_kept_pages_carry_the_hidden_offline_line(client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/").text
    assert "data-offline-note hidden" in page and "Du er ikke på nett. Dette er fra kl." in page


# The database away ----------------------------------------------------------------------------


def _break_database(app, monkeypatch):
    """Point the app at a closed port on this machine, as when the database server is down."""
    broken = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
                           pool_pre_ping=True)
    monkeypatch.setitem(db._app_engines[app], None, broken)
    return broken


@pytest.mark.fresh_database  # changes the app itself (its static folder or its engine)
def test_database_away_a_workers_page_keeps_the_frame_and_the_safety_number(
        app, client, make_user, sign_in, monkeypatch):
    worker = make_user("worker", locale="en")
    with app.app_context():
        site_service.update_safety(db.session, app.config["SAFETY_NUMBER"], number="+47 815 00 111",
                                   texts={})
        db.session.commit()
    sign_in(client, worker)
    assert client.get("/tasks").status_code == 200  # the last good safety number is read here
    original = db._app_engines[app][None]
    _break_database(app, monkeypatch)

    for path in ("/", "/tasks", "/shifts"):
        response = client.get(path)
        assert response.status_code == 503, path
        html = response.text
        assert '<html lang="en"' in html
        assert 'class="safety-button" href="tel:+4781500111"' in html
        assert "Call the safety number" in html and "Internal Server Error" not in html
        assert 'id="page-title"' in html  # the worker frame, not a bare page
    assert client.get("/healthz").status_code == 200

    # The database comes back: the app recovers by itself, no restart.
    monkeypatch.setitem(db._app_engines[app], None, original)
    assert client.get("/tasks").status_code == 200


@pytest.mark.fresh_database  # changes the app itself (its static folder or its engine)
def test_database_away_before_any_good_read_uses_the_setting(app, client, people, sign_in, monkeypatch):
    sign_in(client, people.worker)
    _break_database(app, monkeypatch)
    response = client.get("/")
    assert response.status_code == 503
    assert site_service.tel_href(app.config["SAFETY_NUMBER"]) in response.text
    api = client.get("/api/v1/workers", headers={"Authorization": "Bearer wa_x"})
    assert api.status_code == 503 and api.mimetype == "application/problem+json"


class TcpProxy:
    """A TCP relay on 127.0.0.1 in front of the database server, to take the database away
    (every connection cut, nothing listening) and bring it back on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port, self.sockets, self.listener = target, 0, [], None

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                return
            upstream.settimeout(None)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def stop(self):
        with suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for end in self.sockets:
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
        self.sockets.clear()


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs a PostgreSQL server (DATABASE_URL)")
def test_the_app_recovers_by_itself_when_the_database_server_comes_back(tmp_path):
    """pool_pre_ping: connections kept in the pool died with the server; the first request after
    it is back gets a fresh one instead of an error. No restart."""
    url = make_url(_database_url())
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        with fresh_app(tmp_path, SQLALCHEMY_DATABASE_URI=through_proxy) as app:
            with app.app_context():
                worker = User(name="Ola Johansen", role="worker", locale="nb")
                db.session.add(worker)
                db.session.commit()
                token = new_sign_in_token(app, worker)
            client = app.test_client()
            assert client.post(f"/signin/{token}").status_code == 302
            assert client.get("/tasks").status_code == 200  # a connection now waits in the pool

            proxy.stop()
            away = client.get("/tasks")
            assert away.status_code == 503 and 'class="safety-button"' in away.text
            assert client.get("/healthz").status_code == 200

            proxy.start()
            assert client.get("/tasks").status_code == 200
            # Restarted while nobody asked: the pooled connection is dead, and the next request
            # must not be the one that finds out.
            proxy.stop()
            proxy.start()
            assert client.get("/tasks").status_code == 200
            assert client.get("/").status_code == 200
    finally:
        proxy.stop()
