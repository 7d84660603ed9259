from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..formtools import Form
from ..services.passkeys import PASSKEY_NAME_MAX


class TotpCodeForm(Form):
    code = StringField(_l("Koden fra kode-appen"), validators=[
        DataRequired(_l("Skriv de 6 tallene fra kode-appen.")),
        Length(max=20, message=_l("Koden har 6 tall.")),
    ])


class RecoveryCodeForm(Form):
    recovery_code = StringField(_l("Reserve-kode"), validators=[
        DataRequired(_l("Skriv en av reserve-kodene dine.")),
        Length(max=40, message=_l("En reserve-kode har 10 tegn.")),
    ])


class PasskeyNameForm(Form):
    name = StringField(_l("Navn på passnøkkelen"), validators=[
        DataRequired(_l("Gi passnøkkelen et navn.")),
        Length(max=PASSKEY_NAME_MAX, message=_l("Navnet er for langt.")),
    ])
