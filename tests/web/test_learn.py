"""Lære through the Flask test client: lessons, the quiz, the specialist's view, the certificate."""

import pytest

from tests.conftest import count_queries, fresh_app, new_sign_in_token
from worker_app.extensions import db
from worker_app.models import LessonProgress, User
from worker_app.services import learn

SLUG = "trygghets-nummeret"


def test_lessons_list_with_states(app, client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/learn").text
    assert "Når noe føles galt" in page and "<span>Ny</span>" in page
    client.get(f"/learn/{SLUG}/1")
    assert "<span>Du har begynt</span>" in client.get("/learn").text


def test_a_lesson_runs_one_screen_at_a_time(client, people, sign_in):
    sign_in(client, people.worker)
    assert client.get(f"/learn/{SLUG}").location.endswith(f"/learn/{SLUG}/1")
    first = client.get(f"/learn/{SLUG}/1").text
    assert "Side 1 av 3" in first and "Noen ganger føles noe galt." in first
    assert f'href="/learn/{SLUG}/2"' in first and "Tilbake" not in first.split("<main")[1]
    last = client.get(f"/learn/{SLUG}/3").text
    assert f'href="/learn/{SLUG}/quiz/1"' in last and f'href="/learn/{SLUG}/2"' in last
    assert client.get(f"/learn/{SLUG}/4").status_code == 404
    assert client.get("/learn/no-such-lesson/1").status_code == 404
    unknown = client.get("/learn/no-such-lesson")
    assert unknown.status_code == 404 and 'href="tel:' in unknown.text


def test_quiz_explains_a_wrong_answer_kindly_and_finishes_on_right_ones(app, client, people,
                                                                         sign_in):
    sign_in(client, people.worker)
    wrong = client.post(f"/learn/{SLUG}/quiz/1", data={"answer": "1"})
    assert wrong.status_code == 200
    assert "Ikke helt." in wrong.text and "Prøv igjen." in wrong.text
    assert "Det er lurt å si fra." in wrong.text and "Du valgte denne" in wrong.text
    right = client.post(f"/learn/{SLUG}/quiz/1", data={"answer": "0"})
    assert "Riktig." in right.text and f'href="/learn/{SLUG}/quiz/2"' in right.text
    client.post(f"/learn/{SLUG}/quiz/2", data={"answer": "0"})
    done = client.get(f"/learn/{SLUG}/done").text
    assert "Du er ferdig med dette temaet. Bra jobbet." in done
    with app.app_context():
        row = db.session.query(LessonProgress).one()
        assert row.state == "done" and row.answers == {"1": [1, 0], "2": [0]}
    # Taken again at any time: it stays done.
    assert client.get(f"/learn/{SLUG}/1").status_code == 200
    assert "<span>Ferdig</span>" in client.get("/learn").text


@pytest.mark.parametrize("answer", ["7", "-1", "x", ""])
def test_an_answer_that_is_not_a_choice_is_a_400(client, people, sign_in, answer):
    sign_in(client, people.worker)
    response = client.post(f"/learn/{SLUG}/quiz/1", data={"answer": answer})
    assert response.status_code == 400 and 'href="tel:' in response.text


def test_done_page_before_the_quiz_goes_to_the_quiz(client, people, sign_in):
    sign_in(client, people.worker)
    assert client.get(f"/learn/{SLUG}/done").location.endswith(f"/learn/{SLUG}/quiz/1")


def test_specialist_recommends_and_marks_done_together(app, client, people, sign_in):
    staff = app.test_client()
    sign_in(staff, people.specialist)
    page = staff.get(f"/staff/workers/{people.worker.id}").text
    assert "Når noe føles galt" in page and "Ikke begynt" in page
    assert staff.post(f"/staff/workers/{people.worker.id}/lessons/{SLUG}/recommend").status_code == 302
    sign_in(client, people.worker)
    today = client.get("/").text
    assert "Tips fra jobb-spesialisten" in today and f'href="/learn/{SLUG}"' in today
    assert "<span>Tips</span>" in client.get("/learn").text
    staff.post(f"/staff/workers/{people.worker.id}/lessons/{SLUG}/together")
    assert "Tips fra jobb-spesialisten" not in client.get("/").text
    assert "gått gjennom sammen" in staff.get(f"/staff/workers/{people.worker.id}").text
    assert staff.post(f"/staff/workers/{people.stranger_worker.id}/lessons/{SLUG}/recommend"
                      ).status_code == 403
    assert staff.post(f"/staff/workers/{people.worker.id}/lessons/nope/recommend").status_code == 404


def test_certificate_only_when_every_lesson_is_done(app, client, people, sign_in):
    sign_in(client, people.worker)
    assert "Har du tatt alle temaene? Da får du beviset." in client.get("/learn/certificate").text
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        specialist = db.session.get(User, people.specialist.id)
        for lesson in app.extensions["lessons"].values():
            learn.done_together(db.session, specialist, worker, lesson)
    page = client.get("/learn/certificate").text
    assert "Kompetanse-bevis for" in page and "Ola Johansen" in page
    assert "Når noe føles galt" in page


@pytest.mark.parametrize("path", ["/learn", f"/learn/{SLUG}/1", f"/learn/{SLUG}/quiz/1", "/"])
def test_learn_pages_use_a_fixed_number_of_queries(app, client, people, sign_in, path):
    sign_in(client, people.worker)
    client.get(path)
    with count_queries(app) as statements:
        assert client.get(path).status_code == 200
    assert len(statements) <= 8


def test_a_screen_offers_its_recording_when_one_was_made(tmp_path):
    with fresh_app(tmp_path, LESSON_AUDIO_DIR=str(tmp_path / "audio")) as empty:
        assert empty.extensions["lesson_audio"] == set()
        lesson = empty.extensions["lessons"][SLUG]
    key = lesson.texts["nb"].screens[0].audio_key
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / f"{key}.mp3").write_bytes(b"ID3")
    with fresh_app(tmp_path, LESSON_AUDIO_DIR=str(tmp_path / "audio")) as app:
        with app.app_context():
            worker = User(name="Ola Johansen", role="worker")
            db.session.add(worker)
            db.session.commit()
            db.session.refresh(worker)
            db.session.expunge(worker)
        client = app.test_client()
        client.post(f"/signin/{new_sign_in_token(app, worker)}")
        first = client.get(f"/learn/{SLUG}/1").text
        assert f'src="/static/audio/{key}.mp3' in first and "data-read-aloud-audio" in first
        assert "data-read-aloud-audio" not in client.get(f"/learn/{SLUG}/2").text
