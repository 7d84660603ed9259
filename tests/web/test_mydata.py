"""'Se alt som er lagret om deg': the worker sees and downloads everything stored about them."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import HelpRequest, PushSubscription, Shift

SCHEMA = json.loads((Path(__file__).parents[2] / "worker_app" / "account" / "mydata.schema.json").read_text())


def _shifts(app, worker, n):
    with app.app_context():
        start = datetime.now(UTC) + timedelta(days=1)
        db.session.add_all(Shift(worker_id=worker.id, starts_at=start + timedelta(days=i),
                                 ends_at=start + timedelta(days=i, hours=3)) for i in range(n))
        db.session.commit()


def test_the_worker_sees_what_is_stored_and_who_saw_it(app, client, people, sign_in):
    _shifts(app, people.worker, 3)
    specialist = app.test_client()
    sign_in(specialist, people.specialist)
    assert specialist.get(f"/staff/workers/{people.worker.id}").status_code == 200
    sign_in(client, people.worker)
    assert "Se alt som er lagret om deg" in client.get("/sharing").text
    page = client.get("/my-data").text
    assert "Vakter: 3" in page
    assert "Kari Nordmann så dataene dine." in page
    assert 'href="/my-data.json"' in page


def test_the_download_is_everything_and_no_secret(app, client, people, sign_in):
    _shifts(app, people.worker, 2)
    with app.app_context():
        db.session.add(HelpRequest(worker_id=people.worker.id, reason="sad"))
        db.session.add(PushSubscription(user_id=people.worker.id, endpoint="https://push.example/s3cret",
                                        endpoint_hash="e" * 64, p256dh="key-s3cret", auth="auth-s3cret"))
        db.session.commit()
    sign_in(client, people.worker)
    response = client.get("/my-data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = response.get_json()
    jsonschema.validate(data, SCHEMA)
    assert data["person"][0]["name"] == "Ola Johansen"
    assert len(data["shifts"]) == 2 and data["help_requests"][0]["reason"] == "sad"
    assert len(data["devices"]) == 1 and len(data["sign_in_links"]) == 1  # this phone, its link
    assert data["support_links"][0]["see_shifts"] is True
    assert len(data["push_subscriptions"]) == 1 and "s3cret" not in response.text  # no push keys
    for secret in ("hash", "secret"):
        assert secret not in response.text.replace("guest_secret", "")  # no hash of any kind


def test_only_the_worker_gets_their_own_data(app, client, people, sign_in):
    for who in ("supporter", "specialist", "admin"):
        other = app.test_client()
        sign_in(other, getattr(people, who))
        assert other.get("/my-data").status_code == 403
        assert other.get("/my-data.json").status_code == 403


def test_the_page_costs_the_same_queries_with_much_data(app, client, people, sign_in):
    sign_in(client, people.worker)
    _shifts(app, people.worker, 1)
    client.get("/my-data")  # the very first page also stores the site settings row
    with count_queries(app) as few:
        client.get("/my-data")
    _shifts(app, people.worker, 200)
    with count_queries(app) as many:
        client.get("/my-data")
    assert len(many) == len(few)
