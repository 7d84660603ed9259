"""flask commands: seed-demo, create-user, translate, lessons, events, backup, restore."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from functools import wraps
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .config import ROOT
from .extensions import db
from .models import Event, Follows, Permission, Region, Role, Scope, Shift, SupportLink, User, Workplace
from .models.types import utcnow
from .services import api_tokens, people, schedule
from .services import auth as auth_service

TRANSLATIONS = ROOT / "translations"


def one_transaction(command):
    """A command is one transaction, as a request is: the services it calls only flush, and it
    commits once at its end. A command that fails keeps nothing."""

    @wraps(command)
    def run(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return result

    return run


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(translate)
    app.cli.add_command(lessons)
    app.cli.add_command(events_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(reminders_group)
    from .retention import retention_group

    app.cli.add_command(retention_group)


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
    from .models import Assignment, Checklist
    from .services import tasks

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
    from .services import events

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
    events.guest_join(session, cafe.id, name="Mari Gjest", phone="912 34 567", consent=True)


def _demo_lessons(session, worker: User, specialist: User) -> None:
    """Some lessons done, one started, one recommended."""
    from .services import learn

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


@click.command("create-user")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@click.argument("name")
@click.option("--email", default="")
@click.option("--password", default="", help="Staff only; asked for when left out.")
@with_appcontext
@one_transaction
def create_user(role: str, name: str, email: str, password: str) -> None:
    """Create a user, e.g. the first admin of a new installation."""
    if Role(role) in (Role.SPECIALIST, Role.ORGANIZER, Role.ADMIN) and not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = people.save_user(db.session, actor=None, user=None, name=name, role=role,
                            email=email, password=password)
    click.echo(f"created {user.role} {user.name} (id {user.id})")


@click.group()
def translate() -> None:
    """Extract, update and compile translations (wraps pybabel)."""


def _pybabel(*args: str) -> None:
    # pybabel sits beside the interpreter in the virtual environment.
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "-q", *args], check=True, cwd=ROOT)


@translate.command()
def extract() -> None:
    """Collect every marked string into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "-o", str(TRANSLATIONS / "messages.pot"), ".")


@translate.command()
def update() -> None:
    """Extract, then merge new strings into every language's .po file."""
    extract.callback()
    _pybabel("update", "-i", str(TRANSLATIONS / "messages.pot"), "-d", str(TRANSLATIONS),
             "--no-fuzzy-matching", "--ignore-obsolete")


@translate.command()
def compile() -> None:  # noqa: A001 - the pybabel verb
    """Build the .mo files the app reads (not committed)."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


def po_files() -> list[Path]:
    return sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


@click.group()
def lessons() -> None:
    """Check the lesson files and make their audio."""


@lessons.command("check")
@click.argument("slugs", nargs=-1)
def lessons_check(slugs: tuple[str, ...]) -> None:
    """Load every lesson (or only SLUGS) as start-up does, and print each one's LIX."""
    from .content import LESSONS_DIR, LOCALES, LessonError, all_words, load_lessons, load_one
    from .services.readability import lix

    try:
        if slugs:
            loaded = {slug: load_one(LESSONS_DIR / slug, _pictogram_exists) for slug in slugs}
        else:
            loaded = load_lessons(pictogram_exists=_pictogram_exists)
    except LessonError as problem:
        raise click.ClickException(str(problem)) from None
    for lesson in loaded.values():
        scores = "  ".join(f"{loc} {lix(all_words(lesson.texts[loc])):4.1f}" for loc in LOCALES)
        click.echo(f"{lesson.order:2d} {lesson.slug:32s} {scores}")
    click.echo(f"{len(loaded)} lessons")


def _pictogram_exists(code: str) -> bool:
    return (ROOT / "node_modules" / "openmoji" / "color" / "svg" / f"{code}.svg").is_file()


# espeak-ng has a Bokmål voice but no Nynorsk one: nn text is read with the nb voice.
AUDIO_VOICES = {"nb": "nb", "nn": "nb", "en": "en"}


