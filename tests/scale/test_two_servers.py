"""Two app servers, A and B, on one PostgreSQL database and one Redis: what a person does through
one is true on the other, and what many people do at once through both comes out right.

Not here yet: "two reminder senders, one per process, send each reminder once" waits for the
reminders sender (issue 13); its test belongs beside these, with both servers' `flask reminders
send` running at once against this database.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import PASSWORD
from tests.scale import world
from tests.scale.conftest import needs_postgres_and_redis
from tests.scale.servers import Phone
from worker_app.models import Signup

pytestmark = needs_postgres_and_redis


def signed_in_phone(stack, address: str, user_id: int, server) -> Phone:
    """A phone that was signed in before: its remembered-device cookie signs it in again."""
    phone = Phone(address, {"wa_device": world.device_cookie(stack.data, user_id)})
    assert phone.get(server, "/").status == 200
    return phone


def test_signed_in_on_a_is_signed_in_on_b_and_logg_ut_ends_it_on_both(stack):
    a, b = stack.servers
    worker = world.person(stack.data, "worker", "Ola Skalering")
    token = world.sign_in_token(stack.data, worker)
    phone = Phone("10.1.0.1")
    page = phone.get(a, f"/signin/{token}")
    assert page.status == 200
    assert phone.post(a, f"/signin/{token}", {"csrf_token": page.csrf()}).status == 302

    today = phone.get(b, "/")
    assert today.status == 200 and "Hei, Ola." in today.text
    device = phone.cookies["wa_device"]

    settings = phone.get(b, "/settings")
    assert "Logg ut på denne telefonen" in settings.text
    out = phone.post(a, "/logout", {"csrf_token": settings.csrf()})  # the form from B, sent to A
    assert out.status == 302 and out.location.endswith("/signed-out")
    for server in (a, b):
        answer = phone.get(server, "/")
        assert answer.status == 401 and "Du er logget ut" in answer.text
        # The phone's old device cookie is ended in the shared database: no server takes it.
        stale = Phone("10.1.0.1", {"wa_device": device})
        assert stale.get(server, "/").status == 401


def test_wrong_passwords_are_counted_across_both_servers(stack):
    a, b = stack.servers
    email = world.email_of(stack.data, world.person(stack.data, "specialist"))
    guesser = Phone("10.2.0.1")
    token = guesser.get(a, "/login").csrf()
    codes = [guesser.post((a, b)[i % 2], "/login",
                          {"csrf_token": token, "email": email, "password": f"wrong-{i}"}).status
             for i in range(11)]
    # Five tries on each server, then the 11th is refused: one count for both.
    assert codes[:10] == [400] * 10 and codes[10] == 429
    right = guesser.post(a, "/login", {"csrf_token": token, "email": email, "password": PASSWORD})
    assert right.status == 429 and "Vent 1 minutt." in right.text and 'href="tel:' in right.text
    # The account's count is shared too: the same account from another address is refused,
    # and another account from that address is not held up.
    colleague = Phone("10.2.0.2")
    token = colleague.get(b, "/login").csrf()
    same = colleague.post(b, "/login", {"csrf_token": token, "email": email, "password": PASSWORD})
    assert same.status == 429
    other = world.email_of(stack.data, world.person(stack.data, "specialist"))
    answer = colleague.post(b, "/login", {"csrf_token": token, "email": other, "password": PASSWORD})
    assert answer.status == 302 and answer.location.endswith("/staff")


def test_fifty_workers_join_a_ten_place_event_through_both_servers_at_once(stack):
    servers = stack.servers
    event_id = world.event(stack.data, 10, world.person(stack.data, "organizer"))
    ids = world.workers(stack.data, 50, "Deltaker")
    phones = [signed_in_phone(stack, f"10.3.0.{i + 1}", w, servers[i % 2]) for i, w in enumerate(ids)]
    forms = [p.get(servers[i % 2], f"/events/{event_id}").csrf() for i, p in enumerate(phones)]

    start = threading.Barrier(len(phones))

    def join(i: int) -> int:
        start.wait(timeout=30)
        return phones[i].post(servers[i % 2], f"/events/{event_id}/join", {"csrf_token": forms[i]}).status

    with ThreadPoolExecutor(len(phones)) as pool:
        statuses = list(pool.map(join, range(len(phones))))
    assert statuses == [302] * 50

    signups = world.rows(stack.data, Signup, Signup.event_id == event_id)
    assert sorted(s.worker_id for s in signups) == sorted(ids)  # each once
    # In the order the places were taken: the first 10 go, the next 40 wait, in that order.
    assert [s.state for s in signups] == ["going"] * 10 + ["waiting"] * 40
    assert [s.queued_at for s in signups] == sorted(s.queued_at for s in signups)

    # What each person is told on their phone (through the server they use) agrees.
    place_of = {s.worker_id: n for n, s in enumerate(signups[10:], start=1)}
    for i, (worker, phone) in enumerate(zip(ids, phones, strict=True)):
        text = phone.get(servers[(i + 1) % 2], f"/events/{event_id}").text
        if worker in place_of:
            assert re.search(rf"På vente-listen, nummer {place_of[worker]}\b", text), worker
        else:
            assert "På vente-listen" not in text and "Legg til i kalenderen" in text


def test_a_checklist_ticked_on_two_phones_through_a_and_b_counts_each_step_once(stack):
    a, b = stack.servers
    worker = world.person(stack.data, "worker")
    assignment = world.checklist_for(stack.data, worker, steps=6)
    phones = [signed_in_phone(stack, "10.4.0.1", worker, a), signed_in_phone(stack, "10.4.0.2", worker, b)]
    forms = [p.get(s, f"/tasks/{assignment}/step/1").csrf() for p, s in zip(phones, (a, b), strict=True)]

    start = threading.Barrier(2)

    def tick_all(i: int) -> list[int]:
        phone, server = phones[i], (a, b)[i]
        codes = []
        for position in range(1, 7):
            start.wait(timeout=30)  # both phones press Ferdig on the same step at the same moment
            codes.append(phone.post(server, f"/tasks/{assignment}/step/{position}/done",
                                    {"csrf_token": forms[i]}).status)
        return codes

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(tick_all, range(2)))
    assert results == [[302] * 6, [302] * 6]

    done = world.ticks(stack.data, assignment)
    [run] = world.runs(stack.data, assignment)
    assert len(done) == 6 and len({step for _run, step in done}) == 6
    assert {r for r, _step in done} == {run.id} and run.finished_at is not None
    for phone, server in zip(phones, (b, a), strict=True):
        finished = phone.get(server, f"/tasks/{assignment}/finished")
        assert finished.status == 200 and "Bra jobbet" in finished.text
