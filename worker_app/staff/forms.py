from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..services.limits import NOTE_MAX


class ProposeSupportForm(FlaskForm):
    """A specialist suggests a support person; the worker must then say yes in the app."""

    supporter = SelectField(_l("Støtteperson"), coerce=int, validators=[Optional()])
    new_name = StringField(
        _l("Eller en ny støtteperson: navn"),
        validators=[Optional(), Length(max=160, message=_l("Navnet er for langt."))],
    )
    relation = StringField(
        _l("Hvem er dette for arbeidstakeren?"),
        validators=[Length(max=80, message=_l("Skriv kortere, høyst 80 tegn."))],
    )
    permissions = SelectMultipleField(
        _l("Hva spør støttepersonen om å se?"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Velg minst én ting."))],
    )


class ShiftForm(FlaskForm):
    """One shift; also used to move one. Times are checked by the schedule service."""

    day = StringField(_l("Dato"), validators=[DataRequired(_l("Skriv datoen."))])
    start = StringField(_l("Start"), validators=[DataRequired(_l("Skriv når vakten starter."))])
    end = StringField(_l("Slutt"), validators=[DataRequired(_l("Skriv når vakten slutter."))])
    note = StringField(_l("Kort beskjed til arbeidstakeren"), validators=[
        Length(max=NOTE_MAX, message=_l("Skriv kortere, høyst %(n)s tegn.", n=NOTE_MAX))])


class RuleForm(FlaskForm):
    """A repeating shift, e.g. every Friday 09:00–12:00."""

    weekdays = SelectMultipleField(
        _l("Hvilke dager?"), coerce=int, widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput())
    start = StringField(_l("Start"), validators=[DataRequired(_l("Skriv når vakten starter."))])
    end = StringField(_l("Slutt"), validators=[DataRequired(_l("Skriv når vakten slutter."))])
    starts_on = StringField(_l("Første dag"), validators=[DataRequired(_l("Skriv første dag."))])
    ends_on = StringField(_l("Siste dag"))
    note = StringField(_l("Kort beskjed til arbeidstakeren"), validators=[
        Length(max=NOTE_MAX, message=_l("Skriv kortere, høyst %(n)s tegn.", n=NOTE_MAX))])


class TravelForm(FlaskForm):
    ready_minutes = StringField(_l("Minutter å gjøre seg klar"))
    travel_minutes = StringField(_l("Minutter på reisen til jobb"))
    escalate_minutes = StringField(
        _l("Minutter før hjelperne får beskjed"),
        description=_l("Har arbeidstakeren ikke trykket «Jeg har gått»? Da får du og de arbeidstakeren har valgt, "
                       "beskjed. Vanlig er 10."))
