"""Bad input in an HTML form is a 400 with the page and the form, never a 500: a NUL byte or
another control character, and a value longer than its limit. Run on PostgreSQL too
(DATABASE_URL), where a NUL byte or an over-long value reaching the database is an error, and
where the error log would then hold the values. Also the API: a NUL byte in JSON is a 422."""

from __future__ import annotations

import html
import importlib
import logging
import pkgutil
from datetime import date, timedelta

import pytest
from wtforms import StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

import worker_app
from worker_app.extensions import db
from worker_app.formtools import Form
from worker_app.models import Event, Scope, User
from worker_app.models.types import utcnow
from worker_app.services import api_tokens, guests, limits

REFUSED = "Teksten hadde et tegn som ikke kan brukes."
GUEST_NAME, GUEST_PHONE = "Hemmelig Gjestenavn", "91234567"
NEW_USER = "Hemmelig Nyansatt"


def _all_form_classes():
    for module in pkgutil.walk_packages(worker_app.__path__, "worker_app."):
        importlib.import_module(module.name)
    seen, todo = [], [Form.__mro__[1]]  # FlaskForm and everything below it
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("worker_app.") and sub is not Form:
                seen.append(sub)
            todo.append(sub)
    return seen


def test_every_form_uses_the_base_form_and_bounds_every_text_field():
    forms = _all_form_classes()
    assert len(forms) >= 14  # the walk found the forms (the library's too)
    unbounded = []
    for form in forms:
        assert issubclass(form, Form), f"{form.__qualname__} must derive from formtools.Form"
        for name in dir(form):
            field = getattr(form, name)
            if not (isinstance(field, UnboundField) and issubclass(field.field_class, StringField)):
                continue
            bounds = [v.max for v in field.kwargs.get("validators", ()) if isinstance(v, Length)]
            if not any(0 < bound <= limits.EVENT_TEXT_MAX for bound in bounds):
                unbounded.append(f"{form.__qualname__}.{name}")
    assert not unbounded, f"text fields without a length bound: {unbounded}"


def _in_a_week() -> str:
    return (date.today() + timedelta(days=7)).isoformat()


@pytest.fixture
def invite_url(app):
    with app.app_context():
        start = utcnow() + timedelta(days=7)
        event = Event(title="Grilling i parken", place="Parken", pictogram="1F356", starts_at=start,
                      ends_at=start + timedelta(hours=3), description="Vi griller.", invite_only=True)
        db.session.add(event)
        db.session.commit()
        return "/invite/" + guests.invite_token(app.config["SECRET_KEY"], event)


def _case(name, people, invite_url):
    """(who signs in, url, form data without the field, the field, a good value, its limit)."""
    shift = {"shift-day": _in_a_week(), "shift-start": "09:00", "shift-end": "12:00"}
    return {
        "guest sign-up": (None, invite_url, {"phone": "912 34 567", "consent": "y"}, "name",
                          GUEST_NAME, limits.GUEST_NAME_MAX),
        "guest phone": (None, invite_url, {"name": GUEST_NAME, "consent": "y"}, "phone",
                        "912 34 567", limits.PHONE_MAX),
        "new user": (people.admin, "/admin/users/new",
                     {"role": "specialist", "region": "0", "email": "ny.ansatt@test.no",
                      "password": "langt-nok-passord"}, "name", NEW_USER, limits.NAME_MAX),
        "new user's e-mail": (people.admin, "/admin/users/new",
                              {"name": NEW_USER, "role": "specialist", "region": "0",
                               "password": "langt-nok-passord"}, "email", "ny.ansatt@test.no",
                              limits.EMAIL_MAX),
        "shift note": (people.specialist, f"/staff/workers/{people.worker.id}/shifts", shift,
                       "shift-note", "Ta med nøkkel-kort.", limits.NOTE_MAX),
        "checklist title": (people.specialist, "/staff/checklists", {}, "title", "Fylle kaffe-maskinen",
                            limits.TITLE_MAX),
        "event title": (people.organizer, "/organize/events/new",
                        {"description": "Vi går en tur.", "pictogram": "1F332", "day": _in_a_week(),
                         "start": "11:00", "end": "14:00", "place": "Fløyen", "region": "0"},
                        "title", "Tur i skogen", limits.EVENT_TITLE_MAX),
        "event description": (people.organizer, "/organize/events/new",
                              {"title": "Tur i skogen", "pictogram": "1F332", "day": _in_a_week(),
                               "start": "11:00", "end": "14:00", "place": "Fløyen", "region": "0"},
                              "description", "Vi går en tur.\nTa med mat.", limits.EVENT_TEXT_MAX),
        "API token name": (people.specialist, "/api-tokens", {"scopes": "shifts:read"}, "name",
                           "Vakt-systemet", limits.TOKEN_NAME_MAX),
        "sign-in e-mail": (None, "/login", {"password": "feil-passord"}, "email", "kari@test.no",
                           limits.EMAIL_MAX),
    }[name]


