"""Issue 16, item 8: a second push for the same day asks which one to keep, a past date is
refused, a pushed checklist can be taken back (the worker is told calmly), and a photo chosen
before "Søk" is kept through the pictogram search."""

import io
import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.web.test_library_forms import _checklist, is_checked, typed
from worker_app.extensions import db
from worker_app.models import Assignment, AuditEntry, Checklist, Run, StepDone, User
from worker_app.services import tasks

FRIDAY = date(2030, 1, 4)


def _assignments(app, worker_id):
    with app.app_context():
        return db.session.scalars(select(Assignment).where(Assignment.worker_id == worker_id)
                                  .order_by(Assignment.id)).all()


def test_a_second_push_for_the_same_day_warns_keeps_what_was_typed_and_keeps_one(app, client, people, sign_in):
    checklist_id = _checklist(app, people)
    sign_in(client, people.specialist)
    url = f"/staff/checklists/{checklist_id}/push"
    first = {"workers": [str(people.worker.id)], "on_date": FRIDAY.isoformat()}
    assert client.post(url, data=first).status_code == 302
    both = {"workers": [str(people.worker.id), str(people.second_worker.id)], "on_date": FRIDAY.isoformat()}
    asked = client.post(url, data=both)
    assert asked.status_code == 409
    warning = re.search(r'<div class="warning" role="alert" id="already-given">(.*?)</div>', asked.text, re.S).group(1)
    assert "har fått «Fylle kaffe-maskinen» før" in warning
    assert people.worker.name in warning and people.second_worker.name not in warning
    assert "Behold den som er der" in asked.text and "Bytt til den nye" in asked.text
    assert typed(asked.text, "on_date") == FRIDAY.isoformat()
    assert is_checked(asked.text, f'name="workers" type="checkbox" value="{people.second_worker.id}"')
    assert len(_assignments(app, people.worker.id)) == 1  # nothing was given yet
    assert _assignments(app, people.second_worker.id) == []

    kept = client.post(url, data={**both, "on_clash": "keep"})
    assert kept.status_code == 302
    assert "Oppgaven er sendt til 1 arbeidstaker." in client.get(kept.location).text
    assert len(_assignments(app, people.worker.id)) == 1
    assert len(_assignments(app, people.second_worker.id)) == 1

    replaced = client.post(url, data={**first, "on_clash": "replace"})
    assert replaced.status_code == 302
    old, new = _assignments(app, people.worker.id)
    assert old.ended_at is not None and new.ended_at is None and new.on_date == FRIDAY


def test_other_days_are_no_clash_and_weekly_meets_once(app, client, people, sign_in):
    checklist_id = _checklist(app, people)
    sign_in(client, people.specialist)
    url = f"/staff/checklists/{checklist_id}/push"
    worker = [str(people.worker.id)]
    assert client.post(url, data={"workers": worker, "on_date": FRIDAY.isoformat()}).status_code == 302
    assert client.post(url, data={"workers": worker, "on_date": "2030-01-07"}).status_code == 302
    assert client.post(url, data={"workers": worker, "weekdays": ["1"]}).status_code == 302  # Tuesdays
    assert client.post(url, data={"workers": worker, "weekdays": ["4"]}).status_code == 409  # Fridays: the 4th
    assert client.post(url, data={"workers": worker, "every_shift": "1"}).status_code == 409


def test_a_day_that_has_been_is_refused_beside_the_date(app, client, people, sign_in):
    checklist_id = _checklist(app, people)
    sign_in(client, people.specialist)
    gone = client.post(f"/staff/checklists/{checklist_id}/push",
                       data={"workers": [str(people.worker.id)], "on_date": "2020-03-02"})
    assert gone.status_code == 400
    assert "Den dagen har vært. Velg i dag eller en dag som kommer." in re.search(
        r'<p class="field__error" id="on_date-error">(.*?)</p>', gone.text, re.S).group(1)
    assert _assignments(app, people.worker.id) == []


def _push_today(app, people):
    from worker_app.services import schedule

    checklist_id = _checklist(app, people, steps=2)
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        (assignment,) = tasks.push(db.session, db.session.get(Checklist, checklist_id), by=owner,
                                   workers=[db.session.get(User, people.worker.id)],
                                   on_date=schedule.oslo(datetime.now(UTC)).date())
        db.session.commit()
        return assignment.id


