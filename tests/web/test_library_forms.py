"""The checklist library's forms: each bad input is answered 400 with the problem named beside its
field (in the field's error line, the field marked aria-invalid) and what was typed kept."""

import html
import io
import re

from worker_app.extensions import db
from worker_app.models import Checklist, User
from worker_app.services import tasks
from worker_app.services.limits import STEP_MAX, TITLE_MAX


def problem_beside(page: str, field_id: str) -> str:
    """The error said beside the field with this id; the field itself must say it is invalid."""
    found = re.search(rf'<p class="field__error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    assert found, f"no problem is named beside #{field_id}"
    tag = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert tag and 'aria-invalid="true"' in tag.group(0), f"#{field_id} is not marked invalid"
    assert f"{field_id}-error" in tag.group(0)  # aria-describedby reads the problem out
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).replace("Feil:", "").strip()


def typed(page: str, field_id: str) -> str:
    tag = re.search(rf'<(input|textarea)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert tag, f"no #{field_id}"
    if tag.group(1) == "textarea":
        text = html.unescape(page[tag.end():page.index("</textarea>", tag.end())])
        return text.removeprefix("\r\n").removeprefix("\n")  # as a browser reads it (HTML drops the first)
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def is_checked(page: str, attribute: str) -> bool:
    """Whether the checkbox with this attribute is ticked (what was chosen is kept)."""
    tag = re.search(rf"<input\b[^>]*{re.escape(attribute)}[^>]*>", page)
    assert tag, f"no checkbox with {attribute}"
    return "checked" in tag.group(0)


def _checklist(app, people, steps=1) -> int:
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        checklist = tasks.create_checklist(db.session, owner, "Fylle kaffe-maskinen", "2615")
        for i in range(steps):
            tasks.add_step(db.session, checklist, text=f"Steg {i + 1}.", pictogram="2615")
        db.session.commit()
        return checklist.id


def test_a_new_checklist_without_a_name_or_with_a_long_one_is_refused_beside_the_field(client, people, sign_in):
    sign_in(client, people.specialist)
    empty = client.post("/staff/checklists", data={"title": "  "})
    assert empty.status_code == 400
    assert problem_beside(empty.text, "title") == "Skriv et navn på oppgaven."
    too_long = "Kaffe " * 30
    long_one = client.post("/staff/checklists", data={"title": too_long})
    assert long_one.status_code == 400
    assert problem_beside(long_one.text, "title") == "Skriv et navn på oppgaven."
    assert typed(long_one.text, "title") == too_long
    assert f'maxlength="{TITLE_MAX}"' in long_one.text  # the same limit, told to the browser


def test_the_checklist_settings_keep_a_bad_name_and_refuse_an_unknown_workplace(app, client, people, sign_in):
    checklist_id = _checklist(app, people)
    sign_in(client, people.specialist)
    url = f"/staff/checklists/{checklist_id}/settings"
    too_long = "K" * (TITLE_MAX + 1)
    bad = client.post(url, data={"title": too_long, "workplace": ""})
    assert bad.status_code == 400
    assert '<details class="section" open>' in bad.text  # the form with the problem is open
    assert problem_beside(bad.text, "checklist-title") == "Skriv et navn på oppgaven."
    assert typed(bad.text, "checklist-title") == too_long
    unknown = client.post(url, data={"title": "Kaffe", "workplace": "999999"})
    assert unknown.status_code == 400
    assert problem_beside(unknown.text, "checklist-workplace") == "Velg en arbeidsplass i listen."
    assert typed(unknown.text, "checklist-title") == "Kaffe"
    with app.app_context():
        kept = db.session.get(Checklist, checklist_id)
        assert (kept.title, kept.workplace_id) == ("Fylle kaffe-maskinen", None)  # nothing saved
    assert client.post(url, data={"title": "Kaffe", "workplace": ""}).status_code == 302


def test_a_bad_step_is_refused_beside_its_field_and_keeps_what_was_typed(app, client, people, sign_in, tmp_path):
    app.config["PHOTO_DIR"] = str(tmp_path / "photos")
    checklist_id = _checklist(app, people, steps=0)
    sign_in(client, people.specialist)
    url = f"/staff/checklists/{checklist_id}/steps"
    empty = client.post(url, data={"action": "add", "text": " ", "hint": "Bruk kluten."})
    assert empty.status_code == 400
    assert problem_beside(empty.text, "text") == "Skriv hva arbeidstakeren skal gjøre."
    assert typed(empty.text, "hint") == "Bruk kluten."
    long_text = "Vask " * 61  # 305 characters
    too_long = client.post(url, data={"action": "add", "text": long_text})
    assert too_long.status_code == 400
    assert problem_beside(too_long.text, "text") == f"Et steg kan ha høyst {STEP_MAX} tegn. Del det i to steg."
    assert typed(too_long.text, "text") == long_text
    long_hint = client.post(url, data={"action": "add", "text": "Vask koppen.", "hint": "h" * (STEP_MAX + 1)})
    assert long_hint.status_code == 400 and problem_beside(long_hint.text, "hint").startswith("Et steg kan ha høyst")
    assert typed(long_hint.text, "text") == "Vask koppen."
    not_a_picture = client.post(url, content_type="multipart/form-data", data={
        "action": "add", "text": "Vask koppen.", "photo": (io.BytesIO(b"not a picture"), "kopp.jpg")})
    assert not_a_picture.status_code == 400
    assert problem_beside(not_a_picture.text, "photo")
    assert typed(not_a_picture.text, "text") == "Vask koppen."
    with app.app_context():
        assert db.session.get(Checklist, checklist_id).versions[-1].steps == []


def test_a_bad_push_is_refused_beside_its_field_and_keeps_the_choices(app, client, people, sign_in):
    checklist_id = _checklist(app, people)
    sign_in(client, people.specialist)
    url = f"/staff/checklists/{checklist_id}/push"
    nobody = client.post(url, data={"on_date": "2030-01-07", "weekdays": ["4"]})
    assert nobody.status_code == 400
    assert "Velg minst én arbeidstaker." in re.search(
        r'<p class="field__error" id="workers-error">(.*?)</p>', nobody.text, re.S).group(1)
    assert typed(nobody.text, "on_date") == "2030-01-07"
    assert is_checked(nobody.text, 'id="weekdays-4"')
    bad_day = client.post(url, data={"workers": [str(people.worker.id)], "on_date": "7. januar"})
    assert bad_day.status_code == 400
    assert problem_beside(bad_day.text, "on_date").startswith("Skriv datoen som ÅÅÅÅ-MM-DD")
    assert typed(bad_day.text, "on_date") == "7. januar"
    assert is_checked(bad_day.text, f'name="workers" type="checkbox" value="{people.worker.id}"')
    no_when = client.post(url, data={"workers": [str(people.worker.id)], "weekdays": ["x"]})
    assert no_when.status_code == 400
    assert problem_beside(no_when.text, "on_date") == "Velg en dato, noen ukedager eller hver vakt."


def test_an_empty_checklist_is_not_pushed_and_the_page_says_why(app, client, people, sign_in):
    checklist_id = _checklist(app, people, steps=0)
    sign_in(client, people.specialist)
    empty = client.post(f"/staff/checklists/{checklist_id}/push",
                        data={"workers": [str(people.worker.id)], "on_date": "2030-01-07"})
    assert empty.status_code == 400
    assert re.search(r'<p class="field__error" role="alert">.*En tom oppgave kan ikke sendes', empty.text)
