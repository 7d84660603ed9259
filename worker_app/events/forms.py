from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ..formtools import Form, longest
from ..services.limits import (
    EVENT_TEXT_MAX,
    EVENT_TITLE_MAX,
    GUEST_NAME_MAX,
    MEETING_POINT_MAX,
    PHONE_MAX,
    PLACE_MAX,
    SHORT_MAX,
)


class EventForm(Form):
    title = StringField(_l("Navn på aktiviteten"), validators=[
        DataRequired(_l("Skriv et navn.")), longest(EVENT_TITLE_MAX)])
    description = TextAreaField(_l("Beskrivelse i lettlest språk"), validators=[longest(EVENT_TEXT_MAX)])
    pictogram = SelectField(_l("Bilde"))
    photo = FileField(_l("Eller et foto fra stedet (JPEG, PNG eller WebP, høyst 8 MB)"))
    day = StringField(_l("Dato"), validators=[DataRequired(_l("Skriv datoen.")), longest(SHORT_MAX)])
    start = StringField(_l("Start"), validators=[
        DataRequired(_l("Skriv når aktiviteten starter.")), longest(SHORT_MAX)])
    end = StringField(_l("Slutt"), validators=[DataRequired(_l("Skriv når aktiviteten slutter.")), longest(SHORT_MAX)])
    place = StringField(_l("Sted"), validators=[
        DataRequired(_l("Skriv hvor aktiviteten er.")), longest(PLACE_MAX)])
    meeting_point = StringField(_l("Møtested"), validators=[longest(MEETING_POINT_MAX)])
    capacity = StringField(_l("Antall plasser (tomt: plass til alle)"), validators=[longest(SHORT_MAX)])
    guest_limit = StringField(_l("Plasser for inviterte gjester (0: ingen gjester)"), validators=[
        DataRequired(_l("Skriv et antall gjester.")), longest(SHORT_MAX)])
    deadline = StringField(_l("Siste dag for påmelding (valgfritt)"), validators=[longest(SHORT_MAX)])
    region = SelectField(_l("For hvem?"), coerce=int, validators=[Optional()])
    invite_only = BooleanField(_l("Bare for inviterte (med lenke)"))


class GuestForm(Form):
    name = StringField(_l("Navnet ditt"), validators=[longest(GUEST_NAME_MAX, _l("Navnet er for langt."))])
    phone = StringField(_l("Mobil-nummeret ditt"), validators=[longest(PHONE_MAX, _l("Nummeret er for langt."))])
    consent = BooleanField(_l("Ja, de frivillige kan lagre navnet og nummeret mitt til aktiviteten er over."))
