"""The checklist library's forms: a new checklist, its name and workplace, a new step, and
pushing it to workers. The limits come from services/limits.py, as in the services and the API;
the services check the rest, and a view names their problem beside its field (name_problem)."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..formtools import Form, longest, options
from ..services.limits import PHOTO_NAME_MAX, PICTOGRAM_MAX, SHORT_MAX, STEP_MAX, TITLE_MAX
from ..services.parsing import small_int

TITLE_PROBLEM = _l("Skriv et navn på oppgaven.")
STEP_PROBLEM = _l("Et steg kan ha høyst %(n)s tegn. Del det i to steg.", n=STEP_MAX)


def _pictogram():
    """A picked pictogram: an OpenMoji code (the radio buttons' values), or none."""
    return StringField(validators=[Optional(), longest(PICTOGRAM_MAX), Regexp(
        r"^[0-9A-Fa-f]{4,6}(-[0-9A-Fa-f]{4,6}){0,5}$", message=_l("Velg et bilde i listen."))])


def _id(value) -> int:
    """A chosen id (or weekday) as a number: 0 for none chosen, -1 for what is not a number,
    which matches nothing (never an error page)."""
    if isinstance(value, int):
        return value
    if value in (None, ""):
        return 0
    number = small_int(str(value))
    return -1 if number is None else number


class NewChecklistForm(Form):
    title = StringField(_l("Navn på oppgaven"), id="title",
                        validators=[Length(max=TITLE_MAX, message=TITLE_PROBLEM)])


class ChecklistSettingsForm(Form):
    """Name, picture and workplace. The picture is one of the pictograms the step search found."""

    title = StringField(_l("Navn på oppgaven"), id="checklist-title",
                        validators=[Length(max=TITLE_MAX, message=TITLE_PROBLEM)])
    workplace = SelectField(_l("Arbeidsplass"), id="checklist-workplace", coerce=_id,
                            validate_choice=False)
    pictogram = _pictogram()

    def __init__(self, workplaces, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workplace.choices = options([(0, _l("Ingen")), *((w.id, w.name) for w in workplaces)])

    def validate_workplace(self, field):
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Velg en arbeidsplass i listen."))


class StepForm(Form):
    """A new step. "Søk" finds pictograms and keeps what was typed; "Legg til" saves it."""

    text = TextAreaField(_l("Hva skal arbeidstakeren gjøre?"), id="text",
                         validators=[Length(max=STEP_MAX, message=STEP_PROBLEM)])
    hint = StringField(_l("Hint (valgfritt)"), id="hint",
                       validators=[Length(max=STEP_MAX, message=STEP_PROBLEM)])
    q = StringField(_l("Søk etter et bilde på norsk"), id="q", validators=[longest(STEP_MAX)])
    pictogram = _pictogram()
    # A photo stored when "Søk" was pressed, so the search does not lose it. The view uses it
    # only when it names a stored photo (photos.NAME), and otherwise sets it empty.
    kept_photo = HiddenField(validators=[longest(PHOTO_NAME_MAX)])
    photo = FileField(_l("Foto fra arbeidsplassen (valgfritt)"), id="photo",
                      render_kw={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As the specialist types, htmx swaps in the warnings about long sentences and words.
        self.text.render_kw = {"hx-post": url_for("library.check_text"), "hx-trigger": "input changed delay:600ms",
                               "hx-target": "#text-warnings", "hx-swap": "innerHTML"}


class PushForm(Form):
    """To whom, and when: once on a date, on weekdays, or on every shift. Who may be chosen is
    decided by can() for each worker, in the view."""

    workers = SelectMultipleField(_l("Hvem?"), coerce=_id, validate_choice=False,
                                  widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    on_date = StringField(_l("Én gang, denne dagen"), id="on_date", validators=[longest(SHORT_MAX)])
    weekdays = SelectMultipleField(_l("Eller hver uke, disse dagene"), coerce=_id, validate_choice=False,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    every_shift = BooleanField(_l("Eller på hver vakt arbeidstakeren har"), id="every_shift")
    # Asked only when someone already has the checklist on one of the days (tasks.AlreadyGiven).
    on_clash = RadioField(_l("Hva vil du gjøre?"), validate_choice=False)

    def __init__(self, workers, weekday_names, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workers.choices = options((w.id, w.name) for w in workers)
        self.weekdays.choices = options(enumerate(weekday_names))
        self.on_clash.choices = options([
            ("keep", _l("Behold den som er der")),
            ("replace", _l("Bytt til den nye. Det som er gjort i den gamle, blir tatt vare på."))])


def name_problem(form, problem) -> bool:
    """Put a service's problem beside the field it names. False when no field of this form has
    that name (the page then says it above the form)."""
    field = form._fields.get(problem.field or "")
    if field is None or field.name == "csrf_token":
        return False
    field.errors = [problem.message]
    return True
