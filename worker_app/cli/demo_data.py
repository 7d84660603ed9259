"""flask seed-demo: invented people, places, shifts, lessons, events and checklists for a local
demo, and one sign-in line per demo user."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..models import Event, Follows, Permission, Region, Role, Scope, Shift, SupportLink, User, Workplace
from ..models.types import utcnow
from ..services import api_tokens, schedule
from ..services import auth as auth_service
from .transaction import one_transaction

# Invented people only. Staff passwords are for the local demo and printed on purpose.
DEMO_PASSWORD = "demo-passord-123"
REGIONS = ["Vestland", "Oslo"]
WORKPLACES = [
    # name, region, OpenMoji code, contact person, phone
    ("Fjordhotellet, frokost-salen", "Vestland", "1F3E8", "Hilde Berg", "+47 55 00 11 22"),
    ("Kiwi Nygårdsgaten", "Vestland", "1F6D2", "Arne Haugen", "+47 55 00 33 44"),
    ("Solsikken barnehage", "Oslo", "1F9F8", "Mona Lie", "+47 22 00 55 66"),
]
STAFF = [
    ("admin", "Ingrid Admin", "admin@arbeidsdagen.test", "Oslo"),
    ("specialist", "Kari Nordmann", "kari@arbeidsdagen.test", "Vestland"),
    ("specialist", "Per Hansen", "per@arbeidsdagen.test", "Oslo"),
    ("organizer", "Siri Frivillig", "siri@arbeidsdagen.test", "Vestland"),
]
WORKERS = [
    # name, region, workplace, specialist e-mail
    ("Ola Johansen", "Vestland", 0, "kari@arbeidsdagen.test"),
    ("Emma Larsen", "Vestland", 1, "kari@arbeidsdagen.test"),
    ("Jonas Berg", "Oslo", 2, "per@arbeidsdagen.test"),
    ("Sara Ahmed", "Oslo", 2, "per@arbeidsdagen.test"),
]
SUPPORT = [
    # name, worker, relation, permissions
    ("Anne Johansen", "Ola Johansen", "mor", [Permission.SEE_SHIFTS, Permission.SEE_TASKS]),
    ("Tor Vik", "Jonas Berg", "miljø-arbeider", [Permission.SEE_SHIFTS]),
]


@click.command("seed-demo")
@click.option("--base-url", default=None, help="Address the app is served on, for the links.")
@with_appcontext
@one_transaction
def seed_demo(base_url: str | None) -> None:
    """Make the demo data (idempotent) and print one sign-in line per demo user."""
    session = db.session
    by_name = {r.name: r for r in session.scalars(select(Region))}
    for name in REGIONS:
        if name not in by_name:
            by_name[name] = Region(name=name)
            session.add(by_name[name])
    session.flush()

    places = []
    for name, region, picto, contact, phone in WORKPLACES:
        place = session.scalar(select(Workplace).where(Workplace.name == name))
        if place is None:
            place = Workplace(name=name, region_id=by_name[region].id, pictogram=picto,
                              contact_name=contact, contact_phone=phone)
            session.add(place)
        places.append(place)
    session.flush()

    users: dict[str, User] = {}

    def ensure_user(name: str, role: Role, **fields) -> User:
        user = session.scalar(select(User).where(User.name == name, User.role == role))
        if user is None:
            user = User(name=name, role=role.value, **fields)
            session.add(user)
            session.flush()
        users[name] = user
        return user

    for role, name, email, region in STAFF:
        ensure_user(name, Role(role), email=email, region_id=by_name[region].id,
                    password_hash=auth_service.hash_password(DEMO_PASSWORD))
    by_email = {u.email: u for u in users.values() if u.email}
    for name, region, place, specialist in WORKERS:
        worker = ensure_user(name, Role.WORKER, region_id=by_name[region].id,
                             workplace_id=places[place].id)
        if session.get(Follows, (by_email[specialist].id, worker.id)) is None:
            session.add(Follows(specialist_id=by_email[specialist].id, worker_id=worker.id))
    for name, worker_name, relation, permissions in SUPPORT:
        supporter = ensure_user(name, Role.SUPPORT)
        worker = users[worker_name]
        link = session.scalar(select(SupportLink).where(
            SupportLink.worker_id == worker.id, SupportLink.supporter_id == supporter.id))
        if link is None:
            link = SupportLink(worker_id=worker.id, supporter_id=supporter.id, relation=relation,
                               confirmed_at=utcnow(), **{p.value: True for p in permissions})
            session.add(link)
    session.flush()
    for name, _region, _place, specialist in WORKERS:
        _demo_shifts(session, users[name], by_email[specialist])
        _demo_lessons(session, users[name], by_email[specialist])
    _demo_events(session, users["Siri Frivillig"], [users[w[0]] for w in WORKERS])
    for name, _region, place, specialist in WORKERS:
        _demo_checklist(session, users[name], by_email[specialist], place)
    _print_sign_in_lines(users, base_url or current_app.config["BASE_URL"])
    _print_api_token(next(u for u in by_email.values() if u.role == Role.SPECIALIST))


DEMO_API_TOKEN = "Demo (seed-demo)"


def _print_api_token(specialist: User) -> None:
    """A token of the demo specialist with every scope, so the API can be tried at once. Its
    secret can't be read back, so each run revokes the last one and makes a new one."""
    for token in api_tokens.of_owner(db.session, specialist):
        if token.name == DEMO_API_TOKEN:
            api_tokens.revoke(db.session, token, specialist)
    _token, secret = api_tokens.create(db.session, specialist, DEMO_API_TOKEN, [s.value for s in Scope])
    click.echo(f"api-token\t{specialist.name}\t{secret}")


