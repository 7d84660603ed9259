"""services/checkin.py: the rules of the check-in, each on its own. Fixed moments, no clock."""

from datetime import UTC, date, datetime, timedelta

import pytest

from worker_app.extensions import db
from worker_app.models import AuditEntry, CheckIn, SupportLink, User
from worker_app.services import checkin
from worker_app.services.errors import Invalid, NotAllowed, NotFound

NOON = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)  # Monday 30 November, 12:00 in Oslo


def test_due_after_a_week_and_never_before():
    assert checkin.is_due(None, NOON)
    assert not checkin.is_due(NOON - timedelta(days=6, hours=23), NOON)
    assert checkin.is_due(NOON - timedelta(days=7), NOON)


def test_answers_go_to_one_check_in_and_only_the_workers_own(app, people):
    with app.app_context():
        s = db.session
        worker, other = s.get(User, people.worker.id), s.get(User, people.second_worker.id)
        first = checkin.answer(s, worker, 1, "yes", NOON)
        same = checkin.answer(s, worker, 2, "sometimes", NOON + timedelta(minutes=1), checkin_id=first.id)
        checkin.answer(s, worker, 3, "no", NOON + timedelta(minutes=2), checkin_id=first.id)
        assert same.id == first.id and (first.tasks, first.others, first.help) == (2, 1, 0)
        with pytest.raises(Invalid):
            checkin.answer(s, worker, 1, "7", NOON)
        with pytest.raises(Invalid):  # no question 2 without a check-in begun
            checkin.answer(s, worker, 2, "yes", NOON)
        with pytest.raises(NotFound):
            checkin.answer(s, other, 2, "yes", NOON, checkin_id=first.id)
        # A page left open overnight begins a new check-in.
        later = checkin.answer(s, worker, 1, "no", NOON + timedelta(days=1), checkin_id=first.id)
        assert later.id != first.id and first.tasks == 2


def _grant(s, link_id, confirmed=True):
    link = s.get(SupportLink, link_id)
    link.see_wellbeing = True
    if not confirmed:
        link.confirmed_at = None
    s.flush()


def test_history_is_for_whom_the_worker_chose_and_is_logged(app, people):
    with app.test_request_context():
        s = db.session
        _grant(s, people.link_id, confirmed=False)  # asked for, not yet agreed to
        worker = s.get(User, people.worker.id)
        specialist, supporter = s.get(User, people.specialist.id), s.get(User, people.supporter.id)
        s.add(CheckIn(worker_id=worker.id, started_at=NOON, tasks=1))
        s.add(CheckIn(worker_id=worker.id, started_at=NOON + timedelta(hours=1)))  # nothing answered
        s.flush()
        assert [c.tasks for c in checkin.history(s, worker, worker)] == [1]
        for viewer in (specialist, supporter, s.get(User, people.other_specialist.id), s.get(User, people.admin.id)):
            with pytest.raises(NotAllowed):
                checkin.history(s, viewer, worker)
        checkin.share_with_specialist(s, worker, True)
        assert len(checkin.history(s, specialist, worker)) == 1
        s.flush()
        assert s.query(AuditEntry).filter_by(action="checkin.view", actor_id=specialist.id,
                                             worker_id=worker.id).count() == 1
        with pytest.raises(NotAllowed):  # following is needed too
            checkin.history(s, s.get(User, people.other_specialist.id), worker)


def _add(s, worker_id, day, score):
    s.add(CheckIn(worker_id=worker_id, started_at=datetime(2026, 11, day, 11, tzinfo=UTC),
                  tasks=score, others=score, help=score))


def _worse(s, viewer, workers):
    """The "answered worse" early sign of each worker, as "Mine arbeidstakere" shows it."""
    from worker_app.services import early_signs

    found = early_signs.flags_for(s, viewer, workers, datetime(2026, 12, 1, 12, tzinfo=UTC))
    return {w: f.on for w, flags in found.items() for f in flags if f.kind == "checkin_worse"}


def test_answers_turning_worse_are_an_early_sign_only_once_shared(app, people):
    with app.test_request_context():
        s = db.session
        worker, second = s.get(User, people.worker.id), s.get(User, people.second_worker.id)
        specialist = s.get(User, people.specialist.id)
        _add(s, worker.id, 16, 2)
        _add(s, worker.id, 23, 2)
        _add(s, worker.id, 30, 1)  # worse than the week before
        _add(s, second.id, 23, 0)
        _add(s, second.id, 30, 2)  # better
        s.flush()
        assert _worse(s, specialist, [worker, second]) == {}  # nothing shared yet
        worker.checkins_to_specialist = second.checkins_to_specialist = True
        s.flush()
        assert _worse(s, specialist, [worker, second]) == {worker.id: date(2026, 11, 30)}
        # Another specialist (not following her) sees no sign.
        assert _worse(s, s.get(User, people.other_specialist.id), [worker, second]) == {}
        # A single check-in is no trend.
        stranger = s.get(User, people.stranger_worker.id)
        stranger.checkins_to_specialist = True
        _add(s, stranger.id, 30, 0)
        s.flush()
        assert _worse(s, specialist, [stranger]) == {}
        # She stops sharing: the sign goes with the answers.
        worker.checkins_to_specialist = False
        s.flush()
        assert _worse(s, specialist, [worker]) == {}


def test_say_more_needs_words_or_ring_meg_and_a_bound(app, people):
    with app.app_context():
        s = db.session
        worker = s.get(User, people.worker.id)
        item = checkin.answer(s, worker, 1, "yes", NOON)
        with pytest.raises(Invalid):
            checkin.say_more(s, worker, item, "  ", call_me=False)
        with pytest.raises(Invalid):
            checkin.say_more(s, worker, item, "x" * 301, call_me=False)
        checkin.say_more(s, worker, item, "", call_me=True)
        first_call = item.call_request_id
        checkin.say_more(s, worker, item, "Hei", call_me=True)  # a second tap asks once
        assert first_call and item.call_request_id == first_call and item.note == "Hei"
