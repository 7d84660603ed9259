"""Issue 16, part C: a support person whom the worker lets see the shifts sees the worker's next
meeting with the job specialist on their start page, in easy words; through can(), in the audit
log, in a fixed number of queries however many workers they help."""

from datetime import UTC, datetime

from sqlalchemy import select

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import AuditEntry, Meeting, Permission

HELD = datetime(2026, 11, 20, 9, tzinfo=UTC)
NEXT = datetime(2030, 1, 4, 9, tzinfo=UTC)  # Friday 4 January, 10:00 in Oslo


def _meeting(app, worker, specialist, *, next_at=NEXT, place="work", held_at=HELD):
    with app.app_context():
        db.session.add(Meeting(worker_id=worker.id, by_id=specialist.id, held_at=held_at, with_whom="both",
                               note="Bare for jobb-spesialisten.", shared=False, next_at=next_at, next_place=place))
        db.session.commit()


def test_the_support_person_sees_the_next_meeting_in_easy_words(app, client, people, sign_in):
    _meeting(app, people.worker, people.specialist)
    sign_in(client, people.supporter)
    page = client.get("/support").text
    assert "Ola skal møte jobb-spesialisten fredag 4. januar kl. 10:00 på jobben." in page
    assert "Bare for jobb-spesialisten." not in page  # the note is not theirs to read
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "followup.next_meeting.view")).one()
        assert entry.actor_id == people.supporter.id and entry.worker_id == people.worker.id


def test_on_the_phone_or_at_the_office_it_says_so(app, client, people, sign_in):
    _meeting(app, people.worker, people.specialist, place="phone")
    sign_in(client, people.supporter)
    assert "Jobb-spesialisten ringer Ola fredag 4. januar kl. 10:00." in client.get("/support").text


def test_not_shown_without_the_workers_yes_to_see_the_shifts(app, client, people, sign_in, make_user,
                                                             support_link):
    helper = make_user("support", "Per Hansen")
    support_link(people.worker, helper, Permission.SEE_TASKS)
    _meeting(app, people.worker, people.specialist)
    sign_in(client, helper)
    page = client.get("/support").text
    assert "Ola Johansen" in page and "skal møte jobb-spesialisten" not in page
    with app.app_context():
        assert db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "followup.next_meeting.view")).all() == []


def test_a_meeting_that_has_been_or_a_newer_one_without_a_next_is_not_shown(app, client, people, sign_in):
    _meeting(app, people.worker, people.specialist, next_at=datetime(2026, 11, 21, 9, tzinfo=UTC))
    sign_in(client, people.supporter)
    assert "skal møte jobb-spesialisten" not in client.get("/support").text
    _meeting(app, people.worker, people.specialist, next_at=NEXT, held_at=datetime(2026, 11, 1, tzinfo=UTC))
    # The newest meeting (20 November) planned no meeting that is still to come.
    assert "skal møte jobb-spesialisten" not in client.get("/support").text


def test_the_start_page_costs_the_same_queries_with_one_or_five_workers(app, client, people, sign_in,
                                                                        make_user, follow, support_link):
    _meeting(app, people.worker, people.specialist)
    sign_in(client, people.supporter)
    client.get("/support")
    with count_queries(app) as few:
        assert client.get("/support").status_code == 200
    for i in range(4):
        worker = make_user("worker", f"Arbeider {i} Nilsen")
        follow(people.specialist, worker)
        support_link(worker, people.supporter, Permission.SEE_SHIFTS)
        _meeting(app, worker, people.specialist)
    with count_queries(app) as many:
        page = client.get("/support").text
    assert page.count("skal møte jobb-spesialisten") == 5
    assert len(many) == len(few), (few, many)
