"""Oppgaver in Chromium at 360×740: a specialist builds and pushes a checklist; a worker does it
step by step and asks for help on a step. axe on every page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff
from tests.conftest import new_sign_in_token

pytestmark = pytest.mark.browser


def test_specialist_builds_and_pushes_then_worker_does_it(page, browser, live_server, app, people,
                                                          tmp_path):
    Path("test-artifacts").mkdir(exist_ok=True)
    from tests.unit.test_photos import jpeg_with_gps

    app.config["PHOTO_DIR"] = str(tmp_path / "photos")
    photo = tmp_path / "kurver.jpg"
    photo.write_bytes(jpeg_with_gps((800, 600)))
    sign_in_staff(page, live_server, people.specialist)
    page.get_by_role("link", name="Oppgave-bibliotek").click()
    check_page(page, "library")
    page.get_by_label("Navn på oppgaven").fill("Rydde handle-kurvene")
    page.get_by_role("button", name="Lag oppgaven").click()
    check_page(page, "empty editor")
    for text, search in (("Hent kurvene ved kassene.", "kurv"), ("Tørk av kurvene med en klut.", "klut")):
        page.get_by_label("Hva skal arbeidstakeren gjøre?").fill(text)
        page.get_by_label("Søk etter et bilde på norsk").fill(search)
        page.get_by_role("button", name="Søk").click()
        expect(page.get_by_role("group", name="Velg et bilde")).to_be_visible()
        expect(page.get_by_label("Hva skal arbeidstakeren gjøre?")).to_have_value(text)
        check_page(page, f"pictogram search: {search}")
        if search == "kurv":
            page.get_by_label("Foto fra arbeidsplassen (valgfritt)").set_input_files(str(photo))
        page.get_by_role("button", name="Legg til steget").click()
        expect(page.get_by_text("Steget er lagt til.")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Flytt ned\W+Hent kurvene")).click()
    page.locator("summary", has_text="Slett").first.click()  # asks first
    expect(page.get_by_role("button", name=re.compile(r"^Ja, slett steget"))).to_be_visible()
    check_page(page, "delete asks first")
    page.locator("summary", has_text="Slett").first.click()  # and can be closed again
    steps = page.locator(".step-list__item .with-picto span").all_inner_texts()
    assert steps == ["Tørk av kurvene med en klut.", "Hent kurvene ved kassene."]
    page.get_by_label("Ola Johansen").check()
    for day in ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"):
        page.get_by_label(day, exact=True).check()
    page.get_by_role("button", name="Send oppgaven").click()
    expect(page.get_by_text("Oppgaven er sendt til 1 arbeidstaker.")).to_be_visible()
    check_page(page, "editor after push")

    worker = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 740}).new_page()
    worker.goto(f"{live_server}/signin/{new_sign_in_token(app, people.worker)}")
    worker.get_by_role("button", name="Logg inn").click()
    worker.get_by_role("navigation", name="Hoved-meny").get_by_role("link", name="Oppgaver").click()
    check_page(worker, "Oppgaver")
    worker.get_by_role("link", name=re.compile("Rydde handle-kurvene")).click()
    expect(worker.get_by_text("Steg 1 av 2")).to_be_visible()
    check_page(worker, "step 1")
    assert worker.get_by_role("img", name="Foto fra arbeidsplassen").count() == 0  # on step 2
    worker.screenshot(path="test-artifacts/task-step.png", full_page=True)
    worker.get_by_role("button", name="Ferdig").click()
    expect(worker.get_by_text("Steg 2 av 2")).to_be_visible()
    expect(worker.get_by_role("img", name="Foto fra arbeidsplassen")).to_be_visible()
    check_page(worker, "step 2 with a photo")
    worker.get_by_role("button", name="Jeg trenger hjelp").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("Meldingen er sendt")
    worker.go_back()
    worker.reload()
    worker.get_by_role("button", name="Ferdig").click()
    expect(worker.get_by_text("Du er ferdig med alle stegene. Bra jobbet.")).to_be_visible()
    check_page(worker, "finished")
    worker.context.close()


def test_print_page_list_mode_and_support_view(page, browser, live_server, app, people, support_link,
                                               make_user):
    from datetime import UTC, datetime

    from worker_app.extensions import db
    from worker_app.models import Permission, User
    from worker_app.services import schedule, tasks

    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        worker = db.session.get(User, people.worker.id)
        checklist = tasks.create_checklist(db.session, owner, "Dekke frokost-bordet", "1F37D")
        for text in ("Vask hendene.", "Legg en tallerken på hver plass."):
            tasks.add_step(db.session, checklist, text=text, pictogram="1F37D")
        tasks.push(db.session, checklist, workers=[worker], by=owner,
                   on_date=schedule.oslo(datetime.now(UTC)).date())
        worker.checklist_mode = "list"
        db.session.commit()
        checklist_id = checklist.id
    mentor = make_user("support", "Tor Vik")
    support_link(people.worker, mentor, Permission.SEE_TASKS, Permission.TICK_TASKS)

    sign_in_staff(page, live_server, people.specialist)
    page.goto(f"{live_server}/staff/checklists/{checklist_id}/print")
    expect(page.get_by_role("img", name="QR-kode som åpner oppgaven på telefonen")).to_be_visible()
    check_page(page, "print page")

    context = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(f"{live_server}/signin/{new_sign_in_token(app, people.worker)}")
    phone.get_by_role("button", name="Logg inn").click()
    phone.goto(f"{live_server}/tasks/checklist/{checklist_id}")
    expect(phone.locator(".step-list__item")).to_have_count(2)
    check_page(phone, "list mode")
    context.close()

    helper = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 740}).new_page()
    helper.goto(f"{live_server}/signin/{new_sign_in_token(app, mentor)}")
    helper.get_by_role("button", name="Logg inn").click()
    helper.get_by_role("link", name="Oppgavene til Ola").click()
    helper.get_by_role("button", name=re.compile(r"^Ferdig\W+Vask hendene")).click()
    expect(helper.get_by_text("1 av 2 steg")).to_be_visible()
    check_page(helper, "support person's tasks")
    helper.context.close()
