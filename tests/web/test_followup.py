"""The job specialist's year on the web: workplaces, a new worker, the follow-up record on the
worker page, and what the worker sees on I dag and Jobben min. Times are relative to a fixed
moment or far from midnight, so the tests pass at any time of day."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from tests.conftest import main_text
from worker_app.extensions import db
from worker_app.models import AuditEntry, Follows, Meeting, TrialPeriod, User, Workplace
from worker_app.services import followup, schedule
from worker_app.services.readability import MAX_SENTENCE_WORDS, lix, sentences, words


def _oslo_today():
    return schedule.oslo(datetime.now(UTC)).date()


def test_a_specialist_makes_a_workplace_and_is_warned_of_a_twin(app, client, people, sign_in):
    sign_in(client, people.specialist)
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(photo, "PNG")
    photo.seek(0)
    response = client.post("/staff/workplaces/new", data={
        "name": "Kiwi Sentrum", "address": "Storgata 1", "pictogram": "1F6D2", "leader_name": "Anne Leder",
        "leader_phone": "912 34 567", "leader_email": "anne@kiwi.no", "mentor_name": "Per Fadder",
        "mentor_phone": "", "notes": "Rydde hyller", "photo": (photo, "butikk.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get("/staff/workplaces").text
    assert "Kiwi Sentrum" in page and "Anne Leder" in page and "Per Fadder" in page
    with app.app_context():
        shop = db.session.query(Workplace).one()
        assert shop.photo and shop.photo.endswith(".jpg") and shop.contact_email == "anne@kiwi.no"
    client.post("/staff/workplaces/new", data={"name": "kiwi sentrum", "pictogram": "1F3E2"})
    page = client.get("/staff/workplaces").text
    assert "Obs: Regionen har 1 andre arbeidsplasser" in page and page.count("aria-current") >= 1
    with app.app_context():
        assert db.session.query(Workplace).count() == 2


def test_bad_workplace_input_keeps_what_was_typed(client, people, sign_in):
    sign_in(client, people.specialist)
    response = client.post("/staff/workplaces/new", data={
        "name": "Kiwi", "pictogram": "1F3E2", "leader_name": "Anne Leder", "leader_phone": "ring meg"})
    assert response.status_code == 400
    assert "Skriv et telefonnummer med sifre" in response.text
    assert 'value="Anne Leder"' in response.text and 'value="ring meg"' in response.text
    response = client.post("/staff/workplaces/new", data={"name": "", "pictogram": "1F3E2"})
    assert response.status_code == 400 and "Skriv navnet på arbeidsplassen." in response.text


def test_a_workplace_of_another_region_is_not_reachable(app, client, people, sign_in):
    from worker_app.models import Region

    with app.app_context():
        region = Region(name="Langt borte")
        db.session.add(region)
        db.session.flush()
        shop = Workplace(name="Fjern butikk", region_id=region.id)
        db.session.add(shop)
        db.session.commit()
        shop_id = shop.id
    sign_in(client, people.specialist)
    assert client.get(f"/staff/workplaces/{shop_id}").status_code == 403
    assert client.get("/staff/workplaces/999999").status_code == 404
    assert "Fjern butikk" not in client.get("/staff/workplaces").text


def test_a_specialist_creates_a_worker_and_follows_her(app, client, people, sign_in):
    sign_in(client, people.specialist)
    assert client.post("/staff/workers/new", data={"name": "", "workplace": "0"}).status_code == 400
    response = client.post("/staff/workers/new", data={"name": "Lise Ny", "workplace": "0"})
    assert response.status_code == 302
    with app.app_context():
        lise = db.session.query(User).filter_by(name="Lise Ny").one()
        assert lise.role == "worker" and db.session.get(Follows, (people.specialist.id, lise.id))
    page = client.get(response.location).text
    assert "Lise Ny er lagt til" in page and "sign-in-link" in page
    assert "Lise Ny" in client.get("/staff").text
    with app.app_context():
        shop = Workplace(name="Kiwi")
        db.session.add(shop)
        db.session.flush()
        db.session.get(User, lise.id).workplace_id = shop.id
        db.session.commit()
        shop_id = shop.id
    page = client.get(f"/staff/workplaces/{shop_id}").text
    assert "Dine arbeidstakere her" in page and "Lise Ny" in page
    other = app.test_client()
    sign_in(other, people.other_specialist)  # does not follow Lise
    assert "Lise Ny" not in other.get(f"/staff/workplaces/{shop_id}").text


def _worker_page(client, people):
    return client.get(f"/staff/workers/{people.worker.id}")


def test_the_follow_up_record_on_the_worker_page(app, client, people, sign_in):
    sign_in(client, people.specialist)
    today = _oslo_today()
    next_day = (today + timedelta(days=3)).isoformat()
    response = client.post(f"/staff/workers/{people.worker.id}/meetings", data={
        "meeting-day": (today - timedelta(days=1)).isoformat(), "meeting-time": "10:00",
        "meeting-with_whom": "both", "meeting-note": "Det går fint.", "meeting-next_steps": "Mer tid på lageret.",
        "meeting-shared": "y", "meeting-next_day": next_day, "meeting-next_time": "10:00",
        "meeting-next_place": "work"})
    assert response.status_code == 302
    client.post(f"/staff/workers/{people.worker.id}/plan", data={
        "plan-visits_now": "2 ganger i uka", "plan-visits_next": "1 gang i måneden", "plan-next_from": "fra oktober"})
    assert client.post(f"/staff/workers/{people.worker.id}/trial", data={
        "trial-starts_on": today.isoformat(), "trial-weeks": "4"}).status_code == 302
    page = _worker_page(client, people).text
    assert "Det går fint." in page and "Mer tid på lageret." in page and "Neste møte:" in page
    assert 'value="2 ganger i uka"' in page and "Uke 1 av 4." in page
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(action="followup.view", worker_id=people.worker.id).count() == 1


def test_a_next_meeting_in_the_past_is_refused_beside_the_field(app, client, people, sign_in):
    sign_in(client, people.specialist)
    yesterday = (_oslo_today() - timedelta(days=1)).isoformat()
    response = client.post(f"/staff/workers/{people.worker.id}/meetings", data={
        "meeting-day": yesterday, "meeting-time": "10:00", "meeting-with_whom": "employer",
        "meeting-note": "Lederen er fornøyd.", "meeting-next_day": yesterday, "meeting-next_time": "12:00"})
    assert response.status_code == 400
    assert "Neste møte er i fortiden." in response.text
    assert 'id="meeting-next_day-error"' in response.text
    assert "Lederen er fornøyd." in response.text  # what was typed is kept
    with app.app_context():
        assert db.session.query(Meeting).count() == 0


def test_a_trial_beyond_six_months_is_refused(app, client, people, sign_in):
    sign_in(client, people.specialist)
    response = client.post(f"/staff/workers/{people.worker.id}/trial", data={
        "trial-starts_on": _oslo_today().isoformat(), "trial-weeks": "30"})
    assert response.status_code == 400 and "Praksis kan vare høyst 6 måneder." in response.text
    assert 'value="30"' in response.text
    with app.app_context():
        assert db.session.query(TrialPeriod).count() == 0
    response = client.post(f"/staff/workers/{people.worker.id}/trial/outcome",
                           data={"outcome-outcome": "permanent", "outcome-on": _oslo_today().isoformat()})
    assert response.status_code == 400 and "Det er ingen praksis-periode å avslutte." in response.text


def test_the_outcome_ends_the_trial_on_the_caseload(app, client, people, sign_in):
    sign_in(client, people.specialist)
    today = _oslo_today()
    client.post(f"/staff/workers/{people.worker.id}/trial", data={"trial-starts_on": today.isoformat(),
                                                                   "trial-weeks": "4"})
    assert "Arbeidspraksis til" in client.get("/staff").text
    assert client.post(f"/staff/workers/{people.worker.id}/trial/outcome", data={
        "outcome-outcome": "permanent", "outcome-on": today.isoformat()}).status_code == 302
    assert "Arbeidspraksis til" not in client.get("/staff").text
    assert "Utfall: Fast ansatt" in _worker_page(client, people).text


def _follow_up_world(app, people, shared=True, n=1):
    """A workplace with leader and fadder, a trial that started today, and meetings with a next."""
    with app.app_context():
        kari, ola = db.session.get(User, people.specialist.id), db.session.get(User, people.worker.id)
        shop = Workplace(name="Kiwi Sentrum", contact_name="Anne Leder", contact_phone="91234567",
                         mentor_name="Per Fadder")
        db.session.add(shop)
        db.session.flush()
        ola.workplace_id = shop.id
        now = datetime.now(UTC)
        db.session.add(TrialPeriod(worker_id=ola.id, starts_on=schedule.oslo(now).date(), weeks=4))
        for i in range(n):
            db.session.add(Meeting(worker_id=ola.id, by_id=kari.id, held_at=now - timedelta(days=30 - i),
                                   with_whom="both", note=f"Notat {i}", next_steps="", shared=shared,
                                   next_at=now + timedelta(days=2), next_place="work"))
        db.session.commit()


def test_the_worker_sees_her_job_trial_week_and_next_meeting(app, client, people, sign_in):
    _follow_up_world(app, people)
    sign_in(client, people.worker)
    page = main_text(client.get("/").text)
    assert "Jobben min" in page and "Lederen din heter Anne." in page and "Fadderen din heter Per." in page
    assert "Uke 1 av 4." in page and "Du skal møte Kari" in page and "på jobben." in page
    assert "Ring lederen" in page
    job = main_text(client.get("/my-job").text)
    assert "Notat 0" in job and "Siste dag er" in job and "Se alt som er lagret om deg" in job


def test_a_note_not_shared_stays_off_jobben_min_but_is_in_her_data(app, client, people, sign_in):
    _follow_up_world(app, people, shared=False)
    sign_in(client, people.worker)
    assert "Notat 0" not in client.get("/my-job").text
    data = client.get("/my-data.json").get_json()
    assert data["meetings"][0]["note"] == "Notat 0" and data["trial_periods"][0]["weeks"] == 4


def test_i_dag_stays_at_eight_queries_as_meetings_grow(app, client, people, sign_in):
    from tests.web.test_queries import queries_for

    _follow_up_world(app, people, n=1)
    sign_in(client, people.worker)
    small = queries_for(app, client, "/")
    _follow_up_world(app, people, n=20)
    big = queries_for(app, client, "/")
    assert small == big <= 8
    assert queries_for(app, client, "/my-job") <= 8


def test_the_worker_page_and_caseload_do_not_grow_with_meetings(app, client, people, sign_in):
    from tests.web.test_queries import queries_for

    _follow_up_world(app, people, n=1)
    sign_in(client, people.specialist)
    path = f"/staff/workers/{people.worker.id}"
    small, small_caseload = queries_for(app, client, path), queries_for(app, client, "/staff")
    _follow_up_world(app, people, n=25)
    with app.app_context():
        db.session.add(TrialPeriod(worker_id=people.second_worker.id, starts_on=_oslo_today(), weeks=6))
        db.session.commit()
    assert client.get(path).text.count("Notat ") == 26
    assert queries_for(app, client, path) == small
    assert queries_for(app, client, "/staff") == small_caseload


NEW_WORKER_SENTENCES = [
    "Lederen din heter %(name)s.",
    "Fadderen din heter %(name)s.",
    "Du prøver ut jobben nå. Det heter arbeids-praksis.",
    "Uke %(week)s av %(weeks)s.",
    "Du skal prøve en ny jobb fra %(day)s.",
    "Du skal møte %(name)s %(day)s kl. %(time)s på jobben.",
    "Du skal møte %(name)s %(day)s kl. %(time)s. Dere møtes på kontoret.",
    "%(name)s ringer deg %(day)s kl. %(time)s. Da kan dere prate.",
    "I arbeids-praksis prøver du en jobb i noen uker.",
    "Siste dag er %(day)s.",
    "Dere skal snakke om hvordan det går. Det blir %(day)s kl. %(time)s.",
    "En fadder er en kollega som hjelper deg på jobben.",
    "Du har ikke noe møte med jobb-spesialisten nå.",
    "Du har ingen arbeids-plass i appen ennå.",
    "Hva har dere snakket om?",
    "Dere ble enige om dette:",
    "Du har ingen notater ennå.",
    "Se mer om jobben",
    "Så ofte kommer jobb-spesialisten",
    "Møter med jobb-spesialisten",
    "Plan for besøk",
    "Jobben min",
]


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_new_worker_sentences_are_easy_to_read(locale):
    from tests.unit.test_words import nynorsk

    nn = nynorsk()
    for sentence in NEW_WORKER_SENTENCES:
        text = sentence if locale == "nb" else nn[sentence]
        text = (text.replace("%(name)s", "Anne").replace("%(day)s", "fredag 4. desember")
                .replace("%(time)s", "10:00").replace("%(weeks)s", "4").replace("%(week)s", "2"))
        assert lix(text) <= 30, (locale, text, lix(text))
        for one in sentences(text):
            assert len(words(one)) <= MAX_SENTENCE_WORDS, (locale, one)


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_jobben_min_and_i_dag_read_easily(app, client, people, sign_in, locale):
    _follow_up_world(app, people)
    sign_in(client, people.worker)
    client.post("/settings", data={"locale": locale, "text_size": "normal", "read_aloud": "on",
                                   "checklist_mode": "step"})
    for path in ("/", "/my-job"):
        text = main_text(client.get(path).text, without_dates=True)
        assert lix(text) <= 30, (path, locale, lix(text), text)


def test_the_english_page_is_translated(app, client, people, sign_in):
    _follow_up_world(app, people)
    sign_in(client, people.worker)
    client.post("/settings", data={"locale": "en", "text_size": "normal", "read_aloud": "on",
                                   "checklist_mode": "step"})
    assert "Week 1 of 4." in client.get("/").text and "Your mentor is called Per." in client.get("/my-job").text


def test_the_demo_shows_a_trial_and_a_next_meeting(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # still once
    with app.app_context():
        ola = db.session.query(User).filter_by(name="Ola Johansen").one()
        assert db.session.query(Meeting).filter_by(worker_id=ola.id).count() == 1
        job = followup.my_job(db.session, ola, datetime.now(UTC))
        assert job.trial_week == 1 and job.next_meeting is not None
        assert job.workplace.mentor_name == "Tone Fadder"


def test_one_visit_of_the_worker_page_is_one_line_on_her_data_page(app, client, people, sign_in):
    specialist = app.test_client()
    sign_in(specialist, people.specialist)
    assert _worker_page(specialist, people).status_code == 200
    sign_in(client, people.worker)
    page = client.get("/my-data").text
    assert page.count("Kari Nordmann så dataene dine.") == 1
