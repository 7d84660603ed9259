"""What each person sees and does on the pages of the frame."""

from tests.conftest import count_queries, main_text
from worker_app.extensions import db
from worker_app.models import AuditEntry, HelpRequest, SupportLink, User


def test_today_greets_the_worker_with_the_date_in_words(client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/")
    assert "Hei, Ola." in page.text
    text = main_text(page.text)
    assert "I dag er det" in text
    weekdays = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
    assert any(day in text for day in weekdays)


def test_worker_frame_has_safety_call_read_aloud_and_five_nav_buttons(client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/").text
    assert page.count('href="tel:+4780012345"') == 1
    # The number is readable under its label, grouped as people say it.
    assert '<span class="safety-button__number">800 12 345</span>' in page
    assert 'href="/settings"' in page.split("</header>")[0]  # Innstillinger is in the frame
    assert "Les høyt" in page
    for label in ("I dag", "Vakter", "Oppgaver", "Lære", "Aktiviteter"):
        assert f"<span>{label}</span>" in page
    assert 'aria-current="page"' in page


def test_help_request_reaches_the_specialist_who_handles_it(app, client, people, sign_in):
    sign_in(client, people.worker)
    sent = client.post("/help/ask", data={"reason": "task"})
    assert sent.status_code == 302
    receipt = client.get(sent.location)
    assert "Jobb-spesialisten din har fått meldingen." in receipt.text
    assert "Jeg forstår ikke en oppgave" in receipt.text

    staff = app.test_client()
    sign_in(staff, people.specialist)
    caseload = staff.get("/staff").text
    assert "Ola Johansen" in caseload and "1 åpen hjelpe-melding" in caseload
    with app.app_context():
        request_id = db.session.query(HelpRequest).one().id
    fragment = staff.post(f"/staff/help/{request_id}/handled", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Behandlet" in fragment.text
    # The receipt names who saw it, and when.
    assert "Kari har sett meldingen kl. " in client.get(sent.location).text

    other = app.test_client()
    sign_in(other, people.other_specialist)
    assert other.post(f"/staff/help/{request_id}/handled").status_code == 403


def test_unknown_help_reason_is_a_400_with_a_message(client, people, sign_in):
    sign_in(client, people.worker)
    response = client.post("/help/ask", data={"reason": "<script>"})
    assert response.status_code == 400
    assert "Velg hva som er galt." in response.text


def test_a_worker_sees_only_their_own_help_receipts(app, client, people, sign_in):
    with app.app_context():
        request = HelpRequest(worker_id=people.second_worker.id, reason="sad")
        db.session.add(request)
        db.session.commit()
        request_id = request.id
    sign_in(client, people.worker)
    assert client.get(f"/help/sent/{request_id}").status_code == 404


def test_who_sees_what_and_stopping_one_permission(app, client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/sharing").text
    assert "Anne Johansen" in page and "se vaktene dine" in page
    confirm = client.get(f"/sharing/{people.link_id}/stop/see_shifts")
    assert "Vil du stoppe det?" in confirm.text
    done = client.post(f"/sharing/{people.link_id}/stop/see_shifts")
    assert done.status_code == 302
    assert "Ingen andre ser noe av det som er ditt." in client.get("/sharing").text
    with app.app_context():
        assert db.session.get(SupportLink, people.link_id) is None


def test_worker_answers_a_proposal_from_the_specialist(app, client, people, sign_in, make_user):
    staff = app.test_client()
    sign_in(staff, people.specialist)
    proposal = staff.post(f"/staff/workers/{people.second_worker.id}/support",
                          data={"new_name": "Tor Vik", "relation": "fadder",
                                "permissions": ["see_tasks"], "supporter": "0"})
    assert proposal.status_code == 302
    sign_in(client, people.second_worker)
    page = client.get("/sharing").text
    assert "Tor vil gjerne:" in page and "Er det greit for deg?" in page
    with app.app_context():
        link_id = db.session.query(SupportLink).filter_by(worker_id=people.second_worker.id).one().id
    client.post(f"/sharing/{link_id}/answer", data={"answer": "yes", "shown": "see_tasks,see_shifts"})
    assert "Spørsmålet er endret." in client.get("/sharing").text  # more than was shown: refused
    client.post(f"/sharing/{link_id}/answer", data={"answer": "yes", "shown": "see_tasks"})
    assert "Tor kan:" in client.get("/sharing").text


def test_proposal_form_keeps_input_and_names_the_problem(app, client, people, sign_in):
    sign_in(client, people.specialist)
    response = client.post(f"/staff/workers/{people.worker.id}/support",
                           data={"new_name": "Tor Vik", "relation": "fadder", "supporter": "0"})
    assert response.status_code == 400
    assert 'value="Tor Vik"' in response.text and 'value="fadder"' in response.text
    assert "Velg minst én ting." in response.text and 'aria-invalid="true"' in response.text


def test_settings_change_language_and_text_size(client, people, sign_in):
    sign_in(client, people.worker)
    response = client.post("/settings", data={"locale": "nn", "text_size": "large",
                                               "read_aloud": "on", "checklist_mode": "list"})
    assert response.status_code == 302
    page = client.get("/settings").text
    assert '<html lang="nn" class="text-large">' in page
    bad = client.post("/settings", data={"locale": "xx", "text_size": "huge", "read_aloud": "on",
                                         "checklist_mode": "step"})
    assert bad.status_code == 400 and 'class="field__error"' in bad.text


def test_each_setting_is_saved_by_its_own_tap(app, client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/settings").text
    assert "Lagre" not in page  # no separate button to find below the fold
    assert 'name="text_size" value="larger" aria-pressed="false"' in page
    assert client.post("/settings", data={"text_size": "larger"}).status_code == 302
    page = client.get("/settings").text
    assert 'class="text-larger"' in page
    assert 'name="text_size" value="larger" aria-pressed="true"' in page
    assert 'name="locale" value="nb" aria-pressed="true"' in page  # the others keep their value
    client.post("/settings", data={"checklist_mode": "list"})
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        assert (worker.text_size, worker.locale, worker.checklist_mode) == ("larger", "nb", "list")


def test_read_aloud_can_be_turned_off(client, people, sign_in):
    sign_in(client, people.worker)
    client.post("/settings", data={"locale": "nb", "text_size": "normal", "read_aloud": "off",
                                   "checklist_mode": "step"})
    assert "data-read-aloud" not in client.get("/").text


def test_sign_in_link_page_shows_a_qr_code_and_the_link(app, client, people, sign_in):
    sign_in(client, people.specialist)
    page = client.post(f"/staff/people/{people.worker.id}/sign-in-link")
    assert page.status_code == 200
    assert "<svg" in page.text and "/signin/" in page.text
    assert client.post(f"/staff/people/{people.stranger_worker.id}/sign-in-link").status_code == 403
    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEntry)]
    assert "signin_link.create" in actions


def test_staff_reading_a_worker_is_in_the_audit_log(app, client, people, sign_in):
    sign_in(client, people.specialist)
    assert client.get(f"/staff/workers/{people.worker.id}").status_code == 200
    assert client.get(f"/staff/workers/{people.stranger_worker.id}").status_code == 403
    admin = app.test_client()
    sign_in(admin, people.admin)
    log = admin.get("/admin/audit").text
    assert "worker.view" in log and "Kari Nordmann" in log and "Ola Johansen" in log


def test_admin_changes_the_safety_number_everyone_sees(app, client, people, sign_in):
    sign_in(client, people.admin)
    bad = client.post("/admin/safety", data={"safety_number": "ring meg", "safety_text_nb": "Hei."})
    assert bad.status_code == 400 and 'value="ring meg"' in bad.text
    ok = client.post("/admin/safety", data={"safety_number": "+47 815 00 000",
                                            "safety_text_nb": "Vi svarer hele døgnet."})
    assert ok.status_code == 302
    worker = app.test_client()
    sign_in(worker, people.worker)
    page = worker.get("/help").text
    assert 'href="tel:+4781500000"' in page and "Vi svarer hele døgnet." in page


def test_a_signed_in_worker_sees_a_new_safety_number_at_once_read_with_her_session(
        app, client, people, sign_in):
    worker = app.test_client()
    sign_in(worker, people.worker)
    assert 'href="tel:+4781500001"' not in worker.get("/").text
    sign_in(client, people.admin)
    assert client.post("/admin/safety", data={"safety_number": "+47 815 00 001",
                                              "safety_text_nb": ""}).status_code == 302
    with count_queries(app) as statements:
        page = worker.get("/").text
    assert 'href="tel:+4781500001"' in page and "815 00 001" in page
    # No round trip of its own: the row came with the signed-in person's query.
    assert not [sql for sql in statements if sql.lstrip().startswith("SELECT site_settings")]


def test_admin_creates_staff_and_sees_clear_errors(app, client, people, sign_in):
    sign_in(client, people.admin)
    missing = client.post("/admin/users/new", data={"name": "Ny Ansatt", "role": "specialist",
                                                    "region": "0", "email": "", "password": ""})
    assert missing.status_code == 400 and "Ansatte trenger en e-post-adresse." in missing.text
    assert 'value="Ny Ansatt"' in missing.text
    taken = client.post("/admin/users/new", data={"name": "Ny", "role": "specialist", "region": "0",
                                                  "email": people.specialist.email,
                                                  "password": "langt-nok-passord"})
    assert "allerede i bruk" in taken.text
    made = client.post("/admin/users/new", data={"name": "Ny Ansatt", "role": "specialist",
                                                 "region": "0", "email": "ny@test.no",
                                                 "password": "langt-nok-passord"})
    assert made.status_code == 302
    assert "Ny Ansatt" in client.get("/admin/users").text


def test_admin_assigns_a_worker_to_a_specialist(app, client, people, sign_in):
    sign_in(client, people.admin)
    response = client.post(f"/admin/users/{people.stranger_worker.id}",
                           data={"name": "Jonas Berg", "role": "worker", "region": "0",
                                 "specialists": [str(people.specialist.id)]})
    assert response.status_code == 302
    specialist = app.test_client()
    sign_in(specialist, people.specialist)
    assert "Jonas Berg" in specialist.get("/staff").text


def test_support_person_sees_whom_they_help(client, people, sign_in):
    sign_in(client, people.supporter)
    page = client.get("/support").text
    assert "Ola Johansen" in page and "se vaktene" in page
    assert "Emma Larsen" not in page


def test_phone_numbers_are_grouped_as_people_read_them():
    from worker_app.services.site import readable_number

    assert readable_number("+4780012345") == "800 12 345"
    assert readable_number("+47 912 34 567") == "912 34 567"
    assert readable_number("22334455") == "22 33 44 55"
    assert readable_number("+46 8 123 456") == "+46 8 123 456"  # a foreign number as written
    assert readable_number("113") == "113"


def test_the_kept_frame_follows_the_language_the_page_and_the_read_aloud_choice(app, client, people, sign_in):
    """The frame's parts are rendered once and kept (web/kept.py): each page must still get
    the frame of its own language, navigation state and choices."""
    sign_in(client, people.worker)
    today = client.get("/").text
    header, nav = today.split("</header>")[0], today.split('<nav class="bottom-nav"')[1]
    assert "Ring trygghets-nummeret" in header and "Les høyt" in header
    assert nav.count('aria-current="page"') == 1
    assert 'href="/" aria-current="page"' in nav
    shifts_nav = client.get("/shifts").text.split('<nav class="bottom-nav"')[1]
    assert 'href="/shifts" aria-current="page"' in shifts_nav and 'href="/" aria-current' not in shifts_nav
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        worker.locale, worker.read_aloud = "en", False
        db.session.commit()
    english = client.get("/").text
    header = english.split("</header>")[0]
    assert "Call the safety number" in header and "Ring trygghets-nummeret" not in header
    assert "data-read-aloud" not in header  # she chose not to have the button
    assert "<span>Shifts</span>" in english.split('<nav class="bottom-nav"')[1]
