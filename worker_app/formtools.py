"""Small helpers shared by the forms, and the base class every HTML form derives from.

`Form` refuses control characters (a NUL byte can't be stored in PostgreSQL; the others have
no place in a name or a note) in every text field, once, for every form: the answer is the
page again with a 400, the text as typed minus those characters, and the problem named
beside the field. Lengths are bounded per field with `longest()`, from services/limits.py.
"""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

# C0 controls and DEL; a multi-line field keeps tab, line feed and carriage return.
_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


def longest(limit: int, message=None) -> Length:
    """The length bound of a text field, with the limit named in the message."""
    return Length(max=limit, message=message or _l("Skriv kortere, høyst %(n)s tegn.", n=limit))


def refused_characters(field) -> re.Pattern:
    return _MULTI_LINE if isinstance(field, TextAreaField) else _ONE_LINE


class NoControlCharacters:
    """Refuses a value that held control characters. It looks at what was sent (raw_data):
    the field's data has them removed already, so the form shows the rest again."""

    def __call__(self, form, field):
        pattern = refused_characters(field)
        if any(isinstance(raw, str) and pattern.search(raw) for raw in field.raw_data or ()):
            raise ValidationError(_l("Teksten hadde et tegn som ikke kan brukes. Vi tok det bort. "
                                     "Se over teksten og prøv igjen."))


_NO_CONTROL = NoControlCharacters()


class Form(FlaskForm):
    """The base of every HTML form (a test checks that each one derives from it and that each
    text field has a length bound)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = unbound_field.bind(form=form, **options)
            if isinstance(field, StringField):  # also TextAreaField, PasswordField, HiddenField
                pattern = refused_characters(field)
                field.filters = (*field.filters,
                                 lambda value: pattern.sub("", value) if isinstance(value, str) else value)
                # A new list: the declared one is shared by every instance of the form.
                field.validators = [_NO_CONTROL, *field.validators]
            return field
