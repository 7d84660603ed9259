import pytest

from worker_app.extensions import db
from worker_app.models import HelpRequest, Permission, User
from worker_app.policy import Action, can


def load(*users):
    return [db.session.get(User, u.id) for u in users]


def test_roles_reach_only_their_own_areas(app, people):
    with app.app_context():
        worker, supporter, specialist, organizer, admin = load(
            people.worker, people.supporter, people.specialist, people.organizer, people.admin)
        assert can(worker, Action.USE_WORKER_APP)
        assert not can(specialist, Action.USE_WORKER_APP)
        assert can(supporter, Action.USE_SUPPORT_APP)
        assert can(specialist, Action.SEE_CASELOAD)
        assert not can(organizer, Action.SEE_CASELOAD)
        for action in (Action.MANAGE_USERS, Action.EDIT_SAFETY_NUMBER, Action.READ_AUDIT_LOG):
            assert can(admin, action)
            assert not can(specialist, action)
            assert not can(worker, action)


def test_staff_pages_are_for_specialists_organizers_and_admins(app, people):
    """Settings and "Logg ut overalt" take the staff layout and talk of a password by this
    action, never by the role."""
    with app.app_context():
        worker, supporter, specialist, organizer, admin = load(
            people.worker, people.supporter, people.specialist, people.organizer, people.admin)
        assert [can(u, Action.USE_STAFF_APP) for u in (worker, supporter, specialist, organizer, admin)] == [
            False, False, True, True, True]
        admin.active = False
        assert not can(admin, Action.USE_STAFF_APP)


def test_specialist_sees_only_followed_workers(app, people):
    with app.app_context():
        specialist, worker, stranger = load(people.specialist, people.worker, people.stranger_worker)
        assert can(specialist, Action.VIEW_WORKER, worker)
        assert can(specialist, Action.SEE_SHIFTS, worker)
        assert not can(specialist, Action.VIEW_WORKER, stranger)
        assert not can(specialist, Action.SEE_SHIFTS, stranger)
        assert can(specialist, Action.MAKE_SIGN_IN_LINK, worker)
        assert not can(specialist, Action.MAKE_SIGN_IN_LINK, stranger)


def test_support_person_gets_exactly_what_the_worker_granted(app, people):
    with app.app_context():
        supporter, worker, second = load(people.supporter, people.worker, people.second_worker)
        assert can(supporter, Action.SEE_SHIFTS, worker)
        assert not can(supporter, Action.SEE_TASKS, worker)
        assert not can(supporter, Action.TICK_TASKS, worker)
        assert not can(supporter, Action.SEE_SHIFTS, second)
        assert not can(supporter, Action.VIEW_WORKER, worker)


def test_an_unconfirmed_link_grants_nothing(app, make_user, support_link):
    worker = make_user("worker")
    supporter = make_user("support")
    support_link(worker, supporter, Permission.SEE_SHIFTS, Permission.SEE_TASKS, confirmed=False)
    with app.app_context():
        supporter, worker = load(supporter, worker)
        assert not can(supporter, Action.SEE_SHIFTS, worker)
        assert not can(supporter, Action.SEE_TASKS, worker)


def test_only_the_worker_manages_their_sharing(app, people):
    with app.app_context():
        worker, specialist, admin = load(people.worker, people.specialist, people.admin)
        assert can(worker, Action.MANAGE_SHARING, worker)
        assert not can(specialist, Action.MANAGE_SHARING, worker)
        assert not can(admin, Action.MANAGE_SHARING, worker)


def test_help_requests_are_handled_by_the_workers_specialist(app, people):
    with app.app_context():
        request = HelpRequest(worker_id=people.worker.id, reason="sad")
        db.session.add(request)
        db.session.commit()
        specialist, other = load(people.specialist, people.other_specialist)
        assert can(specialist, Action.HANDLE_HELP, request)
        assert not can(other, Action.HANDLE_HELP, request)


@pytest.mark.parametrize("user", [None, object()])
def test_without_a_signed_in_user_nothing_is_allowed(app, user):
    with app.app_context():
        assert not can(user, Action.USE_WORKER_APP)