def test_a_withdrawn_checklist_leaves_the_day_and_the_worker_is_told_calmly(app, client, people, sign_in):
    assignment_id = _push_today(app, people)
    sign_in(client, people.specialist)
    page = client.get(f"/staff/workers/{people.worker.id}").text
    confirm = re.search(r'<details class="confirm">.*?Ta tilbake.*?</details>', page, re.S).group(0)
    assert f'action="/staff/checklists/assignments/{assignment_id}/withdraw"' in confirm
    assert "Ja, ta den tilbake" in confirm  # asked first: the real button is inside the confirm
    done = client.post(f"/staff/checklists/assignments/{assignment_id}/withdraw")
    assert done.status_code == 302 and done.location.endswith(f"/staff/workers/{people.worker.id}#tasks")
    said = client.get(done.location).text
    assert f"Oppgaven er tatt tilbake. {people.worker.first_name} får beskjed på I dag." in said
    assert "er tatt vare på" not in said  # nothing had been done in it
    assert client.post(f"/staff/checklists/assignments/{assignment_id}/withdraw").status_code == 404
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "checklist.withdraw")).one()
        assert entry.actor_id == people.specialist.id and entry.worker_id == people.worker.id

    worker = app.test_client()
    sign_in(worker, people.worker)
    today = worker.get("/").text
    assert "Du skal ikke gjøre «Fylle kaffe-maskinen» " in today
    assert 'href="/tasks/' not in today
    assert worker.get(f"/tasks/{assignment_id}").status_code == 404


def test_what_was_done_stays_when_a_started_checklist_is_withdrawn(app, client, people, sign_in):
    assignment_id = _push_today(app, people)
    worker = app.test_client()
    sign_in(worker, people.worker)
    assert worker.post(f"/tasks/{assignment_id}/step/1/done").status_code == 302
    sign_in(client, people.specialist)
    done = client.post(f"/staff/checklists/assignments/{assignment_id}/withdraw")
    assert f"Det {people.worker.first_name} har gjort, er tatt vare på." in client.get(done.location).text
    with app.app_context():
        run = db.session.scalars(select(Run).where(Run.assignment_id == assignment_id)).one()
        assert len(db.session.scalars(select(StepDone).where(StepDone.run_id == run.id)).all()) == 1


def test_only_a_specialist_who_follows_the_worker_withdraws(app, client, people, sign_in):
    assignment_id = _push_today(app, people)
    sign_in(client, people.other_specialist)
    assert client.post(f"/staff/checklists/assignments/{assignment_id}/withdraw").status_code == 403
    assert _assignments(app, people.worker.id)[0].ended_at is None


def test_a_photo_chosen_before_the_search_is_kept_and_saved_with_the_step(app, client, people, sign_in, tmp_path):
    from tests.unit.test_photos import jpeg_with_gps

    app.config["PHOTO_DIR"] = str(tmp_path / "photos")
    checklist_id = _checklist(app, people, steps=0)
    sign_in(client, people.specialist)
    url = f"/staff/checklists/{checklist_id}/steps"
    searched = client.post(url, content_type="multipart/form-data", data={
        "action": "search", "q": "kurv", "text": "Hent kurvene.", "hint": "Ved kassene.",
        "photo": (io.BytesIO(jpeg_with_gps()), "kurv.jpg")})
    assert searched.status_code == 200
    assert typed(searched.text, "text") == "Hent kurvene." and typed(searched.text, "hint") == "Ved kassene."
    kept = re.search(r'<input[^>]*name="kept_photo"[^>]*value="([0-9a-f]{32}\.jpg)"', searched.text).group(1)
    assert f'src="/media/{kept}"' in searched.text and "Fotoet du valgte" in searched.text
    # A second search (no new file chosen) keeps it still.
    again = client.post(url, data={"action": "search", "q": "kaffe", "text": "Hent kurvene.", "kept_photo": kept})
    assert f'value="{kept}"' in again.text
    saved = client.post(url, data={"action": "add", "text": "Hent kurvene.", "pictogram": "1F9FA",
                                   "kept_photo": kept})
    assert saved.status_code == 302
    with app.app_context():
        (step,) = db.session.get(Checklist, checklist_id).versions[-1].steps
        assert step.photo == kept and step.text == "Hent kurvene."


def test_a_kept_photo_name_that_is_no_stored_photo_is_not_used(app, client, people, sign_in, tmp_path):
    app.config["PHOTO_DIR"] = str(tmp_path / "photos")
    checklist_id = _checklist(app, people, steps=0)
    sign_in(client, people.specialist)
    for name in ("0" * 32 + ".jpg", "../../etc/passwd"):
        client.post(f"/staff/checklists/{checklist_id}/steps",
                    data={"action": "add", "text": "Vask koppen.", "kept_photo": name})
    with app.app_context():
        assert [s.photo for s in db.session.get(Checklist, checklist_id).versions[-1].steps] == [None, None]
