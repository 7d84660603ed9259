"""Every read of a person's data and every security event leaves an audit entry naming the
person it concerns (issue 15, finding 7). Each test fails when its entry is not written."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, count_queries, new_sign_in_token
from worker_app.extensions import db
from worker_app.models import AuditEntry, Event, Scope, Shift, Signup, User
from worker_app.services import api_tokens, events


def entries(app, action):
    """(actor name or None, name of whom it concerns or None, detail) of every entry of a kind."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id)).all()
        return [(e.actor.name if e.actor else None, e.worker.name if e.worker else None, e.detail)
                for e in rows]


def concerns(app, action):
    return sorted(worker for _actor, worker, _detail in entries(app, action))


@pytest.fixture
def event_id(app, people):
    """The organizer's event, with Ola going, Emma waiting and a guest."""
    start = datetime.now(UTC) + timedelta(days=4)
    with app.app_context():
        event = Event(title="Bowling", place="Hallen", starts_at=start, ends_at=start + timedelta(hours=2),
                      capacity=2, created_by_id=people.organizer.id)
        db.session.add(event)
        db.session.flush()
        db.session.add(Signup(event_id=event.id, guest_name="Mari Gjest", guest_phone="91234567",
                              state="going"))
        db.session.commit()
        for person in (people.worker, people.second_worker):
            worker = db.session.get(User, person.id)
            events.join(db.session, event.id, worker, by=worker)
        db.session.commit()
        return event.id


def token_of(app, user):
    with app.app_context():
        _token, secret = api_tokens.create(db.session, db.session.get(User, user.id), "Test",
                                           [s.value for s in Scope])
        db.session.commit()
        return secret


@pytest.mark.parametrize(("path", "action"), [("/organize/events/{id}", "event.attendees"),
                                              ("/organize/events/{id}/attendees.csv", "event.export")])
def test_an_organizer_reading_who_comes_is_logged_per_worker(app, client, people, sign_in, event_id,
                                                              path, action):
    sign_in(client, people.organizer)
    assert client.get(path.format(id=event_id)).status_code == 200
    assert concerns(app, action) == ["Emma Larsen", "Ola Johansen"]
    assert {actor for actor, _w, _d in entries(app, action)} == {"Siri Frivillig"}
    assert all("Bowling" in detail for _a, _w, detail in entries(app, action))


def test_the_api_lists_of_workers_and_sign_ups_are_logged_per_worker(app, people, event_id):
    client = app.test_client()
    specialist = {"Authorization": f"Bearer {token_of(app, people.specialist)}"}
    assert client.get("/api/v1/workers", headers=specialist).status_code == 200
    assert concerns(app, "api.read") == ["Emma Larsen", "Ola Johansen"]
    organizer = {"Authorization": f"Bearer {token_of(app, people.organizer)}"}
    assert client.get(f"/api/v1/events/{event_id}/signups", headers=organizer).status_code == 200
    by_organizer = [w for actor, w, _d in entries(app, "api.read") if actor == "Siri Frivillig"]
    assert sorted(by_organizer) == ["Emma Larsen", "Ola Johansen"]


def test_an_admin_opening_a_user_record_is_logged(app, client, people, sign_in):
    sign_in(client, people.admin)
    assert client.get(f"/admin/users/{people.worker.id}").status_code == 200
    assert entries(app, "user.view") == [("Ingrid Admin", "Ola Johansen", "")]


@pytest.mark.parametrize("page", ["move", "cancel"])
def test_the_shift_move_and_cancel_pages_are_logged(app, client, people, sign_in, page):
    with app.app_context():
        shift = Shift(worker_id=people.worker.id, starts_at=datetime(2030, 1, 4, 8, tzinfo=UTC),
                      ends_at=datetime(2030, 1, 4, 11, tzinfo=UTC))
        db.session.add(shift)
        db.session.commit()
        shift_id = shift.id
    sign_in(client, people.specialist)
    assert client.get(f"/staff/shifts/{shift_id}/{page}").status_code == 200
    assert [(a, w) for a, w, _d in entries(app, "shift.view")] == [("Kari Nordmann", "Ola Johansen")]


def test_a_new_safety_number_is_logged_with_the_old_and_new_number(app, client, people, sign_in):
    sign_in(client, people.admin)
    saved = client.post("/admin/safety", data={"safety_number": "+47 815 00 111", "safety_text_nb": "",
                                               "safety_text_nn": "", "safety_text_en": ""})
    assert saved.status_code == 302
    assert entries(app, "safety.number") == [("Ingrid Admin", None, "+4780012345 -> +47 815 00 111")]


def test_one_person_signing_out_another_is_logged(app, client, people, sign_in):
    sign_in(client, people.specialist)
    assert client.post(f"/staff/people/{people.worker.id}/sign-out-everywhere").status_code == 302
    assert [(a, w) for a, w, _d in entries(app, "person.sign_out")] == [("Kari Nordmann", "Ola Johansen")]


