"""The admin's audit page: filtered by the person an entry concerns and by who did it, paged by
keyset, in the same number of queries however long the log; and the worker's "who saw what"
reads the same entries."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import AuditEntry, Event, Signup


def add_entries(app, rows):
    """rows: (actor id, action, worker id) each; one second apart, the last the newest."""
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    with app.app_context():
        db.session.execute(insert(AuditEntry), [
            {"at": start + timedelta(seconds=i), "actor_id": actor, "action": action, "worker_id": worker,
             "detail": f"#{i}"} for i, (actor, action, worker) in enumerate(rows)])
        db.session.commit()


def details(html: str) -> list[str]:
    import re
    return re.findall(r"<td>(#\d+)</td>", html)


def test_the_audit_page_filters_by_worker_and_by_person(app, client, people, sign_in):
    add_entries(app, [(people.specialist.id, "worker.view", people.worker.id),
                      (people.specialist.id, "worker.view", people.second_worker.id),
                      (people.organizer.id, "event.attendees", people.worker.id),
                      (None, "login.failed", None)])
    sign_in(client, people.admin)
    page = client.get("/admin/audit")
    assert page.status_code == 200 and 'method="get"' in page.text
    assert details(page.text)[:4] == ["#3", "#2", "#1", "#0"]
    assert details(client.get("/admin/audit?worker=ola").text) == ["#2", "#0"]
    assert details(client.get("/admin/audit?person=Kari").text) == ["#1", "#0"]
    assert details(client.get("/admin/audit?worker=Ola+Johansen&person=siri").text) == ["#2"]
    assert details(client.get("/admin/audit?worker=%25").text) == []  # a % is a letter, not "any"
    # A name in the table is a link to its filter.
    assert f'href="/admin/audit?worker={people.worker.name.replace(" ", "+")}"' in page.text
    too_long = client.get("/admin/audit?worker=" + "x" * 161)
    assert too_long.status_code == 400 and "Navnet er for langt." in too_long.text


def test_the_audit_page_pages_on_and_costs_the_same_queries_as_the_log_grows(app, client, people, sign_in):
    sign_in(client, people.admin)
    client.get("/admin/audit")

    def count(url):
        with count_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few = count("/admin/audit?person=Kari")
    add_entries(app, [(people.specialist.id, "worker.view", people.worker.id)] * 130)
    assert count("/admin/audit?person=Kari") == few
    first = client.get("/admin/audit?person=Kari").text
    assert details(first)[:2] == ["#129", "#128"] and len(details(first)) == 50
    import re
    (link,) = re.findall(r'href="(/admin/audit\?[^"]*after=[^"]*)"', first)
    link = link.replace("&amp;", "&")
    assert count(link) == few
    second = client.get(link).text
    assert details(second)[:1] == ["#79"] and "Nyeste" in second


def test_the_worker_sees_who_read_their_data_from_the_same_entries(app, client, people, sign_in):
    start = datetime.now(UTC) + timedelta(days=3)
    with app.app_context():
        event = Event(title="Tur", place="Skogen", starts_at=start, ends_at=start + timedelta(hours=2),
                      created_by_id=people.organizer.id)
        db.session.add(event)
        db.session.flush()
        db.session.add(Signup(event_id=event.id, worker_id=people.worker.id, state="going"))
        db.session.commit()
        event_id = event.id
    organizer = app.test_client()
    sign_in(organizer, people.organizer)
    organizer.get(f"/organize/events/{event_id}")
    sign_in(client, people.worker)
    page = client.get("/my-data").text
    assert "Siri Frivillig så dataene dine." in page
    assert "Ola Johansen" not in page.split('id="seen"', 1)[1]  # the worker's own sign-in is left out
