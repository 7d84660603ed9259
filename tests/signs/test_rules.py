"""Early signs on "Mine arbeidstakere" (issue 16): each rule, the seen mark and its note, who
sees them. Times are fixed: Wednesday 4 March 2026, 12:00 in Oslo."""

from datetime import UTC, datetime, timedelta

import pytest

from worker_app.extensions import db
from worker_app.models import (
    Assignment,
    AuditEntry,
    Checklist,
    ChecklistVersion,
    HelpRequest,
    LeftHome,
    Run,
    Shift,
    SignSeen,
    User,
    UserSession,
)
from worker_app.services import consent, early_signs, mydata, offboarding
from worker_app.services import people as people_service
from worker_app.services.errors import Invalid, NotAllowed

NOW = datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
TODAY = NOW.date()


def _get(user):
    return db.session.get(User, user.id)


def _kinds(viewer, worker, now=NOW):
    return {f.kind: f for f in early_signs.flags_for(db.session, _get(viewer), [_get(worker)], now)[worker.id]}


def _shift(worker, starts_at, hours=3, **fields):
    shift = Shift(worker_id=worker.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **fields)
    db.session.add(shift)
    db.session.flush()
    return shift


def _signed_in(worker, at):
    db.session.add(UserSession(user_id=worker.id, token_hash=f"{worker.id}-{at.timestamp()}", created_at=at))


@pytest.fixture
def ola(app, people):
    """The specialist's worker, with an old account and a sign-in yesterday: no sign by itself."""
    with app.app_context():
        _get(people.worker).created_at = NOW - timedelta(days=100)
        _signed_in(people.worker, NOW - timedelta(days=1))
        db.session.commit()
    return people.worker


def test_a_worker_with_nothing_going_on_has_no_sign(app, people, ola):
    with app.app_context():
        _shift(ola, NOW - timedelta(days=2))  # one untapped shift is not yet a sign
        assert _kinds(people.specialist, ola) == {}


def test_jeg_har_gatt_not_tapped_twice_in_two_weeks(app, people, ola):
    with app.app_context():
        _shift(ola, NOW - timedelta(days=20))  # too long ago
        _shift(ola, NOW - timedelta(days=5))
        tapped = _shift(ola, NOW - timedelta(days=4))
        db.session.add(LeftHome(worker_id=ola.id, shift_id=tapped.id, left_at=tapped.starts_at - timedelta(minutes=30)))
        _shift(ola, NOW - timedelta(days=3), cancelled_at=NOW - timedelta(days=4))  # cancelled: not counted
        assert "not_left" not in _kinds(people.specialist, ola)
        _shift(ola, NOW - timedelta(days=2))
        _shift(ola, NOW + timedelta(hours=2))  # not begun yet
        flag = _kinds(people.specialist, ola)["not_left"]
        assert flag.reason == "«Jeg har gått» er ikke trykket på 2 vakter de siste 14 dagene."
        assert flag.on == TODAY - timedelta(days=2)


def test_jeg_blir_sen_or_leaving_after_the_shift_began(app, people, ola):
    with app.app_context():
        first = _shift(ola, NOW - timedelta(days=3))
        db.session.add(LeftHome(worker_id=ola.id, shift_id=first.id, left_at=first.starts_at + timedelta(minutes=10)))
        db.session.flush()
        flag = _kinds(people.specialist, ola)["late"]
        assert (flag.reason, flag.on) == (
            "Trykket «Jeg har gått» etter at vakten hadde begynt.", TODAY - timedelta(days=3))
        second = _shift(ola, NOW - timedelta(days=1))
        db.session.add(LeftHome(worker_id=ola.id, shift_id=second.id, late_at=second.starts_at - timedelta(minutes=5)))
        db.session.flush()
        flag = _kinds(people.specialist, ola)["late"]
        assert (flag.reason, flag.on) == ("Trykket «Jeg blir sen».", TODAY - timedelta(days=1))


def test_jeg_blir_sen_long_ago_is_no_sign(app, people, ola):
    with app.app_context():
        old = _shift(ola, NOW - timedelta(days=15))
        db.session.add(LeftHome(worker_id=ola.id, shift_id=old.id, late_at=old.starts_at))
        db.session.flush()
        assert "late" not in _kinds(people.specialist, ola)


def _help(worker, at, n=1):
    db.session.add_all([HelpRequest(worker_id=worker.id, reason="question", created_at=at) for _ in range(n)])
    db.session.flush()


def test_help_requests_above_the_usual(app, people, ola):
    with app.app_context():
        _help(ola, NOW - timedelta(days=2), 2)
        assert "help_more" not in _kinds(people.specialist, ola)  # 2 is fewer than 3
        _help(ola, NOW - timedelta(hours=1))
        flag = _kinds(people.specialist, ola)["help_more"]
        assert flag.reason == ("3 hjelpe-meldinger de siste 7 dagene. Vanlig er 0 i uka "
                               "(snitt for de 8 ukene før).")
        assert flag.on == TODAY


