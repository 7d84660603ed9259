"""The suite's own promise (tests/conftest.py): a test sees what it wrote, across requests and app
contexts, and nothing a test writes outlives it; a fresh_database test really commits."""

import pytest
from sqlalchemy import func, select

from tests.conftest import user_maker
from worker_app.extensions import db
from worker_app.models import User


def count_users(app, name=None):
    with app.app_context():
        query = select(func.count()).select_from(User)
        if name:
            query = query.where(User.name == name)
        return db.session.scalar(query)


def count_from_another_connection(app, name):
    with app.app_context(), db.engine.connect() as other:
        return other.scalar(select(func.count()).select_from(User).where(User.name == name))


@pytest.mark.parametrize("turn", [1, 2])
def test_nothing_a_test_writes_outlives_it(app, client, make_user, sign_in, turn):
    assert count_users(app) == 0
    worker = make_user("worker", "Etterlatt")
    sign_in(client, worker)  # a request that commits at its end
    assert count_users(app, "Etterlatt") == 1


def test_a_commit_stays_inside_the_tests_own_transaction(app, make_user):
    make_user("worker", "Bare her")
    assert count_users(app, "Bare her") == 1
    assert count_from_another_connection(app, "Bare her") == 0


def test_an_error_answer_rolls_back_only_its_own_request(app, client, people, sign_in):
    sign_in(client, people.specialist)
    # A shift that ends before it starts: the form answers 400 and the request rolls back.
    answer = client.post(f"/staff/workers/{people.worker.id}/shifts",
                         data={"shift-day": "2030-01-04", "shift-start": "12:00",
                               "shift-end": "09:00"})
    assert answer.status_code == 400
    assert count_users(app, "Ola Johansen") == 1  # what the test made before is still there


@pytest.fixture(scope="module")
def module_worker(module_app):
    return user_maker(module_app)("worker", "Hele modulen")


@pytest.mark.parametrize("turn", [1, 2])
def test_a_module_world_is_there_for_each_test_and_the_tests_own_rows_are_not(app, module_worker,
                                                                                make_user, turn):
    assert count_users(app, "Hele modulen") == 1
    assert count_users(app, "Fra en test") == 0
    make_user("worker", "Fra en test")


@pytest.mark.fresh_database
def test_a_fresh_database_test_commits_for_real(app, make_user):
    assert count_users(app) == 0
    make_user("worker", "Ekte")
    assert count_from_another_connection(app, "Ekte") == 1
