"""Erasing a person: everything about them goes, the audit log and what they wrote for others
stay with a pseudonym, and a record says it was done."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from worker_app.extensions import db
from worker_app.models import (
    GOING,
    WAITING,
    Assignment,
    AuditEntry,
    CheckIn,
    Checklist,
    Device,
    Erasure,
    Event,
    Follows,
    HelpRequest,
    LeftHome,
    LessonProgress,
    MasteryClaim,
    Notice,
    PushSubscription,
    Reminder,
    Run,
    Shift,
    ShiftRule,
    SignInLink,
    Signup,
    StepDone,
    StepSupport,
    SupportLink,
    User,
    UserSession,
)
from worker_app.models.types import utcnow
from worker_app.services import audit, erasure, schedule, tasks
from worker_app.services import help as help_service

WORKER_TABLES = [
    (Shift, Shift.worker_id), (ShiftRule, ShiftRule.worker_id), (Assignment, Assignment.worker_id),
    (StepSupport, StepSupport.worker_id), (MasteryClaim, MasteryClaim.worker_id),
    (LessonProgress, LessonProgress.worker_id), (Signup, Signup.worker_id),
    (HelpRequest, HelpRequest.worker_id), (Reminder, Reminder.worker_id),
    (LeftHome, LeftHome.worker_id), (PushSubscription, PushSubscription.user_id),
    (Notice, Notice.worker_id), (SupportLink, SupportLink.worker_id), (Device, Device.user_id),
    (SignInLink, SignInLink.user_id), (UserSession, UserSession.user_id), (Follows, Follows.worker_id),
    (CheckIn, CheckIn.worker_id),
]


def _rich_worker(app, people, sign_in):
    """The worker with some of every kind of data, signed in on a phone; returns facts to check."""
    phone = app.test_client()
    sign_in(phone, people.worker)
    with app.app_context():
        s = db.session
        worker = s.get(User, people.worker.id)
        worker.travel_minutes, worker.ready_minutes = 20, 15
        specialist = s.get(User, people.specialist.id)
        shift = Shift(worker_id=worker.id, starts_at=datetime(2030, 1, 4, 8, tzinfo=UTC),
                      ends_at=datetime(2030, 1, 4, 11, tzinfo=UTC), note="Ta med kortet")
        rule = ShiftRule(worker_id=worker.id, weekdays="4", start_time="09:00", end_time="12:00",
                         starts_on=date(2030, 1, 1), ends_on=date(2030, 3, 1))
        s.add_all([shift, rule])
        s.flush()
        s.add(LeftHome(worker_id=worker.id, shift_id=shift.id, left_at=utcnow()))
        checklist = tasks.create_checklist(s, specialist, "Fylle kaffe-maskinen")
        tasks.add_step(s, checklist, text="Fyll vann.", pictogram="2615")
        (assignment,) = tasks.push(s, checklist, workers=[worker], by=specialist,
                                   on_date=schedule.oslo(datetime.now(UTC)).date())
        run = tasks.open_run(s, assignment, schedule.oslo(datetime.now(UTC)).date())
        step = assignment.version.steps[0]
        tasks.tick(s, run, step, worker)
        s.add(StepSupport(worker_id=worker.id, step_key=step.key, level="short"))
        s.add(MasteryClaim(worker_id=worker.id, step_id=step.id))
        s.add(LessonProgress(worker_id=worker.id, lesson="trygghets-nummeret", state="done"))
        help_request = help_service.ask(s, worker, "sick")
        # A check-in with "Ring meg": its help request goes too (the check-in first).
        s.add(CheckIn(worker_id=worker.id, tasks=2, others=1, help=0, note="Travelt",
                      call_request_id=help_service.ask(s, worker, "call_me").id))
        event = Event(title="Tur", place="Skogen", capacity=1,
                      starts_at=utcnow() + timedelta(days=5), ends_at=utcnow() + timedelta(days=5, hours=2))
        s.add(event)
        s.flush()
        s.add(Signup(event_id=event.id, worker_id=worker.id, state=GOING))
        s.add(Signup(event_id=event.id, worker_id=people.second_worker.id, state=WAITING))
        s.add(PushSubscription(user_id=worker.id, endpoint="https://push.invalid/x", endpoint_hash="e" * 64,
                               p256dh="k", auth="a"))
        s.add(Notice(user_id=worker.id, worker_id=worker.id, kind="shift_moved", shift_id=shift.id))
        s.add(Reminder(key="leave_home:test", user_id=worker.id, worker_id=worker.id, kind="leave_home",
                       shift_id=shift.id, due_at=utcnow()))
        audit.record(s, specialist, "worker.view", worker, f"opened {worker.name}")
        audit.record(s, None, "signin_link.create", None, worker.name)  # the name in another entry
        s.commit()
        return {"checklist": checklist.id, "event": event.id, "help": help_request.id}


def test_erasing_a_worker_deletes_everything_about_them(app, people, sign_in):
    facts = _rich_worker(app, people, sign_in)
    admin = app.test_client()
    sign_in(admin, people.admin)
    page = admin.get(f"/admin/users/{people.worker.id}/erase")
    assert page.status_code == 200 and "Slette Ola Johansen?" in page.text
    assert "Vakter: 1" in page.text and "Hjelpe-meldinger: 2" in page.text

    done = admin.post(f"/admin/users/{people.worker.id}/erase", data={"confirm": "y"})
    assert done.status_code == 302 and done.location.startswith("/admin/erasures")

    with app.app_context():
        s = db.session
        for model, column in WORKER_TABLES:
            left = s.scalar(select(db.func.count()).select_from(model).where(column == people.worker.id))
            assert left == 0, model.__name__
        assert s.scalar(select(db.func.count()).select_from(Run)) == 0
        assert s.scalar(select(db.func.count()).select_from(StepDone)) == 0
        person = s.get(User, people.worker.id)
        assert person.name == "Slettet person" and not person.active
        assert person.travel_minutes is None and person.erased_at is not None
        assert person.pseudonym.startswith("ID-")
        # The checklist the specialist wrote stays; the other worker got the freed place.
        assert s.get(Checklist, facts["checklist"]) is not None
        waiting = s.scalars(select(Signup).where(Signup.worker_id == people.second_worker.id)).one()
        assert waiting.state == GOING
        # The audit log stays, without the name, marked with the pseudonym.
        entries = s.scalars(select(AuditEntry)).all()
        assert entries and not any("Ola Johansen" in e.detail for e in entries)
        about = [e for e in entries if e.worker_id == person.id and e.action == "worker.view"]
        assert about and about[0].detail.startswith(f"[{person.pseudonym}]")
        assert any(e.detail == person.pseudonym for e in entries if e.action == "signin_link.create")
        # The record of it.
        record = s.scalars(select(Erasure)).one()
        assert (record.state, record.done_by_id) == ("done", people.admin.id)
        assert record.counts["shifts"] == 1 and record.counts["help_requests"] == 2
        assert record.counts["check_ins"] == 1
        assert record.counts["support_links"] == 1 and record.counts["follows"] == 1
        pseudonym = person.pseudonym
    record_page = admin.get("/admin/erasures").text
    assert f"{pseudonym} ble slettet" in record_page and "Vakter: 1" in record_page
    assert "Ola Johansen" not in admin.get("/admin/users").text
    assert admin.get(f"/admin/users/{people.worker.id}").status_code == 404
    assert admin.get(f"/admin/users/{people.worker.id}/erase").status_code == 404
    assert admin.get(f"/staff/workers/{people.worker.id}").status_code == 404
    assert admin.post(f"/staff/people/{people.worker.id}/sign-in-link").status_code == 404


def test_the_confirm_needs_the_tick(app, people, sign_in):
    admin = app.test_client()
    sign_in(admin, people.admin)
    answer = admin.post(f"/admin/users/{people.worker.id}/erase", data={})
    assert answer.status_code == 400
    assert "Kryss av for at du forstår at slettingen ikke kan angres." in answer.text
    with app.app_context():
        assert db.session.get(User, people.worker.id).name == "Ola Johansen"


def test_a_specialist_with_workers_is_handed_over_first(app, people, sign_in):
    admin = app.test_client()
    sign_in(admin, people.admin)
    answer = admin.post(f"/admin/users/{people.specialist.id}/erase", data={"confirm": "y"})
    assert answer.status_code == 400
    assert "Gi arbeidstakerne til en annen jobb-spesialist først." in answer.text


def test_an_erased_specialist_stays_the_author_as_slettet_person(app, people, sign_in):
    with app.app_context():
        owner = db.session.get(User, people.other_specialist.id)
        checklist = tasks.create_checklist(db.session, owner, "Rydde lageret")
        db.session.execute(db.delete(Follows).where(Follows.specialist_id == owner.id))
        db.session.commit()
        checklist_id = checklist.id
    admin = app.test_client()
    sign_in(admin, people.admin)
    assert admin.post(f"/admin/users/{people.other_specialist.id}/erase", data={"confirm": "y"}).status_code == 302
    with app.app_context():
        kept = db.session.get(Checklist, checklist_id)
        assert db.session.get(User, kept.owner_id).name == "Slettet person"
        assert db.session.get(User, kept.owner_id).email is None
    assert app.test_client().post("/login", data={"email": people.other_specialist.email,
                                                  "password": "correct-horse-battery"}).status_code != 302


def test_an_admin_cannot_erase_themself(app, people, sign_in):
    admin = app.test_client()
    sign_in(admin, people.admin)
    answer = admin.post(f"/admin/users/{people.admin.id}/erase", data={"confirm": "y"})
    assert answer.status_code == 400 and "Du kan ikke slette deg selv." in answer.text


def test_every_reference_to_a_person_is_deleted_or_kept_on_purpose(app):
    """A new table or column naming a person must be decided in services/erasure.py."""
    with app.app_context():
        references = {f"{table.name}.{fk.parent.name}" for table in db.metadata.tables.values()
                      for fk in table.foreign_keys if fk.column.table.name == "user"}
        assert references == erasure.DELETED_BY | erasure.KEPT_REFERENCES
        assert not erasure.DELETED_BY & erasure.KEPT_REFERENCES
        columns = {c.key for c in sa_inspect(User).mapper.column_attrs}
        assert columns == set(erasure.USER_COLUMNS)
