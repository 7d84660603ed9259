"""Every route × every role (and nobody signed in). A new route must be added here."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import build_people, follower, linker, user_maker

ROLES = ["anonymous", "worker", "support", "specialist", "organizer", "admin"]
OK = {200}
LOGIN = {302, 401}  # sent to sign in: staff pages redirect (STAFF_AREAS), worker pages explain
# The areas where signing in is e-mail and password: signed out, they send to /login and back.
STAFF_AREAS = ("staff.", "library.", "organize.", "admin.", "api_tokens.", "sign_in_links.", "followup.",
               "security.")
NO = {403}
HOME = {302}

# endpoint -> (method, path with {worker}, {supporter}, {link}, {request}) and expected by role
MATRIX = {
    "today.index": ("GET", "/", {"anonymous": {401}, "worker": OK, "support": HOME,
                                 "specialist": HOME, "organizer": HOME, "admin": HOME}),
    "schedule.index": ("GET", "/shifts", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "tasks.index": ("GET", "/tasks", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "tasks.show": ("GET", "/tasks/{assignment}", {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "tasks.step": ("GET", "/tasks/{assignment}/step/1", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "tasks.change": ("POST", "/tasks/{assignment}/step/1/done",
                     {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "tasks.finished": ("GET", "/tasks/{assignment}/finished",
                       {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "library.index": ("GET", "/staff/checklists",
                      {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "library.edit": ("GET", "/staff/checklists/{checklist}",
                     {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "library.add_step": ("POST", "/staff/checklists/{checklist}/steps",
                         {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "library.change_step": ("POST", "/staff/checklists/{checklist}/steps/1/down",
                            {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "library.print_page": ("GET", "/staff/checklists/{checklist}/print",
                           {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "library.copy": ("POST", "/staff/checklists/{checklist}/copy",
                     {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "library.archive": ("POST", "/staff/checklists/{checklist}/archive",
                        {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "tasks.open_checklist": ("GET", "/tasks/checklist/{checklist}",
                             {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "library.settings": ("POST", "/staff/checklists/{checklist}/settings",
                         {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "library.check_text": ("POST", "/staff/checklists/check",
                           {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "library.withdraw": ("POST", "/staff/checklists/assignments/{assignment}/withdraw",
                         {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "library.push": ("POST", "/staff/checklists/{checklist}/push",
                     {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "learn.index": ("GET", "/learn", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "events.index": ("GET", "/events", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "learn.show": ("GET", "/learn/trygghets-nummeret", {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "learn.screen": ("GET", "/learn/trygghets-nummeret/1", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "learn.quiz": ("GET", "/learn/trygghets-nummeret/quiz/1", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "learn.done": ("GET", "/learn/trygghets-nummeret/done", {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "learn.certificate": ("GET", "/learn/certificate", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "staff.lesson_action": ("POST", "/staff/workers/{worker}/lessons/trygghets-nummeret/recommend",
                            {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "help.index": ("GET", "/help", {"*": OK}),
    "help.ask": ("GET", "/help/ask", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "help.sent": ("GET", "/help/sent/{request}", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "account.settings": ("GET", "/settings", {"anonymous": LOGIN, "*": OK}),
    # No text posted: a bad request for everyone signed in; an unknown file is not found.
    "read_aloud.make": ("POST", "/read-aloud", {"anonymous": LOGIN, "*": {400}}),
    "read_aloud.audio": ("GET", "/read-aloud/" + "0" * 32 + ".mp3", {"anonymous": LOGIN, "*": {404}}),
    "account.picture_code": ("GET", "/settings/picture-code",
                             {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "account.sharing": ("GET", "/sharing", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "account.answer": ("POST", "/sharing/{link}/answer",
                       {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "account.stop": ("GET", "/sharing/{link}/stop/see_shifts",
                     {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "account.sign_out_device": ("POST", "/sharing/devices/999999/sign-out",
                                {"anonymous": LOGIN, "worker": {404}, "*": NO}),
    "mydata.index": ("GET", "/my-data", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "mydata.download": ("GET", "/my-data.json", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "support.index": ("GET", "/support", {"anonymous": LOGIN, "support": OK, "*": NO}),
    "auth.login": ("GET", "/login", {"anonymous": OK, "*": HOME}),
    "auth.signin": ("GET", "/signin/unknown-token", {"*": {404}}),
    "auth.signin_use": ("POST", "/signin/unknown-token", {"*": {404}}),
    "auth.logout": ("POST", "/logout", {"*": HOME}),
    "auth.signed_out": ("GET", "/signed-out", {"*": OK}),
    "auth.logout_everywhere": ("GET", "/logout-everywhere", {"anonymous": LOGIN, "*": OK}),
    "auth.unlock": ("GET", "/unlock", {"anonymous": LOGIN, "*": OK}),
    "staff.index": ("GET", "/staff", {"anonymous": LOGIN, "specialist": OK, "*": NO}),
    "staff.worker": ("GET", "/staff/workers/{worker}",
                     {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "staff.propose_support": ("POST", "/staff/workers/{worker}/support",
                              {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "staff.handle_help": ("POST", "/staff/help/{request}/handled",
                          {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "staff.sign_in_link": ("POST", "/staff/people/{worker}/sign-in-link",
                           {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "sign_in_links.revoke": ("POST", "/staff/sign-in-links/{signin_link}/revoke",
                             {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "staff.sign_out_person": ("POST", "/staff/people/{supporter}/sign-out-everywhere",
                              {"anonymous": LOGIN, "specialist": HOME, "admin": HOME,
                               "support": HOME, "*": NO}),
    "events.show": ("GET", "/events/{event}", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "events.change": ("POST", "/events/{event}/join", {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "events.calendar": ("GET", "/events/{event}.ics", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "organize.index": ("GET", "/organize", {"anonymous": LOGIN, "organizer": OK, "admin": OK, "*": NO}),
    "organize.edit": ("GET", "/organize/events/{event}/edit",
                      {"anonymous": LOGIN, "organizer": OK, "admin": OK, "*": NO}),
    "organize.attendees": ("GET", "/organize/events/{event}",
                           {"anonymous": LOGIN, "organizer": OK, "admin": OK, "*": NO}),
    "organize.attendees_csv": ("GET", "/organize/events/{event}/attendees.csv",
                               {"anonymous": LOGIN, "organizer": OK, "admin": OK, "*": NO}),
    "organize.cancel": ("GET", "/organize/events/{event}/cancel",
                        {"anonymous": LOGIN, "organizer": OK, "admin": OK, "*": NO}),
    "organize.photo": ("GET", "/media/" + "0" * 32 + ".jpg", {"*": {404}}),
    "organize.invite": ("GET", "/invite/{event}-wrong", {"*": {404}}),
    "support.tasks_page": ("GET", "/support/workers/{worker}/tasks",
                           {"anonymous": LOGIN, "support": NO, "*": NO}),
    "support.tick": ("POST", "/support/workers/{worker}/tasks/{assignment}/step/1",
                     {"anonymous": LOGIN, "support": NO, "*": NO}),
    "support.events_page": ("GET", "/support/workers/{worker}/events",
                       {"anonymous": LOGIN, "support": NO, "*": NO}),
    "support.change_event": ("POST", "/support/workers/{worker}/events/{event}/join",
                             {"anonymous": LOGIN, "support": NO, "*": NO}),
    "staff.components": ("GET", "/components", {"*": OK}),
    "healthz": ("GET", "/healthz", {"*": OK}),
    "pwa.manifest": ("GET", "/manifest.webmanifest", {"*": OK}),
    "pwa.service_worker": ("GET", "/sw.js", {"*": OK}),
    "pwa.offline": ("GET", "/offline", {"*": OK}),
    "pwa.help_queued": ("GET", "/offline/help", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "pwa.warm_list": ("GET", "/offline/pages", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "pwa.token": ("GET", "/offline/token", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "today.notices_seen": ("POST", "/notices/seen", {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "schedule.later": ("GET", "/shifts/later/4", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "schedule.calendar": ("GET", "/shifts/calendar", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "schedule.renew_calendar": ("POST", "/shifts/calendar/renew",
                                {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "schedule.feed": ("GET", "/calendar/{worker}-wrong.ics", {"*": {404}}),
    "support.today": ("GET", "/support/workers/{worker}", {"anonymous": LOGIN, "support": OK, "*": NO}),
    "support.shifts": ("GET", "/support/workers/{worker}/shifts",
                       {"anonymous": LOGIN, "support": OK, "*": NO}),
    "staff.add_shift": ("POST", "/staff/workers/{worker}/shifts",
                        {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "staff.add_rule": ("POST", "/staff/workers/{worker}/shift-rules",
                       {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "staff.set_travel": ("POST", "/staff/workers/{worker}/travel",
                         {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "staff.support_levels": ("POST", "/staff/workers/{worker}/support-levels",
                             {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "staff.decide_claim": ("POST", "/staff/claims/999999/yes",
                           {"anonymous": LOGIN, "*": {404}}),
    "staff.renew_calendar": ("POST", "/staff/workers/{worker}/calendar/renew",
                             {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "staff.move_shift": ("GET", "/staff/shifts/{shift}/move",
                         {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "staff.cancel_shift": ("GET", "/staff/shifts/{shift}/cancel",
                           {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "staff.edit_rule": ("GET", "/staff/rules/{rule}/edit",
                        {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    # An empty form: the day is asked for again, nothing ends.
    "staff.end_rule": ("POST", "/staff/rules/{rule}/end",
                       {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "admin.users": ("GET", "/admin/users", {"anonymous": LOGIN, "admin": OK, "*": NO}),
    "admin.edit_user": ("GET", "/admin/users/{worker}", {"anonymous": LOGIN, "admin": OK, "*": NO}),
    "admin.safety": ("GET", "/admin/safety", {"anonymous": LOGIN, "admin": OK, "*": NO}),
    "admin.audit_log": ("GET", "/admin/audit", {"anonymous": LOGIN, "admin": OK, "*": NO}),
    # Only an organizer's page has the switch; the matrix's {worker} is not one: not found.
    "admin.region_organizer": ("POST", "/admin/users/{worker}/region-organizer",
                               {"anonymous": LOGIN, "admin": {404}, "*": NO}),
    # Off-boarding: each asks first on a GET (tests/web/test_offboarding.py posts them).
    "admin.confirm_action": ("GET", "/admin/users/{worker}/deactivate",
                             {"anonymous": LOGIN, "admin": OK, "*": NO}),
    "admin.erase": ("GET", "/admin/users/{worker}/erase", {"anonymous": LOGIN, "admin": OK, "*": NO}),
    "admin.handover": ("GET", "/admin/users/{specialist}/handover",
                       {"anonymous": LOGIN, "admin": OK, "*": NO}),
    "admin.erasures": ("GET", "/admin/erasures", {"anonymous": LOGIN, "admin": OK, "*": NO}),
    "admin.answer": ("GET", "/admin/erasures/999999/answer",
                     {"anonymous": LOGIN, "admin": {404}, "*": NO}),
    "staff.handover": ("GET", "/staff/handover", {"anonymous": LOGIN, "specialist": OK, "*": NO}),
    "mydata.erase": ("GET", "/my-data/erase", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "api_tokens.index": ("GET", "/api-tokens",
                         {"anonymous": LOGIN, "specialist": OK, "organizer": OK, "admin": OK, "*": NO}),
    "api_tokens.revoke": ("POST", "/api-tokens/999999/revoke",
                          {"anonymous": LOGIN, "specialist": {404}, "organizer": {404}, "admin": {404}, "*": NO}),
    "staff.caseload": ("GET", "/staff/caseload", {"anonymous": LOGIN, "specialist": OK, "*": NO}),
    # Early signs: only her specialist; with no sign there, marking it seen is done already.
    "staff.sign_seen": ("POST", "/staff/workers/{worker}/signs/help_more/seen",
                        {"anonymous": LOGIN, "specialist": HOME, "*": NO}),
    "staff.worker_help": ("GET", "/staff/workers/{worker}/help",
                          {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "reminders.subscribe": ("POST", "/push/subscribe", {"anonymous": LOGIN, "*": {400}}),
    "reminders.unsubscribe": ("POST", "/push/unsubscribe", {"anonymous": LOGIN, "*": OK}),
    "reminders.left": ("POST", "/reminders/{shift}/left", {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    "reminders.late": ("POST", "/reminders/{shift}/late", {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    # Only with the signed token a notification carries, for anyone (the phone may be locked).
    "reminders.left_from_notification": ("POST", "/reminders/left", {"*": {404}}),
    "reminders.toggle": ("POST", "/settings/reminders/get_ready",
                         {"anonymous": LOGIN, "worker": HOME, "*": {404}}),
    "staff.set_phone": ("POST", "/staff/workers/{worker}/phone",
                    {"anonymous": LOGIN, "specialist": HOME, "*": NO}),
    "staff.suggest_reminders": ("POST", "/staff/workers/{worker}/reminder-suggestions",
                      {"anonymous": LOGIN, "specialist": HOME, "*": NO}),
    "staff.worker_alerts": ("GET", "/staff/workers/{worker}/alerts",
                            {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "staff.alert_seen": ("POST", "/staff/alerts/999999/seen", {"anonymous": LOGIN, "specialist": {404}, "*": NO}),
    "followup.workplaces_index": ("GET", "/staff/workplaces",
                                  {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "followup.edit_workplace": ("GET", "/staff/workplaces/new",
                                {"anonymous": LOGIN, "specialist": OK, "admin": OK, "*": NO}),
    "followup.new_worker": ("GET", "/staff/workers/new", {"anonymous": LOGIN, "specialist": OK, "*": NO}),
    "followup.set_workplace": ("POST", "/staff/workers/{worker}/workplace",
                               {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "followup.add_meeting": ("POST", "/staff/workers/{worker}/meetings",
                             {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "followup.save_plan": ("POST", "/staff/workers/{worker}/plan",
                           {"anonymous": LOGIN, "specialist": HOME, "admin": HOME, "*": NO}),
    "followup.save_trial": ("POST", "/staff/workers/{worker}/trial",
                            {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "followup.decide_trial": ("POST", "/staff/workers/{worker}/trial/outcome",
                              {"anonymous": LOGIN, "specialist": {400}, "admin": {400}, "*": NO}),
    "myjob.index": ("GET", "/my-job", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    # "Hvordan har du det på jobb?" (issue 16): the worker's own check-in, nobody else's.
    "checkin.index": ("GET", "/how-are-you", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "checkin.question": ("GET", "/how-are-you/{checkin}/2", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "checkin.answer": ("POST", "/how-are-you/answer", {"anonymous": LOGIN, "worker": {400}, "*": NO}),
    "checkin.done": ("GET", "/how-are-you/{checkin}/done", {"anonymous": LOGIN, "worker": OK, "*": NO}),
    "checkin.share": ("POST", "/how-are-you/share", {"anonymous": LOGIN, "worker": HOME, "*": NO}),
    # The matrix's support person has only "se vaktene": the answers need their own permission.
    "support.checkins": ("GET", "/support/workers/{worker}/how-are-you", {"anonymous": LOGIN, "*": NO}),
    # The second factor (worker_app/security): staff only; with no factor yet, the forms that
    # change one find nothing to change.
    "security.index": ("GET", "/account/security", {"anonymous": LOGIN, "worker": NO, "support": NO, "*": OK}),
    "security.passkey_options": ("POST", "/account/security/passkeys/options",
                                 {"anonymous": LOGIN, "worker": NO, "support": NO, "*": OK}),
    "security.add_passkey": ("POST", "/account/security/passkeys",
                             {"anonymous": LOGIN, "worker": NO, "support": NO, "*": {400}}),
    "security.remove_passkey": ("POST", "/account/security/passkeys/999999/remove",
                                {"anonymous": LOGIN, "worker": NO, "support": NO, "*": {404}}),
    "security.start_totp": ("POST", "/account/security/totp/start",
                            {"anonymous": LOGIN, "worker": NO, "support": NO, "*": HOME}),
    "security.totp": ("GET", "/account/security/totp", {"anonymous": LOGIN, "worker": NO, "support": NO, "*": HOME}),
    "security.remove_totp": ("POST", "/account/security/totp/remove",
                             {"anonymous": LOGIN, "worker": NO, "support": NO, "*": {404}}),
    "security.new_codes": ("POST", "/account/security/recovery-codes",
                           {"anonymous": LOGIN, "worker": NO, "support": NO, "*": HOME}),
    # Only a half session (password right, second factor due) has a second step.
    "security.second_step": ("GET", "/login/second-step", {"*": HOME}),
    "security.login_options": ("POST", "/login/second-step/passkey/options", {"*": {401}}),
    "security.login_passkey": ("POST", "/login/second-step/passkey", {"*": {401}}),
    # Only for staff; a worker has no second factor to reset.
    "security.reset": ("POST", "/admin/users/{worker}/second-factor/reset", {"anonymous": LOGIN, "*": NO}),
    "api.openapi": ("GET", "/api/v1/openapi.json", {"*": OK}),
    "api.docs": ("GET", "/api/v1/docs", {"*": OK}),
}

# The API answers only to a bearer token: a signed-in browser session is no way in (so the API
# needs no CSRF protection). Its own permission matrix, per token, is in tests/api/.
API_NEEDS_TOKEN = {"*": {401}}
MATRIX.update({
    "api.list_workers": ("GET", "/api/v1/workers", API_NEEDS_TOKEN),
    "api.show_follow_up": ("GET", "/api/v1/workers/{worker}/follow-up", API_NEEDS_TOKEN),
    "api.list_meetings": ("GET", "/api/v1/workers/{worker}/meetings", API_NEEDS_TOKEN),
    "api.create_meeting": ("POST", "/api/v1/workers/{worker}/meetings", API_NEEDS_TOKEN),
    "api.show_worker": ("GET", "/api/v1/workers/{worker}", API_NEEDS_TOKEN),
    "api.list_shifts": ("GET", "/api/v1/workers/{worker}/shifts", API_NEEDS_TOKEN),
    "api.create_shift": ("POST", "/api/v1/workers/{worker}/shifts", API_NEEDS_TOKEN),
    "api.show_shift": ("GET", "/api/v1/shifts/{shift}", API_NEEDS_TOKEN),
    "api.update_shift": ("PATCH", "/api/v1/shifts/{shift}", API_NEEDS_TOKEN),
    "api.delete_shift": ("DELETE", "/api/v1/shifts/{shift}", API_NEEDS_TOKEN),
    "api.upsert_roster": ("POST", "/api/v1/shifts/bulk", API_NEEDS_TOKEN),
    "api.list_checklists": ("GET", "/api/v1/checklists", API_NEEDS_TOKEN),
    "api.show_checklist": ("GET", "/api/v1/checklists/{checklist}", API_NEEDS_TOKEN),
    "api.create_checklist": ("POST", "/api/v1/checklists", API_NEEDS_TOKEN),
    "api.push_checklist": ("POST", "/api/v1/checklists/{checklist}/assignments", API_NEEDS_TOKEN),
    "api.list_runs": ("GET", "/api/v1/workers/{worker}/runs", API_NEEDS_TOKEN),
    "api.list_events": ("GET", "/api/v1/events", API_NEEDS_TOKEN),
    "api.list_signups": ("GET", "/api/v1/events/{event}/signups", API_NEEDS_TOKEN),
    "api.list_lessons": ("GET", "/api/v1/workers/{worker}/lessons", API_NEEDS_TOKEN),
    "api.list_help": ("GET", "/api/v1/help-requests", API_NEEDS_TOKEN),
    "api.handle_help": ("POST", "/api/v1/help-requests/{request}/handled", API_NEEDS_TOKEN),
})


def expected(endpoint, role):
    rules = MATRIX[endpoint][2]
    return rules.get(role, rules.get("*"))


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(MATRIX), endpoints ^ set(MATRIX)


@pytest.fixture(scope="module")
def people(module_app):
    """The `people` world, made once for the whole matrix (each case's own writes are rolled back)."""
    return build_people(user_maker(module_app), follower(module_app), linker(module_app))


@pytest.fixture(scope="module")
def things(module_app, people):
    """A help request, a shift, an event and a pushed checklist of the worker, made once."""
    from datetime import UTC, date, datetime

    from worker_app.extensions import db
    from worker_app.models import CheckIn, Event, HelpRequest, Shift, ShiftRule
    from worker_app.models import User as Person
    from worker_app.services import schedule, tasks

    with module_app.app_context():
        request = HelpRequest(worker_id=people.worker.id, reason="sad")
        shift = Shift(worker_id=people.worker.id, starts_at=datetime(2030, 1, 4, 8, tzinfo=UTC),
                      ends_at=datetime(2030, 1, 4, 11, tzinfo=UTC))
        event = Event(title="Tur", place="Skogen", starts_at=datetime(2030, 1, 5, 10, tzinfo=UTC),
                      ends_at=datetime(2030, 1, 5, 13, tzinfo=UTC), created_by_id=people.organizer.id)
        rule = ShiftRule(worker_id=people.worker.id, weekdays="4", start_time="09:00", end_time="12:00",
                         starts_on=date(2030, 1, 1), ends_on=date(2030, 6, 30))
        checkin = CheckIn(worker_id=people.worker.id, tasks=2)
        db.session.add_all([request, shift, event, rule, checkin])
        db.session.commit()
        owner = db.session.get(Person, people.specialist.id)
        checklist = tasks.create_checklist(db.session, owner, "Fylle kaffe-maskinen")
        for text in ("Fyll vann.", "Trykk start."):
            tasks.add_step(db.session, checklist, text=text, pictogram="2615")
        (assignment,) = tasks.push(db.session, checklist, workers=[db.session.get(Person, people.worker.id)],
                                   by=owner, on_date=schedule.oslo(datetime.now(UTC)).date())
        from worker_app.services import auth as auth_service

        link, _token = auth_service.make_sign_in_link(db.session, db.session.get(Person, people.worker.id),
                                                      owner, module_app.config["SIGN_IN_LINK_LIFETIME"])
        db.session.commit()
        return {"request": request.id, "shift": shift.id, "event": event.id, "rule": rule.id,
                "checklist": checklist.id, "assignment": assignment.id, "signin_link": link.id,
                "checkin": checkin.id}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_access(app, people, things, sign_in, role, endpoint):
    client = app.test_client()
    as_user = {"worker": people.worker, "support": people.supporter,
               "specialist": people.specialist, "organizer": people.organizer,
               "admin": people.admin}.get(role)
    if as_user:
        sign_in(client, as_user)
    method, path, _rules = MATRIX[endpoint]
    url = path.format(worker=people.worker.id, supporter=people.supporter.id,
                      link=people.link_id, specialist=people.specialist.id, **things)
    response = client.open(url, method=method)
    assert response.status_code in expected(endpoint, role), (
        f"{role} {method} {url}: {response.status_code}")
    assert response.status_code != 500
    if role == "anonymous" and expected(endpoint, role) is LOGIN:
        if endpoint.startswith(STAFF_AREAS):
            assert response.status_code == 302, f"{url}: {response.status_code}"
            target = urlsplit(response.location)
            assert (target.path, parse_qs(target.query)) == ("/login", {"next": [url]})
        else:  # workers and support persons have no password: the page says how to get a link
            assert response.status_code == 401 and "/login" not in (response.location or "")


def test_every_blueprint_says_how_its_people_sign_in(app):
    from worker_app.web import SignIn

    assert {name: getattr(bp, "sign_in", None) in set(SignIn) for name, bp in app.blueprints.items()} == {
        name: True for name in app.blueprints}


# Routes about one worker (or that worker's shift or help request): a person's right to them
# comes from a relation, so the same role without it is refused. The specialist who does not
# follow the worker, and a support person with no link to them.
STRANGERS = {"specialist": "other_specialist", "support": "unlinked_supporter"}
ABOUT_A_WORKER = sorted(endpoint for endpoint, (_method, path, _rules) in MATRIX.items()
                        if any(key in path for key in ("{worker}", "{shift}", "{request}", "{rule}")))


@pytest.mark.parametrize("role", sorted(STRANGERS))
@pytest.mark.parametrize("endpoint", ABOUT_A_WORKER)
def test_access_needs_the_relation(app, people, make_user, sign_in, role, endpoint):
    from datetime import UTC, date, datetime

    from worker_app.extensions import db
    from worker_app.models import HelpRequest, Shift, ShiftRule

    with app.app_context():
        request = HelpRequest(worker_id=people.worker.id, reason="sad")
        shift = Shift(worker_id=people.worker.id, starts_at=datetime(2030, 1, 4, 8, tzinfo=UTC),
                      ends_at=datetime(2030, 1, 4, 11, tzinfo=UTC))
        rule = ShiftRule(worker_id=people.worker.id, weekdays="4", start_time="09:00", end_time="12:00",
                         starts_on=date(2030, 1, 1), ends_on=date(2030, 6, 30))
        db.session.add_all([request, shift, rule])
        db.session.commit()
        request_id, shift_id, rule_id = request.id, shift.id, rule.id
    stranger = people.other_specialist if role == "specialist" else make_user("support", "Tor Vik")
    client = app.test_client()
    sign_in(client, stranger)
    method, path, _rules = MATRIX[endpoint]
    url = path.format(worker=people.worker.id, supporter=people.supporter.id, link=people.link_id,
                      request=request_id, shift=shift_id, event=1, checklist=1, assignment=1, rule=rule_id)
    allowed = expected(endpoint, role)
    # Where the related person gets in (a page, a redirect, a form's answer), the stranger gets a
    # 403; where the related person is refused too, the stranger is refused the same way.
    wanted = NO if allowed & {200, 302, 400} else allowed
    response = client.open(url, method=method)
    assert response.status_code in wanted, f"{STRANGERS[role]} {method} {url}: {response.status_code}"


# An admin who signed in with the password only, no second factor passed, is sent to enrol one
# before any page an admin may open works (worker_app/security). Open to them: enrolling a
# factor, signing in and out, help, and what needs no session at all (the API, the PWA files).
OPEN_WITHOUT_SECOND_FACTOR = {
    "security.index", "security.passkey_options", "security.add_passkey", "security.start_totp",
    "security.totp", "security.new_codes", "security.second_step", "security.login_options",
    "security.login_passkey", "auth.login", "auth.logout", "auth.signed_out",
    "auth.logout_everywhere", "help.index", "staff.components", "healthz",
}
ADMIN_NEEDS_SECOND_FACTOR = sorted(
    endpoint for endpoint in MATRIX
    if expected(endpoint, "admin") != NO and endpoint not in OPEN_WITHOUT_SECOND_FACTOR
    and not endpoint.startswith(("api.", "pwa.")))


@pytest.mark.parametrize("endpoint", ADMIN_NEEDS_SECOND_FACTOR)
def test_an_admin_without_a_second_factor_is_sent_to_enrol(app, people, things, endpoint):
    from tests.conftest import PASSWORD

    client = app.test_client()
    assert client.post("/login", data={"email": people.admin.email, "password": PASSWORD}).status_code == 302
    method, path, _rules = MATRIX[endpoint]
    url = path.format(worker=people.worker.id, supporter=people.supporter.id, link=people.link_id,
                      specialist=people.specialist.id, **things)
    response = client.open(url, method=method)
    assert response.status_code == 302, f"{method} {url}: {response.status_code}"
    assert urlsplit(response.location).path == "/account/security", response.location


# An organizer manages the events they made (and, as a region organizer, their region's). Another
# organizer's event is a 403, in the app and in the API: the programme's events are no secret
# (every staff member lists them, with counts), so a 404 would hide nothing; who comes is refused.
ABOUT_AN_EVENT = sorted(endpoint for endpoint, (_method, path, _rules) in MATRIX.items()
                        if "{event}" in path and endpoint.startswith(("organize.", "api.")))


@pytest.mark.parametrize("endpoint", ABOUT_AN_EVENT)
def test_a_second_organizer_is_refused_another_organizers_event(app, people, things, make_user, sign_in,
                                                                endpoint):
    from worker_app.extensions import db
    from worker_app.models import Scope
    from worker_app.models import User as Person
    from worker_app.services import api_tokens

    def make_token(user):
        with app.app_context():
            _token, secret = api_tokens.create(db.session, db.session.get(Person, user.id), "Test", list(Scope))
            db.session.commit()
            return secret

    second = make_user("organizer", "Lise Frivillig")
    method, path, _rules = MATRIX[endpoint]
    url = path.format(worker=people.worker.id, supporter=people.supporter.id, link=people.link_id, **things)
    client = app.test_client()
    headers = {}
    if endpoint.startswith("api."):
        headers = {"Authorization": f"Bearer {make_token(second)}"}
    else:
        sign_in(client, second)
    response = client.open(url, method=method, headers=headers)
    # The invitation link (a guest's page, no sign-in) is not the organizer's: the same for all.
    wanted = expected(endpoint, "organizer") if endpoint == "organize.invite" else NO
    assert response.status_code in wanted, f"{method} {url}: {response.status_code}"
    if endpoint.startswith("api."):  # the first organizer does get in with a token
        mine = app.test_client().open(url, method=method,
                                      headers={"Authorization": f"Bearer {make_token(people.organizer)}"})
        assert mine.status_code == 200
