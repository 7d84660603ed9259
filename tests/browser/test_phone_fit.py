"""Every worker page fits a 360×740 phone at every text size, measured with bounding boxes:
the frame above <main> is small, the bottom navigation's labels never collide or leave the
screen, the page's main action is on the first screen (at normal text) and can always be
scrolled clear of the navigation. axe and the other checks of check_page on each."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_worker
from worker_app.extensions import db
from worker_app.models import Event, User, Workplace
from worker_app.services import help as help_service
from worker_app.services import schedule, tasks

pytestmark = pytest.mark.browser

TEXT_SIZES = ("normal", "large", "larger")  # the `text-...` class on <html>, set in Innstillinger
SHOTS = Path("test-artifacts/phone-fit")


@pytest.fixture
def world(app, people):
    """A worker with a shift later today at a workplace with a leader's number, a checklist for
    today, an event to join and a help request already sent."""
    now = datetime.now(UTC)
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        owner = db.session.get(User, people.specialist.id)
        place = Workplace(name="Hotell Bergen", pictogram="1F3E8", contact_name="Lise Leder",
                          contact_phone="+4755512345")
        db.session.add(place)
        db.session.flush()
        worker.workplace_id, worker.travel_minutes, worker.ready_minutes = place.id, 30, 15
        schedule.add_shift_at(db.session, worker=worker, by=owner, starts_at=now + timedelta(hours=2),
                              ends_at=now + timedelta(hours=5), workplace_id=place.id)
        checklist = tasks.create_checklist(db.session, owner, "Re opp sengen", "1F6CF")
        for text, picto in (("Ta av det gamle sengetøyet.", "1F6CF"),
                            ("Legg på et rent laken. Dra det stramt.", "1F9FA")):
            tasks.add_step(db.session, checklist, text=text, pictogram=picto)
        (assignment,) = tasks.push(db.session, checklist, by=owner, on_date=schedule.oslo(now).date(),
                                   workers=[worker])
        event = Event(title="Bowling", place="Bowling-hallen", starts_at=now + timedelta(days=3),
                      ends_at=now + timedelta(days=3, hours=2))
        db.session.add(event)
        sent = help_service.ask(db.session, worker, "late")
        db.session.commit()
        lesson = next(iter(app.extensions["lessons"]))

        class World:
            assignment_id, event_id, help_id, slug = assignment.id, event.id, sent.id, lesson
        yield World


def worker_pages(w):
    """(address, label, the main action's selector) for every worker page."""
    return [
        ("/", "I dag", "[data-main-action]"),  # the reminder card while it asks, else the shift
        ("/shifts", "Vakter", ".day-card--today"),
        ("/tasks", "Oppgaver", ".lesson-card"),
        (f"/tasks/{w.assignment_id}/step/1", "steg", "button:has-text('Ferdig')"),
        (f"/tasks/{w.assignment_id}/step/1", "steg: hjelp", "button:has-text('Jeg trenger hjelp')"),
        ("/learn", "Lære", ".lesson-card"),
        (f"/learn/{w.slug}/1", "leksjon", "a:has-text('Neste')"),
        (f"/learn/{w.slug}/quiz/1", "spørsmål", ".tiles .tile"),
        ("/events", "Aktiviteter", ".event-card"),
        (f"/events/{w.event_id}", "aktivitet", "button:has-text('Jeg vil være med')"),
        ("/help", "Hjelp", "a:has-text('Jeg trenger hjelp')"),
        ("/help/ask", "Hva er galt", ".tiles .tile"),
        (f"/help/sent/{w.help_id}", "sendt", ".thumb-zone .button"),
        ("/settings", "Innstillinger", "fieldset"),
        ("/sharing", "Hvem ser hva", ".main h2, .main .lead"),
    ]


MEASURE = """() => {
  const box = el => el.getBoundingClientRect();
  const main = document.getElementById('main');
  const nav = document.querySelector('.bottom-nav');
  const labels = [...nav.querySelectorAll('a')].map(a => {
    const r = box(a), s = a.querySelector('span'), t = box(s);
    return {text: s.innerText, a: [r.left, r.top, r.right, r.bottom],
            clipped: s.scrollWidth > s.clientWidth + 1 || t.left < r.left - 1 || t.right > r.right + 1};
  });
  return {
    above: box(main).top + window.scrollY,
    navTop: box(nav).top,
    labels,
    width: window.innerWidth, height: window.innerHeight,
  };
}"""


def set_text_size(app, user_id, size):
    with app.app_context():
        db.session.get(User, user_id).text_size = size
        db.session.commit()


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def visit(page, live_server, app, people, world, size):
    """Each worker page at this text size, with its measurements: a screenshot of each is kept
    in test-artifacts/phone-fit/ to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_worker(page, live_server, app, people.worker)
    set_text_size(app, people.worker.id, size)
    for address, label, selector in worker_pages(world):
        page.goto(live_server + address)
        expect(page.locator("html")).to_have_class(f"text-{size}")
        page.screenshot(path=str(SHOTS / f"{label.replace(' ', '_').replace(':', '')}-{size}.png"))
        yield label, selector, page.evaluate(MEASURE)


@pytest.mark.parametrize("size", TEXT_SIZES)
def test_the_frame_and_the_navigation_fit_at_every_text_size(page, live_server, app, people, world,
                                                             size):
    problems = []
    for label, _selector, m in visit(page, live_server, app, people, world, size):
        limit = 200 if size == "normal" else 0.35 * m["height"]
        if m["above"] > limit:
            problems.append(f"{label}: {m['above']:.0f}px above <main> (at most {limit:.0f})")
        for i, one in enumerate(m["labels"]):
            a = one["a"]
            if a[0] < 0 or a[2] > m["width"] or a[3] > m["height"] + 1 or one["clipped"]:
                problems.append(f"{label}: nav label {one['text']!r} leaves its button or the screen")
            for other in m["labels"][i + 1:]:
                if overlap(a, other["a"]):
                    problems.append(f"{label}: nav labels {one['text']!r} and {other['text']!r} overlap")
        assert [one["text"] for one in m["labels"]] == ["I dag", "Vakter", "Oppgaver", "Lære",
                                                        "Aktiviteter"]
        check_page(page, f"{label} at {size}")  # axe, targets, no sideways scroll at 320 px
    assert not problems, "\n".join(problems)


def action_in_reach(page, selector) -> list[str]:
    """The main action is on the first screen, above the navigation; and, scrolled to, it stops
    clear of the navigation (scroll-padding) wherever it is."""
    problems = []
    action = page.locator(selector).first
    if not action.count():
        return [f"no main action {selector}"]
    box = action.bounding_box()
    nav_top = page.locator(".bottom-nav").bounding_box()["y"]
    if box["y"] + box["height"] > nav_top:
        problems.append(f"{selector} ends at y={box['y'] + box['height']:.0f}, "
                        f"below the navigation at {nav_top:.0f}")
    action.evaluate("el => el.scrollIntoView({block: 'end'})")
    bottom = action.evaluate("el => el.getBoundingClientRect().bottom")
    if bottom > nav_top + 1:
        problems.append(f"{selector} scrolled to ends at {bottom:.0f}, under the navigation")
    page.evaluate("window.scrollTo(0, 0)")
    return problems


@pytest.mark.parametrize("size", TEXT_SIZES)
def test_the_main_action_is_in_reach(page, live_server, app, people, world, size):
    problems = []
    for label, selector, _m in visit(page, live_server, app, people, world, size):
        found = action_in_reach(page, selector)
        if size != "normal":  # larger letters may push it down; it must still scroll clear
            found = [p for p in found if "scrolled to" in p]
        problems += [f"{label}: {p}" for p in found]
    # After a wrong answer the answers are still on the first screen.
    page.goto(f"{live_server}/learn/{world.slug}/quiz/1")
    wrong = next(i for i, q in enumerate(app.extensions["lessons"][world.slug].text("nb").quiz[0].answers)
                 if not q.right)
    page.locator(".tiles .tile").nth(wrong).click()
    expect(page.get_by_text("Ikke helt.")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"spørsmål-feil-{size}.png"))
    found = action_in_reach(page, ".tiles .tile")
    if size != "normal":
        found = [p for p in found if "scrolled to" in p]
    problems += [f"wrong answer: {p}" for p in found]
    assert not problems, "\n".join(problems)
