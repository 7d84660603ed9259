from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class EventForm(FlaskForm):
    title = StringField(_l("Navn på aktiviteten"), validators=[
        DataRequired(_l("Skriv et navn.")), Length(max=120, message=_l("Skriv kortere, høyst 120 tegn."))])
    description = TextAreaField(_l("Beskrivelse i lettlest språk"), validators=[Length(max=2000)])
    pictogram = SelectField(_l("Bilde"))
    photo = FileField(_l("Eller et foto fra stedet (JPEG, PNG eller WebP, høyst 8 MB)"))
    day = StringField(_l("Dato"), validators=[DataRequired(_l("Skriv datoen."))])
    start = StringField(_l("Start"), validators=[DataRequired(_l("Skriv når aktiviteten starter."))])
    end = StringField(_l("Slutt"), validators=[DataRequired(_l("Skriv når aktiviteten slutter."))])
    place = StringField(_l("Sted"), validators=[
        DataRequired(_l("Skriv hvor aktiviteten er.")), Length(max=160)])
    meeting_point = StringField(_l("Møtested"), validators=[Length(max=200)])
    capacity = StringField(_l("Antall plasser (tomt: plass til alle)"))
    guest_limit = StringField(_l("Plasser for inviterte gjester (0: ingen gjester)"), validators=[
        DataRequired(_l("Skriv et antall gjester."))])
    deadline = StringField(_l("Siste dag for påmelding (valgfritt)"))
    region = SelectField(_l("For hvem?"), coerce=int, validators=[Optional()])
    invite_only = BooleanField(_l("Bare for inviterte (med lenke)"))


class GuestForm(FlaskForm):
    name = StringField(_l("Navnet ditt"), validators=[Length(max=120, message=_l("Navnet er for langt."))])
    phone = StringField(_l("Mobil-nummeret ditt"), validators=[Length(max=30, message=_l("Nummeret er for langt."))])
    consent = BooleanField(_l("Ja, de frivillige kan lagre navnet og nummeret mitt til aktiviteten er over."))
