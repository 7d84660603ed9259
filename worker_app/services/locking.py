"""The one way to open a locked transaction: serialise changes that hang off one row (an event's
sign-ups, an assignment's runs and ticks), however many requests press at once. And the one way
to open a savepoint (a write that may meet a unique constraint: two tabs at once)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from .errors import NotFound

Row = TypeVar("Row")


def lock_row(session: Session, model: type[Row], row_id: int, **values) -> Row:
    """Lock one row until the request's transaction ends (its commit or rollback), and return
    it as it is now; NotFound if there is no such row.

    The lock is an UPDATE of the row (`values`, or its id set to itself): a row lock on
    PostgreSQL, the database's one write lock on SQLite. It need not be the transaction's first
    statement, and nothing is committed before it (what the request did so far stays in the
    same transaction, so an error answer still undoes all of it):
    - SQLite (pysqlite opens a transaction at the first write, not the first read): reads
      before the lock ran on their own and hold no snapshot, so waiting for the write lock
      (busy_timeout) ends in the lock, never in SQLITE_BUSY; a write before it already holds
      the write lock. Reads after it see every earlier commit.
    - PostgreSQL (read committed): each statement after the lock sees what was committed
      before it; the row is reloaded here, as another request may just have changed it.
    Lock one row per transaction, or always in the same order, so that two requests can't
    wait for each other."""
    locked = session.execute(
        update(model).where(model.id == row_id).values(values or {model.id: model.id})
        .execution_options(synchronize_session=False))
    if locked.rowcount != 1:
        raise NotFound()
    return session.get(model, row_id, populate_existing=True)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """session.begin_nested(), always inside the request's transaction.

    pysqlite begins a transaction before INSERT, UPDATE and DELETE, but not before SAVEPOINT: a
    savepoint as a request's first write made a transaction of SQLite's own, which its RELEASE
    committed at once, whatever the request's answer then was. So on SQLite the transaction is
    begun first. (On PostgreSQL the SAVEPOINT statement begins it: web.transaction.)"""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
    with session.begin_nested():
        yield
