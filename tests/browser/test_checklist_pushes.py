"""Issue 16, item 8 in Chromium at 360×740: a photo chosen before "Søk" is still there after the
pictogram search, with and without JavaScript, and is saved with the step; a second push for the
same day asks which one to keep; a checklist taken back is said calmly on the worker's I dag."""

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT, check_page
from tests.browser.test_journeys import sign_in_staff, sign_in_worker

pytestmark = pytest.mark.browser


def _photo(tmp_path) -> Path:
    target = tmp_path / "kurv.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    target.write_bytes(buffer.getvalue())
    return target


def _photo_survives_the_search(page, live_server, people, tmp_path, label):
    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/staff/checklists")
    page.get_by_label("Navn på oppgaven").fill(f"Rydde kurvene {label}")
    page.get_by_role("button", name="Lag oppgaven").click()
    page.get_by_label("Hva skal arbeidstakeren gjøre?").fill("Hent kurvene ved kassene.")
    page.get_by_label("Hint (valgfritt)").fill("Bruk begge hender.")
    page.get_by_label("Foto fra arbeidsplassen (valgfritt)").set_input_files(str(_photo(tmp_path)))
    page.get_by_label("Søk etter et bilde på norsk").fill("kurv")
    page.get_by_role("button", name="Søk").click()
    expect(page.get_by_text("Fotoet du valgte")).to_be_visible()
    expect(page.get_by_role("img", name="Foto til steget")).to_be_visible()
    expect(page.get_by_label("Hva skal arbeidstakeren gjøre?")).to_have_value("Hent kurvene ved kassene.")
    expect(page.get_by_label("Hint (valgfritt)")).to_have_value("Bruk begge hender.")
    expect(page.get_by_label("Søk etter et bilde på norsk")).to_have_value("kurv")
    if label == "med JavaScript":  # axe runs in the page: not where scripts are off
        check_page(page, f"editor after Søk with a photo ({label})")
    page.get_by_role("button", name="Legg til steget").click()
    expect(page.get_by_text("Steget er lagt til.")).to_be_visible()
    step = page.locator(".step-list__item").first
    expect(step).to_contain_text("Hent kurvene ved kassene.")
    expect(step.get_by_role("img", name="Foto til steget")).to_be_visible()


def test_a_photo_chosen_before_the_search_is_kept_and_saved(page, live_server, people, tmp_path):
    _photo_survives_the_search(page, live_server, people, tmp_path, "med JavaScript")


def test_without_javascript_too(browser, live_server, people, tmp_path):
    context = browser.new_context(viewport=VIEWPORT, locale="nb-NO", java_script_enabled=False)
    try:
        context.set_default_timeout(15000)
        _photo_survives_the_search(context.new_page(), live_server, people, tmp_path, "uten JavaScript")
    finally:
        context.close()


def test_a_second_push_asks_and_a_withdrawn_checklist_is_said_calmly(page, browser, live_server, app, people):
    Path("test-artifacts").mkdir(exist_ok=True)
    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/staff/checklists")
    page.get_by_label("Navn på oppgaven").fill("Rydde bord")
    page.get_by_role("button", name="Lag oppgaven").click()
    page.get_by_label("Hva skal arbeidstakeren gjøre?").fill("Tørk av bordet.")
    page.get_by_role("button", name="Legg til steget").click()
    push = page.locator("#push")
    for _ in range(2):
        push.get_by_label(people.worker.name).check()
        push.get_by_label("Eller på hver vakt arbeidstakeren har").check()
        push.get_by_role("button", name="Send oppgaven").click()
    expect(page.locator("#already-given")).to_contain_text("har fått «Rydde bord» før")
    expect(push.get_by_label(people.worker.name)).to_be_checked()  # what was chosen is kept
    check_page(page, "the second push asks")
    page.locator("#already-given").scroll_into_view_if_needed()
    page.screenshot(path="test-artifacts/library-push-again.png")
    push.get_by_label("Behold den som er der").check()
    push.get_by_role("button", name="Send oppgaven").click()
    expect(page.get_by_text("Ingen fikk oppgaven på nytt. De har den fra før.")).to_be_visible()

    page.goto(f"{live_server}/staff/workers/{people.worker.id}#tasks")
    tasks = page.locator("#tasks")
    tasks.get_by_text("Ta tilbake").click()
    check_page(page, "withdraw, asked first")
    tasks.get_by_role("button", name="Ja, ta den tilbake").click()
    told = f"Oppgaven er tatt tilbake. {people.worker.first_name} får beskjed på I dag."
    expect(page.get_by_text(told)).to_be_visible()

    worker_page = browser.new_context(viewport=VIEWPORT, locale="nb-NO").new_page()
    sign_in_worker(worker_page, live_server, app, people.worker)
    expect(worker_page.get_by_text("Du skal ikke gjøre «Rydde bord» lenger.")).to_be_visible()
    check_page(worker_page, "I dag with a withdrawn checklist")
    worker_page.screenshot(path="test-artifacts/today-task-withdrawn.png", full_page=True)
    worker_page.context.close()


def test_the_support_person_sees_the_next_meeting(page, live_server, app, people):
    from datetime import UTC, datetime

    from worker_app.extensions import db
    from worker_app.models import Meeting

    with app.app_context():
        db.session.add(Meeting(worker_id=people.worker.id, by_id=people.specialist.id, with_whom="both",
                               held_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
                               next_at=datetime(2030, 1, 4, 9, tzinfo=UTC), next_place="work"))
        db.session.commit()
    from tests.conftest import new_sign_in_token

    page.goto(f"{live_server}/signin/{new_sign_in_token(app, people.supporter)}")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_text("Ola skal møte jobb-spesialisten fredag 4. januar kl. 10:00 på jobben.")).to_be_visible()
    check_page(page, "support start page with the next meeting")
    page.screenshot(path="test-artifacts/support-next-meeting.png")
