import pytest

from worker_app.extensions import db
from worker_app.models import LessonProgress, User
from worker_app.services import learn, one_row
from worker_app.services.errors import Invalid

SLUG = "trygghets-nummeret"


@pytest.fixture
def ctx(app, people):
    with app.app_context():
        yield (db.session.get(User, people.worker.id), db.session.get(User, people.specialist.id),
               app.extensions["lessons"])


def test_tries_are_kept_and_the_last_right_answer_finishes(ctx):
    worker, _specialist, lessons = ctx
    lesson = lessons[SLUG]
    assert learn.answer(db.session, worker, lesson, 1, 1) is False
    assert learn.state_of(learn.progress_of(db.session, worker), lesson) == "started"
    assert learn.answer(db.session, worker, lesson, 1, 0) is True
    assert learn.state_of(learn.progress_of(db.session, worker), lesson) == "started"
    assert learn.answer(db.session, worker, lesson, 2, 0) is True
    row = learn.progress_of(db.session, worker)[SLUG]
    assert row.state == "done" and row.done_at and row.answers == {"1": [1, 0], "2": [0]}


@pytest.mark.parametrize(("question", "choice"), [(0, 0), (3, 0), (1, 2), (1, -1)])
def test_answers_outside_the_quiz_are_refused(ctx, question, choice):
    worker, _specialist, lessons = ctx
    with pytest.raises(Invalid):
        learn.answer(db.session, worker, lessons[SLUG], question, choice)
    assert db.session.query(LessonProgress).count() == 0


def test_one_row_per_worker_and_lesson_however_often_it_is_opened(ctx):
    worker, _specialist, lessons = ctx
    for _ in range(3):
        learn.open_screen(db.session, worker, lessons[SLUG])
    assert db.session.query(LessonProgress).count() == 1


def test_recommended_lessons_come_in_programme_order_alone_and_with_i_dags_other_reads(ctx):
    worker, specialist, lessons = ctx
    last, first = list(lessons.values())[-1], list(lessons.values())[0]
    assert learn.recommended_for(db.session, worker, lessons) == []
    learn.recommend(db.session, specialist, worker, last)
    learn.recommend(db.session, specialist, worker, first)
    (together,) = one_row.read_together(db.session, learn.recommended_read(worker, lessons))
    assert learn.recommended_for(db.session, worker, lessons) == together == [first, last]


def test_recommended_until_done_and_certificate_when_all_are_done(ctx):
    worker, specialist, lessons = ctx
    learn.recommend(db.session, specialist, worker, lessons[SLUG])
    assert [lesson.slug for lesson in learn.recommended_for(db.session, worker, lessons)] == [SLUG]
    learn.done_together(db.session, specialist, worker, lessons[SLUG])
    progress = learn.progress_of(db.session, worker)
    assert learn.recommended_for(db.session, worker, lessons) == []
    assert progress[SLUG].together_by_id == specialist.id
    assert not learn.all_done(progress, lessons)
    for lesson in lessons.values():
        learn.done_together(db.session, specialist, worker, lesson)
    assert learn.all_done(learn.progress_of(db.session, worker), lessons)
