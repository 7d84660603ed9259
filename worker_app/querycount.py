"""Counting SQL statements: one rule of what a query is, for the tests and the benchmark.

The query-count tests (tests/web/test_queries.py and others) count inside a block with
`counting(engine)`. The benchmark turns on BENCH_COUNT_QUERIES=1 and each response then says how
many statements it ran, in an X-Query-Count header (`init_app`). Savepoints, their release and
rollbacks are bookkeeping, not queries: they are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_request_context
from sqlalchemy import event

_NOT_A_QUERY = re.compile(r"\s*(SAVEPOINT|RELEASE|ROLLBACK)", re.I)


def is_query(statement: str) -> bool:
    return not _NOT_A_QUERY.match(statement)


@contextmanager
def counting(engine) -> Iterator[list[str]]:
    """The statements the engine runs inside the block, in order."""
    statements: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if is_query(statement):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def init_app(app: Flask, engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if has_request_context() and is_query(statement):
            g.query_count = g.get("query_count", 0) + 1

    @app.after_request
    def _header(response):
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response
