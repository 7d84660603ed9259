"""The worker asks for everything to be deleted; admins see it and act; her specialist is told.
A specialist's caseload is handed to another in one step."""

from sqlalchemy import select

from tests.conftest import main_text
from worker_app.extensions import db
from worker_app.models import AuditEntry, Erasure, Follows, SupportLink, User
from worker_app.services.readability import MAX_SENTENCE_WORDS, lix, sentences, words


def _worker(app, people, sign_in):
    phone = app.test_client()
    sign_in(phone, people.worker)
    return phone


def test_the_worker_is_asked_first_and_then_told_it_arrived(app, people, sign_in):
    phone = _worker(app, people, sign_in)
    assert 'href="/my-data/erase"' in phone.get("/my-data").text
    question = phone.get("/my-data/erase")
    assert question.status_code == 200
    assert "Vil du at vi sletter alt om deg?" in question.text and "Ja, slett alt" in question.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Erasure)) == 0  # asking is not doing

    answer = phone.post("/my-data/erase")
    assert answer.status_code == 302 and answer.location == "/my-data/erase"
    told = phone.get("/my-data/erase").text
    assert "Vi har fått beskjeden din." in told and "Ja, slett alt" not in told
    phone.post("/my-data/erase")  # twice is the same as once
    with app.app_context():
        (row,) = db.session.scalars(select(Erasure)).all()
        assert (row.person_id, row.state) == (people.worker.id, "asked")
    assert phone.get("/").status_code == 200  # nothing is deleted yet


def test_the_words_are_easy_to_read_in_every_language(app, people, sign_in):
    phone = _worker(app, people, sign_in)
    for locale in ("nb", "nn"):
        with app.app_context():
            db.session.get(User, people.worker.id).locale = locale
            db.session.commit()
        for html in (phone.get("/my-data/erase").text,):
            text = main_text(html)
            assert lix(text) <= 30, (locale, text)
            for sentence in sentences(text):
                assert len(words(sentence)) <= MAX_SENTENCE_WORDS, sentence
        phone.post("/my-data/erase")
        text = main_text(phone.get("/my-data/erase").text)
        assert lix(text) <= 30, (locale, text)
        with app.app_context():
            db.session.execute(db.delete(Erasure))
            db.session.commit()
    with app.app_context():
        db.session.get(User, people.worker.id).locale = "en"
        db.session.commit()
    assert "Do you want us to delete everything about you?" in phone.get("/my-data/erase").text


def test_admins_see_the_request_and_the_specialist_is_told(app, people, sign_in):
    phone = _worker(app, people, sign_in)
    phone.post("/my-data/erase")
    admin = app.test_client()
    sign_in(admin, people.admin)
    listing = admin.get("/admin/erasures").text
    assert "Ola Johansen ba om å få slettet alt" in listing
    assert f'href="/admin/users/{people.worker.id}/erase"' in listing
    specialist = app.test_client()
    sign_in(specialist, people.specialist)
    assert "har bedt om at alt om seg blir slettet" in specialist.get(f"/staff/workers/{people.worker.id}").text
    assert "har bedt om" not in specialist.get(f"/staff/workers/{people.second_worker.id}").text
    caseload = specialist.get("/staff").text
    assert caseload.count("Har bedt om å få slettet alt.") == 1
    assert caseload.index("Emma Larsen") < caseload.index("Ola Johansen") < caseload.index("Har bedt om")
    assert "Har bedt om å få slettet alt." in specialist.get("/staff/caseload", headers={"HX-Request": "true"}).text


