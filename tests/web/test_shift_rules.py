"""The specialist's repeat-rule pages and the worker page's pages of coming shifts."""

import html
import re
from datetime import UTC, date, datetime, timedelta

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import AuditEntry, Shift, ShiftRule, User
from worker_app.services import schedule


def today():
    return schedule.oslo(datetime.now(UTC)).date()


def make_rule(app, people, weekday=4, weeks=8):
    """A rule starting next week (so every shift is still to come, at any time of day)."""
    first = today() + timedelta(days=7 - today().weekday())  # next Monday
    with app.app_context():
        rule, _shifts = schedule.add_rule(
            db.session, worker=db.session.get(User, people.worker.id), by=db.session.get(User, people.specialist.id),
            weekdays=[weekday], start="09:00", end="12:00", starts_on=first.isoformat(),
            ends_on=(first + timedelta(weeks=weeks)).isoformat(), on_holidays=True)
        db.session.commit()
        return rule.id, first


def field_error(page, field_id):
    match = re.search(rf'<p class="field__error" id="{field_id}-error">(.*?)</p>', page, re.S)
    return match and re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_specialist_changes_a_rule_and_the_worker_is_told_once(app, client, people, sign_in):
    rule_id, first = make_rule(app, people)
    sign_in(client, people.specialist)
    page = client.get(f"/staff/rules/{rule_id}/edit")
    assert page.status_code == 200 and 'value="09:00"' in page.text
    last = (first + timedelta(weeks=4)).isoformat()
    saved = client.post(f"/staff/rules/{rule_id}/edit", data={
        "rule-weekdays": ["3"], "rule-start": "08:00", "rule-end": "11:00", "rule-ends_on": last})
    assert saved.status_code == 302
    assert "De faste vaktene er endret. 4 vakter kommer." in html.unescape(client.get(saved.location).text)
    with app.app_context():
        rule = db.session.get(ShiftRule, rule_id)
        assert (rule.weekdays, rule.start_time, rule.ends_on.isoformat()) == ("3", "08:00", last)
        shifts = db.session.query(Shift).filter_by(rule_id=rule_id).all()
        assert {schedule.oslo(s.starts_at).strftime("%a %H:%M") for s in shifts} == {"Thu 08:00"}
        assert db.session.query(AuditEntry).filter_by(action="shift_rule.view").count() == 1
    sign_in(client, people.worker)
    start = client.get("/").text
    assert start.count("Vaktene dine på torsdag er endret. Se Vakter.") == 1  # the days as they are now


def test_a_bad_change_keeps_what_was_typed_and_names_the_problem_beside_the_field(app, client, people, sign_in):
    rule_id, _first = make_rule(app, people)
    sign_in(client, people.specialist)
    for ends_on in ("9999-12-31", "1800-01-01", "snart"):
        page = client.post(f"/staff/rules/{rule_id}/edit", data={
            "rule-weekdays": ["3"], "rule-start": "07:30", "rule-end": "11:00", "rule-ends_on": ends_on})
        assert page.status_code == 400
        assert field_error(page.text, "rule-ends_on")
        assert f'value="{ends_on}"' in page.text and 'value="07:30"' in page.text
    late = client.post(f"/staff/rules/{rule_id}/edit", data={
        "rule-weekdays": ["3"], "rule-start": "12:00", "rule-end": "11:00",
        "rule-ends_on": (today() + timedelta(days=30)).isoformat()})
    assert late.status_code == 400 and field_error(late.text, "rule-end") == "Feil: Slutten må være etter starten."
    with app.app_context():
        assert db.session.get(ShiftRule, rule_id).weekdays == "4"


def test_the_specialist_ends_a_rule_and_the_worker_is_told_once(app, client, people, sign_in):
    rule_id, first = make_rule(app, people)
    sign_in(client, people.specialist)
    wrong = client.post(f"/staff/rules/{rule_id}/end", data={"end-from_day": "2001-01-01"})
    assert wrong.status_code == 400 and field_error(wrong.text, "end-from_day")
    assert 'value="2001-01-01"' in wrong.text
    from_day = first + timedelta(weeks=2)
    ended = client.post(f"/staff/rules/{rule_id}/end", data={"end-from_day": from_day.isoformat()})
    assert ended.status_code == 302
    assert "De faste vaktene er avsluttet. 6 vakter er tatt bort." in html.unescape(client.get(ended.location).text)
    with app.app_context():
        left = db.session.query(Shift).filter_by(rule_id=rule_id).all()
        assert len(left) == 2 and all(schedule.oslo(s.starts_at).date() < from_day for s in left)
    sign_in(client, people.worker)
    start = html.unescape(client.get("/").text)
    assert start.count("Vaktene dine på fredag er slutt fra mandag") == 1


