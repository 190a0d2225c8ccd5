"""Counting the SQL statements a block of code sends, for the query-count tests."""
from contextlib import contextmanager

from sqlalchemy import event as sa_event

from app.extensions import db


@contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
