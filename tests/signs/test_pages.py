"""Early signs on the specialist's "Mine arbeidstakere" page: shown with reason and date,
flagged rows first, marked as seen with a note (htmx and without JavaScript), never on a worker
or support-person page; a fixed number of queries however big the caseload."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import count_queries
from tests.web.test_queries import queries_for
from worker_app.extensions import db
from worker_app.models import AuditEntry, CheckIn, Follows, HelpRequest, LeftHome, Shift, SignSeen, User

REASON = "3 hjelpe-meldinger de siste 7 dagene."
FIELD = "sign-{id}-help_more-note"


def _help(app, worker, n=3):
    # Relative to the real clock, an hour back: any time of day (the rule looks 7 days back).
    with app.app_context():
        at = datetime.now(UTC) - timedelta(hours=1)
        db.session.add_all([HelpRequest(worker_id=worker.id, reason="question", created_at=at) for _ in range(n)])
        db.session.commit()


@pytest.fixture
def signed_in(client, people, sign_in):
    sign_in(client, people.specialist)
    return client


def test_the_sign_shows_with_reason_and_date_and_its_row_first(app, signed_in, people):
    page = signed_in.get("/staff").text
    assert REASON not in page and page.index("Emma Larsen") < page.index("Ola Johansen")
    _help(app, people.worker)
    page = signed_in.get("/staff").text
    assert REASON in page and page.index("Ola Johansen") < page.index("Emma Larsen")
    assert f'id="sign-{people.worker.id}-help_more"' in page and "<time datetime=" in page
    assert 'hx-preserve' in page and "Merk som sett" in page
    fragment = signed_in.get("/staff/caseload", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and REASON in fragment


def test_marking_seen_with_htmx_swaps_the_sign_and_keeps_the_note(app, signed_in, people):
    _help(app, people.worker)
    worker_id = people.worker.id
    response = signed_in.post(f"/staff/workers/{worker_id}/signs/help_more/seen",
                              data={FIELD.format(id=worker_id): "Ringte Ola, alt er bra."},
                              headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    assert "Merket som sett" in response.text and f'id="sign-{worker_id}-help_more"' in response.text
    with app.app_context():
        seen = db.session.query(SignSeen).one()
        assert (seen.worker_id, seen.kind, seen.note, seen.seen_by_id) == (
            worker_id, "help_more", "Ringte Ola, alt er bra.", people.specialist.id)
        assert db.session.query(AuditEntry).filter_by(action="sign.seen", worker_id=worker_id).count() == 1
    assert REASON not in signed_in.get("/staff").text


def test_marking_seen_without_javascript(app, signed_in, people):
    _help(app, people.worker)
    response = signed_in.post(f"/staff/workers/{people.worker.id}/signs/help_more/seen", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff#caseload")
    page = signed_in.get("/staff").text
    assert "Merket som sett." in page and REASON not in page


@pytest.mark.parametrize("htmx", [False, True])
def test_a_too_long_note_is_named_beside_the_field_and_kept(app, signed_in, people, htmx):
    _help(app, people.worker)
    worker_id, note = people.worker.id, "Ola sa " + "x" * 600
    response = signed_in.post(f"/staff/workers/{worker_id}/signs/help_more/seen",
                              data={FIELD.format(id=worker_id): note},
                              headers={"HX-Request": "true"} if htmx else {})
    # Without JavaScript the page comes back as a 400; htmx swaps only a 200, so it gets one.
    assert response.status_code == (200 if htmx else 400)
    assert ("<html" in response.text) is not htmx
    assert "Skriv kortere, høyst 500 tegn." in response.text and note in response.text
    assert f'id="{FIELD.format(id=worker_id)}-error"' in response.text and " open" in response.text
    with app.app_context():
        assert db.session.query(SignSeen).count() == 0


def test_another_specialist_cannot_mark_and_an_unknown_kind_is_not_found(app, client, people, sign_in):
    _help(app, people.worker)
    sign_in(client, people.other_specialist)
    assert client.post(f"/staff/workers/{people.worker.id}/signs/help_more/seen").status_code == 403
    assert client.post(f"/staff/workers/{people.stranger_worker.id}/signs/score/seen").status_code == 404
    assert client.post("/staff/workers/999999/signs/help_more/seen").status_code == 404
    assert REASON not in client.get("/staff").text


def test_signs_are_never_on_the_workers_or_support_persons_pages(app, client, people, sign_in):
    _help(app, people.worker)
    for who, paths in ((people.worker, ["/", "/help", "/my-data"]), (people.supporter, ["/support"])):
        sign_in(client, who)
        for path in paths:
            page = client.get(path).text
            assert REASON not in page and "Merk som sett" not in page, path


def _grow(app, specialist, n):
    """n more workers, each with a sign of every SQL kind: shifts not tapped, late, many help
    requests, a shift today, no sign-in, shared check-ins answered worse."""
    with app.app_context():
        now = datetime.now(UTC)
        for i in range(n):
            worker = User(name=f"Arbeidstaker {i}", role="worker", created_at=now - timedelta(days=30),
                          checkins_to_specialist=True)
            db.session.add(worker)
            db.session.flush()
            db.session.add(Follows(specialist_id=specialist.id, worker_id=worker.id))
            for days in (2, 3, 4):
                start = now - timedelta(days=days)
                shift = Shift(worker_id=worker.id, starts_at=start, ends_at=start + timedelta(hours=3))
                db.session.add(shift)
                db.session.flush()
                if days == 4:
                    db.session.add(LeftHome(worker_id=worker.id, shift_id=shift.id, late_at=start))
            db.session.add_all([HelpRequest(worker_id=worker.id, reason="question", created_at=now - timedelta(hours=1))
                                for _ in range(4)])
            db.session.add_all([CheckIn(worker_id=worker.id, started_at=now - timedelta(days=days),
                                        tasks=score, others=score, help=score)
                                for days, score in ((8, 2), (1, 0))])  # answered worse
        db.session.commit()


def test_the_caseload_with_signs_has_a_fixed_query_count(app, signed_in, people):
    _grow(app, people.specialist, 1)
    small = queries_for(app, signed_in, "/staff"), queries_for(app, signed_in, "/staff/caseload")
    _grow(app, people.specialist, 30)
    big = queries_for(app, signed_in, "/staff"), queries_for(app, signed_in, "/staff/caseload")
    assert small == big and max(big) <= 8  # as before the signs: one query added, one saved
    page = signed_in.get("/staff").text
    assert page.count("«Jeg har gått» er ikke trykket på 2 vakter") == 31
    assert page.count("Trykket «Jeg blir sen».") == 31 and page.count("4 hjelpe-meldinger") == 31
    assert page.count("Har ikke logget inn ennå, og har vakter.") == 31
    assert page.count("Svarene på «Hvordan har du det på jobb?» er dårligere enn sist.") == 31


def test_marking_seen_uses_few_queries(app, signed_in, people):
    _help(app, people.worker)
    with count_queries(app) as statements:
        signed_in.post(f"/staff/workers/{people.worker.id}/signs/help_more/seen", headers={"HX-Request": "true"})
    assert len(statements) <= 12


def test_the_empty_note_field_is_written_as_the_field_macro_writes_it(app, signed_in, people):
    """The caseload writes each sign's empty form as plain markup (a form object per sign was
    half the page's time); it must stay what field() makes of SignSeenForm."""
    import re

    from flask import render_template_string

    from worker_app.staff.forms import SignSeenForm

    _help(app, people.worker)
    page = signed_in.get("/staff").text
    prefix = f"sign-{people.worker.id}-help_more"
    written = re.search(r'<div class="field">\s*<label class="field__label" for="' + prefix
                        + r'-note">.*?</textarea>\s*</div>', page, re.S).group(0)
    with app.test_request_context():
        made = render_template_string(
            '{% from "components/forms.html" import field %}{{ field(form.note, hint=hint) }}',
            form=SignSeenForm(prefix=prefix, formdata=None),
            hint="Arbeidstakeren kan lese notatet under «Se alt som er lagret om deg».")

    def tags(html):
        return re.findall(r"<[^>]+>|[^<\s][^<]*[^<\s]|[^<\s]", html)

    assert tags(written) == tags(made)