def test_a_new_rule_with_also_on_public_holidays_keeps_25_december(app, client, people, sign_in):
    sign_in(client, people.specialist)
    saved = client.post(f"/staff/workers/{people.worker.id}/shift-rules", data={
        "rule-weekdays": ["4"], "rule-start": "09:00", "rule-end": "12:00", "rule-starts_on": "2026-12-01",
        "rule-ends_on": "2026-12-31", "rule-on_holidays": "y"})
    assert saved.status_code == 302
    assert "helligdagene" not in client.get(saved.location).text
    with app.app_context():
        assert date(2026, 12, 25) in [schedule.oslo(s.starts_at).date() for s in db.session.query(Shift)]


def add_shifts(app, worker, count, start=1):
    with app.app_context():
        base = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=2)
        db.session.add_all([Shift(worker_id=worker.id, starts_at=base + timedelta(days=i),
                                  ends_at=base + timedelta(days=i, hours=3)) for i in range(start, start + count)])
        db.session.commit()


def next_link(page):
    match = re.search(r'href="([^"]*shifts_after=[^"]*)"', page)
    return match and html.unescape(match.group(1))


def test_the_worker_page_pages_through_every_coming_shift(app, client, people, sign_in):
    add_shifts(app, people.worker, 45)  # more than a year's worth is reached the same way
    with app.app_context():
        far = datetime(2027, 10, 1, 8, tzinfo=UTC)
        db.session.add(Shift(worker_id=people.worker.id, starts_at=far, ends_at=far + timedelta(hours=2)))
        db.session.commit()
    sign_in(client, people.specialist)
    seen, url = [], f"/staff/workers/{people.worker.id}"
    while url:
        page = client.get(url).text
        seen.append(page.count('/move"'))
        url = next_link(page)
    assert seen == [20, 20, 6]
    assert "fredag 1. oktober" in page and "De første vaktene" in page
    for token in ("garbage", "9999-01-01T00:00:00+00:00|1", "2027-01-01T00:00:00|x", "|"):
        assert client.get(f"/staff/workers/{people.worker.id}", query_string={"shifts_after": token}).status_code == 200


def test_the_worker_page_query_count_is_fixed_as_shifts_grow(app, client, people, sign_in):
    sign_in(client, people.specialist)
    path = f"/staff/workers/{people.worker.id}"
    add_shifts(app, people.worker, 25)

    def counts():
        client.get(path)
        with count_queries(app) as first:
            page = client.get(path).text
        with count_queries(app) as second:
            client.get(next_link(page))
        return len(first), len(second)

    small = counts()
    add_shifts(app, people.worker, 200, start=100)
    assert counts() == small


def test_the_worker_reaches_a_shift_months_ahead_two_weeks_at_a_time(app, client, people, sign_in):
    far = today() + timedelta(weeks=20)
    with app.app_context():
        start = schedule.at_oslo(far, datetime.min.time().replace(hour=9))
        db.session.add(Shift(worker_id=people.worker.id, starts_at=start, ends_at=start + timedelta(hours=3)))
        db.session.commit()
    sign_in(client, people.worker)
    url, pages = "/shifts", 0
    while True:
        page = client.get(url)
        assert page.status_code == 200
        if "kl. 09:00" in page.text or "09:00" in page.text:
            break
        url = html.unescape(re.search(r'href="(/shifts/later/\d+)"', page.text).group(1))
        pages += 1
    assert pages == 10 and "Tilbake" in page.text
    assert client.get("/shifts/later/3").status_code == 404
    assert client.get("/shifts/later/54").status_code == 404
    assert "Se de neste 2 ukene" not in client.get("/shifts/later/52").text


def test_vakter_later_query_count_is_fixed(app, client, people, sign_in):
    sign_in(client, people.worker)
    add_shifts(app, people.worker, 5, start=30)

    def count():
        client.get("/shifts/later/4")
        with count_queries(app) as statements:
            client.get("/shifts/later/4")
        return len(statements)

    small = count()
    add_shifts(app, people.worker, 10, start=40)
    assert count() == small
