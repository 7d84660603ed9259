"""Oppgaver and the checklist library through the Flask test client."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import Assignment, HelpRequest, Run, StepDone, User
from worker_app.services import schedule, tasks


def today():
    return schedule.oslo(datetime.now(UTC)).date()


def push_coffee(app, people, steps=3):
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        checklist = tasks.create_checklist(db.session, owner, "Fylle kaffe-maskinen", "2615")
        for i in range(1, steps + 1):
            tasks.add_step(db.session, checklist, text=f"Steg nummer {i}.", pictogram="2615",
                           hint="Vannet skal opp til streken." if i == 1 else "")
        (assignment,) = tasks.push(db.session, checklist, by=owner, on_date=today(),
                                   workers=[db.session.get(User, people.worker.id)])
        return assignment.id


def test_worker_does_a_whole_checklist_one_step_per_screen(app, client, people, sign_in):
    assignment_id = push_coffee(app, people)
    sign_in(client, people.worker)
    listing = client.get("/tasks").text
    assert "Fylle kaffe-maskinen" in listing and "<span>Ny</span>" in listing
    assert "Fylle kaffe-maskinen" in client.get("/").text  # on I dag too
    first = client.get(f"/tasks/{assignment_id}")
    assert first.location.endswith(f"/tasks/{assignment_id}/step/1")
    page = client.get(first.location).text
    assert "Steg 1 av 3" in page and "Steg nummer 1." in page and "Vannet skal opp" in page
    assert client.post(f"/tasks/{assignment_id}/step/1/done").location.endswith("/step/2")
    client.post(f"/tasks/{assignment_id}/step/1/done")  # sent twice: counts once
    undo = client.post(f"/tasks/{assignment_id}/step/2/done")
    assert undo.location.endswith("/step/3")
    client.post(f"/tasks/{assignment_id}/step/2/undo")
    assert "Angre" not in client.get(f"/tasks/{assignment_id}/step/2").text.split("<main")[1].split("Tilbake")[0]
    client.post(f"/tasks/{assignment_id}/step/2/done")
    end = client.post(f"/tasks/{assignment_id}/step/3/done")
    assert end.location.endswith(f"/tasks/{assignment_id}/finished")
    assert "Du er ferdig med alle stegene. Bra jobbet." in client.get(end.location).text
    with app.app_context():
        assert db.session.query(StepDone).count() == 3
        assert db.session.query(Run).one().finished_at is not None
    assert "<span>Ferdig</span>" in client.get("/tasks").text


def test_list_mode_shows_every_step(app, client, people, sign_in):
    assignment_id = push_coffee(app, people)
    sign_in(client, people.worker)
    client.post("/settings", data={"locale": "nb", "text_size": "normal", "read_aloud": "on",
                                   "checklist_mode": "list"})
    page = client.get(f"/tasks/{assignment_id}").text
    assert page.count('class="step-list__item') == 3
    client.post(f"/tasks/{assignment_id}/step/2/done")
    assert "Angre" in client.get(f"/tasks/{assignment_id}").text


def test_help_on_a_step_names_the_step_for_the_specialist(app, client, people, sign_in):
    assignment_id = push_coffee(app, people)
    sign_in(client, people.worker)
    sent = client.post(f"/tasks/{assignment_id}/step/2/help")
    assert "/help/sent/" in sent.location
    with app.app_context():
        request = db.session.query(HelpRequest).one()
        assert request.reason == "task" and request.step_id is not None


def test_another_workers_assignment_is_404(app, client, people, sign_in):
    assignment_id = push_coffee(app, people)
    sign_in(client, people.second_worker)
    assert client.get(f"/tasks/{assignment_id}/step/1").status_code == 404
    assert client.post(f"/tasks/{assignment_id}/step/1/done").status_code == 404


def test_specialist_builds_a_checklist_with_a_searched_pictogram_and_a_photo(app, client, people,
                                                                            sign_in, tmp_path):
    from tests.unit.test_photos import jpeg_with_gps

    app.config["PHOTO_DIR"] = str(tmp_path / "photos")
    sign_in(client, people.specialist)
    bad = client.post("/staff/checklists", data={"title": ""})
    assert bad.status_code == 400 and "Skriv et navn på oppgaven." in bad.text
    made = client.post("/staff/checklists", data={"title": "Rydde handle-kurvene"})
    url = made.location
    searched = client.post(f"{url}/steps", data={"action": "search", "q": "kurv",
                                                 "text": "Hent kurvene ved kassene."})
    assert searched.status_code == 200
    assert 'value="1F9FA"' in searched.text and "Hent kurvene ved kassene." in searched.text
    too_long = client.post(f"{url}/steps", data={"action": "add", "text": "x" * 301})
    assert too_long.status_code == 400 and "høyst 300 tegn" in too_long.text
    ok = client.post(f"{url}/steps", content_type="multipart/form-data", data={
        "action": "add", "text": "Hent kurvene ved kassene.", "pictogram": "1F9FA",
        "photo": (io.BytesIO(jpeg_with_gps()), "kurv.jpg")})
    assert ok.status_code == 302
    client.post(f"{url}/steps", data={"action": "add", "text": "Tørk av kurvene.", "pictogram": "1F9FD"})
    client.post(f"{url}/steps/2/up")
    editor = client.get(url).text
    assert editor.index("Tørk av kurvene.") < editor.index("Hent kurvene ved kassene.")
    assert "/media/" in editor
    nobody = client.post(f"{url}/push", data={"on_date": today().isoformat()})
    assert nobody.status_code == 400 and "Velg minst én arbeidstaker." in nobody.text
    pushed = client.post(f"{url}/push", data={"workers": [str(people.worker.id)],
                                              "weekdays": [str(d) for d in range(7)]})
    assert pushed.status_code == 302
    stranger = client.post(f"{url}/push", data={"workers": [str(people.stranger_worker.id)],
                                                "on_date": today().isoformat()})
    assert stranger.status_code == 403
    other = app.test_client()
    sign_in(other, people.other_specialist)
    assert other.get(url).status_code == 403


def test_the_editor_warns_about_long_sentences_and_words(app, client, people, sign_in):
    sign_in(client, people.specialist)
    url = client.post("/staff/checklists", data={"title": "Oppvask"}).location
    client.post(f"{url}/steps", data={"action": "add", "pictogram": "1F9FC", "text":
                "Sett alle de skitne tallerkenene og koppene og glassene inn i oppvaskmaskinen "
                "før du går hjem i dag."})
    page = client.get(url).text
    assert "Lang setning" in page and "oppvaskmaskinen" in page


def test_the_editor_warns_when_a_step_shows_the_same_picture_as_the_one_before(client, people,
                                                                               sign_in):
    sign_in(client, people.specialist)
    url = client.post("/staff/checklists", data={"title": "Rydde bord"}).location
    for text, picto in (("Tørk bordet.", "1F9FD"), ("Tørk stolen.", "1F9FD"), ("Kast søppel.", "1F5D1")):
        client.post(f"{url}/steps", data={"action": "add", "pictogram": picto, "text": text})
    page = client.get(url).text
    assert page.count("Samme bilde som steget før.") == 1
    warned = page.index("Samme bilde som steget før.")
    assert page.rindex("Tørk stolen.", 0, warned) > page.rindex("Tørk bordet.", 0, warned)


@pytest.mark.parametrize("path", ["/tasks", "/", "/tasks/{a}/step/1"])
def test_task_pages_use_the_same_queries_with_1_and_200_runs(app, client, people, sign_in, path):
    assignment_id = push_coffee(app, people, steps=6)
    sign_in(client, people.worker)
    url = path.format(a=assignment_id)

    def count():
        client.get(url)
        with count_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    one = count()
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        for back in range(1, 200):
            run = Run(assignment_id=assignment.id, day=today() - timedelta(days=back))
            db.session.add(run)
            db.session.flush()
            for step in assignment.version.steps:
                db.session.add(StepDone(run_id=run.id, step_id=step.id))
        db.session.commit()
    many = count()
    assert one == many <= 8


def test_the_specialist_sees_which_step_help_was_asked_on(app, client, people, sign_in):
    assignment_id = push_coffee(app, people)
    sign_in(client, people.worker)
    client.post(f"/tasks/{assignment_id}/step/2/help")
    staff = app.test_client()
    sign_in(staff, people.specialist)
    for page in (staff.get("/staff").text, staff.get(f"/staff/workers/{people.worker.id}").text):
        assert "Steg 2 i «Fylle kaffe-maskinen»: Steg nummer 2." in page


def test_specialist_sees_runs_times_and_a_chart(app, client, people, sign_in):
    assignment_id = push_coffee(app, people, steps=2)
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        for back, minutes in ((3, 12), (2, 9), (1, 7)):
            start = datetime.now(UTC) - timedelta(days=back)
            run = Run(assignment_id=assignment.id, day=today() - timedelta(days=back),
                      started_at=start, finished_at=start + timedelta(minutes=minutes))
            db.session.add(run)
        db.session.commit()
    sign_in(client, people.specialist)
    page = client.get(f"/staff/workers/{people.worker.id}").text
    assert 'aria-label="Minutter per gang, eldste først: 12, 9, 7"' in page
    assert page.count('class="chart__bar"') == 3 and "(7 min)" in page


def test_progress_query_count_is_fixed(app, client, people, sign_in):
    assignment_id = push_coffee(app, people, steps=3)
    sign_in(client, people.specialist)
    url = f"/staff/workers/{people.worker.id}"

    def count():
        client.get(url)
        with count_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    with app.app_context():
        db.session.add(Run(assignment_id=assignment_id, day=today()))
        db.session.commit()
    one = count()
    with app.app_context():
        for back in range(1, 200):
            db.session.add(Run(assignment_id=assignment_id, day=today() - timedelta(days=back)))
        db.session.commit()
    assert count() == one


def test_support_persons_see_or_tick_tasks_only_as_the_worker_allows(app, people, sign_in, make_user,
                                                                       support_link):
    from worker_app.models import Permission

    assignment_id = push_coffee(app, people, steps=2)
    viewer, ticker = make_user("support", "Tor Vik"), make_user("support", "Liv Lund")
    support_link(people.worker, viewer, Permission.SEE_TASKS)
    support_link(people.worker, ticker, Permission.SEE_TASKS, Permission.TICK_TASKS)
    shifts_only = app.test_client()
    sign_in(shifts_only, people.supporter)
    assert shifts_only.get(f"/support/workers/{people.worker.id}/tasks").status_code == 403
    sees = app.test_client()
    sign_in(sees, viewer)
    page = sees.get(f"/support/workers/{people.worker.id}/tasks").text
    assert "Fylle kaffe-maskinen" in page and "0 av 2 steg" in page and "<button" not in page.split("<main")[1]
    assert sees.post(f"/support/workers/{people.worker.id}/tasks/{assignment_id}/step/1").status_code == 403
    ticks = app.test_client()
    sign_in(ticks, ticker)
    ticks.post(f"/support/workers/{people.worker.id}/tasks/{assignment_id}/step/1")
    with app.app_context():
        done = db.session.query(StepDone).one()
        assert done.done_by_id == ticker.id
    assert "1 av 2 steg" in sees.get(f"/support/workers/{people.worker.id}/tasks").text


def test_printable_page_with_a_qr_code_that_opens_todays_checklist(app, client, people, sign_in):
    assignment_id = push_coffee(app, people)
    with app.app_context():
        checklist_id = db.session.get(Assignment, assignment_id).version.checklist_id
    staff = app.test_client()
    sign_in(staff, people.specialist)
    page = staff.get(f"/staff/checklists/{checklist_id}/print").text
    assert "<svg" in page and page.count("Steg nummer") == 3
    sign_in(client, people.worker)
    opened = client.get(f"/tasks/checklist/{checklist_id}")
    assert opened.location.endswith(f"/tasks/{assignment_id}")
    other = app.test_client()
    sign_in(other, people.second_worker)
    assert "Denne oppgaven har du ikke i dag." in other.get(f"/tasks/checklist/{checklist_id}").text


def test_copy_and_archive(app, client, people, sign_in):
    assignment_id = push_coffee(app, people, steps=2)
    with app.app_context():
        checklist_id = db.session.get(Assignment, assignment_id).version.checklist_id
    sign_in(client, people.specialist)
    copied = client.post(f"/staff/checklists/{checklist_id}/copy")
    assert "Steg nummer 2." in client.get(copied.location).text
    client.post(f"/staff/checklists/{checklist_id}/archive")
    library = client.get("/staff/checklists").text
    assert ">Fylle kaffe-maskinen<" not in library and ">Fylle kaffe-maskinen (kopi)<" in library
    worker = app.test_client()
    sign_in(worker, people.worker)
    assert worker.get(f"/tasks/{assignment_id}/step/1").status_code == 200  # still theirs


def test_warnings_come_as_the_specialist_types(client, people, sign_in):
    sign_in(client, people.specialist)
    long_text = ("Sett alle de skitne tallerkenene og koppene og glassene inn i oppvaskmaskinen "
                 "nå med en gang i dag.")
    fragment = client.post("/staff/checklists/check", data={"text": long_text},
                           headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Lang setning" in fragment.text and "oppvaskmaskinen" in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]
    calm = client.post("/staff/checklists/check", data={"text": "Vask koppen."},
                       headers={"HX-Request": "true"})
    assert "Lang setning" not in calm.text


def test_support_fades_short_then_mastered_and_the_claim_is_confirmed(app, client, people, sign_in):
    assignment_id = push_coffee(app, people, steps=3)
    with app.app_context():
        steps = db.session.get(Assignment, assignment_id).version.steps
        keys = [s.key for s in steps]
    staff = app.test_client()
    sign_in(staff, people.specialist)
    staff.post(f"/staff/workers/{people.worker.id}/support-levels",
               data={f"level-{keys[0]}": "short", f"level-{keys[1]}": "full", f"level-{keys[2]}": "full"})
    sign_in(client, people.worker)
    short = client.get(f"/tasks/{assignment_id}/step/1").text
    assert "Steg nummer 1." in short and "Vannet skal opp" not in short  # no hint when short
    client.post(f"/tasks/{assignment_id}/step/2/claim")
    page = staff.get(f"/staff/workers/{people.worker.id}").text
    assert "Arbeidstakeren sier: Jeg kan dette nå" in page and "Steg nummer 2." in page
    with app.app_context():
        from worker_app.models import MasteryClaim

        claim_id = db.session.query(MasteryClaim).one().id
    staff.post(f"/staff/claims/{claim_id}/yes")
    first = client.get(f"/tasks/{assignment_id}/step/1").text
    assert "Steg 1 av 2" in first and "Dette kan du:" in first and "Steg nummer 2." in first
    assert client.get(f"/tasks/{assignment_id}/step/2").status_code == 404  # not shown any more
    client.post(f"/tasks/{assignment_id}/step/1/done")
    end = client.post(f"/tasks/{assignment_id}/step/3/done")
    assert end.location.endswith("/finished")  # the mastered step is not required
    other = app.test_client()
    sign_in(other, people.other_specialist)
    assert other.post(f"/staff/claims/{claim_id}/no").status_code == 403
    assert staff.post(f"/staff/workers/{people.worker.id}/support-levels",
                      data={f"level-{keys[0]}": "everything"}).status_code == 400


def test_checklist_name_picture_and_workplace(app, client, people, sign_in):
    sign_in(client, people.specialist)
    url = client.post("/staff/checklists", data={"title": "Kaffe"}).location
    with app.app_context():
        from worker_app.models import Checklist, Workplace

        place = Workplace(name="Fjordhotellet")
        db.session.add(place)
        db.session.commit()
        place_id = place.id
    assert client.post(f"{url}/settings", data={"title": ""}).status_code == 400
    client.post(f"{url}/settings", data={"title": "Fylle kaffe-maskinen", "pictogram": "2615",
                                         "workplace": str(place_id)})
    with app.app_context():
        checklist = db.session.query(Checklist).one()
        assert (checklist.title, checklist.pictogram, checklist.workplace_id) == (
            "Fylle kaffe-maskinen", "2615", place_id)


def test_progress_shows_when_each_step_was_done_and_where_help_was_asked(app, client, people, sign_in):
    assignment_id = push_coffee(app, people, steps=2)
    sign_in(client, people.worker)
    client.post(f"/tasks/{assignment_id}/step/1/done")
    client.post(f"/tasks/{assignment_id}/step/2/help")
    staff = app.test_client()
    sign_in(staff, people.specialist)
    page = staff.get(f"/staff/workers/{people.worker.id}").text
    assert "Steg nummer 1.:" in page and "ferdig kl. " in page and "ba om hjelp" in page


def test_help_on_a_step_names_the_task_and_leads_back_to_it(app, client, people, sign_in):
    assignment_id = push_coffee(app, people, steps=2)
    with app.app_context():
        title = db.session.get(Assignment, assignment_id).version.checklist.title
        owner = db.session.get(User, people.specialist.id)
        other = tasks.create_checklist(db.session, owner, "Tørke bord", "1F9FD")
        tasks.add_step(db.session, other, text="Tørk bordet.", pictogram="1F9FD")
        (theirs,) = tasks.push(db.session, other, by=owner, on_date=today(),
                               workers=[db.session.get(User, people.second_worker.id)])
        theirs_id = theirs.id
    sign_in(client, people.worker)
    sent = client.post(f"/tasks/{assignment_id}/step/2/help")
    receipt = client.get(sent.location).text
    assert "Meldingen er sendt" in receipt
    assert f"Oppgaven: {title}." in receipt and "Steg 2." in receipt
    assert f'href="/tasks/{assignment_id}/step/2"' in receipt and "Tilbake til oppgaven" in receipt
    # The way back is the request's own (kept with it), not an address anyone can change.
    assert theirs_id != assignment_id
    assert f'href="/tasks/{theirs_id}/' not in client.get(sent.location + f"?assignment={theirs_id}").text


def picture_before(page: str, label: str) -> str:
    """The pictogram file just before a button's label."""
    return re.findall(r'src="([^"]+)"', page[:page.index(f"<span>{label}</span>")])[-1].split("?")[0]


