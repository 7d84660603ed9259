"""People and things for the scale-out and failure tests, made in the shared database the way
the app makes them (services), so the servers see them as their own."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from worker_app.extensions import db
from worker_app.models import Event, Follows, Role, User
from worker_app.models.tasks import Assignment, Run, StepDone
from worker_app.models.types import utcnow
from worker_app.services import auth as auth_service
from worker_app.services import schedule, tasks


def person(app: Flask, role: str, name: str | None = None) -> int:
    with app.app_context():
        user = User(name=name or f"{role.title()} {secrets.token_hex(3)}", role=role)
        if role in (Role.SPECIALIST, Role.ORGANIZER, Role.ADMIN):
            user.email = f"{secrets.token_hex(5)}@test.no"
            user.password_hash = auth_service.hash_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.id


def email_of(app: Flask, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


def sign_in_token(app: Flask, user_id: int) -> str:
    """A fresh single-use sign-in link, as a specialist makes one."""
    with app.app_context():
        _link, token = auth_service.make_sign_in_link(
            db.session, db.session.get(User, user_id), None, timedelta(days=1))
        db.session.commit()  # services only flush; this is the test's own transaction
        return token


def device_cookie(app: Flask, user_id: int) -> str:
    """A phone that was signed in before: the value of its remembered-device cookie."""
    with app.app_context():
        token = sign_in_token(app, user_id)
        _user, device, secret = auth_service.use_sign_in_link(
            db.session, token, device_label="scale-test", device_lifetime=timedelta(days=1))
        db.session.commit()
        return auth_service.device_cookie_value(device, secret)


def workers(app: Flask, n: int, prefix: str) -> list[int]:
    with app.app_context():
        people = [User(name=f"{prefix} {i + 1}", role=Role.WORKER.value) for i in range(n)]
        db.session.add_all(people)
        db.session.commit()
        return [p.id for p in people]


def event(app: Flask, capacity: int | None, organizer_id: int) -> int:
    with app.app_context():
        starts = utcnow() + timedelta(days=7)
        row = Event(title="Grilling i skogen", starts_at=starts, ends_at=starts + timedelta(hours=3),
                    place="Skogen", capacity=capacity, created_by_id=organizer_id)
        db.session.add(row)
        db.session.commit()
        return row.id


def checklist_for(app: Flask, worker_id: int, steps: int) -> int:
    """A checklist of `steps` steps pushed to the worker for today. Returns the assignment id."""
    with app.app_context():
        specialist_id = person(app, Role.SPECIALIST.value)
        db.session.add(Follows(specialist_id=specialist_id, worker_id=worker_id))
        db.session.commit()
        specialist = db.session.get(User, specialist_id)
        checklist = tasks.create_with_steps(
            db.session, specialist, "Rydde bordene", "1F4CB",
            [tasks.NewStep(f"Tørk bord nummer {i + 1}.") for i in range(steps)])
        [assignment] = tasks.push(db.session, checklist, workers=[db.session.get(User, worker_id)],
                                  by=specialist, on_date=schedule.oslo(utcnow()).date())
        db.session.commit()
        return assignment.id


def ticks(app: Flask, assignment_id: int) -> list[tuple[int, int]]:
    """Every StepDone of the assignment's runs, as (run id, step id)."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(StepDone.run_id, StepDone.step_id).join(Run, Run.id == StepDone.run_id)
            .where(Run.assignment_id == assignment_id)).all()]


def runs(app: Flask, assignment_id: int) -> list[Run]:
    return rows(app, Run, Run.assignment_id == assignment_id)


def step_count(app: Flask, assignment_id: int) -> int:
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        return len(assignment.version.steps)


def count(app: Flask, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def rows(app: Flask, model, *where) -> list:
    """The rows of `model`, by id, detached (for reading after the app context)."""
    with app.app_context():
        found = list(db.session.scalars(select(model).where(*where).order_by(model.id)))
        db.session.expunge_all()
        return found
