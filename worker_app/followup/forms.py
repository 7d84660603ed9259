"""Forms of the job specialist's year: workplaces, a new worker, meetings, plan, trial."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..formtools import Form
from ..services import limits


def _most(n: int):
    return Length(max=n, message=_l("Skriv kortere, høyst %(n)s tegn.", n=n))


class WorkplaceForm(Form):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv navnet på arbeidsplassen.")),
                                               _most(limits.WORKPLACE_NAME_MAX)])
    address = StringField(_l("Adresse"), validators=[_most(limits.ADDRESS_MAX)])
    pictogram = SelectField(_l("Bilde-symbol"))
    photo = FileField(_l("Eller et foto av arbeidsplassen (JPEG, PNG eller WebP, høyst 8 MB)"))
    remove_photo = BooleanField(_l("Fjern fotoet"))
    leader_name = StringField(_l("Lederens navn"), validators=[_most(limits.PERSON_NAME_MAX)])
    leader_phone = StringField(_l("Lederens telefon"), validators=[_most(40)])
    leader_email = StringField(_l("Lederens e-post"), validators=[_most(limits.EMAIL_MAX)])
    mentor_name = StringField(_l("Fadderens navn"), validators=[_most(limits.PERSON_NAME_MAX)])
    mentor_phone = StringField(_l("Fadderens telefon"), validators=[_most(40)])
    notes = TextAreaField(_l("Om oppgavene på arbeidsplassen"),
                          validators=[_most(limits.WORKPLACE_NOTES_MAX)])


class NewWorkerForm(Form):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv navnet på arbeidstakeren.")),
                                               _most(limits.PERSON_NAME_MAX)])
    workplace = SelectField(_l("Arbeidsplass (kan velges senere)"), coerce=int)


class WorkerWorkplaceForm(Form):
    workplace = SelectField(_l("Arbeidsplass"), coerce=int)


class MeetingForm(Form):
    day = StringField(_l("Dato for møtet"), validators=[DataRequired(_l("Skriv datoen.")), _most(limits.SHORT_MAX)])
    time = StringField(_l("Klokkeslett"), validators=[
        DataRequired(_l("Skriv klokkeslettet.")), _most(limits.SHORT_MAX)])
    with_whom = RadioField(_l("Hvem var med?"), validators=[DataRequired(_l("Velg hvem møtet var med."))])
    note = TextAreaField(_l("Kort notat"), validators=[_most(limits.MEETING_NOTE_MAX)])
    next_steps = TextAreaField(_l("Dette ble vi enige om"), validators=[_most(limits.MEETING_NOTE_MAX)])
    shared = BooleanField(_l("Arbeidstakeren kan lese notatet og det dere ble enige om"), default=True)
    next_day = StringField(_l("Neste møte: dato"), validators=[_most(limits.SHORT_MAX)])
    next_time = StringField(_l("Neste møte: klokkeslett"), validators=[_most(limits.SHORT_MAX)])
    next_place = RadioField(_l("Neste møte: hvor?"), default="work")


class PlanForm(Form):
    visits_now = StringField(_l("Besøk nå"), validators=[_most(limits.PLAN_MAX)])
    visits_next = StringField(_l("Besøk senere"), validators=[_most(limits.PLAN_MAX)])
    next_from = StringField(_l("Fra når?"), validators=[_most(limits.PLAN_FROM_MAX)])


class TrialForm(Form):
    starts_on = StringField(_l("Første dag"), validators=[
        DataRequired(_l("Skriv første dag.")), _most(limits.SHORT_MAX)])
    weeks = StringField(_l("Antall uker"), default=str(limits.TRIAL_WEEKS_DEFAULT),
                        validators=[_most(limits.SHORT_MAX)])
    evaluation_day = StringField(_l("Evaluerings-møte: dato"), validators=[_most(limits.SHORT_MAX)])
    evaluation_time = StringField(_l("Evaluerings-møte: klokkeslett"), validators=[_most(limits.SHORT_MAX)])


class OutcomeForm(Form):
    outcome = RadioField(_l("Hvordan endte praksisen?"),
                         validators=[DataRequired(_l("Velg hvordan praksisen endte."))])
    on = StringField(_l("Dato"), validators=[DataRequired(_l("Skriv datoen.")), _most(limits.SHORT_MAX)])
