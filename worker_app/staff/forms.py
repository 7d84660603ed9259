from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..formtools import Form, longest
from ..services.limits import NAME_MAX, NOTE_MAX, RELATION_MAX, SHORT_MAX, SIGN_NOTE_MAX


class ProposeSupportForm(Form):
    """A specialist suggests a support person; the worker must then say yes in the app."""

    supporter = SelectField(_l("Støtteperson"), coerce=int, validators=[Optional()])
    new_name = StringField(
        _l("Eller en ny støtteperson: navn"),
        validators=[Optional(), longest(NAME_MAX, _l("Navnet er for langt."))],
    )
    relation = StringField(
        _l("Hvem er dette for arbeidstakeren?"),
        validators=[longest(RELATION_MAX)],
    )
    permissions = SelectMultipleField(
        _l("Hva spør støttepersonen om å se?"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Velg minst én ting."))],
    )


class ShiftForm(Form):
    """One shift; also used to move one. Times are checked by the schedule service."""

    day = StringField(_l("Dato"), validators=[DataRequired(_l("Skriv datoen.")), longest(SHORT_MAX)])
    start = StringField(_l("Start"), validators=[DataRequired(_l("Skriv når vakten starter.")), longest(SHORT_MAX)])
    end = StringField(_l("Slutt"), validators=[DataRequired(_l("Skriv når vakten slutter.")), longest(SHORT_MAX)])
    note = StringField(_l("Kort beskjed til arbeidstakeren"), validators=[
        longest(NOTE_MAX)])


class RuleForm(Form):
    """A repeating shift, e.g. every Friday 09:00–12:00."""

    weekdays = SelectMultipleField(
        _l("Hvilke dager?"), coerce=int, widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput())
    start = StringField(_l("Start"), validators=[DataRequired(_l("Skriv når vakten starter.")), longest(SHORT_MAX)])
    end = StringField(_l("Slutt"), validators=[DataRequired(_l("Skriv når vakten slutter.")), longest(SHORT_MAX)])
    starts_on = StringField(_l("Første dag"), validators=[DataRequired(_l("Skriv første dag.")), longest(SHORT_MAX)])
    ends_on = StringField(_l("Siste dag"), validators=[longest(SHORT_MAX)])
    note = StringField(_l("Kort beskjed til arbeidstakeren"), validators=[
        longest(NOTE_MAX)])


class TravelForm(Form):
    ready_minutes = StringField(_l("Minutter å gjøre seg klar"), validators=[longest(SHORT_MAX)])
    travel_minutes = StringField(_l("Minutter på reisen til jobb"), validators=[longest(SHORT_MAX)])
    escalate_minutes = StringField(
        _l("Minutter før hjelperne får beskjed"), validators=[longest(SHORT_MAX)],
        description=_l("Har arbeidstakeren ikke trykket «Jeg har gått»? Da får du og de arbeidstakeren har valgt, "
                       "beskjed. Vanlig er 10."))



class SignSeenForm(Form):
    """The specialist has seen an early sign, with a note if she likes (one form per sign on the
    caseload: its prefix names the worker and the kind)."""

    note = TextAreaField(_l("Notat (valgfritt)"), validators=[longest(SIGN_NOTE_MAX)])
