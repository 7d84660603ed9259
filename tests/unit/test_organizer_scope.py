"""Organizers manage their own events, region organizers their region's too, admins all: one rule,
asked by can(MANAGE_EVENT) for one event and by managed_events() for lists."""

from datetime import UTC, datetime

from sqlalchemy import select

from worker_app.extensions import db
from worker_app.models import AuditEntry, Event, Region, User
from worker_app.policy import Action, can, managed_events
from worker_app.services import events


def test_the_list_rule_agrees_with_can_for_every_person_and_event(app, people, make_user):
    with app.app_context():
        west, east = Region(name="Vest"), Region(name="Øst")
        db.session.add_all([west, east])
        db.session.commit()
        west_id, east_id = west.id, east.id
    second = make_user("organizer", "Lise Frivillig", region_id=west_id)
    regional = make_user("organizer", "Rolf Region", region_id=west_id, region_organizer=True)
    make_user("organizer", "Nora Uten", region_organizer=True)  # the flag, but no region
    with app.app_context():
        at = {"starts_at": datetime(2030, 1, 5, 10, tzinfo=UTC), "ends_at": datetime(2030, 1, 5, 13, tzinfo=UTC)}
        made = [Event(title=f"E{i}", place="Her", region_id=region, created_by_id=by, **at)
                for i, (region, by) in enumerate([
                    (None, people.organizer.id), (west_id, people.organizer.id), (west_id, second.id),
                    (east_id, second.id), (None, regional.id), (east_id, None)])]
        db.session.add_all(made)
        db.session.commit()
        titles = {}
        for user in db.session.scalars(select(User)).all():
            listed = set(db.session.scalars(select(Event.id).where(managed_events(user))))
            assert listed == {e.id for e in made if can(user, Action.MANAGE_EVENT, e)}, user.name
            titles[user.name] = sorted(e.title for e in made if e.id in listed)
    assert titles[people.organizer.name] == ["E0", "E1"]
    assert titles["Lise Frivillig"] == ["E2", "E3"]  # in the west, but no region organizer
    assert titles["Rolf Region"] == ["E1", "E2", "E4"]  # own, and every event of the west
    assert titles["Nora Uten"] == []
    assert titles[people.admin.name] == ["E0", "E1", "E2", "E3", "E4", "E5"]
    for name in (people.worker.name, people.specialist.name, people.supporter.name):
        assert titles[name] == []


def test_the_organizer_page_lists_only_the_events_one_manages(app, people, make_user):
    second = make_user("organizer", "Lise Frivillig")
    with app.app_context():
        at = {"starts_at": datetime(2030, 1, 5, 10, tzinfo=UTC), "ends_at": datetime(2030, 1, 5, 13, tzinfo=UTC)}
        db.session.add_all([Event(title="Siris tur", place="Her", created_by_id=people.organizer.id, **at),
                            Event(title="Lises fest", place="Der", created_by_id=second.id, **at)])
        db.session.commit()
        now = datetime(2029, 12, 1, tzinfo=UTC)
        rows = {name: [e.title for e, _n, _m in events.for_organizers(db.session, db.session.get(User, uid), now)]
                for name, uid in (("siri", people.organizer.id), ("lise", second.id), ("admin", people.admin.id))}
    assert rows == {"siri": ["Siris tur"], "lise": ["Lises fest"], "admin": ["Siris tur", "Lises fest"]}


def test_an_admin_makes_an_organizer_a_region_organizer_on_the_user_page(app, people, sign_in, make_user):
    with app.app_context():
        west = Region(name="Vest")
        db.session.add(west)
        db.session.commit()
        west_id = west.id
    organizer = make_user("organizer", "Rolf Region", region_id=west_id)
    with app.app_context():
        at = {"starts_at": datetime(2030, 1, 5, 10, tzinfo=UTC), "ends_at": datetime(2030, 1, 5, 13, tzinfo=UTC)}
        event = Event(title="Vestens fest", place="Her", region_id=west_id, created_by_id=people.organizer.id, **at)
        db.session.add(event)
        db.session.commit()
        event_id = event.id
    rolf = app.test_client()
    sign_in(rolf, organizer)
    assert rolf.get(f"/organize/events/{event_id}").status_code == 403
    admin = app.test_client()
    sign_in(admin, people.admin)
    page = admin.get(f"/admin/users/{organizer.id}").text
    assert "Region-arrangør" in page
    assert "Region-arrangør" not in admin.get(f"/admin/users/{people.specialist.id}").text
    saved = admin.post(f"/admin/users/{organizer.id}/region-organizer", data={"region_organizer": "y"})
    assert saved.status_code == 302
    assert rolf.get(f"/organize/events/{event_id}").status_code == 200
    assert "Vestens fest" in rolf.get("/organize").text
    admin.post(f"/admin/users/{organizer.id}/region-organizer", data={})
    assert rolf.get(f"/organize/events/{event_id}").status_code == 403
    with app.app_context():
        changes = db.session.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == "user.region_organizer", AuditEntry.worker_id == organizer.id)).all()
    assert changes == ["on", "off"]
