"""The worker page's part about reaching the worker: its forms and what its partial
(templates/staff/_reach.html) needs. The routes are in staff/reach.py."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectMultipleField, StringField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..extensions import db
from ..formtools import Form
from ..models import User
from ..pages import reminder_labels
from ..services import reach, reminders
from ..services.limits import PHONE_MAX


class PhoneForm(Form):
    """The worker's own mobile number, for the helpers' "Ring Ola"."""

    phone = StringField(_l("Mobil-nummeret til arbeidstakeren"), validators=[
        Length(max=PHONE_MAX, message=_l("Nummeret er for langt."))])


class SuggestForm(Form):
    """The reminders the specialist suggests on; the worker's own choice in Innstillinger wins."""

    on = SelectMultipleField(_l("Varsler du foreslår slått på"), widget=ListWidget(prefix_label=False),
                             option_widget=CheckboxInput())


def suggest_form(person: User, form: SuggestForm | None = None) -> SuggestForm:
    """Ticked: the suggestion made before, else what the worker gets now."""
    labels = reminder_labels(person)
    if form is None:
        suggested = reminders.suggestions(person)
        form = SuggestForm(prefix="suggest", data={"on": [
            kind for kind in labels if suggested.get(kind, reminders.is_on(person, kind))]})
    form.on.choices = list(labels.items())
    return form


def page_context(person: User, forms: dict) -> dict:
    """What the partial staff/_reach.html needs on the worker page (one query: the alerts)."""
    return {
        "phone_form": forms.get("phone_form") or PhoneForm(
            prefix="phone", data={"phone": reach.readable(person.phone) if person.phone else ""}),
        "suggest_form": suggest_form(person, forms.get("suggest_form")),
        "own_choice": set((person.reminders_chosen or "").split()),
        "kind_labels": reminder_labels(person),
        "alerts": reach.alerts_for(db.session, current_user, person.id).get(person.id, []),
    }
