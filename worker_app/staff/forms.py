from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


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
