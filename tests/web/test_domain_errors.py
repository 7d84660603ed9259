"""One app-wide handler turns the services' domain errors into answers: the 404 and 403 pages,
and problem details under /api."""

import pytest

from worker_app.services.errors import Conflict, NotAllowed, NotFound


@pytest.fixture
def failing(app):
    """Routes that only raise a domain error, as a view does when a service says no."""
    errors = {"not-found": NotFound(), "not-allowed": NotAllowed(),
              "conflict": Conflict("Vaktlisten ble sendt to ganger samtidig.", field="shifts")}

    def view(what):
        raise errors[what]

    app.add_url_rule("/raise/<what>", "raise_html", view)
    app.add_url_rule("/api/v1/raise/<what>", "raise_api", view)
    return app.test_client()


@pytest.mark.fresh_database  # adds routes: an app of its own
def test_domain_errors_are_the_404_and_403_pages(failing):
    missing = failing.get("/raise/not-found")
    assert missing.status_code == 404 and "Vi finner ikke denne siden." in missing.get_data(as_text=True)
    refused = failing.get("/raise/not-allowed")
    assert refused.status_code == 403 and "Denne siden er ikke for deg." in refused.get_data(as_text=True)
    assert 'href="tel:' in refused.get_data(as_text=True)  # the safety call, on error pages too


@pytest.mark.fresh_database
def test_under_api_they_are_problem_details(failing):
    missing = failing.get("/api/v1/raise/not-found")
    assert (missing.status_code, missing.mimetype) == (404, "application/problem+json")
    assert failing.get("/api/v1/raise/not-allowed").json["status"] == 403
    clash = failing.get("/api/v1/raise/conflict")
    assert clash.status_code == 409 and clash.json["errors"] == [
        {"parameter": "shifts", "detail": "Vaktlisten ble sendt to ganger samtidig."}]


def test_a_step_that_is_not_there_is_a_404_page(app, people, sign_in, client):
    from worker_app.extensions import db
    from worker_app.models import User
    from worker_app.services import tasks

    with app.app_context():
        checklist = tasks.create_checklist(db.session, db.session.get(User, people.specialist.id), "Rydde")
        checklist_id = checklist.id
    sign_in(client, people.specialist)
    assert client.post(f"/staff/checklists/{checklist_id}/steps/5/down").status_code == 404
    assert client.get("/staff/checklists/999999").status_code == 404
