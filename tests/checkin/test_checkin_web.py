"""The weekly check-in "Hvordan har du det på jobb?" on the web: 3 taps from I dag, kept as the
worker typed it, shared only as she decides. Times are relative to now and days apart, so the
tests pass at any time of day."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import AuditEntry, CheckIn, HelpRequest, Permission, User

CARD = 'id="checkin-card"'


def _checkins(app, worker):
    with app.app_context():
        return list(db.session.scalars(select(CheckIn).where(CheckIn.worker_id == worker.id)
                                       .order_by(CheckIn.id)))


def _add(app, worker, days_ago, tasks=2, others=2, help=2, note=""):
    with app.app_context():
        db.session.add(CheckIn(worker_id=worker.id, started_at=datetime.now(UTC) - timedelta(days=days_ago),
                               tasks=tasks, others=others, help=help, note=note))
        db.session.commit()


def _share(app, worker, yes=True):
    with app.app_context():
        db.session.get(User, worker.id).checkins_to_specialist = yes
        db.session.commit()


def test_three_taps_from_i_dag_make_the_whole_check_in(app, client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/").text
    assert CARD in page and "Liker du oppgavene?" in page and "Spørsmål 1 av 3" in page
    first = client.post("/how-are-you/answer", data={"question": "1", "choice": "yes"})  # tap 1
    (checkin,) = _checkins(app, people.worker)
    assert first.status_code == 302 and first.location.endswith(f"/how-are-you/{checkin.id}/2")
    assert "Har du det fint med de andre på jobb?" in client.get(first.location).text
    second = client.post("/how-are-you/answer", data={"question": "2", "choice": "sometimes",
                                                      "checkin": str(checkin.id)})  # tap 2
    assert "Får du nok hjelp?" in client.get(second.location).text
    third = client.post("/how-are-you/answer", data={"question": "3", "choice": "no",
                                                     "checkin": str(checkin.id)})  # tap 3
    assert third.location.endswith(f"/how-are-you/{checkin.id}/done")
    (saved,) = _checkins(app, people.worker)
    assert (saved.tasks, saved.others, saved.help) == (2, 1, 0)
    done = client.get(third.location).text
    assert "Takk for svarene" in done and "Av og til" in done and "Vil du si mer?" in done
    assert "Skal jobb-spesialisten din se dem?" in done  # asked once, at the first check-in
    assert CARD not in client.get("/").text  # answered this week: I dag does not ask again


def test_with_htmx_each_tap_brings_the_next_question_in_place(app, client, people, sign_in):
    sign_in(client, people.worker)
    hx = {"HX-Request": "true"}
    first = client.post("/how-are-you/answer", data={"question": "1", "choice": "no"}, headers=hx)
    assert first.status_code == 200 and "<html" not in first.text and "Spørsmål 2 av 3" in first.text
    (checkin,) = _checkins(app, people.worker)
    client.post("/how-are-you/answer", data={"question": "2", "choice": "no", "checkin": checkin.id}, headers=hx)
    last = client.post("/how-are-you/answer", data={"question": "3", "choice": "yes", "checkin": checkin.id},
                       headers=hx)
    assert last.headers["HX-Redirect"].endswith(f"/how-are-you/{checkin.id}/done")
    assert "HX-Request" in first.headers["Vary"]


def test_i_dag_asks_once_a_week(app, client, people, sign_in):
    sign_in(client, people.worker)
    _add(app, people.worker, days_ago=8)
    assert CARD in client.get("/").text
    _add(app, people.worker, days_ago=2)
    assert CARD not in client.get("/").text
    # Any time, from Hjelp.
    assert "/how-are-you" in client.get("/help").text
    assert client.get("/how-are-you").status_code == 200


def test_i_dag_costs_the_same_queries_as_check_ins_grow(app, client, people, sign_in):
    sign_in(client, people.worker)
    client.get("/")
    with count_queries(app) as few:
        assert CARD in client.get("/").text
    for days in range(8, 60):
        _add(app, people.worker, days_ago=days)
    with count_queries(app) as many:
        assert CARD in client.get("/").text
    assert len(few) == len(many) <= 8


def test_a_wrong_answer_is_named_and_never_a_500(app, client, people, sign_in):
    sign_in(client, people.worker)
    bad = client.post("/how-are-you/answer", data={"question": "1", "choice": "maybe"})
    assert bad.status_code == 400 and "Trykk på et av bildene." in bad.text and 'id="choice-error"' in bad.text
    # The second question without a check-in begun: the first question again, kindly.
    assert client.post("/how-are-you/answer", data={"question": "2", "choice": "yes"}).status_code == 400
    assert client.post("/how-are-you/answer", data={"question": "9", "choice": "yes"}).status_code == 404
    _add(app, people.second_worker, days_ago=1)
    (other,) = _checkins(app, people.second_worker)
    assert client.get(f"/how-are-you/{other.id}/done").status_code == 404
    assert client.post("/how-are-you/answer", data={"question": "2", "choice": "yes",
                                                    "checkin": str(other.id)}).status_code == 404
    assert _checkins(app, people.worker) == []


def test_say_more_keeps_what_was_typed_and_ring_meg_asks_for_help(app, client, people, sign_in):
    sign_in(client, people.worker)
    client.post("/how-are-you/answer", data={"question": "1", "choice": "yes"})
    (checkin,) = _checkins(app, people.worker)
    long = "Det er mye å gjøre. " * 20
    page = client.post(f"/how-are-you/{checkin.id}/done", data={"note": long})
    assert page.status_code == 400 and "høyst 300 tegn" in page.text and "Det er mye å gjøre." in page.text
    assert 'aria-invalid="true"' in page.text
    empty = client.post(f"/how-are-you/{checkin.id}/done", data={"note": ""})
    assert empty.status_code == 400 and "Skriv noen ord, eller trykk «Ring meg»." in empty.text
    sent = client.post(f"/how-are-you/{checkin.id}/done", data={"note": "Litt travelt.", "call_me": "yes"})
    assert sent.status_code == 302
    with app.app_context():
        (request,) = db.session.scalars(select(HelpRequest).where(HelpRequest.worker_id == people.worker.id))
        assert request.reason == "call_me" and db.session.get(CheckIn, checkin.id).note == "Litt travelt."
    assert "Du har bedt om å bli ringt." in client.get(sent.location).text
    # Ring meg is not a tile of "Jeg trenger hjelp".
    assert 'value="call_me"' not in client.get("/help/ask").text
    specialist = app.test_client()
    sign_in(specialist, people.specialist)
    assert "Ring meg" in specialist.get("/staff").text  # the help request, as any other


def test_the_specialist_sees_answers_only_after_the_worker_shared_them(app, client, people, sign_in):
    _add(app, people.worker, days_ago=14, tasks=2, others=2, help=2)
    _add(app, people.worker, days_ago=7, tasks=1, others=2, help=0, note="Sjefen er sint.")
    specialist = app.test_client()
    sign_in(specialist, people.specialist)
    path = f"/staff/workers/{people.worker.id}"
    page = specialist.get(path).text
    assert "deler ikke svarene sine med deg" in page and "Sjefen er sint." not in page
    assert "Hvordan har du det på jobb?" not in specialist.get("/staff").text.split("caseload", 1)[1]
    sign_in(client, people.worker)
    assert "Bare du ser svarene dine." in client.get("/sharing").text
    assert client.post("/how-are-you/share", data={"answer": "yes"}).status_code == 302
    assert "Jobb-spesialisten din ser svarene dine." in client.get("/sharing").text
    page = specialist.get(path).text
    assert 'class="chart trend"' in page and "Sjefen er sint." in page
    assert "Liker du oppgavene? <strong>Av og til</strong>" in page
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "checkin.view", AuditEntry.actor_id == people.specialist.id,
            AuditEntry.worker_id == people.worker.id)) is not None
    caseload = specialist.get("/staff").text
    assert "Oppgavene: Av og til · De andre: Ja · Hjelp: Nei" in caseload
    # She stops it: gone again, old answers too.
    client.post("/how-are-you/share", data={"answer": "no"})
    assert "Sjefen er sint." not in specialist.get(path).text
    assert "Oppgavene: Av og til" not in specialist.get("/staff").text


def test_the_caseload_costs_the_same_queries_as_shared_check_ins_grow(app, client, people, sign_in):
    sign_in(client, people.specialist)
    client.get("/staff")
    with count_queries(app) as few:
        client.get("/staff")
    for worker in (people.worker, people.second_worker):
        _share(app, worker)
        for days in range(1, 30):
            _add(app, worker, days_ago=days, tasks=days % 3)
    with count_queries(app) as many:
        page = client.get("/staff").text
    assert page.count("Oppgavene: ") == 2
    assert len(few) == len(many) <= 8


def test_the_specialist_worker_page_costs_the_same_queries_as_check_ins_grow(app, client, people, sign_in):
    _share(app, people.worker)
    _add(app, people.worker, days_ago=1)
    sign_in(client, people.specialist)
    path = f"/staff/workers/{people.worker.id}"
    client.get(path)
    with count_queries(app) as few:
        client.get(path)
    for days in range(2, 40):
        _add(app, people.worker, days_ago=days)
    with count_queries(app) as many:
        assert client.get(path).text.count('class="trend__dot"') == 3 * 12  # the last 12 shown
    assert len(few) == len(many)


def test_a_support_person_needs_the_new_permission(app, client, people, sign_in, make_user, support_link):
    from worker_app.policy import Action, can

    helper = make_user("support", "Bror Johansen")
    support_link(people.worker, helper, Permission.SEE_SHIFTS)
    with app.test_request_context():
        worker = db.session.get(User, people.worker.id)
        assert not can(db.session.get(User, helper.id), Action.SEE_CHECKINS, worker)
        assert not can(db.session.get(User, people.supporter.id), Action.SEE_CHECKINS, worker)
        assert not can(db.session.get(User, people.admin.id), Action.SEE_CHECKINS, worker)
    other = make_user("support", "Søster Johansen")
    support_link(people.worker, other, Permission.SEE_WELLBEING)
    with app.test_request_context():
        assert can(db.session.get(User, other.id), Action.SEE_CHECKINS, db.session.get(User, people.worker.id))
    # The specialist offers it by its real name; the worker sees it named so, and can stop it.
    sign_in(client, people.specialist)
    page = client.get(f"/staff/workers/{people.worker.id}").text
    assert 'value="see_wellbeing"' in page and "se svarene på «Hvordan har du det på jobb?»" in page


def test_the_workers_own_data_page_and_download_have_her_check_ins(app, client, people, sign_in):
    _add(app, people.worker, days_ago=3, note="Fint i dag.")
    sign_in(client, people.worker)
    assert "Hvordan har du det på jobb?: 1" in client.get("/my-data").text
    download = client.get("/my-data.json").get_json()
    assert [row["note"] for row in download["check_ins"]] == ["Fint i dag."]


def test_a_support_person_with_the_permission_sees_the_answers_and_is_logged(app, client, people, sign_in):
    _add(app, people.worker, days_ago=3, tasks=0, note="Vondt i ryggen.")
    sign_in(client, people.supporter)
    path = f"/support/workers/{people.worker.id}/how-are-you"
    assert client.get(path).status_code == 403  # only "se vaktene" so far
    assert path not in client.get("/support").text
    with app.app_context():
        from worker_app.models import SupportLink

        db.session.get(SupportLink, people.link_id).see_wellbeing = True
        db.session.commit()
    assert path in client.get("/support").text
    page = client.get(path).text
    assert "Vondt i ryggen." in page and 'class="chart trend"' in page
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "checkin.view", AuditEntry.actor_id == people.supporter.id)) is not None
    # The worker stops it on "Hvem ser hva?": gone at once.
    worker = app.test_client()
    sign_in(worker, people.worker)
    worker.post(f"/sharing/{people.link_id}/stop/see_wellbeing")
    assert client.get(path).status_code == 403


def test_a_page_left_open_overnight_begins_again_at_the_first_question(app, client, people, sign_in):
    _add(app, people.worker, days_ago=1, others=None, help=None)
    (old,) = _checkins(app, people.worker)
    sign_in(client, people.worker)
    late = client.post("/how-are-you/answer", data={"question": "2", "choice": "yes", "checkin": str(old.id)})
    assert late.status_code == 400 and "Spørsmål 1 av 3" in late.text and 'name="checkin"' not in late.text
    assert "Det er lenge siden du begynte. Begynn på nytt her." in late.text
    again = client.post("/how-are-you/answer", data={"question": "1", "choice": "yes"})
    assert again.status_code == 302 and len(_checkins(app, people.worker)) == 2
