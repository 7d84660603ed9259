"""The app's pictograms: one OpenMoji picture per meaning, the same everywhere (EASY-READ rule 9).

The SVG files come from the openmoji npm package, copied to static/vendor/openmoji/ at set-up.
"""

from flask import has_request_context, request, url_for
from markupsafe import Markup

# meaning -> OpenMoji hex code
PICTOGRAMS = {
    "today": "2600",  # sun
    "shifts": "1F4C5",  # calendar
    "tasks": "1F4CB",  # clipboard
    "learn": "1F4D6",  # open book
    "events": "1F389",  # party popper
    "help": "1F64B",  # person raising hand
    "safety": "1F4DE",  # telephone receiver
    "read_aloud": "1F50A",  # speaker
    "settings": "2699",  # gear
    "sharing": "1F440",  # eyes
    "sign_out": "1F6AA",  # door
    "support": "1F91D",  # handshake
    "person": "1F9D1",  # person
    "workers": "1F465",  # people
    "link": "1F517",  # link
    "lock": "1F512",  # lock
    "unlock": "1F513",  # open lock
    "check": "2705",  # check mark
    "stop": "270B",  # raised hand
    "erase": "1F5D1",  # wastebasket: delete everything
    "language": "1F5E3",  # speaking head
    "text_size": "1F50D",  # magnifying glass
    "log": "1F4DC",  # scroll
    "users": "1F465",
    "coming": "1F6A7",  # construction
    "message": "2709",  # envelope
    "back": "2B05",  # left arrow
    "call_leader": "1F4F1",  # mobile phone: not the safety call's receiver
    "undo": "21A9",  # arrow curving back: Angre is not Tilbake
    "question": "2753",
    "changed": "270F",  # pencil: something was changed (a bell would say "ring")
    "get_ready": "1F455",  # t-shirt
    "leave_home": "1F3E1",  # house with garden: leave home (the walker was too thin to see)
    "note": "1F4DD",  # memo
    "free": "1F6CB",  # couch
    "calendar_add": "1F4C6",  # tear-off calendar
    "workplace": "1F3E2",  # office building
    "next": "27A1",  # right arrow
    "started": "25B6",  # play button: begun
    "new": "2728",  # sparkles
    "star": "2B50",
    "think": "1F914",  # thinking face
    "certificate": "1F4DC",  # scroll
    "offline": "1F4F4",  # mobile phone off
    # what a worker can share
    "see_shifts": "1F4C5",
    "see_tasks": "1F4CB",
    "tick_tasks": "2705",
    "sign_up_events": "1F389",  # party popper
    "notify_not_left": "1F6B6",  # person walking, as "Gå hjemme-fra"
    # reminders
    "not_left": "1F6B6",
    "shift_changed": "1F514",
    "new_task": "1F4CB",
    "event_tomorrow": "1F389",
    "event_place": "2705",
    "calendar_alarms": "23F0",  # alarm clock
    "phone_call": "1F4DE",
    "place": "1F4CD",  # round pushpin
    "meeting_point": "1F6A9",  # triangular flag
    "going": "2705",
    "waiting": "23F3",  # hourglass
    "cancelled": "274C",  # cross mark
    # help reasons
    "sad": "1F622",
    "unsafe": "1F628",
    "task": "1F615",
    "late": "23F0",
    "sick": "1F912",
    "key": "1F511",  # API tokens
    "phone": "1F4F1",  # mobile phone
    "computer": "1F4BB",  # laptop
    # the job specialist's year: meetings, the trial period, the colleague mentor (fadder)
    "meeting": "1F4AC",  # speech balloon
    "trial": "1F331",  # seedling: a new job growing
    "mentor": "1F9D1-200D-1F3EB",  # teacher
    # "Hvordan har du det på jobb?": the check-in, and its three answers (no red, no numbers)
    "check_in": "1F4AD",  # thought balloon
    "see_wellbeing": "1F4AD",
    "answer_yes": "1F642",  # slightly smiling face
    "answer_sometimes": "1F610",  # neutral face
    "answer_no": "1F641",  # slightly frowning face
    "call_me": "1F4F1",  # mobile phone, as "Ring lederen": not the safety call's receiver
}

# The nine pictures of the picture code, chosen to be easy to tell apart.
PICTURE_CODE_CHOICES = {
    "dog": "1F436",
    "cat": "1F431",
    "apple": "1F34E",
    "car": "1F697",
    "star": "2B50",
    "flower": "1F33B",
    "fish": "1F41F",
    "house": "1F3E0",
    "balloon": "1F388",
}


def code(name: str) -> str:
    return PICTOGRAMS.get(name) or PICTURE_CODE_CHOICES.get(name) or name


_SRC: dict[tuple[str, str], str] = {}


def src(name: str) -> str:
    """URL of a pictogram, by meaning (\"shifts\") or by OpenMoji code (\"1F3E8\"). Built once per
    process and app root: a page of 50 events shows hundreds, and url_for is not free."""
    if not has_request_context():
        return url_for("static", filename=f"vendor/openmoji/{code(name)}.svg")
    key = (request.script_root, name)
    if key not in _SRC:
        _SRC[key] = url_for("static", filename=f"vendor/openmoji/{code(name)}.svg")
    return _SRC[key]


_IMG: dict[tuple[str, str, int], Markup] = {}


def img(name: str, size: int = 40) -> Markup:
    """A pictogram beside words, as templates use it (`pictogram(name, size)` in
    components/ui.html): decorative, so alt is empty (EASY-READ rule 9). A function rather than
    a macro: a page shows 20–30, and each macro call cost more than the rest of the tag."""
    if not has_request_context():
        return Markup('<img class="picto" src="{}" alt="" width="{}" height="{}">').format(src(name), size, size)
    key = (request.script_root, name, size)
    if key not in _IMG:
        _IMG[key] = Markup('<img class="picto" src="{}" alt="" width="{}" height="{}">').format(src(name), size, size)
    return _IMG[key]
