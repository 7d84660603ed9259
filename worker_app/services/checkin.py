"""The weekly check-in "Hvordan har du det på jobb?" (issue 16).

3 questions, each answered by one tap on a picture with a word: Ja, Av og til, Nei. Each tap
saves its answer, so the whole check-in is 3 taps. "Vil du si mer?" (a few words, or "Ring meg")
is optional. The worker decides who sees the answers: a support person through the link's own
permission (SEE_WELLBEING), the specialists who follow her through her own choice, asked at her
first check-in (User.checkins_to_specialist). Every read by someone else goes through can()
and the audit log.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from ..models import CheckIn, HelpReason, User
from ..policy import Action, can
from . import help as help_service
from .audit import record
from .errors import Invalid, NotAllowed, NotFound
from .limits import CHECKIN_NOTE_MAX

# The questions in the order they are asked: the column each answer goes in.
QUESTIONS = ("tasks", "others", "help")
# An answer as the form sends it, and as it is kept. Never shown as a number.
CHOICES = {"yes": 2, "sometimes": 1, "no": 0}
EVERY = timedelta(days=7)  # I dag asks again when the last check-in is this old
OPEN_FOR = timedelta(hours=12)  # a check-in begun can be finished this long after


def is_due(last_started_at: datetime | None, now: datetime) -> bool:
    """I dag shows the card when the worker has not checked in for a week."""
    return last_started_at is None or now - last_started_at >= EVERY


def last_started(worker_id):
    """When the worker last began a check-in, as a scalar subquery: I dag asks it within a query
    it runs anyway (services/followup.py's my_job), so a check-in adds no query to I dag."""
    return (select(func.max(CheckIn.started_at)).where(CheckIn.worker_id == worker_id)
            .correlate_except(CheckIn).scalar_subquery())


def question_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= len(QUESTIONS):
        raise NotFound()
    return number


def own(session: Session, worker: User, checkin_id: int) -> CheckIn:
    checkin = session.get(CheckIn, checkin_id)
    if checkin is None or checkin.worker_id != worker.id:
        raise NotFound()
    return checkin


def still_open(checkin: CheckIn, now: datetime) -> bool:
    return now - checkin.started_at <= OPEN_FOR


def answer(session: Session, worker: User, question: int, choice: str, now: datetime,
           checkin_id: int | None = None) -> CheckIn:
    """Save one answer. The first question begins a new check-in (unless the one given is still
    open); the others go to the check-in begun, which is the worker's own."""
    if choice not in CHOICES:
        raise Invalid(_l("Trykk på et av bildene."), field="choice")
    checkin = own(session, worker, checkin_id) if checkin_id else None
    if checkin is not None and not still_open(checkin, now):
        checkin = None  # an old page: begin again
    if checkin is None:
        if question != 1:
            raise Invalid(_l("Det er lenge siden du begynte. Begynn på nytt her."), field="choice")
        checkin = CheckIn(worker_id=worker.id, started_at=now)
        session.add(checkin)
    setattr(checkin, QUESTIONS[question - 1], CHOICES[choice])
    session.flush()
    return checkin


def say_more(session: Session, worker: User, checkin: CheckIn, note: str, call_me: bool) -> None:
    """ "Vil du si mer?": a few words, and/or "Ring meg" (a help request to her specialists,
    through the help machinery: they are told as for any help request)."""
    note = (note or "").strip()
    if len(note) > CHECKIN_NOTE_MAX:
        raise Invalid(_l("Skriv kortere, høyst %(n)s tegn.", n=CHECKIN_NOTE_MAX), field="note")
    if not note and not call_me:
        raise Invalid(_l("Skriv noen ord, eller trykk «Ring meg»."), field="note")
    if note:
        checkin.note = note
    if call_me and checkin.call_request_id is None:
        checkin.call_request_id = help_service.ask(session, worker, HelpReason.CALL_ME.value).id
    session.flush()


def share_with_specialist(session: Session, worker: User, yes: bool) -> None:
    """The worker's own choice; it covers every answer, old and new, and she can change it."""
    worker.checkins_to_specialist = yes
    record(session, worker, "checkin.share_specialist", worker, "yes" if yes else "no")
    session.flush()


def history(session: Session, viewer: User, worker: User, limit: int = 12) -> list[CheckIn]:
    """The last check-ins with an answer, oldest first, for whom can(SEE_CHECKINS) allows; a
    read by anyone but the worker is logged. One query."""
    if not can(viewer, Action.SEE_CHECKINS, worker):
        raise NotAllowed()
    rows = list(session.scalars(
        select(CheckIn).where(CheckIn.worker_id == worker.id, _answered())
        .order_by(CheckIn.started_at.desc(), CheckIn.id.desc()).limit(limit)))
    if viewer.id != worker.id:
        record(session, viewer, "checkin.view", worker)
    return rows[::-1]


def own_all(session: Session, worker: User) -> list[CheckIn]:
    """Every check-in of the worker, newest first: her data-rights page and export."""
    return list(session.scalars(select(CheckIn).where(CheckIn.worker_id == worker.id)
                                .order_by(CheckIn.started_at.desc(), CheckIn.id.desc())))


def latest_shared_id(worker: type[User] | object):
    """The newest answered check-in a worker shares with her specialists, as a scalar subquery on
    a User entity (the caseload's own query carries it: no query more)."""
    return (select(CheckIn.id).where(CheckIn.worker_id == worker.id, _answered(),
                                     worker.checkins_to_specialist.is_(True))
            .order_by(CheckIn.started_at.desc(), CheckIn.id.desc()).limit(1)
            .correlate(worker).scalar_subquery())


def _answered():
    return (CheckIn.tasks.is_not(None)) | (CheckIn.others.is_not(None)) | (CheckIn.help.is_not(None))


def _score():
    # Only to compare two check-ins of the same worker; a question not answered counts as
    # "Av og til". Never shown.
    return (func.coalesce(CheckIn.tasks, literal(1)) + func.coalesce(CheckIn.others, literal(1))
            + func.coalesce(CheckIn.help, literal(1)))


def trend_columns(worker: type[User]) -> list:
    """For early signs: the scores of the newest two check-ins a worker shares with her
    specialists and the time of the newest, as subqueries correlated on `worker` (the caseload's
    one signs query carries them). Worse is newest < before; the scores are never shown."""
    def newest(column, skip: int):
        return (select(column).where(CheckIn.worker_id == worker.id, _answered(),
                                     worker.checkins_to_specialist.is_(True))
                .order_by(CheckIn.started_at.desc(), CheckIn.id.desc()).limit(1).offset(skip)
                .correlate(worker).scalar_subquery())
    return [newest(_score(), 0), newest(_score(), 1), newest(CheckIn.started_at, 0)]