def test_many_help_requests_are_no_sign_when_that_is_usual(app, people, ola):
    with app.app_context():
        _help(ola, NOW - timedelta(days=1), 4)
        _help(ola, NOW - timedelta(days=20), 16)  # 2 a week before: 4 is not more than twice that
        assert "help_more" not in _kinds(people.specialist, ola)
        _help(ola, NOW - timedelta(days=1))
        assert _kinds(people.specialist, ola)["help_more"].reason.startswith(
            "5 hjelpe-meldinger de siste 7 dagene. Vanlig er 2 i uka")


def _checklist_for_today(owner, worker, **when):
    checklist = Checklist(title="Rydde", owner_id=owner.id)
    db.session.add(checklist)
    db.session.flush()
    version = ChecklistVersion(checklist_id=checklist.id, number=1, published_at=NOW - timedelta(days=9))
    db.session.add(version)
    db.session.flush()
    assignment = Assignment(version_id=version.id, worker_id=worker.id, **when)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def test_todays_checklist_not_opened_on_a_shift_day(app, people, ola):
    with app.app_context():
        assignment = _checklist_for_today(people.specialist, ola, weekdays=str(TODAY.weekday()))
        _shift(ola, NOW - timedelta(minutes=20))
        assert "checklist" not in _kinds(people.specialist, ola)  # the shift began 20 minutes ago
        flag = _kinds(people.specialist, ola, NOW + timedelta(minutes=15))["checklist"]
        assert (flag.reason, flag.on) == ("Dagens sjekkliste er ikke åpnet. Vakten har begynt.", TODAY)
        db.session.add(Run(assignment_id=assignment.id, day=TODAY))
        db.session.flush()
        assert "checklist" not in _kinds(people.specialist, ola, NOW + timedelta(minutes=15))


def test_no_checklist_sign_without_a_shift_today_or_a_checklist_for_today(app, people, ola):
    with app.app_context():
        _checklist_for_today(people.specialist, ola, on_date=TODAY + timedelta(days=1))
        _shift(ola, NOW - timedelta(hours=2))
        assert "checklist" not in _kinds(people.specialist, ola)  # the checklist is for tomorrow
        _checklist_for_today(people.specialist, ola, every_shift=True, ended_at=NOW - timedelta(days=1))
        assert "checklist" not in _kinds(people.specialist, ola)  # ended
        _checklist_for_today(people.specialist, ola, every_shift=True)
        assert "checklist" in _kinds(people.specialist, ola)


def test_no_sign_in_for_seven_days_on_a_worker_with_shifts(app, people, ola):
    with app.app_context():
        db.session.query(UserSession).filter_by(user_id=ola.id).delete()
        _signed_in(ola, NOW - timedelta(days=8))
        assert "sign_in" not in _kinds(people.specialist, ola)  # no shifts: nothing to sign in for
        _shift(ola, NOW + timedelta(days=3))
        flag = _kinds(people.specialist, ola)["sign_in"]
        assert (flag.reason, flag.on) == ("Har ikke logget inn på 7 dager, og har vakter.", TODAY - timedelta(days=8))
        _signed_in(ola, NOW - timedelta(days=6))
        assert "sign_in" not in _kinds(people.specialist, ola)


def test_another_workers_shift_and_checklist_are_no_sign_for_her(app, people, ola):
    """Each sign looks at her own shifts, checklists and sign-ins only."""
    with app.app_context():
        emma = _get(people.second_worker)
        emma.created_at = NOW - timedelta(days=100)
        db.session.query(UserSession).filter_by(user_id=emma.id).delete()
        _signed_in(emma, NOW - timedelta(days=1))
        _checklist_for_today(people.specialist, emma, every_shift=True)
        _shift(emma, NOW - timedelta(hours=2))
        db.session.query(UserSession).filter_by(user_id=ola.id).delete()
        _signed_in(ola, NOW - timedelta(days=8))
        assert "checklist" in _kinds(people.specialist, emma)
        assert not {"checklist", "sign_in"} & set(_kinds(people.specialist, ola))


def test_never_signed_in(app, people, ola):
    with app.app_context():
        db.session.query(UserSession).filter_by(user_id=ola.id).delete()
        _shift(ola, NOW - timedelta(days=1))
        assert _kinds(people.specialist, ola)["sign_in"].reason == "Har ikke logget inn ennå, og har vakter."
        _get(ola).created_at = NOW - timedelta(days=2)  # a new worker gets a week first
        assert "sign_in" not in _kinds(people.specialist, ola)


