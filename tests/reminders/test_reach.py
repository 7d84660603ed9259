"""Reaching the worker: her own phone number and who may call it, the escalation's "Ring Ola"
on the support person's and the specialist's pages, the specialist's suggested reminder
settings (the worker decides), and I dag just before a shift after midnight."""

import re
from datetime import date

import pytest

from tests.reminders.helpers import FakePush, add_device, add_shift, oslo_at, run_sender
from worker_app.extensions import db
from worker_app.models import Notice, Permission, SupportLink, User
from worker_app.policy import Action, can, forget_cached_relations
from worker_app.services import consent, reach, reminders
from worker_app.services.errors import Invalid

DAY = date(2027, 1, 13)  # a Wednesday in winter time


@pytest.fixture
def world(app, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        worker.travel_minutes, worker.ready_minutes, worker.phone = 35, 20, "90012345"
        db.session.commit()
        yield worker, db.session.get(User, people.specialist.id), db.session.get(User, people.supporter.id)


def _grant_not_left(worker, supporter):
    link = db.session.query(SupportLink).filter_by(worker_id=worker.id, supporter_id=supporter.id).one()
    link.notify_not_left = True
    db.session.commit()
    forget_cached_relations()
    return link


# The number -------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["900 12 345", "+47 900-12-345", "0047 90012345", " 90012345 "])
def test_a_norwegian_mobile_is_kept_as_8_digits(typed):
    assert reach.normalise_mobile(typed) == "90012345"


@pytest.mark.parametrize("typed", ["12345678", "900 12 34", "22 33 44 55", "+46 70 123 45 67", "9" * 40, "ring meg"])
def test_anything_else_is_refused_beside_the_field(typed):
    with pytest.raises(Invalid) as problem:
        reach.normalise_mobile(typed)
    assert problem.value.field == "phone"


def test_the_specialist_saves_the_number_and_a_wrong_one_keeps_what_was_typed(app, client, people, sign_in):
    sign_in(client, people.specialist)
    path = f"/staff/workers/{people.worker.id}"
    page = client.get(path).text
    assert 'id="phone-phone"' in page and "Lagre mobil-nummeret" in page
    bad = client.post(f"{path}/phone", data={"phone-phone": "123 45"})
    assert bad.status_code == 400
    assert 'value="123 45"' in bad.text and "Skriv et norsk mobil-nummer med 8 sifre" in bad.text
    assert 'aria-invalid="true"' in bad.text
    assert client.post(f"{path}/phone", data={"phone-phone": "+47 900-12-345"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, people.worker.id).phone == "90012345"
    assert 'value="900 12 345"' in client.get(path).text
    client.post(f"{path}/phone", data={"phone-phone": ""})  # an empty field removes it
    with app.app_context():
        assert db.session.get(User, people.worker.id).phone is None


def test_another_specialist_or_an_admin_can_not_set_it(app, client, people, sign_in):
    sign_in(client, people.other_specialist)
    assert client.post(f"/staff/workers/{people.worker.id}/phone", data={"phone-phone": "90012345"}).status_code == 403
    sign_in(client, people.admin)
    assert client.post(f"/staff/workers/{people.worker.id}/phone", data={"phone-phone": "90012345"}).status_code == 403
    assert "phone-phone" not in client.get(f"/staff/workers/{people.worker.id}").text


def test_the_worker_sees_her_number_on_se_alt_som_er_lagret(app, client, people, sign_in):
    sign_in(client, people.worker)
    assert "Mobil-nummeret ditt er ikke lagret." in client.get("/my-data").text
    with app.app_context():
        db.session.get(User, people.worker.id).phone = "90012345"
        db.session.commit()
    assert "Dette er mobil-nummeret ditt: 900 12 345." in client.get("/my-data").text
    assert client.get("/my-data.json").get_json()["person"][0]["phone"] == "90012345"


def test_who_may_call_the_worker_and_the_permission_gone_after_withdrawal(app, world, people):
    worker, specialist, supporter = world
    with app.test_request_context():
        assert can(worker, Action.CALL_WORKER, worker)
        assert can(specialist, Action.CALL_WORKER, worker)
        assert not can(db.session.get(User, people.other_specialist.id), Action.CALL_WORKER, worker)
        assert not can(db.session.get(User, people.admin.id), Action.CALL_WORKER, worker)
        assert not can(db.session.get(User, people.second_worker.id), Action.CALL_WORKER, worker)
        assert not can(supporter, Action.CALL_WORKER, worker)  # sees shifts, but is not told
    with app.test_request_context():
        link = _grant_not_left(worker, supporter)
        assert can(supporter, Action.CALL_WORKER, worker)
    with app.test_request_context():
        consent.stop_permission(db.session, worker, link.id, Permission.NOTIFY_NOT_LEFT)
        db.session.commit()
        assert not can(supporter, Action.CALL_WORKER, worker)


# The escalation with "Ring Ola" -------------------------------------------------------------------


def _escalate(world, push=None):
    worker, specialist, supporter = world
    add_shift(worker, DAY)
    for person in (specialist, supporter):
        add_device(person)
    push = push or FakePush()
    run_sender(oslo_at(DAY, "08:35"), push)  # leave home 08:25 + the 10 minutes
    return push


def test_the_support_person_gets_ring_ola_while_she_may_be_told(app, client, sign_in, world):
    worker, _, supporter = world
    link = _grant_not_left(worker, supporter)
    push = _escalate(world)
    (sent,) = [c for c in push.calls if c["user_id"] == supporter.id]
    assert sent["data"]["url"] == "/support"  # the page with the notice and the number
    sign_in(client, supporter)
    page = client.get(sent["data"]["url"]).text
    assert "Ola har ikke trykket «Jeg har gått». Vakten begynner kl. 09:00." in page
    assert 'href="tel:+4790012345"' in page and "Ring Ola: 900 12 345" in page
    consent.stop_permission(db.session, worker, link.id, Permission.NOTIFY_NOT_LEFT)
    db.session.commit()
    page = client.get("/support").text
    assert "tel:+4790012345" not in page and "900 12 345" not in page


def test_the_specialist_sees_it_on_mine_arbeidstakere_and_the_worker_page_and_marks_it_seen(
        app, client, sign_in, world):
    worker, specialist, _ = world
    push = _escalate(world)
    (sent,) = [c for c in push.calls if c["user_id"] == specialist.id]
    sign_in(client, specialist)
    for path in ("/staff", "/staff/caseload", sent["data"]["url"], f"/staff/workers/{worker.id}/alerts"):
        page = client.get(path).text
        assert "Ola har ikke trykket «Jeg har gått». Vakten begynner kl. 09:00." in page, path
        assert 'href="tel:+4790012345"' in page and "Ring Ola: 900 12 345" in page, path
        assert "kl. 08:35" in page or "kl. 08:36" in page, path  # when it came (the sender's run)
    (notice,) = db.session.query(Notice).filter_by(user_id=specialist.id).all()
    seen = client.post(f"/staff/alerts/{notice.id}/seen", headers={"HX-Request": "true"})
    assert seen.status_code == 200 and "Merket som sett." in seen.text and "<html" not in seen.text
    for path in ("/staff", f"/staff/workers/{worker.id}"):
        assert "har ikke trykket" not in client.get(path).text


def test_jeg_blir_sen_reaches_the_specialists_pages_with_the_number(app, client, sign_in, world):
    worker, specialist, _ = world
    shift = add_shift(worker, DAY)
    reminders.mark_late(db.session, worker, shift.id)
    db.session.commit()
    run_sender(oslo_at(DAY, "08:30"), FakePush())
    sign_in(client, specialist)
    page = client.get("/staff").text
    assert "Ola blir sen. Vakten begynner kl. 09:00." in page and 'href="tel:+4790012345"' in page


def test_a_specialist_who_turned_the_push_off_still_reads_it_on_her_page(app, client, sign_in, world):
    worker, specialist, _ = world
    reminders.set_kind(db.session, specialist, "not_left", False)
    db.session.commit()
    push = _escalate(world)
    assert [c for c in push.calls if c["user_id"] == specialist.id] == []
    sign_in(client, specialist)
    assert "Ola har ikke trykket «Jeg har gått»." in client.get("/staff").text


def test_an_escalation_is_marked_seen_only_by_its_own_specialist(app, client, sign_in, world, people):
    _escalate(world)
    (notice,) = db.session.query(Notice).filter_by(user_id=world[1].id).all()
    sign_in(client, people.other_specialist)
    assert client.post(f"/staff/alerts/{notice.id}/seen").status_code == 404
    assert client.get(f"/staff/workers/{world[0].id}/alerts").status_code == 403
    db.session.refresh(notice)
    assert notice.read_at is None


def test_without_a_number_there_is_no_call_link(app, client, sign_in, world):
    worker, specialist, _ = world
    worker.phone = None
    db.session.commit()
    _escalate(world)
    sign_in(client, specialist)
    page = client.get("/staff").text
    assert "Ola har ikke trykket «Jeg har gått»." in page and "tel:+47" not in page


# Suggested reminder settings ------------------------------------------------------------------------


def _suggest(client, worker_id, *on):
    return client.post(f"/staff/workers/{worker_id}/reminder-suggestions", data={"suggest-on": list(on)})


def test_the_specialists_suggestion_applies_and_the_sender_honours_it(app, client, sign_in, world):
    worker, specialist, _ = world
    sign_in(client, specialist)
    assert _suggest(client, worker.id, "leave_home", "shift_changed", "new_task").status_code == 302
    db.session.refresh(worker)
    assert not reminders.is_on(worker, "get_ready") and reminders.is_on(worker, "leave_home")
    add_shift(worker, DAY)
    add_device(worker)
    push = FakePush()
    for hhmm in ("08:05", "08:25"):
        run_sender(oslo_at(DAY, hhmm), push)
    assert push.titles(worker.id) == ["Gå hjemme-fra nå"]  # no "Gjør deg klar": suggested off
    sign_in(client, worker)
    page = client.get("/settings").text
    assert "Gjør deg klar: <strong>Av</strong>" in page
    assert page.count("Kari har foreslått dette.") == 6  # every kind: she has chosen none herself


def test_the_workers_own_tap_beats_a_later_suggestion_and_stays(app, client, sign_in, world):
    worker, specialist, _ = world
    # Her tap in Innstillinger (the route calls set_kind; tests/reminders/test_pages.py taps it).
    # The pages below are read first as the specialist, then as the worker: the test's one app
    # context keeps Flask-Login's user between requests otherwise.
    reminders.set_kind(db.session, worker, "get_ready", True)
    db.session.commit()
    sign_in(client, specialist)
    assert _suggest(client, worker.id).status_code == 302  # suggests everything off
    page = " ".join(client.get(f"/staff/workers/{worker.id}").text.split())
    assert "Valgt av arbeidstakeren selv: Gjør deg klar." in page
    db.session.refresh(worker)
    assert reminders.is_on(worker, "get_ready")  # hers
    assert not reminders.is_on(worker, "leave_home")  # the suggestion
    sign_in(client, worker)
    page = client.get("/settings").text
    assert re.search(r"Gjør deg klar: <strong>På</strong>\s*</span>", page)  # no "foreslått" on hers
    assert "Gå hjemme-fra nå: <strong>Av</strong><br>Kari har foreslått dette." in page
    add_shift(worker, DAY)
    add_device(worker)
    push = FakePush()
    for hhmm in ("08:05", "08:25"):
        run_sender(oslo_at(DAY, hhmm), push)
    assert push.titles(worker.id) == ["Gjør deg klar"]
    # Tapping a suggested one makes it hers: a new suggestion leaves it alone.
    assert client.post("/settings/reminders/leave_home", data={"on": "1"}).status_code == 302
    db.session.refresh(worker)
    reach.suggest(db.session, worker, dict.fromkeys(reminders.WORKER_KINDS, False), by=specialist)
    assert reminders.is_on(worker, "leave_home") and not reminders.is_on(worker, "new_task")


def test_the_suggestion_form_is_for_the_workers_specialist(app, client, sign_in, people):
    sign_in(client, people.other_specialist)
    assert _suggest(client, people.worker.id, "get_ready").status_code == 403
    sign_in(client, people.worker)
    assert _suggest(client, people.worker.id, "get_ready").status_code == 403


# I dag just before a shift after midnight ----------------------------------------------------------


def _clock_at(monkeypatch, moment):
    """I dag and the support person's view read the time in their views (not the wall clock)."""
    from worker_app.support import views as support_views
    from worker_app.today import views as today_views

    for views in (today_views, support_views):
        monkeypatch.setattr(views, "utcnow", lambda: moment)


@pytest.mark.parametrize("hhmm, heading", [("22:45", "Gå hjemme-fra om 1 time og 10 minutter"),
                                           ("23:40", "Gå hjemme-fra om 15 minutter")])
def test_i_dag_before_a_shift_just_after_midnight_does_not_say_free_today(
        app, client, sign_in, world, monkeypatch, hhmm, heading):
    from datetime import timedelta


    worker, _, supporter = world  # leaves home 35 minutes before, gets ready 20 before that
    add_shift(worker, DAY + timedelta(days=1), "00:30", "03:30")
    _clock_at(monkeypatch, oslo_at(DAY, hhmm))  # not the wall clock
    sign_in(client, worker)
    page = " ".join(client.get("/").text.split())
    assert heading in page
    assert "Du har fri i dag." not in page
    assert "Neste vakt er i natt kl. 00:30." in page
    assert ("Jeg har gått" in page) == (hhmm == "23:40")  # the reminder card from get-ready time


def test_i_dag_in_the_day_before_a_night_shift_still_says_free_today(app, client, sign_in, world, monkeypatch):
    from datetime import timedelta


    worker, _, _ = world
    add_shift(worker, DAY + timedelta(days=1), "00:30", "03:30")
    _clock_at(monkeypatch, oslo_at(DAY, "12:00"))
    sign_in(client, worker)
    page = " ".join(client.get("/").text.split())
    assert "Du har fri i dag." in page and "Gå hjemme-fra om" not in page


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_the_new_worker_sentences_are_easy_to_read(app, client, sign_in, world, monkeypatch, locale):
    """Innstillinger with the specialist's suggestion, the stored number, and I dag at 22:45
    before a shift at 00:30: LIX at most 30 and no sentence over 15 words, in nb and nn."""
    from datetime import timedelta

    from tests.conftest import main_text
    from worker_app.services.readability import MAX_SENTENCE_WORDS, lix, sentences, words

    worker, specialist, _ = world
    reach.suggest(db.session, worker, {"get_ready": False}, by=specialist)
    add_shift(worker, DAY + timedelta(days=1), "00:30", "03:30")
    db.session.commit()
    _clock_at(monkeypatch, oslo_at(DAY, "22:45"))
    sign_in(client, worker)
    client.post("/settings", data={"locale": locale, "text_size": "normal", "read_aloud": "on",
                                   "checklist_mode": "step"})
    expected = {"nb": ("Kari har foreslått dette.", "Dette er mobil-nummeret ditt", "Neste vakt er i natt"),
                "nn": ("Kari har føreslått dette.", "Dette er mobil-nummeret ditt", "Neste vakt er i natt")}[locale]
    for path, sentence in zip(("/settings", "/my-data", "/"), expected, strict=True):
        text = main_text(client.get(path).text, without_dates=True)
        assert sentence in text, path
        assert lix(text) <= 30, f"{path} ({locale}): LIX {lix(text):.1f}: {text}"
        for one in sentences(text):
            assert len(words(one)) <= MAX_SENTENCE_WORDS, f"{path}: {one}"


def test_the_support_persons_view_of_that_evening_says_when_the_shift_is(app, client, sign_in, world, monkeypatch):
    from datetime import timedelta


    worker, _, supporter = world  # the support person may see shifts
    add_shift(worker, DAY + timedelta(days=1), "00:30", "03:30")
    _clock_at(monkeypatch, oslo_at(DAY, "22:45"))
    sign_in(client, supporter)
    page = " ".join(client.get(f"/support/workers/{worker.id}").text.split())
    assert "Neste vakt til Ola er i natt kl. 00:30." in page and "har fri i dag" not in page


# I dag after today's shift -------------------------------------------------------------------


@pytest.mark.parametrize("cancelled", [False, True])
def test_i_dag_after_todays_shift_says_it_is_over_not_free_today(app, client, sign_in, world, monkeypatch,
                                                                cancelled):
    """She worked this morning: at 15:00 I dag says the shift is over and shows the next one,
    never "Du har fri i dag." (a cancelled shift was no work: then she is free today)."""
    from datetime import UTC, datetime, timedelta

    worker, _, supporter = world  # the support person may see shifts
    morning = add_shift(worker, DAY, "08:00", "12:00")
    if cancelled:
        morning.cancelled_at = datetime.now(UTC)
        db.session.commit()
    add_shift(worker, DAY + timedelta(days=2), "08:00", "12:00")
    _clock_at(monkeypatch, oslo_at(DAY, "15:00"))
    sign_in(client, worker)
    page = " ".join(client.get("/").text.split())
    assert ("Vakten i dag er ferdig." in page) is not cancelled
    assert ("Du har fri i dag." in page) is cancelled
    assert "Neste vakt" in page and "fredag 15. januar" in page
    sign_in(client, supporter)
    page = " ".join(client.get(f"/support/workers/{worker.id}").text.split())
    assert ("Vakten til Ola i dag er ferdig." in page) is not cancelled
    assert ("Ola har fri i dag." in page) is cancelled