def test_claiming_a_step_and_signing_out_ask_first_and_angre_is_not_tilbake(app, client, people,
                                                                             sign_in):
    assignment_id = push_coffee(app, people, steps=2)
    sign_in(client, people.worker)
    client.post(f"/tasks/{assignment_id}/step/2/done")
    step = client.get(f"/tasks/{assignment_id}/step/2").text
    assert re.search(r'<details class="confirm">\s*<summary[^>]*>.*?Jeg kan dette nå', step, re.S)
    assert "Ja, jeg kan dette" in step
    assert picture_before(step, "Angre") != picture_before(step, "Tilbake")
    settings = client.get("/settings").text
    assert re.search(r"<summary[^>]*>.*?Logg ut på denne telefonen", settings, re.S)
    assert "Da trenger du en ny lenke fra jobb-spesialisten for å logge inn igjen." in settings


def test_ring_lederen_on_a_step_during_a_shift_when_the_workplace_has_a_contact(app, client, people,
                                                                                sign_in):
    from worker_app.models import Shift, Workplace

    assignment_id = push_coffee(app, people, steps=1)
    sign_in(client, people.worker)
    assert "Ring lederen" not in client.get(f"/tasks/{assignment_id}/step/1").text  # not on shift
    now = datetime.now(UTC)
    with app.app_context():
        place = Workplace(name="Kafé Sentrum", contact_name="Lise", contact_phone="+47 555 12 345")
        db.session.add(place)
        db.session.flush()
        db.session.add(Shift(worker_id=people.worker.id, workplace_id=place.id,
                             starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)))
        db.session.commit()
    step = client.get(f"/tasks/{assignment_id}/step/1").text
    assert 'href="tel:+4755512345"' in step and "Ring lederen" in step
    assert 'href="tel:+4755512345"' in client.get("/").text