DEMO_EVENTS = [
    # title, description, pictogram, days ahead, start, end, place, meeting point, capacity, invite
    ("Tur i skogen", "Vi går en rolig tur. Ta med mat og drikke.", "1F332", 3, "11:00", "14:00",
     "Fløyen", "Vi møtes ved Fløibanen.", None, False),
    ("Grilling i parken", "Vi griller pølser. Alt er gratis.", "1F356", 6, "16:00", "19:00",
     "Nygårdsparken", "Vi møtes ved fontenen.", 2, False),
    ("Spill-kveld", "Vi spiller brett-spill og kort. Du kan lære nye spill.", "1F3B2", 9, "18:00",
     "21:00", "Frivillig-sentralen", "", 12, False),
    ("Jule-verksted", "Vi lager jule-pynt sammen. Det blir kaffe og kake.", "1F384", 20, "17:00",
     "20:00", "Frivillig-sentralen", "", 15, False),
    ("Kafé-treff for nye", "Møt andre som vil ha jobb. Vi drikker kaffe og prater.", "2615", 12,
     "12:00", "14:00", "Kafé Sentrum", "", 10, True),
]


DEMO_CHECKLISTS = [
    # one per demo workplace, in WORKPLACES order: title, pictogram, steps (text, pictogram)
    ("Dekke frokost-bordet", "1F37D", [
        ("Vask hendene.", "1F9FC"), ("Legg en tallerken på hver plass.", "1F37D"),
        ("Legg kniv og gaffel ved hver tallerken.", "1F374"), ("Sett et glass ved hver tallerken.", "1F95B"),
        ("Sett frem melk og juice.", "1F95B"), ("Si fra til kokken at bordet er klart.", "1F5E3")]),
    ("Rydde handle-kurvene", "1F9FA", [
        ("Hent kurvene ved kassene.", "1F9FA"), ("Se om det ligger noe i kurvene.", "1F440"),
        ("Tørk av kurvene med en klut.", "1F9FD"), ("Sett kurvene i stabelen ved døren.", "1F6AA")]),
    ("Fylle kaffe-maskinen", "2615", [
        ("Ta ut vann-tanken.", "1F4A7"), ("Fyll vann opp til streken.", "1F6B0"),
        ("Sett vann-tanken tilbake.", "1F504"), ("Fyll kaffe-bønner i beholderen.", "2615"),
        ("Trykk på start-knappen.", "1F518")]),
]


def _demo_checklist(session, worker: User, specialist: User, place: int) -> None:
    """Each demo worker gets today's checklist from their workplace."""
    from ..models import Assignment, Checklist
    from ..services import tasks

    if session.scalar(select(Assignment.id).where(Assignment.worker_id == worker.id).limit(1)):
        return
    title, picto, steps = DEMO_CHECKLISTS[place]
    checklist = session.scalar(select(Checklist).where(Checklist.title == title,
                                                       Checklist.owner_id == specialist.id))
    if checklist is None:
        checklist = tasks.create_checklist(session, specialist, title, picto)
        for text, step_picto in steps:
            tasks.add_step(session, checklist, text=text, pictogram=step_picto)
    tasks.push(session, checklist, workers=[worker], by=specialist,
               on_date=schedule.oslo(utcnow()).date())