CASES = ["guest sign-up", "guest phone", "new user", "new user's e-mail", "shift note", "checklist title",
         "event title", "event description", "API token name", "sign-in e-mail"]


def _post(app, sign_in, who, url, data):
    client = app.test_client()
    if who is not None:
        sign_in(client, who)
    return client.post(url, data=data)


@pytest.mark.parametrize("case", CASES)
def test_a_nul_byte_is_a_400_with_the_form_and_the_text_kept(app, people, sign_in, invite_url, case):
    who, url, data, field, good, _limit = _case(case, people, invite_url)
    typed = good[:3] + "\x00" + good[3:]
    response = _post(app, sign_in, who, url, {**data, field: typed})
    assert response.status_code == 400
    page = html.unescape(response.text)
    assert REFUSED in page
    assert good in page and "\x00" not in page  # what was typed, minus the NUL
    assert f'name="{field}"' in response.text  # the form is there to send again


@pytest.mark.parametrize("case", ["guest sign-up", "new user", "shift note", "checklist title"])
def test_other_control_characters_are_refused_too(app, people, sign_in, invite_url, case):
    who, url, data, field, good, _limit = _case(case, people, invite_url)
    response = _post(app, sign_in, who, url, {**data, field: good + "\x1b[2J\x7f"})
    assert response.status_code == 400 and REFUSED in html.unescape(response.text)


def test_a_multi_line_field_keeps_its_new_lines(app, people, sign_in, invite_url):
    who, url, data, field, good, _limit = _case("event description", people, invite_url)
    response = _post(app, sign_in, who, url, {**data, field: "Vi går en tur.\r\n\tTa med mat."})
    assert response.status_code == 302


@pytest.mark.parametrize("case", CASES)
def test_an_over_long_value_is_a_400_naming_the_problem(app, people, sign_in, invite_url, case):
    who, url, data, field, good, limit = _case(case, people, invite_url)
    response = _post(app, sign_in, who, url, {**data, field: "a" * (limit + 1)})
    assert response.status_code == 400
    assert 'class="field__error"' in response.text and f'name="{field}"' in response.text


def test_a_nul_byte_in_the_help_reason_or_a_step_is_a_400(app, people, sign_in):
    worker = app.test_client()
    sign_in(worker, people.worker)
    assert worker.post("/help/ask", data={"reason": "sick\x00"}).status_code == 400
    specialist = app.test_client()
    sign_in(specialist, people.specialist)
    made = specialist.post("/staff/checklists", data={"title": "Fylle kaffe-maskinen"})
    assert made.status_code == 302
    steps = made.headers["Location"] + "/steps"
    step = specialist.post(steps, data={"text": "Fyll vann.\x00", "hint": "", "pictogram": "1F4CB"})
    assert step.status_code == 400 and REFUSED in html.unescape(step.text) and "Fyll vann." in step.text
    hint = specialist.post(steps, data={"text": "Fyll vann.", "hint": "x" * 301, "pictogram": "1F4CB"})
    assert hint.status_code == 400 and 'id="hint-error"' in hint.text
    picture = specialist.post(steps, data={"text": "Fyll vann.", "pictogram": "1F4CB\x00" + "9" * 50})
    assert picture.status_code == 400
    settings = specialist.post(made.headers["Location"] + "/settings", data={"title": "Ny\x00 tittel"})
    assert settings.status_code == 400 and 'value="Ny tittel"' in settings.text