def test_inactive_users_are_allowed_nothing(app, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        worker.active = False
        assert not can(worker, Action.USE_WORKER_APP)
        assert not can(worker, Action.SEE_SHIFTS, worker)


def test_specialist_can_link_support_persons_of_their_workers_only(app, people, make_user):
    lonely_supporter = make_user("support")
    with app.app_context():
        specialist, other, supporter, lonely = load(
            people.specialist, people.other_specialist, people.supporter, lonely_supporter)
        assert can(specialist, Action.MAKE_SIGN_IN_LINK, supporter)
        assert not can(other, Action.MAKE_SIGN_IN_LINK, supporter)
        assert not can(specialist, Action.MAKE_SIGN_IN_LINK, lonely)
        # Staff never get sign-in links.
        assert not can(people_admin := db.session.get(User, people.admin.id),
                       Action.MAKE_SIGN_IN_LINK, specialist)
        assert people_admin.role == "admin"


def test_the_sql_form_of_who_manages_whom_agrees_with_can(app, people):
    """Lists (the API) filter with managed_worker_ids(); single things ask can(). Same rule."""
    from sqlalchemy import select

    from worker_app.policy import managed_worker_ids

    with app.app_context():
        everyone = db.session.scalars(select(User)).all()
        workers = [u for u in everyone if u.role == "worker"]
        for user in everyone:
            listed = set(db.session.scalars(managed_worker_ids(user)))
            allowed = {w.id for w in workers if can(user, Action.VIEW_WORKER, w)}
            assert listed == allowed, user.name


def test_the_sql_form_of_which_events_a_worker_sees_agrees_with_can(app, people):
    """Lists (Aktiviteter) filter with visible_events(); one event asks can(SEE_EVENT). Same rule:
    open events for all or the worker's region, invitation-only ones only when signed up."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from worker_app.models import Event, Region, Signup
    from worker_app.policy import forget_cached_relations, visible_events

    with app.app_context():
        west, east = Region(name="Vest"), Region(name="Øst")
        db.session.add_all([west, east])
        db.session.flush()
        worker, second, stranger = load(people.worker, people.second_worker, people.stranger_worker)
        worker.region_id, second.region_id = west.id, east.id
        at = {"starts_at": datetime(2030, 1, 5, 10, tzinfo=UTC), "ends_at": datetime(2030, 1, 5, 13, tzinfo=UTC)}
        events = [Event(title=f"E{i}", place="Her", region_id=region, invite_only=invite, **at)
                  for i, (region, invite) in enumerate(
                      [(None, False), (west.id, False), (east.id, False), (None, True), (west.id, True)])]
        db.session.add_all(events)
        db.session.flush()
        db.session.add_all([Signup(event_id=events[3].id, worker_id=worker.id, state="going"),
                            Signup(event_id=events[2].id, worker_id=worker.id, state="cancelled")])
        db.session.commit()
        forget_cached_relations()
        everyone = db.session.scalars(select(User)).all()
        seen_by = {}
        for user in everyone:
            listed = set(db.session.scalars(select(Event.id).where(visible_events(user))))
            assert listed == {e.id for e in events if can(user, Action.SEE_EVENT, e)}, user.name
            seen_by[user.name] = sorted(e.title for e in events if e.id in listed)
        # The rule itself, for the worker of the west with two sign-ups (one cancelled).
        assert seen_by[worker.name] == ["E0", "E1", "E2", "E3"]
        assert seen_by[second.name] == ["E0", "E2"]
        assert seen_by[stranger.name] == ["E0"]  # no region: only what is open to everyone
        assert seen_by[people.specialist.name] == []  # staff see events with SEE_EVENTS


def test_help_receipts_tokens_and_fading_are_decisions_of_the_policy(app, people):
    with app.app_context():
        request = HelpRequest(worker_id=people.worker.id, reason="sad")
        db.session.add(request)
        db.session.commit()
        worker, second, specialist, other, admin = load(
            people.worker, people.second_worker, people.specialist, people.other_specialist, people.admin)
        assert can(worker, Action.SEE_HELP_RECEIPT, request)
        assert not can(second, Action.SEE_HELP_RECEIPT, request)
        assert not can(specialist, Action.SEE_HELP_RECEIPT, request)  # staff answer it: HANDLE_HELP
        assert can(admin, Action.SEE_OTHERS_API_TOKENS)
        assert not can(specialist, Action.SEE_OTHERS_API_TOKENS)
        for action in (Action.FADE_SUPPORT, Action.RENEW_CALENDAR, Action.PUSH_CHECKLIST):
            assert can(specialist, action, worker) and can(admin, action, worker)
            assert not can(other, action, worker)
            assert not can(worker, action, worker)
