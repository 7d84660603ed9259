"""Pages load what they show in a fixed number of SQL queries, whatever the data size."""

import pytest

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import Follows, HelpRequest, User

LIMIT = 8


def add_workers(app, specialist, count):
    with app.app_context():
        for i in range(count):
            worker = User(name=f"Arbeidstaker {i}", role="worker")
            db.session.add(worker)
            db.session.flush()
            db.session.add(Follows(specialist_id=specialist.id, worker_id=worker.id))
            for reason in ("sad", "late"):
                db.session.add(HelpRequest(worker_id=worker.id, reason=reason))
        db.session.commit()


def queries_for(app, client, path):
    client.get(path)  # warm: the settings row is made on first use
    with count_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/", "/help", "/help/ask", "/sharing", "/settings", "/shifts"])
def test_worker_pages_use_few_queries(app, client, people, sign_in, path):
    sign_in(client, people.worker)
    assert queries_for(app, client, path) <= LIMIT


def test_caseload_query_count_does_not_grow_with_workers(app, client, people, sign_in):
    sign_in(client, people.specialist)
    small = queries_for(app, client, "/staff")
    add_workers(app, people.specialist, 40)
    big = queries_for(app, client, "/staff")
    assert small == big <= LIMIT


def test_admin_users_and_audit_do_not_grow_with_data(app, client, people, sign_in):
    sign_in(client, people.admin)
    small = (queries_for(app, client, "/admin/users"), queries_for(app, client, "/admin/audit"))
    add_workers(app, people.specialist, 40)
    for _ in range(3):
        client.get(f"/staff/workers/{people.worker.id}")
    big = (queries_for(app, client, "/admin/users"), queries_for(app, client, "/admin/audit"))
    assert small == big