@lessons.command("audio")
def lessons_audio() -> None:
    """Make a read-aloud MP3 for every lesson screen with espeak-ng and lame (kept by content
    hash). MP3 at 32 kbit/s is about a tenth of espeak's WAV: it matters on a slow phone."""
    import shutil
    import tempfile

    from .content import LOCALES, load_lessons

    espeak, lame = shutil.which("espeak-ng"), shutil.which("lame")
    if espeak is None or lame is None:
        click.echo("espeak-ng or lame is not installed: lessons use the browser's speech only.")
        return
    folder = Path(current_app.config["LESSON_AUDIO_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    made = kept = 0
    with tempfile.TemporaryDirectory() as scratch:
        wav = str(Path(scratch) / "screen.wav")
        for lesson in load_lessons(Path(current_app.config["LESSONS_DIR"])).values():
            for locale in LOCALES:
                for screen in lesson.texts[locale].screens:
                    target = folder / f"{screen.audio_key}.mp3"
                    if target.exists():
                        kept += 1
                        continue
                    subprocess.run([espeak, "-v", AUDIO_VOICES[locale], "-s", "140", "-w", wav,
                                    screen.text], check=True, capture_output=True)
                    subprocess.run([lame, "--quiet", "-m", "m", "-b", "32", wav, str(target)],
                                   check=True, capture_output=True)
                    made += 1
    click.echo(f"lesson audio: {made} made, {kept} already there")


@click.group("events")
def events_group() -> None:
    """Jobs for events."""


@events_group.command("purge-guests")
@with_appcontext
@one_transaction
def purge_guests() -> None:
    """Delete guests' names and phone numbers once their event is over (run daily)."""
    from .services import events

    click.echo(f"guests deleted: {events.purge_guests(db.session, utcnow())}")


@click.command("backup")
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="Then remove all but the newest KEEP backups in OUT_DIR.")
@with_appcontext
def backup_command(out_dir: str, keep: int | None) -> None:
    """Back up the database and the photos into a new folder in OUT_DIR (safe while the app runs)."""
    from . import backup

    try:
        made = backup.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], current_app.config["PHOTO_DIR"],
                             out_dir, keep=keep)
    except backup.BackupError as problem:
        raise click.ClickException(str(problem)) from None
    tables = made.manifest["tables"]
    click.echo(f"backup: {made.path} ({len(tables)} tables, {sum(t['rows'] for t in tables.values())} rows, "
               f"{made.manifest['photos']['count']} photos)")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@with_appcontext
def restore_command(folder: str) -> None:
    """Restore a backup FOLDER into the (empty) database of DATABASE_URL and into PHOTO_DIR, then
    check every table against the backup's manifest."""
    from . import backup

    try:
        manifest = backup.restore(folder, current_app.config["SQLALCHEMY_DATABASE_URI"],
                                  current_app.config["PHOTO_DIR"])
    except backup.BackupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"restored {len(manifest['tables'])} tables and {manifest['photos']['count']} photos from "
               f"{manifest['created_at']}; every table matches the backup")
@click.group("reminders")
def reminders_group() -> None:
    """Reminders: Web Push keys, and sending what is due."""


@reminders_group.command("keys")
@with_appcontext
def reminders_keys() -> None:
    """Make a VAPID key pair in instance/vapid.json for a local run (kept when it exists)."""
    import json

    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid, b64urlencode

    path = Path(current_app.instance_path) / "vapid.json"
    if path.is_file():
        click.echo(f"Web Push keys: {path.name} (kept)")
        return
    vapid = Vapid()
    vapid.generate_keys()
    private = b64urlencode(vapid.private_key.private_numbers().private_value.to_bytes(32, "big"))
    public = b64urlencode(vapid.public_key.public_bytes(serialization.Encoding.X962,
                                                        serialization.PublicFormat.UncompressedPoint))
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"private": private, "public": public}))
    path.chmod(0o600)
    click.echo(f"Web Push keys: {path.name} (new)")


@reminders_group.command("send")
@click.option("--batch", default=100, show_default=True, help="Reminders claimed at a time.")
@click.option("--max-batches", default=20, show_default=True, help="Stop after this many batches.")
@with_appcontext
def reminders_send(batch: int, max_batches: int) -> None:
    """Record the moments that have come and send what is due. Run it every minute (cron or a
    systemd timer) on any number of machines: each reminder is sent at most once."""
    from .services import reminders

    now = utcnow()
    reminders.plan(db.session, now)
    db.session.commit()
    counts: dict[str, int] = {}
    for _ in range(max_batches):
        # The claim is committed before anything is sent: another sender never takes these rows.
        token = reminders.claim(db.session, now, batch)
        db.session.commit()
        done = reminders.deliver(db.session, token, now)
        db.session.commit()
        if not done:
            break
        for key, value in done.items():
            counts[key] = counts.get(key, 0) + value
    if counts:
        click.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))
