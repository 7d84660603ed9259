from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import Optional

from ..formtools import Form, options

LANGUAGE_CHOICES = options([("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")])


class SettingsForm(Form):
    """Each choice is saved by its own tap, so a post carries one field; the others keep their
    value (Optional: a missing field is no error)."""

    # Language names are written in their own language, so each can be found by its reader.
    locale = RadioField(_l("Språk"), choices=LANGUAGE_CHOICES, validators=[Optional()])
    text_size = RadioField(
        _l("Tekst-størrelse"),
        choices=options([("normal", _l("Vanlig")), ("large", _l("Stor")), ("larger", _l("Størst"))]),
        validators=[Optional()],
    )
    read_aloud = RadioField(
        _l("Knappen Les høyt"),
        choices=options([("on", _l("Vis knappen")), ("off", _l("Skjul knappen"))]),
        validators=[Optional()],
    )
    checklist_mode = RadioField(
        _l("Oppgaver"),
        choices=options([("step", _l("1 steg om gangen")), ("list", _l("Alle stegene i en liste"))]),
        validators=[Optional()],
    )
