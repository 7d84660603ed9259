"""The page API-nøkler: make a token (its secret shown once), see it, turn it off."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import ApiToken


def _make(client, name="Vaktplan Kiwi", scopes=("shifts:read", "shifts:write")):
    return client.post("/api-tokens", data={"name": name, "scopes": list(scopes)})


def test_a_new_token_is_shown_once_and_works(app, client, people, sign_in):
    sign_in(client, people.specialist)
    answer = _make(client)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    secret = re.search(r'value="(wa_[^"]+)"', answer.text).group(1)
    assert "Kopier nøkkelen nå" in answer.text

    again = client.get("/api-tokens").text
    assert secret not in again and "Vaktplan Kiwi" in again and "Aldri" in again
    api = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    listed = api.get(f"/api/v1/workers/{people.worker.id}/shifts?from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z",
                     headers=headers)
    assert listed.status_code == 200
    assert api.get("/api/v1/workers", headers=headers).status_code == 403  # no people:read


def test_a_form_with_problems_keeps_what_was_typed_and_names_them(client, people, sign_in):
    sign_in(client, people.specialist)
    answer = _make(client, name="Vaktplan Kiwi", scopes=())
    assert answer.status_code == 400
    assert "Velg minst én tilgang." in answer.text and 'value="Vaktplan Kiwi"' in answer.text
    answer = _make(client, name="", scopes=("help:read",))
    assert answer.status_code == 400
    assert "Skriv et navn" in answer.text
    assert re.search(r'value="help:read"[^>]*checked|checked[^>]*value="help:read"', answer.text)


def test_turning_a_token_off_stops_it(app, client, people, sign_in):
    sign_in(client, people.specialist)
    secret = re.search(r'value="(wa_[^"]+)"', _make(client).text).group(1)
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    assert client.post(f"/api-tokens/{token_id}/revoke").status_code == 302
    assert "Slått av" in client.get("/api-tokens").text
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/shifts/1", headers=headers).status_code == 401


def test_nobody_can_turn_off_someone_elses_token(app, client, people, sign_in):
    sign_in(client, people.specialist)
    _make(client)
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    other = app.test_client()
    sign_in(other, people.other_specialist)
    assert other.post(f"/api-tokens/{token_id}/revoke").status_code == 403
    assert "Vaktplan Kiwi" not in other.get("/api-tokens").text
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_the_page_costs_the_same_queries_with_1_or_20_tokens(app, client, people, sign_in):
    sign_in(client, people.specialist)
    _make(client)
    client.get("/api-tokens")
    with count_queries(app) as few:
        client.get("/api-tokens")
    for i in range(19):
        _make(client, name=f"System {i}")
    with count_queries(app) as many:
        client.get("/api-tokens")
    assert len(many) == len(few)


def test_an_admin_sees_and_turns_off_anyones_live_token(app, client, people, sign_in):
    sign_in(client, people.specialist)
    secret = re.search(r'value="(wa_[^"]+)"', _make(client).text).group(1)
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    admin = app.test_client()
    sign_in(admin, people.admin)
    page = admin.get("/api-tokens").text
    assert "Andres nøkler som virker" in page and "Vaktplan Kiwi" in page and "Kari Nordmann" in page
    assert admin.post(f"/api-tokens/{token_id}/revoke").status_code == 302
    assert "Vaktplan Kiwi" not in admin.get("/api-tokens").text  # only live ones are listed
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/workers", headers=headers).status_code == 401
    assert "Andres nøkler" not in client.get("/api-tokens").text  # not for a specialist
