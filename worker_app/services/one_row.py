"""Reads of at most one row, run alone or several side by side in one statement.

I dag shows several things that are each one row: the shift now or next, the job card, the
next event. Each was a query of its own, and each query costs a round trip to the database and
SQLAlchemy's work around it. A service describes such a read as a `OneRow` (its statement, its
values, how to make its answer from the row); `read` runs one alone, `read_together` runs
several as one statement: each read is a derived table joined on true, so the database runs
each once, exactly as it would alone, and the answer is one row of all their columns.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, literal, select, true
from sqlalchemy.orm import Session


class OneRow(NamedTuple):
    # At most one row (ORDER BY ... LIMIT 1, or a lookup by key). Its first column is never
    # None in a row found (an id): read_together tells "no row" by it.
    query: Select
    params: dict[str, Any]
    # The answer from the row's values (a tuple), or from None when there is no row.
    build: Callable[[tuple | None], Any]


def read(session: Session, one: OneRow) -> Any:
    row = session.connection().execute(one.query, one.params).first()
    return one.build(tuple(row) if row is not None else None)


def read_together(session: Session, *reads: OneRow) -> list[Any]:
    """The answers of all `reads`, in their order, from one statement."""
    params: dict[str, Any] = {}
    for one in reads:
        for name, value in one.params.items():
            # Two reads may share a bound value (the worker's id, now), never disagree on one.
            if params.setdefault(name, value) != value:
                raise ValueError(f"reads disagree on {name!r}")
    row = session.connection().execute(_side_by_side(tuple(one.query for one in reads)), params).one()
    answers, start = [], 0
    for one, width in zip(reads, _widths(tuple(one.query for one in reads)), strict=True):
        part = tuple(row[start:start + width])
        answers.append(one.build(part if part[0] is not None else None))
        start += width
    return answers


@cache
def _side_by_side(queries: tuple[Select, ...]) -> Select:
    # Built once per combination (the queries are built once too): building a statement costs
    # more than running it. A one-row anchor, so that there is a row when every read is empty.
    anchor = select(literal(1).label("one")).subquery("one_row")
    parts = [query.subquery(f"part_{i}") for i, query in enumerate(queries)]
    statement = select(*[column for part in parts for column in part.c]).select_from(anchor)
    for part in parts:
        statement = statement.outerjoin(part, true())
    return statement


@cache
def _widths(queries: tuple[Select, ...]) -> tuple[int, ...]:
    return tuple(len(query.selected_columns) for query in queries)
