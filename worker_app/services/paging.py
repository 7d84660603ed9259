"""Keyset pagination: a page continues after the last row's sort key, so a page costs the same
at row 10 and at row 1,000,000, and rows added meanwhile don't shift what comes next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, literal, tuple_
from sqlalchemy.orm import Session


@dataclass
class Page:
    items: list[Any]
    next_after: tuple | None  # the key to continue after; None on the last page


def keyset(session: Session, stmt: Select, key, after: tuple | None, limit: int,
           descending: bool = False, scalars: bool = True) -> Page:
    """Run stmt ordered by the key columns, after the given key, one page long.
    key(row) -> tuple gives a row's key; key.columns are the columns in order."""
    columns = key.columns
    if after is not None:
        # Each value bound with its column's type (UTC times are stored without a zone), so the
        # comparison doesn't depend on the database session's time zone.
        bound = tuple_(*[literal(value, column.type) for column, value in zip(columns, after, strict=True)])
        stmt = stmt.where((tuple_(*columns) < bound) if descending else (tuple_(*columns) > bound))
    stmt = stmt.order_by(*[c.desc() if descending else c for c in columns]).limit(limit + 1)
    rows = list(session.scalars(stmt) if scalars else session.execute(stmt).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, key(rows[-1]) if more else None)


class Key:
    """The sort key of a list: its columns, and how to read them from a row."""

    def __init__(self, *columns, read):
        self.columns, self.read = columns, read

    def __call__(self, row) -> tuple:
        return self.read(row)