def test_logins_are_logged_without_the_password_or_an_unknown_e_mail(app, client, people):
    wrong = client.post("/login", data={"email": people.specialist.email, "password": "feil-passord-123"})
    unknown = client.post("/login", data={"email": "ukjent.person@eksempel.no", "password": PASSWORD})
    right = client.post("/login", data={"email": people.specialist.email, "password": PASSWORD})
    assert (wrong.status_code, unknown.status_code, right.status_code) == (400, 400, 302)
    failed = entries(app, "login.failed")
    assert [(a, w) for a, w, _d in failed] == [(None, "Kari Nordmann"), (None, None)]
    assert entries(app, "login.ok")[0][:2] == ("Kari Nordmann", "Kari Nordmann")
    with app.app_context():
        everything = " ".join(f"{e.action} {e.detail}" for e in db.session.scalars(select(AuditEntry)))
    assert "feil-passord" not in everything and PASSWORD not in everything
    assert "ukjent" not in everything and "eksempel.no" not in everything
    # The same unknown address twice is seen as the same one, by its masked form.
    app.test_client().post("/login", data={"email": "Ukjent.Person@eksempel.no", "password": PASSWORD})
    masked = [d.split()[0] for _a, w, d in entries(app, "login.failed") if w is None]
    assert len(masked) == 2 and masked[0] == masked[1] and masked[0].startswith("e-mail#")


def test_using_a_sign_in_link_is_logged(app, client, people):
    assert client.post(f"/signin/{new_sign_in_token(app, people.worker)}").status_code == 302
    assert [(a, w) for a, w, _d in entries(app, "signin_link.use")] == [("Ola Johansen", "Ola Johansen")]


def test_a_spent_sign_in_link_pressed_again_is_logged(app, client, people):
    token = new_sign_in_token(app, people.worker)
    assert client.post(f"/signin/{token}").status_code == 302
    assert app.test_client().post(f"/signin/{token}").status_code == 410
    assert app.test_client().post("/signin/made-up").status_code == 404
    assert [d.split(",")[0] for _a, _w, d in entries(app, "signin_link.refused")] == ["used", "unknown"]


def test_a_picture_code_lockout_is_logged(app, client, people, sign_in):
    sign_in(client, people.worker)
    assert client.post("/settings/picture-code", data={"pictures": ["dog", "star", "fish"]}).status_code == 302
    client.delete_cookie("session")
    assert client.get("/").location.startswith("/unlock")
    for _try in range(app.config["PICTURE_CODE_TRIES"]):
        answer = client.post("/unlock", data={"pictures": ["dog", "cat", "fish"]})
    assert answer.status_code == 302  # signed out
    assert entries(app, "picture_code.locked") == [(None, "Ola Johansen", "after 5 tries")]


def test_the_caseload_names_each_worker_once_per_visit(app, client, people, sign_in):
    sign_in(client, people.specialist)
    assert client.get("/staff").status_code == 200
    assert concerns(app, "caseload.view") == ["Emma Larsen", "Ola Johansen"]
    client.get("/staff/caseload")  # the list asking for itself every 20 s is not a new visit
    assert len(entries(app, "caseload.view")) == 2


@pytest.mark.parametrize("path", ["/staff", "/api/v1/workers"])
def test_a_list_writes_its_entries_last_so_the_write_lock_is_not_held_while_it_renders(
        app, client, people, sign_in, path):
    if path.startswith("/api"):
        headers = {"Authorization": f"Bearer {token_of(app, people.specialist)}"}
    else:
        sign_in(client, people.specialist)
        headers = {}
    with count_queries(app) as statements:
        assert client.get(path, headers=headers).status_code == 200
    audit_insert = next(i for i, sql in enumerate(statements) if "INSERT INTO audit_entry" in sql)
    # Every read came before the page's one INSERT of entries; only the commit may follow it.
    assert not [sql for sql in statements[audit_insert + 1:] if sql.lstrip().upper().startswith("SELECT")]


def test_a_support_persons_sign_in_link_names_each_worker_they_help(app, client, people, sign_in, support_link):
    support_link(people.second_worker, people.supporter)
    sign_in(client, people.admin)
    assert client.post(f"/staff/people/{people.supporter.id}/sign-in-link").status_code == 200
    assert concerns(app, "signin_link.create") == ["Emma Larsen", "Ola Johansen"]


def test_the_caseload_visit_costs_the_same_queries_with_2_and_40_workers(app, client, people, sign_in, make_user,
                                                                        follow):
    sign_in(client, people.specialist)

    def count():
        with count_queries(app) as statements:
            assert client.get("/staff").status_code == 200
        return len(statements)

    client.get("/staff")
    few = count()
    for i in range(38):
        follow(people.specialist, make_user("worker", f"Arbeidstaker {i:02d}"))
    assert count() == few
    assert len(entries(app, "caseload.view")) == 2 + 2 + 40
