"""The new pages load what they show in a fixed number of queries, whatever the data size."""

from tests.web.test_queries import queries_for
from worker_app.extensions import db
from worker_app.models import Erasure, Follows, HelpRequest, Shift, User
from worker_app.models.types import utcnow


def _grow(app, specialist, worker, n):
    """n more workers who asked for erasure, n erased, n more shifts and help requests of the worker."""
    from datetime import timedelta

    with app.app_context():
        now = utcnow()
        for i in range(n):
            asked = User(name=f"Ber {i}", role="worker")
            gone = User(name="Slettet person", role="worker", erased_at=now, pseudonym=f"ID-T{i:06d}{n}")
            db.session.add_all([asked, gone])
            db.session.flush()
            db.session.add(Follows(specialist_id=specialist.id, worker_id=asked.id))
            db.session.add_all([
                Erasure(person_id=asked.id, state="asked", asked_at=now),
                Erasure(person_id=gone.id, state="done", done_at=now, done_by_id=None, counts={"shifts": i}),
                Shift(worker_id=worker.id, starts_at=now + timedelta(days=i, hours=1),
                      ends_at=now + timedelta(days=i, hours=2)),
                HelpRequest(worker_id=worker.id, reason="sad")])
        db.session.commit()


def test_the_admin_pages_do_not_grow_with_data(app, client, people, sign_in):
    sign_in(client, people.admin)
    paths = ["/admin/erasures", f"/admin/users/{people.worker.id}", f"/admin/users/{people.worker.id}/erase",
             f"/admin/users/{people.specialist.id}/handover", f"/admin/users/{people.worker.id}/deactivate"]
    small = [queries_for(app, client, p) for p in paths]
    _grow(app, people.specialist, people.worker, 30)
    big = [queries_for(app, client, p) for p in paths]
    assert small == big, dict(zip(paths, zip(small, big, strict=True), strict=True))


def test_the_workers_erasure_page_is_few_queries(app, client, people, sign_in):
    sign_in(client, people.worker)
    before = queries_for(app, client, "/my-data/erase")
    client.post("/my-data/erase")
    assert queries_for(app, client, "/my-data/erase") == before <= 8
