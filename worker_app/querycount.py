"""Opt-in (BENCH_COUNT_QUERIES=1): each response says how many SQL statements it ran, in an
X-Query-Count header, for the benchmark. Off by default; counts as tests/web/test_queries.py
does (savepoints and rollbacks are not queries)."""

from __future__ import annotations

import re

from flask import Flask, g, has_request_context
from sqlalchemy import event

_NOT_A_QUERY = re.compile(r"\s*(SAVEPOINT|RELEASE|ROLLBACK)", re.I)


def init_app(app: Flask, engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if has_request_context() and not _NOT_A_QUERY.match(statement):
            g.query_count = g.get("query_count", 0) + 1

    @app.after_request
    def _header(response):
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response