@pytest.mark.fresh_database  # each request's own connection, so the SQL logging is switched on
def test_the_logs_of_bad_input_hold_no_name_phone_or_hash(app, people, sign_in, invite_url):
    """The issue's log test: every bad-input request above, with every log record captured
    (SQL statements included), and none holds the submitted name, phone number or a hash."""
    records: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: records.append(handler.format(record))
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    loggers = [logging.getLogger(), app.logger, logging.getLogger("sqlalchemy.engine")]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.disabled = False
    logging.getLogger().setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # every statement logged
    try:
        statuses = []
        for case in CASES:
            who, url, data, field, good, limit = _case(case, people, invite_url)
            for value in (good[:3] + "\x00" + good[3:], "a" * (limit + 1) + "\x00"):
                statuses.append(_post(app, sign_in, who, url, {**data, field: value}).status_code)
        # A good sign-up and a new user, so the log had the values to leak.
        statuses.append(_post(app, sign_in, None, invite_url,
                              {"name": GUEST_NAME, "phone": GUEST_PHONE, "consent": "y"}).status_code)
        statuses.append(_post(app, sign_in, people.admin, "/admin/users/new",
                              {"name": NEW_USER, "role": "specialist", "region": "0",
                               "email": "logg.test@test.no", "password": "langt-nok-passord"}).status_code)
    finally:
        for logger, level, disabled in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.disabled = disabled
    assert statuses.count(400) == 2 * len(CASES) and 500 not in statuses
    with app.app_context():
        stored = db.session.query(User).filter_by(email="logg.test@test.no").one().password_hash
    assert stored.startswith("$argon2")
    assert any("INSERT INTO" in line for line in records)  # the statements were logged
    log = "\n".join(records)
    for secret in (GUEST_NAME, GUEST_PHONE, "912 34 567", NEW_USER, stored, "$argon2", "langt-nok-passord"):
        assert secret not in log


# The API: a NUL byte anywhere in JSON strings is a 422 problem ------------------------------------


@pytest.fixture
def api(app, people):
    with app.app_context():
        _token, token = api_tokens.create(db.session, db.session.get(User, people.specialist.id), "Test",
                                          [scope.value for scope in Scope])

    def call(method, url, body):
        response = app.test_client().open(url, method=method, json=body,
                                          headers={"Authorization": f"Bearer {token}"})
        return response
    return call


def test_a_nul_byte_in_api_json_is_a_422_problem(app, people, api):
    worker = people.worker.id
    start = f"{_in_a_week()}T09:00:00+01:00"
    end = f"{_in_a_week()}T12:00:00+01:00"
    bodies = [
        ("POST", f"/api/v1/workers/{worker}/shifts", {"starts_at": start, "ends_at": end, "note": "Ta\x00 med"}),
        ("POST", "/api/v1/shifts/bulk", {"source": "vakt\x00", "shifts": []}),
        ("POST", "/api/v1/shifts/bulk", {"source": "vakt", "shifts": [
            {"external_id": "a\x00", "worker_id": worker, "starts_at": start, "ends_at": end}]}),
        ("POST", "/api/v1/checklists", {"title": "Kaffe\x00", "steps": [{"text": "Fyll vann."}]}),
        ("POST", "/api/v1/checklists", {"title": "Kaffe", "steps": [{"text": "Fyll\x00 vann."}]}),
        ("GET", "/api/v1/workers?cursor=a%00b", None),
    ]
    for method, url, body in bodies:
        response = api(method, url, body)
        assert response.status_code in (400, 422), (url, body, response.status_code)
        assert response.mimetype == "application/problem+json"


def test_a_nul_byte_in_a_push_subscription_is_a_400(app, people, sign_in):
    client = app.test_client()
    sign_in(client, people.worker)
    body = {"endpoint": "https://push.example/abc\x00", "keys": {"p256dh": "BNc", "auth": "tBH"}}
    assert client.post("/push/subscribe", json=body).status_code == 400
    body = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "BNc\x00", "auth": "tBH"}}
    assert client.post("/push/subscribe", json=body).status_code == 400
