"""API-nøkler: staff make tokens for their integrations, see when each was last used, and revoke
them. A new token's secret is shown once, on the answer to the form, and never again."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from ..extensions import db
from ..formtools import Form, longest
from ..models import Scope
from ..policy import Action, can
from ..services import api_tokens
from ..services.errors import Invalid
from ..services.limits import TOKEN_NAME_MAX
from ..web import SignIn, ensure, render, require, signs_in_with

bp = signs_in_with(Blueprint("api_tokens", __name__, url_prefix="/api-tokens"), SignIn.PASSWORD)

SCOPE_LABELS = {
    Scope.PEOPLE_READ: _l("Se arbeidstakerne du følger"),
    Scope.SHIFTS_READ: _l("Se vakter"),
    Scope.SHIFTS_WRITE: _l("Legge inn, flytte og avlyse vakter"),
    Scope.CHECKLISTS_READ: _l("Se oppgaver og hvordan det går"),
    Scope.CHECKLISTS_WRITE: _l("Lage oppgaver og sende dem"),
    Scope.EVENTS_READ: _l("Se aktiviteter (og påmeldte, for arrangører)"),
    Scope.LESSONS_READ: _l("Se hvordan det går med leksjonene"),
    Scope.HELP_READ: _l("Se når noen ber om hjelp"),
    Scope.HELP_WRITE: _l("Merke hjelp som gitt"),
    Scope.FOLLOWUP_READ: _l("Se oppfølgingen: møter, plan og praksis"),
    Scope.FOLLOWUP_WRITE: _l("Skrive inn møter"),
}


class TokenForm(Form):
    name = StringField(_l("Navn"), validators=[
        DataRequired(_l("Skriv et navn, for eksempel navnet på systemet.")), longest(TOKEN_NAME_MAX)])
    scopes = SelectMultipleField(_l("Hva skal nøkkelen gi tilgang til?"), widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())


def _form() -> TokenForm:
    form = TokenForm()
    form.scopes.choices = [(scope.value, f"{SCOPE_LABELS[scope]} ({scope.value})") for scope in Scope]
    return form


@bp.route("", methods=["GET", "POST"])
@require(Action.MANAGE_API_TOKENS)
def index():
    """The caller's tokens, and a form for a new one; after making one, its secret, once."""
    form = _form()
    secret = None
    status = 200
    if form.validate_on_submit():
        try:
            _token, secret = api_tokens.create(db.session, current_user, form.name.data, form.scopes.data)
        except Invalid as problem:
            db.session.rollback()
            form[problem.field].errors.append(str(problem.message))
        else:
            form = _form()
            form.name.data, form.scopes.data = "", []
    if form.errors:
        status = 400
    others = (api_tokens.live_of_others(db.session, current_user)
              if can(current_user, Action.SEE_OTHERS_API_TOKENS) else [])
    response = render("api/tokens.html", form=form, secret=secret, others=others,
                      tokens=api_tokens.of_owner(db.session, current_user), status=status)
    if secret:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@require(Action.MANAGE_API_TOKENS)
def revoke(token_id: int):
    """Revoke a token: it stops working at once."""
    token = api_tokens.get(db.session, token_id)
    if token is None:
        abort(404)
    ensure(Action.MANAGE_API_TOKENS, token)
    api_tokens.revoke(db.session, token, current_user)
    flash(_("Nøkkelen er slått av. Den virker ikke lenger."))
    return redirect(url_for("api_tokens.index"))
