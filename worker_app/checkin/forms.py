from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from ..formtools import Form, longest
from ..services.limits import CHECKIN_NOTE_MAX


class SayMoreForm(Form):
    """ "Vil du si mer?": a few words; "Ring meg" is a button of the same form."""

    note = TextAreaField(_l("Skriv noen ord"), validators=[longest(CHECKIN_NOTE_MAX)])
