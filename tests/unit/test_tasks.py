import threading
from datetime import date
from pathlib import Path

import pytest

from worker_app.config import ROOT
from worker_app.extensions import db
from worker_app.models import Run, StepDone, User
from worker_app.services import pictogram_search, tasks
from worker_app.services.errors import Invalid

TODAY = date(2026, 12, 4)  # a Friday


@pytest.fixture
def ctx(app, people):
    with app.app_context():
        yield db.session.get(User, people.specialist.id), db.session.get(User, people.worker.id)


def coffee(owner, steps=3):
    checklist = tasks.create_checklist(db.session, owner, "Fylle kaffe-maskinen", "2615")
    for i in range(1, steps + 1):
        tasks.add_step(db.session, checklist, text=f"Steg nummer {i}.", pictogram="2615")
    return checklist


def test_steps_move_with_buttons_and_delete_renumbers(ctx):
    specialist, _worker = ctx
    checklist = coffee(specialist)
    tasks.move_step(db.session, checklist, 3, up=True)
    assert [s.text for s in checklist.versions[-1].steps] == [
        "Steg nummer 1.", "Steg nummer 3.", "Steg nummer 2."]
    tasks.delete_step(db.session, checklist, 1)
    assert [(s.position, s.text) for s in checklist.versions[-1].steps] == [
        (1, "Steg nummer 3."), (2, "Steg nummer 2.")]


def test_bad_steps_and_empty_pushes_are_refused(ctx):
    specialist, worker = ctx
    checklist = tasks.create_checklist(db.session, specialist, "Tom oppgave")
    with pytest.raises(Invalid, match="tom oppgave"):
        tasks.push(db.session, checklist, workers=[worker], by=specialist, on_date=TODAY)
    for text in ("", "x" * 301):
        with pytest.raises(Invalid) as problem:
            tasks.add_step(db.session, checklist, text=text, pictogram="2615")
        assert problem.value.field == "text"
    tasks.add_step(db.session, checklist, text="Ett steg.", pictogram="2615")
    with pytest.raises(Invalid):
        tasks.push(db.session, checklist, workers=[], by=specialist, on_date=TODAY)
    with pytest.raises(Invalid):
        tasks.push(db.session, checklist, workers=[worker], by=specialist)


def test_editing_after_a_push_never_changes_a_run_under_way(ctx):
    specialist, worker = ctx
    checklist = coffee(specialist, steps=2)
    (assignment,) = tasks.push(db.session, checklist, workers=[worker], by=specialist, on_date=TODAY)
    tasks.add_step(db.session, checklist, text="Et nytt steg.", pictogram="2615")
    assert len(assignment.version.steps) == 2
    assert [v.number for v in checklist.versions] == [1, 2] and len(checklist.versions[-1].steps) == 3


def test_today_by_date_and_by_weekday(ctx):
    specialist, worker = ctx
    checklist = coffee(specialist)
    tasks.push(db.session, checklist, workers=[worker], by=specialist, on_date=TODAY)
    tasks.push(db.session, checklist, workers=[worker], by=specialist, weekdays=[0])  # Mondays
    assert len(tasks.for_day(db.session, worker, TODAY)) == 1
    assert len(tasks.for_day(db.session, worker, date(2026, 12, 7))) == 1  # a Monday
    assert tasks.for_day(db.session, worker, date(2026, 12, 8)) == []


def test_ticking_twice_counts_once_and_the_last_step_finishes(ctx):
    specialist, worker = ctx
    checklist = coffee(specialist, steps=2)
    (assignment,) = tasks.push(db.session, checklist, workers=[worker], by=specialist, on_date=TODAY)
    run = tasks.open_run(db.session, assignment, TODAY)
    first, second = assignment.version.steps
    tasks.tick(db.session, run, first, worker)
    tasks.tick(db.session, run, first, worker)
    assert db.session.query(StepDone).count() == 1 and run.finished_at is None
    tasks.tick(db.session, run, second, worker)
    assert run.finished_at is not None
    tasks.undo(db.session, run, second)
    assert run.finished_at is None and tasks.done_steps(db.session, run) == {first.id}


@pytest.mark.fresh_database
def test_the_same_run_on_two_phones_never_loses_or_doubles_a_tick(app, ctx):
    specialist, worker = ctx
    checklist = coffee(specialist, steps=4)
    (assignment,) = tasks.push(db.session, checklist, workers=[worker], by=specialist, on_date=TODAY)
    db.session.commit()  # the phones are other requests: they see only what is committed
    assignment_id, worker_id = assignment.id, worker.id
    step_ids = [s.id for s in assignment.version.steps]
    barrier = threading.Barrier(8, timeout=30)
    errors = []

    def phone(step_id):
        with app.app_context():
            try:
                me = db.session.get(User, worker_id)
                mine = tasks.assignment_of(db.session, me, assignment_id)
                db.session.commit()
                barrier.wait()
                run = tasks.open_run(db.session, mine, TODAY)
                step = next(s for s in mine.version.steps if s.id == step_id)
                tasks.tick(db.session, run, step, me)
                db.session.commit()  # the request's one commit (services only flush)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=phone, args=(step_id,)) for step_id in step_ids * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    assert db.session.query(Run).count() == 1
    assert sorted(d.step_id for d in db.session.query(StepDone)) == sorted(step_ids)


def test_pictogram_search_finds_norwegian_words():
    index = pictogram_search.build_index(ROOT / "node_modules", "nb")
    assert len(index) > 1000
    codes = [e.code for e in pictogram_search.search(index, "kurv")]
    assert "1F9FA" in codes  # basket
    assert pictogram_search.search(index, "") == []
    assert pictogram_search.build_index(Path("/nowhere"), "nb") == []


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_every_workplace_word_finds_its_picture_first(locale):
    words = pictogram_search.workplace_words()
    assert len(words) >= 150
    index = pictogram_search.build_index(ROOT / "node_modules", locale)
    for word, codes in words.items():
        found = [e.code for e in pictogram_search.search(index, word)]
        assert found and found[0] in codes, (word, codes, found[:3])


def test_common_workplace_words_that_cldr_misses():
    index = pictogram_search.build_index(ROOT / "node_modules", "nb")
    first = {w: pictogram_search.search(index, w)[0].code for w in ("bord", "klut", "kafé")}
    assert first == {"bord": "1F37D", "klut": "1F9FD", "kafé": "2615"}


def test_on_every_shift_follows_the_workers_shifts(ctx):
    from worker_app.services import schedule

    specialist, worker = ctx
    checklist = coffee(specialist)
    tasks.push(db.session, checklist, workers=[worker], by=specialist, every_shift=True)
    assert tasks.for_day(db.session, worker, TODAY) == []
    schedule.add_shift(db.session, worker=worker, by=specialist, day=TODAY.isoformat(),
                       start="09:00", end="12:00")
    assert len(tasks.for_day(db.session, worker, TODAY)) == 1
