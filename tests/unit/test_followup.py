"""The job specialist's year (issue 16): workplaces of a region, new workers, meetings and the
next meeting, the support plan, the trial period. Times are fixed (any time of day in CI)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import Follows, Meeting, Region, SupportPlan, TrialPeriod, User, Workplace
from worker_app.services import followup, mydata, workplaces
from worker_app.services.errors import Invalid, NotAllowed

# Friday 4 December 2026, 23:30 in Oslo: late evening, the hour CI runs.
NOW = datetime(2026, 12, 4, 22, 30, tzinfo=UTC)


@pytest.fixture
def world(app, people):
    with app.app_context():
        north, south = Region(name="Nord"), Region(name="Sør")
        db.session.add_all([north, south])
        db.session.flush()
        for who in (people.specialist, people.other_specialist, people.worker):
            db.session.get(User, who.id).region_id = north.id
        db.session.commit()
        return {"north": north.id, "south": south.id}


def _get(user):
    return db.session.get(User, user.id)


def test_a_specialist_makes_and_edits_workplaces_of_her_region(app, people, world):
    with app.app_context():
        kari = _get(people.specialist)
        shop = workplaces.save(db.session, kari, workplaces.WorkplaceInput(
            name=" Rema Sentrum ", address="Storgata 1", leader_name="Anne Leder", leader_phone="+47 912 34 567",
            leader_email="anne@rema.no", mentor_name="Per Fadder", mentor_phone="41234567", notes="Rydde hyller"))
        assert (shop.name, shop.region_id, shop.contact_name, shop.mentor_name) == (
            "Rema Sentrum", world["north"], "Anne Leder", "Per Fadder")
        assert [w.name for w in workplaces.visible(db.session, _get(people.other_specialist))] == ["Rema Sentrum"]
        workplaces.save(db.session, kari, workplaces.WorkplaceInput(name="Rema Sentrum", leader_name="Ny"), shop)
        assert shop.contact_name == "Ny" and shop.mentor_name is None
        # Another region's specialist neither sees nor changes it.
        stranger = User(name="Sør Spesialist", role="specialist", region_id=world["south"], email="s@x.no")
        db.session.add(stranger)
        db.session.flush()
        assert workplaces.visible(db.session, stranger) == []
        with pytest.raises(NotAllowed):
            workplaces.save(db.session, stranger, workplaces.WorkplaceInput(name="X"), shop)
        with pytest.raises(NotAllowed):
            workplaces.save(db.session, _get(people.worker), workplaces.WorkplaceInput(name="X"))


def test_the_same_name_twice_in_a_region_is_a_warning_not_a_refusal(app, people, world):
    with app.app_context():
        kari = _get(people.specialist)
        first = workplaces.save(db.session, kari, workplaces.WorkplaceInput(name="Kiwi"))
        second = workplaces.save(db.session, kari, workplaces.WorkplaceInput(name="kiwi "))
        assert second.id != first.id
        assert [w.id for w in workplaces.same_name(db.session, kari, "Kiwi", ignore_id=second.id)] == [first.id]


@pytest.mark.parametrize(("field", "value"), [
    ("name", ""), ("name", "x" * 161), ("leader_phone", "ring meg"), ("mentor_phone", "12"),
    ("leader_email", "anne-at-rema"), ("notes", "x" * 2001), ("address", "x" * 301)])
def test_bad_workplace_input_is_refused_beside_its_field(app, people, world, field, value):
    with app.app_context():
        data = workplaces.WorkplaceInput(name="Kiwi")
        setattr(data, field, value)
        with pytest.raises(Invalid) as problem:
            workplaces.save(db.session, _get(people.specialist), data)
        assert problem.value.field == field


def test_a_specialist_creates_a_worker_in_her_region_and_follows_her(app, people, world):
    with app.app_context():
        kari = _get(people.specialist)
        shop = workplaces.save(db.session, kari, workplaces.WorkplaceInput(name="Kiwi"))
        worker = workplaces.create_worker(db.session, kari, name=" Lise Ny ", workplace_id=shop.id)
        assert (worker.name, worker.role, worker.region_id, worker.workplace_id) == (
            "Lise Ny", "worker", world["north"], shop.id)
        assert db.session.get(Follows, (kari.id, worker.id)) is not None
        with pytest.raises(Invalid) as problem:
            workplaces.create_worker(db.session, kari, name="", workplace_id=None)
        assert problem.value.field == "name"
        other = Workplace(name="Sør-butikk", region_id=world["south"])
        db.session.add(other)
        db.session.flush()
        with pytest.raises(Invalid) as problem:
            workplaces.create_worker(db.session, kari, name="Ola", workplace_id=other.id)
        assert problem.value.field == "workplace"
        for not_a_specialist in (people.admin, people.organizer, people.worker):
            with pytest.raises(NotAllowed):
                workplaces.create_worker(db.session, _get(not_a_specialist), name="Ola", workplace_id=None)


def _meeting(**changes):
    values = {"day": "2026-12-03", "time": "10:00", "with_whom": "both", "note": "Det går fint.",
              "next_steps": "Mer tid på lageret.", "shared": True, "next_day": "2026-12-18",
              "next_time": "10:00", "next_place": "work"}
    values.update(changes)
    return followup.MeetingInput(**values)


def test_a_meeting_with_a_next_meeting(app, people):
    with app.app_context():
        kari, ola = _get(people.specialist), _get(people.worker)
        meeting = followup.add_meeting(db.session, kari, ola, _meeting(), NOW)
        assert meeting.next_at == datetime(2026, 12, 18, 9, 0, tzinfo=UTC)  # 10:00 in Oslo
        assert followup.next_meeting(followup.meetings_of(db.session, ola), NOW) is meeting
        # The newest meeting's plan counts: one recorded later without a next meeting ends it.
        followup.add_meeting(db.session, kari, ola, _meeting(day="2026-12-04", next_day="", next_time=""), NOW)
        assert followup.next_meeting(followup.meetings_of(db.session, ola), NOW) is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"next_day": "2026-12-04", "next_time": "09:00"}, "next_day"),  # earlier today: the past
    ({"next_day": "2026-11-30"}, "next_day"),
    ({"next_day": "2027-12-06"}, "next_day"),  # more than a year ahead
    ({"next_time": ""}, "next_time"),
    ({"day": "2026-12-05"}, "day"),  # not held yet
    ({"day": "4.12.2026"}, "day"),
    ({"time": "25:00"}, "time"),
    ({"with_whom": "boss"}, "with_whom"),
    ({"next_place": "moon"}, "next_place"),
    ({"note": "x" * 1001}, "note"),
    ({"next_steps": "x" * 1001}, "next_steps"),
])
def test_bad_meetings_are_refused_with_the_field_named(app, people, changes, field):
    with app.app_context():
        with pytest.raises(Invalid) as problem:
            followup.add_meeting(db.session, _get(people.specialist), _get(people.worker), _meeting(**changes), NOW)
        assert problem.value.field == field
        assert db.session.query(Meeting).count() == 0


def test_only_the_workers_specialist_records_or_reads_follow_up(app, people):
    with app.app_context():
        for stranger in (people.other_specialist, people.supporter, people.organizer):
            with pytest.raises(NotAllowed):
                followup.add_meeting(db.session, _get(stranger), _get(people.worker), _meeting(), NOW)
            with pytest.raises(NotAllowed):
                followup.staff_record(db.session, _get(stranger), _get(people.worker))


def test_the_support_plan(app, people):
    with app.app_context():
        kari, ola = _get(people.specialist), _get(people.worker)
        plan = followup.save_plan(db.session, kari, ola, visits_now="2 ganger i uka", visits_next="1 gang i måneden",
                                  next_from="fra oktober")
        again = followup.save_plan(db.session, kari, ola, visits_now="1 gang i uka", visits_next="", next_from="")
        assert again is plan and db.session.query(SupportPlan).count() == 1 and plan.visits_now == "1 gang i uka"
        with pytest.raises(Invalid) as problem:
            followup.save_plan(db.session, kari, ola, visits_now="", visits_next="", next_from="fra mai")
        assert problem.value.field == "visits_next"
        with pytest.raises(Invalid):
            followup.save_plan(db.session, kari, ola, visits_now="x" * 201, visits_next="", next_from="")


def test_a_trial_period_its_weeks_and_its_outcome(app, people):
    with app.app_context():
        kari, ola = _get(people.specialist), _get(people.worker)
        trial = followup.save_trial(db.session, kari, ola, starts_on="2026-11-30", weeks="",
                                    evaluation_day="2026-12-24", evaluation_time="10:00")
        assert trial.weeks == 4 and trial.ends_on == date(2026, 12, 27)
        assert [followup.trial_week(trial, date(2026, 11, 30) + timedelta(days=d)) for d in (-1, 0, 6, 7, 27, 28)] == [
            None, 1, 1, 2, 4, None]
        same = followup.save_trial(db.session, kari, ola, starts_on="2026-11-30", weeks="6")
        assert same is trial and trial.weeks == 6 and trial.evaluation_at is None
        assert followup.open_trials(db.session, [ola.id]) == {ola.id: trial}
        followup.decide_trial(db.session, kari, ola, outcome="permanent", on="2026-12-20")
        assert (trial.outcome, trial.outcome_on) == ("permanent", date(2026, 12, 20))
        assert followup.trial_week(trial, date(2026, 12, 1)) is None
        assert followup.open_trials(db.session, [ola.id]) == {}
        with pytest.raises(Invalid):  # nothing open any more
            followup.decide_trial(db.session, kari, ola, outcome="ended", on="2026-12-21")


@pytest.mark.parametrize(("weeks", "evaluation"), [("27", ""), ("0", ""), ("fire", ""), ("-2", ""),
                                                   ("4", "2026-11-01")])
def test_a_trial_beyond_six_months_or_with_bad_input_is_refused(app, people, weeks, evaluation):
    with app.app_context():
        with pytest.raises(Invalid) as problem:
            followup.save_trial(db.session, _get(people.specialist), _get(people.worker), starts_on="2026-11-30",
                                weeks=weeks, evaluation_day=evaluation, evaluation_time="10:00" if evaluation else "")
        assert problem.value.field == ("evaluation_day" if evaluation else "weeks")
        assert db.session.query(TrialPeriod).count() == 0


def test_a_bad_outcome_is_refused(app, people):
    with app.app_context():
        kari, ola = _get(people.specialist), _get(people.worker)
        followup.save_trial(db.session, kari, ola, starts_on="2026-11-30", weeks="4")
        for outcome, on, field in (("hired", "2026-12-20", "outcome"), ("ended", "2026-11-01", "on"),
                                   ("ended", "snart", "on")):
            with pytest.raises(Invalid) as problem:
                followup.decide_trial(db.session, kari, ola, outcome=outcome, on=on)
            assert problem.value.field == field


def test_what_the_worker_sees_is_one_query_and_everything_is_in_her_data(app, people):
    with app.app_context():
        kari, ola = _get(people.specialist), _get(people.worker)
        shop = workplaces.save(db.session, kari, workplaces.WorkplaceInput(name="Kiwi", leader_name="Anne Leder"))
        workplaces.set_workplace(db.session, kari, ola, shop.id)
        followup.save_trial(db.session, kari, ola, starts_on="2026-11-30", weeks="4")
        for day in ("2026-11-01", "2026-11-15", "2026-12-03"):
            followup.add_meeting(db.session, kari, ola, _meeting(day=day, shared=day != "2026-11-15"), NOW)
        followup.save_plan(db.session, kari, ola, visits_now="2 ganger i uka", visits_next="", next_from="")
        db.session.commit()
        with count_queries(app) as statements:
            job = followup.my_job(db.session, ola, NOW)
        assert len(statements) == 1
        assert (job.workplace.name, job.trial_week, job.next_with.id) == ("Kiwi", 1, kari.id)
        assert job.next_meeting.next_at == datetime(2026, 12, 18, 9, tzinfo=UTC)
        assert len(followup.meetings_of(db.session, ola, shared_only=True)) == 2
        data = {s.key: s.rows for s in mydata.everything(db.session, ola)}
        assert len(data["meetings"]) == 3  # the one not shown on Jobben min too
        assert data["support_plan"][0]["visits_now"] == "2 ganger i uka"
        assert data["trial_periods"][0]["weeks"] == 4


def test_the_worker_sees_nothing_planned_when_the_next_meeting_has_passed(app, people):
    with app.app_context():
        kari, ola = _get(people.specialist), _get(people.worker)
        followup.add_meeting(db.session, kari, ola, _meeting(), NOW)
        later = datetime(2026, 12, 18, 9, 1, tzinfo=UTC)
        job = followup.my_job(db.session, ola, later)
        assert job.next_meeting is None and not job.anything


def test_the_sql_twin_of_managing_workplaces_agrees_with_can(app, people, world):
    from sqlalchemy import select

    from worker_app.policy import Action, can, managed_workplaces

    with app.app_context():
        db.session.add_all([Workplace(name="Nord", region_id=world["north"]),
                            Workplace(name="Sør", region_id=world["south"]), Workplace(name="Ingen")])
        db.session.flush()
        everyone = [people.specialist, people.other_specialist, people.worker, people.supporter,
                    people.organizer, people.admin]
        for who in everyone:
            user = _get(who)
            listed = set(db.session.scalars(select(Workplace.id).where(managed_workplaces(user))))
            allowed = {w.id for w in db.session.scalars(select(Workplace)) if can(user, Action.MANAGE_WORKPLACES, w)}
            assert listed == allowed, user.name
        assert len(workplaces.visible(db.session, _get(people.specialist))) == 1
        assert len(workplaces.visible(db.session, _get(people.admin))) == 3
