from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..formtools import Form, longest
from ..services.limits import EMAIL_MAX, PASSWORD_MAX


class LoginForm(Form):
    email = StringField(
        _l("E-post"),
        validators=[
            DataRequired(_l("Skriv e-post-adressen din.")),
            longest(EMAIL_MAX, _l("E-post-adressen er for lang.")),
            # A light check only: the real test is whether the address exists among the staff.
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                   message=_l("Skriv en e-post-adresse, for eksempel navn@eksempel.no.")),
        ],
    )
    password = PasswordField(
        _l("Passord"),
        validators=[
            DataRequired(_l("Skriv passordet ditt.")),
            longest(PASSWORD_MAX, _l("Passordet er for langt.")),
        ],
    )


class PictureCodeForm(Form):
    pictures = SelectMultipleField(
        _l("Velg dine 3 bilder"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
