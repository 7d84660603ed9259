import pytest

from worker_app.extensions import db
from worker_app.models import Permission, SupportLink, User
from worker_app.policy import Action, can, forget_cached_relations
from worker_app.services import consent
from worker_app.services.errors import Invalid, NotFound


def test_proposal_does_nothing_until_the_worker_says_yes(app, people, make_user):
    newcomer = make_user("support", "Tor Vik")
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        supporter = db.session.get(User, newcomer.id)
        link = consent.propose_support_link(
            db.session, worker=worker, supporter=supporter, relation="fadder",
            permissions=[Permission.SEE_TASKS], proposed_by=db.session.get(User, people.specialist.id))
        assert not can(supporter, Action.SEE_TASKS, worker)
        consent.confirm(db.session, worker, link.id)
        forget_cached_relations()
        assert can(supporter, Action.SEE_TASKS, worker)
        assert not can(supporter, Action.SEE_SHIFTS, worker)


def test_stopping_the_last_permission_deletes_the_link(app, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        link = db.session.get(SupportLink, people.link_id)
        link.see_tasks = True
        db.session.commit()
        assert consent.stop_permission(db.session, worker, link.id, Permission.SEE_SHIFTS) is False
        assert db.session.get(SupportLink, link.id).permissions() == [Permission.SEE_TASKS]
        assert consent.stop_permission(db.session, worker, link.id, Permission.SEE_TASKS) is True
        assert db.session.get(SupportLink, link.id) is None


def test_a_worker_cannot_touch_someone_elses_links(app, people):
    with app.app_context():
        other = db.session.get(User, people.second_worker.id)
        with pytest.raises(NotFound):
            consent.stop_permission(db.session, other, people.link_id, Permission.SEE_SHIFTS)
        with pytest.raises(NotFound):
            consent.confirm(db.session, other, people.link_id)


def test_a_proposal_needs_a_permission_and_the_right_roles(app, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        supporter = db.session.get(User, people.supporter.id)
        specialist = db.session.get(User, people.specialist.id)
        with pytest.raises(Invalid):
            consent.propose_support_link(db.session, worker=worker, supporter=supporter,
                                         relation="", permissions=[], proposed_by=specialist)
        with pytest.raises(Invalid):
            consent.propose_support_link(db.session, worker=supporter, supporter=worker,
                                         relation="", permissions=[Permission.SEE_SHIFTS],
                                         proposed_by=specialist)
