"""Forms of the worker page's part about reaching the worker (staff/reach.py)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..services.limits import PHONE_MAX


class PhoneForm(FlaskForm):
    """The worker's own mobile number, for the helpers' "Ring Ola"."""

    phone = StringField(_l("Mobil-nummeret til arbeidstakeren"), validators=[
        Length(max=PHONE_MAX, message=_l("Nummeret er for langt."))])


class SuggestForm(FlaskForm):
    """The reminders the specialist suggests on; the worker's own choice in Innstillinger wins."""

    on = SelectMultipleField(_l("Varsler du foreslår slått på"), widget=ListWidget(prefix_label=False),
                             option_widget=CheckboxInput())