def test_an_admin_answers_and_the_worker_sees_the_answer(app, people, sign_in):
    phone = _worker(app, people, sign_in)
    phone.post("/my-data/erase")
    admin = app.test_client()
    sign_in(admin, people.admin)
    with app.app_context():
        row_id = db.session.scalars(select(Erasure.id)).one()
    empty = admin.post(f"/admin/erasures/{row_id}/answer", data={"answer": "  "})
    assert empty.status_code == 400 and "Skriv svaret til personen." in empty.text
    long = admin.post(f"/admin/erasures/{row_id}/answer", data={"answer": "x" * 1001})
    assert long.status_code == 400 and "Svaret er for langt." in long.text and "x" * 1001 in long.text
    sent = admin.post(f"/admin/erasures/{row_id}/answer",
                      data={"answer": "Vi må ta vare på vaktene i 1 år til."})
    assert sent.status_code == 302
    again = admin.post(f"/admin/erasures/{row_id}/answer", data={"answer": "Igjen"})
    assert again.status_code == 400
    page = phone.get("/my-data/erase").text
    assert "Vi har svart deg" in page and "Vi må ta vare på vaktene i 1 år til." in page
    assert "Ja, slett alt" in page  # the worker may ask again
    assert "fikk svar" in admin.get("/admin/erasures").text


def test_carrying_out_the_request_closes_it(app, people, sign_in):
    phone = _worker(app, people, sign_in)
    phone.post("/my-data/erase")
    admin = app.test_client()
    sign_in(admin, people.admin)
    assert admin.post(f"/admin/users/{people.worker.id}/erase", data={"confirm": "y"}).status_code == 302
    assert phone.get("/").status_code == 401
    with app.app_context():
        (row,) = db.session.scalars(select(Erasure)).all()
        assert row.state == "done" and row.asked_at is not None
    listing = admin.get("/admin/erasures").text
    assert "Personen ba om det selv." in listing and "Ingen venter." in listing


def test_an_admin_hands_a_caseload_over(app, people, sign_in, follow):
    follow(people.other_specialist, people.second_worker)  # already follows one of them
    admin = app.test_client()
    sign_in(admin, people.admin)
    form = admin.get(f"/admin/users/{people.specialist.id}/handover")
    assert "Kari Nordmann følger 2 arbeidstakere." in form.text and "Per Hansen" in form.text
    bad = admin.post(f"/admin/users/{people.specialist.id}/handover", data={"specialist": "0"})
    assert bad.status_code == 400 and "Velg en annen jobb-spesialist." in bad.text
    itself = admin.post(f"/admin/users/{people.specialist.id}/handover",
                        data={"specialist": str(people.specialist.id)})
    assert itself.status_code == 400
    done = admin.post(f"/admin/users/{people.specialist.id}/handover",
                      data={"specialist": str(people.other_specialist.id)})
    assert done.status_code == 302
    with app.app_context():
        follows = set(db.session.execute(select(Follows.specialist_id, Follows.worker_id)).all())
        assert follows == {(people.other_specialist.id, people.worker.id),
                           (people.other_specialist.id, people.second_worker.id),
                           (people.other_specialist.id, people.stranger_worker.id)}
        assert db.session.scalar(select(db.func.count()).select_from(SupportLink)) == 1
        logged = db.session.scalars(select(AuditEntry.worker_id).where(
            AuditEntry.action == "caseload.handover")).all()
        assert sorted(logged) == sorted([people.worker.id, people.second_worker.id])
    new = app.test_client()
    sign_in(new, people.other_specialist)
    assert new.get(f"/staff/workers/{people.worker.id}").status_code == 200
    old = app.test_client()
    sign_in(old, people.specialist)
    assert old.get(f"/staff/workers/{people.worker.id}").status_code == 403


def test_a_specialist_hands_her_own_caseload_over(app, people, sign_in):
    me = app.test_client()
    sign_in(me, people.specialist)
    assert 'href="/staff/handover"' in me.get("/staff").text
    assert "Per Hansen" in me.get("/staff/handover").text
    done = me.post("/staff/handover", data={"specialist": str(people.other_specialist.id)})
    assert done.status_code == 302 and done.location == "/staff"
    assert "Ola Johansen" not in me.get("/staff").text
    # Not someone else's caseload: the admin page is for admins only.
    assert me.get(f"/admin/users/{people.other_specialist.id}/handover").status_code == 403


def test_handover_of_someone_who_is_not_a_specialist_is_404(app, people, sign_in):
    admin = app.test_client()
    sign_in(admin, people.admin)
    assert admin.get(f"/admin/users/{people.worker.id}/handover").status_code == 404
