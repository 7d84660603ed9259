"""Each CLI command is one transaction, as a request is."""

from __future__ import annotations

from functools import wraps

from ..extensions import db


def one_transaction(command):
    """A command is one transaction, as a request is: the services it calls only flush, and it
    commits once at its end. A command that fails keeps nothing."""

    @wraps(command)
    def run(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return result

    return run
