"""The competence programme: a worker's progress through the lessons, and the quiz."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from sqlalchemy import bindparam, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from ..content import Lesson
from ..models import LessonProgress, User
from ..models.types import utcnow
from . import one_row
from .audit import record
from .errors import Invalid
from .locking import savepoint
from .one_row import OneRow

NEW, STARTED, DONE = "new", "started", "done"


def progress_of(session: Session, worker: User, lessons: Iterable[str] | None = None) -> dict[str, LessonProgress]:
    """A worker's progress rows, by lesson (only those of `lessons`, when given): one query.
    The quiz answers stay in the database: pages that list progress don't need them."""
    query = select(LessonProgress).options(defer(LessonProgress.answers)).where(
        LessonProgress.worker_id == worker.id)
    if lessons is not None:
        query = query.where(LessonProgress.lesson.in_(list(lessons)))
    return {p.lesson: p for p in session.scalars(query)}


def _row(session: Session, worker: User, lesson: Lesson) -> LessonProgress:
    """The worker's row for a lesson, made the first time. Two tabs at once make one row."""
    row = session.scalar(select(LessonProgress).where(
        LessonProgress.worker_id == worker.id, LessonProgress.lesson == lesson.slug))
    if row is not None:
        return row
    row = LessonProgress(worker_id=worker.id, lesson=lesson.slug, state=NEW, answers={})
    try:
        with savepoint(session):
            session.add(row)
    except IntegrityError:
        row = session.scalar(select(LessonProgress).where(
            LessonProgress.worker_id == worker.id, LessonProgress.lesson == lesson.slug))
    return row


def open_screen(session: Session, worker: User, lesson: Lesson) -> LessonProgress:
    row = _row(session, worker, lesson)
    if row.state == NEW:
        row.state, row.started_at = STARTED, utcnow()
    session.flush()
    return row


def answer(session: Session, worker: User, lesson: Lesson, question: int, choice: int,
           locale: str = "nb") -> bool:
    """Record a try at question number `question` (from 1). True if right; the last right
    answer finishes the lesson. A choice that is not one of the answers is refused."""
    questions = lesson.text(locale).quiz
    if not 1 <= question <= len(questions):
        raise Invalid("No such question", field="question")
    answers = questions[question - 1].answers
    if not 0 <= choice < len(answers):
        raise Invalid("No such answer", field="answer")
    row = _row(session, worker, lesson)
    tried = dict(row.answers or {})
    tried[str(question)] = [*tried.get(str(question), []), choice]
    row.answers = tried  # a new dict, so that the JSON column is saved
    right = answers[choice].right
    if row.state == NEW:
        row.state, row.started_at = STARTED, utcnow()
    if right and all(
        any(questions[n].answers[c].right for c in tried.get(str(n + 1), []))
        for n in range(len(questions))
    ):
        _finish(row)
    session.flush()
    return right


def _finish(row: LessonProgress) -> None:
    if row.state != DONE:
        row.state, row.done_at = DONE, utcnow()


def recommend(session: Session, specialist: User, worker: User, lesson: Lesson) -> None:
    """Put the lesson on the worker's I dag."""
    row = _row(session, worker, lesson)
    row.recommended_at, row.recommended_by_id = utcnow(), specialist.id
    record(session, specialist, "lesson.recommend", worker, lesson.slug)
    session.flush()


def done_together(session: Session, specialist: User, worker: User, lesson: Lesson) -> None:
    """The specialist and the worker went through the lesson together in a meeting."""
    row = _row(session, worker, lesson)
    row.together_at, row.together_by_id = utcnow(), specialist.id
    if row.started_at is None:
        row.started_at = utcnow()
    _finish(row)
    record(session, specialist, "lesson.together", worker, lesson.slug)
    session.flush()


def recommended_for(session: Session, worker: User, lessons: dict[str, Lesson]) -> list[Lesson]:
    """Lessons a specialist recommended that the worker has not done yet, in programme order."""
    return one_row.read(session, recommended_read(worker, lessons))


def recommended_read(worker: User, lessons: dict[str, Lesson]) -> OneRow:
    """recommended_for as a read I dag runs together with its other one-row reads (one_row): the
    lesson names in one string, so one row whatever their number, and no progress row loaded."""
    return OneRow(_recommended_query(), {"worker_id": worker.id},
                  lambda row: _recommended_from(row[1] if row else None, lessons))


def _recommended_from(names: str | None, lessons: dict[str, Lesson]) -> list[Lesson]:
    slugs = set(names.split(" ")) if names else set()  # a lesson's name (its slug) has no space
    return [lesson for slug, lesson in lessons.items() if slug in slugs]


@cache
def _recommended_query():
    # Built once: I dag asks it on every visit (see auth._session_user_query). An aggregate
    # answers one row even when nothing matches; its first column says the row is there.
    return select(literal(1).label("found"), func.aggregate_strings(LessonProgress.lesson, " ")).where(
        LessonProgress.worker_id == bindparam("worker_id"), LessonProgress.recommended_at.is_not(None),
        LessonProgress.state != DONE)


def state_of(progress: dict[str, LessonProgress], lesson: Lesson) -> str:
    row = progress.get(lesson.slug)
    return row.state if row else NEW


def all_done(progress: dict[str, LessonProgress], lessons: dict[str, Lesson]) -> bool:
    return bool(lessons) and all(state_of(progress, lesson) == DONE for lesson in lessons.values())