def test_a_support_person_who_left(app, people, ola):
    with app.app_context():
        worker = _get(ola)
        assert "support_ended" not in _kinds(people.specialist, ola, datetime.now(UTC))
        consent.stop_permission(db.session, worker, people.link_id, consent.Permission.SEE_SHIFTS)
        db.session.flush()
        flag = _kinds(people.specialist, ola, datetime.now(UTC))["support_ended"]
        assert flag.reason == "En støtteperson er ikke koblet til lenger."
        assert "support_ended" not in _kinds(people.specialist, ola, datetime.now(UTC) + timedelta(days=15))


def test_a_support_person_deactivated_is_a_sign_for_each_of_their_workers(app, people, ola):
    with app.app_context():
        offboarding.deactivate(db.session, _get(people.admin), _get(people.supporter))
        db.session.flush()
        assert "support_ended" in _kinds(people.specialist, ola, datetime.now(UTC))
        # Emma has no link to this support person: nothing for her.
        assert db.session.query(AuditEntry).filter_by(
            action="support.end", worker_id=people.second_worker.id).count() == 0


def test_only_her_specialist_sees_the_signs(app, people, ola):
    with app.app_context():
        _help(ola, NOW - timedelta(hours=1), 3)
        assert "help_more" in _kinds(people.specialist, ola)
        for viewer in (people.other_specialist, people.admin, people.supporter, people.worker, people.organizer):
            assert _kinds(viewer, ola) == {}
            with pytest.raises(NotAllowed):
                early_signs.mark_seen(db.session, _get(viewer), _get(ola), "help_more", "", NOW)


def test_a_seen_sign_stays_away_until_a_newer_one(app, people, ola):
    with app.app_context():
        kari = _get(people.specialist)
        _help(ola, NOW - timedelta(days=1), 3)
        seen = early_signs.mark_seen(db.session, kari, _get(ola), "help_more", " Snakket med Ola. ", NOW)
        assert (seen.sign_on, seen.note, seen.seen_by_id) == (TODAY - timedelta(days=1), "Snakket med Ola.", kari.id)
        assert "help_more" not in _kinds(people.specialist, ola)
        entry = db.session.query(AuditEntry).filter_by(action="sign.seen").one()
        assert (entry.actor_id, entry.worker_id) == (kari.id, ola.id)
        # Marked again: nothing new (the sign is not there).
        assert early_signs.mark_seen(db.session, kari, _get(ola), "help_more", "", NOW) is None
        _help(ola, NOW - timedelta(hours=1))
        assert _kinds(people.specialist, ola)["help_more"].on == TODAY


def test_a_too_long_note_is_refused_and_nothing_is_stored(app, people, ola):
    with app.app_context():
        _help(ola, NOW - timedelta(hours=1), 3)
        with pytest.raises(Invalid) as problem:
            early_signs.mark_seen(db.session, _get(people.specialist), _get(ola), "help_more", "x" * 501, NOW)
        assert problem.value.field == "note"
        assert db.session.query(SignSeen).count() == 0


def test_the_note_is_in_the_workers_download(app, people, ola):
    with app.app_context():
        _help(ola, NOW - timedelta(hours=1), 3)
        early_signs.mark_seen(db.session, _get(people.specialist), _get(ola), "help_more", "Ringte Ola.", NOW)
        data = {s.key: s.rows for s in mydata.everything(db.session, _get(ola))}
        assert [(r["kind"], r["note"]) for r in data["signs_seen"]] == [("help_more", "Ringte Ola.")]


def test_flagged_rows_come_first_in_the_caseload(app, people, ola):
    with app.app_context():
        emma = _get(people.second_worker)  # "Emma Larsen" comes before "Ola Johansen" by name
        rows = people_service.caseload(db.session, _get(people.specialist), log=False, now=NOW)
        assert [r.worker.id for r in rows] == [emma.id, ola.id]
        _help(ola, NOW - timedelta(hours=1), 3)
        rows = people_service.caseload(db.session, _get(people.specialist), now=NOW)
        assert [r.worker.id for r in rows] == [ola.id, emma.id]
        assert [f.kind for f in rows[0].flags] == ["help_more"] and rows[1].flags == []
        details = dict(db.session.query(AuditEntry.worker_id, AuditEntry.detail).filter_by(action="caseload.view"))
        assert details == {ola.id: "signs: help_more", emma.id: ""}


def test_an_erased_support_person_is_a_sign_and_an_erased_worker_takes_the_notes_along(app, people, ola):
    from worker_app.services import erasure

    with app.app_context():
        admin = _get(people.admin)
        erasure.erase(db.session, admin, _get(people.supporter))
        db.session.flush()
        assert "support_ended" in _kinds(people.specialist, ola, datetime.now(UTC))
        _help(ola, NOW - timedelta(hours=1), 3)
        early_signs.mark_seen(db.session, _get(people.specialist), _get(ola), "help_more", "Ringte.", NOW)
        record = erasure.erase(db.session, admin, _get(ola))
        assert record.counts["signs_seen"] == 1 and db.session.query(SignSeen).count() == 0
