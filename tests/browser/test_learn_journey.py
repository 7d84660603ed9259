"""Lære in Chromium at 360×740: a worker takes a lesson, gets one answer wrong, then right."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff, sign_in_worker

pytestmark = pytest.mark.browser
SLUG = "trygghets-nummeret"


def test_worker_takes_a_lesson_and_the_quiz(page, live_server, app, people):
    Path("test-artifacts").mkdir(exist_ok=True)
    sign_in_worker(page, live_server, app, people.worker)
    page.get_by_role("navigation", name="Hoved-meny").get_by_role("link", name="Lære").click()
    check_page(page, "Lære")
    page.get_by_role("link", name="Når noe føles galt").click()
    expect(page.get_by_text("Side 1 av 3")).to_be_visible()
    check_page(page, "lesson screen 1")
    page.screenshot(path="test-artifacts/lesson-screen.png", full_page=True)
    page.get_by_role("link", name="Neste").click()
    expect(page.get_by_text("Side 2 av 3")).to_be_visible()
    page.get_by_role("link", name="Tilbake").click()
    expect(page.get_by_text("Side 1 av 3")).to_be_visible()
    page.get_by_role("link", name="Neste").click()
    page.get_by_role("link", name="Neste").click()
    page.get_by_role("link", name="Neste: spørsmål").click()
    check_page(page, "quiz question")

    page.get_by_role("button", name="Ikke si noe").click()
    expect(page.get_by_text("Ikke helt.")).to_be_visible()
    expect(page.get_by_text("Det er lurt å si fra.", exact=False)).to_be_visible()
    check_page(page, "quiz after a wrong answer")
    page.screenshot(path="test-artifacts/quiz-wrong.png", full_page=True)
    page.get_by_role("button", name="Ringe trygghets-nummeret").click()
    expect(page.get_by_text("Riktig.")).to_be_visible()
    check_page(page, "quiz after a right answer")
    page.get_by_role("link", name="Neste").click()
    page.get_by_role("button", name="Ja").click()
    page.get_by_role("link", name="Neste").click()
    expect(page.get_by_text("Du er ferdig med dette temaet. Bra jobbet.")).to_be_visible()
    check_page(page, "lesson done")
    page.get_by_role("link", name="Gå til Lære").click()
    expect(page.get_by_role("link", name="Når noe føles galt")).to_contain_text("Ferdig")
    page.goto(f"{live_server}/learn/certificate")
    check_page(page, "certificate, not yet")


def test_specialist_follows_the_lessons(page, live_server, app, people):
    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/staff/workers/{people.worker.id}#lessons")
    page.get_by_role("button", name=re.compile(r"^Anbefal\W+Når noe føles galt")).click()
    expect(page.get_by_text("Leksjonen er anbefalt. Den vises på I dag.")).to_be_visible()
    check_page(page, "worker page with lessons")


def test_read_aloud_plays_the_recording_when_there_is_no_voice(browser, tmp_path):
    """A phone without a Norwegian voice gets the espeak-ng recording of the screen."""
    import threading

    from werkzeug.serving import make_server

    from tests.conftest import fresh_app, new_sign_in_token
    from worker_app.extensions import db
    from worker_app.models import User

    with fresh_app(tmp_path) as plain:
        key = plain.extensions["lessons"][SLUG].texts["nb"].screens[0].audio_key
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / f"{key}.mp3").write_bytes(b"ID3")
    with fresh_app(tmp_path, LESSON_AUDIO_DIR=str(tmp_path / "audio")) as app:
        with app.app_context():
            worker = User(name="Ola Johansen", role="worker")
            db.session.add(worker)
            db.session.commit()
            db.session.refresh(worker)
            db.session.expunge(worker)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            context = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 740})
            page = context.new_page()
            page.goto(f"{base}/signin/{new_sign_in_token(app, worker)}")
            page.get_by_role("button", name="Logg inn").click()
            page.goto(f"{base}/learn/{SLUG}/1")
            page.evaluate("""() => {
                speechSynthesis.getVoices = () => [];
                window.played = [];
                HTMLMediaElement.prototype.play = function () {
                    window.played.push(this.getAttribute('src')); return Promise.resolve(); };
            }""")
            page.get_by_role("button", name="Les høyt").click()
            played = page.evaluate("window.played")
            assert len(played) == 1 and played[0].startswith(f"/static/audio/{key}.mp3")
            expect(page.get_by_role("button", name="Stopp")).to_be_visible()
            expect(page.get_by_text("Telefonen din kan ikke lese høyt på norsk.")).to_have_count(0)
            context.close()
        finally:
            server.shutdown()
