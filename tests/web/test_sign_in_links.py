"""The specialist sees a person's open sign-in links on the worker page (made when, by whom,
until when) and can end each before it is used; an ended link answers as a used one."""

from __future__ import annotations

import html

from sqlalchemy import select

from tests.conftest import new_sign_in_token
from tests.web.test_queries import queries_for
from worker_app.extensions import db
from worker_app.models import AuditEntry, Permission, SignInLink, User
from worker_app.services import auth as auth_service


def _make_link(app, person, by) -> tuple[int, str]:
    with app.app_context():
        link, token = auth_service.make_sign_in_link(db.session, db.session.get(User, person.id),
                                                     db.session.get(User, by.id) if by else None,
                                                     app.config["SIGN_IN_LINK_LIFETIME"])
        db.session.commit()
        return link.id, token


def test_the_worker_page_lists_open_links_and_ending_one_makes_it_a_used_link(app, client, people, sign_in):
    link_id, token = _make_link(app, people.worker, people.specialist)
    sign_in(client, people.specialist)
    page = html.unescape(client.get(f"/staff/workers/{people.worker.id}").text)
    assert "Åpen lenke, laget" in page and "av Kari Nordmann." in page and "Den virker til" in page
    assert f"/staff/sign-in-links/{link_id}/revoke" in page
    assert "Ja, slå av lenken" in page  # asked first (a disclosure with the real button inside)

    ended = client.post(f"/staff/sign-in-links/{link_id}/revoke?worker={people.worker.id}")
    assert ended.status_code == 302 and ended.location.endswith(f"/staff/workers/{people.worker.id}#sign-in")
    page = html.unescape(client.get(ended.location).text)
    assert "Lenken for Ola Johansen er slått av." in page and "Ola har ingen åpne innloggings-lenker." in page

    phone = app.test_client()
    assert "Denne lenken er brukt før." in phone.get(f"/signin/{token}").text
    used = phone.post(f"/signin/{token}")
    assert used.status_code == 410 and "Denne lenken er brukt før." in used.text
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "signin_link.revoke")).all()
        assert [(e.actor_id, e.worker_id) for e in entries] == [(people.specialist.id, people.worker.id)]
        assert db.session.get(SignInLink, link_id).used_at is None  # ended, not used

    again = client.post(f"/staff/sign-in-links/{link_id}/revoke")
    assert again.status_code == 302
    assert "Lenken var allerede brukt eller slått av." in html.unescape(client.get(again.location).text)
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(action="signin_link.revoke").count() == 1


def test_a_used_or_expired_link_is_not_listed(app, client, people, sign_in):
    _link_id, token = _make_link(app, people.worker, people.specialist)
    assert app.test_client().post(f"/signin/{token}").status_code == 302  # used on the phone
    sign_in(client, people.specialist)
    assert "Ola har ingen åpne innloggings-lenker." in client.get(f"/staff/workers/{people.worker.id}").text


def test_a_support_persons_open_link_is_listed_and_can_be_ended(app, client, people, sign_in):
    link_id, token = _make_link(app, people.supporter, people.admin)
    sign_in(client, people.specialist)
    page = html.unescape(client.get(f"/staff/workers/{people.worker.id}").text)
    assert "av Ingrid Admin." in page and f"/staff/sign-in-links/{link_id}/revoke?worker={people.worker.id}" in page
    ended = client.post(f"/staff/sign-in-links/{link_id}/revoke?worker={people.worker.id}")
    assert ended.location.endswith(f"/staff/workers/{people.worker.id}#support")
    assert app.test_client().post(f"/signin/{token}").status_code == 410
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "signin_link.revoke"))
        assert entry.worker_id is None and entry.detail.startswith("Anne Johansen")


def test_another_specialist_can_neither_see_nor_end_the_link(app, people, sign_in):
    link_id, token = _make_link(app, people.worker, people.specialist)
    other = app.test_client()
    sign_in(other, people.other_specialist)
    assert other.get(f"/staff/workers/{people.worker.id}").status_code == 403
    assert other.post(f"/staff/sign-in-links/{link_id}/revoke").status_code == 403
    assert other.post("/staff/sign-in-links/999999/revoke").status_code == 404
    # Nor can the worker or the support person themselves.
    for person in (people.worker, people.supporter):
        client = app.test_client()
        sign_in(client, person)  # makes a link of their own; the one above is the worker's
        assert client.post(f"/staff/sign-in-links/{link_id}/revoke").status_code == 403
    with app.app_context():
        assert db.session.get(SignInLink, link_id).revoked_at is None


def test_a_support_person_who_helps_a_stranger_worker_is_not_listed(app, client, people, sign_in, support_link):
    # Anne also helps Jonas, whom Kari does not follow: Kari may not sign Anne in, so her link
    # is neither shown nor ended by Kari.
    support_link(people.stranger_worker, people.supporter, Permission.SEE_SHIFTS)
    link_id, _token = _make_link(app, people.supporter, people.admin)
    sign_in(client, people.specialist)
    page = client.get(f"/staff/workers/{people.worker.id}").text
    assert f"/staff/sign-in-links/{link_id}/revoke" not in page
    assert client.post(f"/staff/sign-in-links/{link_id}/revoke").status_code == 403


def test_the_open_links_cost_the_same_queries_however_many(app, client, people, sign_in, make_user, support_link):
    path = f"/staff/workers/{people.worker.id}"
    sign_in(client, people.specialist)
    new_sign_in_token(app, people.supporter)
    small = queries_for(app, client, path)
    for i in range(5):
        helper = make_user("support", f"Hjelper {i}")
        support_link(people.worker, helper, Permission.SEE_SHIFTS)
        _make_link(app, helper, people.specialist)
    page = client.get(path).text
    assert page.count("Ja, slå av lenken") == 6  # Anne's and the 5 new helpers'
    assert queries_for(app, client, path) == small
