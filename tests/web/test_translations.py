"""nb is the source; nn and en must be complete, and worker pages must be easy to read."""

import re

import pytest
from babel.messages.pofile import read_po

from tests.conftest import main_text
from worker_app.config import ROOT
from worker_app.services.readability import MAX_SENTENCE_WORDS, lix, sentences, words

PLACEHOLDER = re.compile(r"%\(\w+\)s")


def catalog(locale):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def template_ids():
    with open(ROOT / "translations" / "messages.pot", "rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.parametrize("locale", ["nn", "en"])
def test_every_string_is_translated(locale):
    translated = catalog(locale)
    missing, bad_placeholders = [], []
    by_id = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in translated if m.id}
    for msgid in template_ids():
        message = by_id.get(msgid)
        strings = message.string if message else ""
        strings = list(strings) if isinstance(strings, tuple) else [strings]
        if not message or not all(strings) or message.fuzzy:
            missing.append(msgid)
            continue
        for text in strings:
            if set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(
                    message.id if isinstance(message.id, str) else " ".join(message.id))):
                bad_placeholders.append(msgid)
    assert not missing, f"{locale}: untranslated: {missing}"
    assert not bad_placeholders, f"{locale}: placeholders differ: {bad_placeholders}"


def test_the_catalog_template_is_current(runner, tmp_path):
    """Every marked string in the code is in messages.pot (run `make translate-update`)."""
    before = template_ids()
    pot = ROOT / "translations" / "messages.pot"
    committed = pot.read_bytes()
    try:
        result = runner.invoke(args=["translate", "extract"])
        assert result.exit_code == 0, result.output
        assert template_ids() == before
    finally:
        pot.write_bytes(committed)  # extracting stamps a new date: leave the checkout clean


FIXED_WORDS = {
    "nn": {"Oppgaver": "Oppgåver", "Aktiviteter": "Aktivitetar", "Les høyt": "Les høgt",
           "Jeg trenger hjelp": "Eg treng hjelp", "I dag": "I dag", "Vakter": "Vakter",
           "Lære": "Lære", "Ring trygghets-nummeret": "Ring trygghets-nummeret"},
    "en": {"Oppgaver": "Tasks", "Aktiviteter": "Events", "Les høyt": "Read aloud",
           "Jeg trenger hjelp": "I need help", "I dag": "Today", "Vakter": "Shifts",
           "Lære": "Learn", "Ring trygghets-nummeret": "Call the safety number"},
}


@pytest.mark.parametrize("locale", ["nn", "en"])
def test_interface_words_are_exactly_those_of_easy_read(locale):
    translated = {m.id: m.string for m in catalog(locale) if isinstance(m.id, str)}
    for nb, expected in FIXED_WORDS[locale].items():
        assert translated[nb] == expected


# Words that readers found hard (issue 14): replaced, in nb and nn.
HARD_WORDS = ["leksjon", "haster det", "begynt", "tilrår", "kven ser kva"]

WORKER_PAGES = ["/", "/help", "/help/ask", "/settings", "/sharing", "/shifts", "/shifts/calendar",
                "/learn", "/learn/trygghets-nummeret/1", "/learn/trygghets-nummeret/quiz/1",
                "/learn/certificate", "/events", "/events/{event}", "/tasks",
                "/tasks/{assignment}/step/1",
                "/settings/picture-code", "/signed-out", "/my-data", "/my-data/erase",
                "/how-are-you", "/how-are-you/{checkin}/2", "/how-are-you/{checkin}/3",
                "/how-are-you/{checkin}/done"]


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_worker_pages_are_easy_to_read(app, client, people, sign_in, locale):
    """What a worker reads in <main>: LIX at most 30, no sentence over 15 words.

    Dates in <time> elements are left out of the LIX (see main_text); with them Vakter's
    fourteen day cards score about 31, all of it from the month names."""
    from datetime import UTC, datetime, timedelta

    from worker_app.extensions import db
    from worker_app.models import Event, Shift, User

    with app.app_context():  # a day with a shift going on, a changed one, and leave-home times
        worker = db.session.get(User, people.worker.id)
        worker.ready_minutes, worker.travel_minutes = 30, 20
        now = datetime.now(UTC)
        db.session.add_all([
            Shift(worker_id=worker.id, starts_at=now - timedelta(hours=1),
                  ends_at=now + timedelta(hours=2), note="Ta med nøkkel-kort."),
            Shift(worker_id=worker.id, starts_at=now + timedelta(days=1),
                  ends_at=now + timedelta(days=1, hours=3), changed_at=now)])
        event = Event(title="Tur i skogen", place="Fløyen", meeting_point="Vi møtes ved banen.",
                      description="Vi går en rolig tur. Ta med mat og drikke.", capacity=1,
                      starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=3))
        db.session.add(event)
        db.session.commit()
        event_id = event.id
        from worker_app.services import schedule, tasks

        specialist = db.session.get(User, people.specialist.id)
        checklist = tasks.create_checklist(db.session, specialist, "Fylle kaffe-maskinen", "2615")
        for text, hint in (("Fyll kaffe-maskinen med vann.", "Vannet skal opp til streken."),
                           ("Trykk på start-knappen.", "")):
            tasks.add_step(db.session, checklist, text=text, pictogram="2615", hint=hint)
        (assignment,) = tasks.push(db.session, checklist, workers=[worker], by=specialist,
                                   on_date=schedule.oslo(now).date())
        assignment_id = assignment.id
        from worker_app.models import CheckIn

        checkin = CheckIn(worker_id=worker.id, tasks=2, others=1, help=0, note="Det er travelt.",
                          started_at=now)
        db.session.add(checkin)
        db.session.commit()
        checkin_id = checkin.id
    sign_in(client, people.worker)
    client.post("/settings", data={"locale": locale, "text_size": "normal", "read_aloud": "on",
                                   "checklist_mode": "step"})
    for path in (page.format(event=event_id, assignment=assignment_id, checkin=checkin_id)
                 for page in WORKER_PAGES):
        text = main_text(client.get(path).text, without_dates=True)
        assert lix(text) <= 30, f"{path} ({locale}): LIX {lix(text):.1f}: {text}"
        hard = [w for w in HARD_WORDS if w in text.lower()]
        assert not hard, f"{path} ({locale}): words found hard by readers: {hard}"
        for sentence in sentences(text):
            assert len(words(sentence)) <= MAX_SENTENCE_WORDS, f"{path}: {sentence}"


def test_a_templates_words_are_translated_and_what_is_put_in_them_is_escaped(app):
    """worker_app/i18n.py gives templates their `_()` in one call: it must still do what Jinja's
    newstyle gettext does (translate, escape the values, read "%%" as "%")."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = ('{{ _("Jeg trenger hjelp") }}|{{ _("Hei, %(name)s.", name=name) }}'
            '|{% trans %}Jeg trenger hjelp{% endtrans %}')
    with app.test_request_context(), force_locale("nn"):
        nn = render_template_string(page, name="<b>Ola</b>")
    with app.test_request_context(), force_locale("en"):
        en = render_template_string(page, name="Kari & Ola")
    assert nn == "Eg treng hjelp|Hei, &lt;b&gt;Ola&lt;/b&gt;.|Eg treng hjelp"
    assert en == "I need help|Hello, Kari &amp; Ola.|I need help"
    with app.test_request_context():  # the words' own markup is kept, the value's is not; "%%" is "%"
        marked = render_template_string('{{ _("<b>%(name)s</b> 100%%", name=name) }}', name="<i>")
    assert marked == "<b>&lt;i&gt;</b> 100%"