def _demo_events(session, organizer: User, workers: list[User]) -> None:
    """Five coming events; one full with a waiting list, one by invitation with a guest."""
    from ..services import events, guests

    if session.scalar(select(Event.id).limit(1)):
        return
    today = schedule.oslo(utcnow()).date()
    made = []
    for title, text, picto, days, start, end, place, meet, capacity, invite in DEMO_EVENTS:
        made.append(events.save_event(session, events.EventInput(
            title=title, description=text, pictogram=picto,
            day=(today + timedelta(days=days)).isoformat(), start=start, end=end, place=place,
            meeting_point=meet, capacity=str(capacity or ""), invite_only=invite), organizer))
    walk, barbecue, games, _christmas, cafe = made
    for worker in workers[:3]:  # the barbecue has 2 places: the third waits
        events.join(session, barbecue.id, worker, by=worker)
    events.join(session, walk.id, workers[0], by=workers[0])
    events.join(session, games.id, workers[3], by=workers[3])
    guests.guest_join(session, cafe.id, name="Mari Gjest", phone="912 34 567", consent=True)


def _demo_lessons(session, worker: User, specialist: User) -> None:
    """Some lessons done, one started, one recommended."""
    from ..services import learn

    lessons = list(current_app.extensions["lessons"].values())
    if len(lessons) < 4 or learn.progress_of(session, worker):
        return
    first = worker.id % (len(lessons) - 3)
    for lesson in lessons[first:first + 2]:
        learn.done_together(session, specialist, worker, lesson)
    learn.open_screen(session, worker, lessons[first + 2])
    learn.recommend(session, specialist, worker, lessons[first + 3])


def _demo_shifts(session, worker: User, specialist: User) -> None:
    """Four weeks around today: a repeating pattern, one shift today, one moved shift."""
    if session.scalar(select(Shift.id).where(Shift.worker_id == worker.id).limit(1)):
        return
    now = schedule.oslo(utcnow())
    today = now.date()
    # The pattern avoids today's weekday, so that today's own shift never overlaps it.
    weekdays = [d for d in ((worker.id % 5), (worker.id % 5 + 2) % 7) if d != today.weekday()] or [
        (today.weekday() + 1) % 7]
    worker.ready_minutes, worker.travel_minutes = 30, 15 + 5 * (worker.id % 3)
    _rule, shifts = schedule.add_rule(
        session, worker=worker, by=specialist, weekdays=weekdays, start="09:00", end="12:00",
        starts_on=(today - timedelta(days=14)).isoformat(),
        ends_on=(today + timedelta(days=14)).isoformat(), note="Ta med nøkkel-kort.")
    start_hour = min(max(now.hour - 1, 6), 20)
    schedule.add_shift(session, worker=worker, by=specialist, day=today.isoformat(),
                       start=f"{start_hour:02d}:00", end=f"{start_hour + 3:02d}:00")
    coming = [shift for shift in shifts if shift.starts_at > utcnow()]
    if coming:
        moved = schedule.oslo(coming[0].starts_at)
        schedule.move_shift(session, coming[0], by=specialist, day=moved.date().isoformat(),
                            start="10:00", end="13:00")


def _print_sign_in_lines(users: dict[str, User], base_url: str) -> None:
    order = [Role.WORKER, Role.SUPPORT, Role.SPECIALIST, Role.ORGANIZER, Role.ADMIN]
    lifetime = current_app.config["SIGN_IN_LINK_LIFETIME"]
    for role in order:
        for user in sorted((u for u in users.values() if u.role == role), key=lambda u: u.name):
            if role in (Role.WORKER, Role.SUPPORT):
                _link, token = auth_service.make_sign_in_link(db.session, user, None, lifetime)
                click.echo(f"{role.value}\t{user.name}\t{base_url.rstrip('/')}/signin/{token}")
            else:
                click.echo(f"{role.value}\t{user.name}\t{user.email}\t{DEMO_PASSWORD}")
