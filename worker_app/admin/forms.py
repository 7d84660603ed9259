from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..formtools import options

ROLE_CHOICES = options([
    ("worker", _l("Arbeidstaker")),
    ("support", _l("Støtteperson")),
    ("specialist", _l("Jobb-spesialist")),
    ("organizer", _l("Frivillig (aktiviteter)")),
    ("admin", _l("Administrator")),
])


class UserForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[
        DataRequired(_l("Skriv navnet.")), Length(max=160, message=_l("Navnet er for langt."))])
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)
    region = SelectField(_l("Region"), coerce=int, validators=[Optional()])
    email = StringField(_l("E-post (bare for ansatte)"), validators=[
        Optional(), Length(max=254, message=_l("E-post-adressen er for lang."))])
    password = PasswordField(_l("Nytt passord (bare for ansatte)"), validators=[
        Optional(), Length(max=200, message=_l("Passordet er for langt."))])
    specialists = SelectMultipleField(
        _l("Jobb-spesialister som følger arbeidstakeren"), coerce=int,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class SafetyForm(FlaskForm):
    safety_number = StringField(_l("Trygghets-nummeret"), validators=[
        DataRequired(_l("Skriv telefon-nummeret.")), Length(max=40, message=_l("Nummeret er for langt."))])
    safety_text_nb = TextAreaField(_l("Tekst på bokmål"), validators=[Length(max=600)])
    safety_text_nn = TextAreaField(_l("Tekst på nynorsk"), validators=[Length(max=600)])
    safety_text_en = TextAreaField(_l("Tekst på engelsk"), validators=[Length(max=600)])


class RegionOrganizerForm(FlaskForm):
    region_organizer = BooleanField(_l("Region-arrangør: ser og styrer alle aktiviteter i sin region"))


class AuditFilterForm(Form):
    """The audit page's filter: a GET form, so a filtered page can be linked to and bookmarked."""

    worker = StringField(_l("Gjelder (navn)"), validators=[
        Optional(), Length(max=160, message=_l("Navnet er for langt."))])
    person = StringField(_l("Gjort av (navn)"), validators=[
        Optional(), Length(max=160, message=_l("Navnet er for langt."))])
