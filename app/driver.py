"""SQLAlchemy statements run on the database driver's own cursor, for the one write that must be fast.

A check-in scan is the hottest write of the app. Its ticket SELECT, two INSERTs and
commit took 332 µs through the Session, 239 µs on a Core Connection and 99 µs on the bare
sqlite3 driver (in-process, 500 scans): most of it was SQLAlchemy's execution contexts,
result objects, events and Session bookkeeping. Here a statement is still built and
compiled by SQLAlchemy, from the same tables, once per dialect and set of parameters; its
parameters and results still go through the columns' own types (so a UTCDateTime is
stored and read exactly as everywhere else); only the execution skips the layers.

The connection comes from db.engine's pool (or is the request's Session's, see
driver_connection()), so the pool's pre-ping, reset on return and the SQLite writers'
queue (app/sqlite_writes.py) all still apply. Statements are logged at DEBUG on the
"hadir.driver" logger (without their parameters). What SQLAlchemy would do per execution
(column defaults, expanding IN lists, renamed bind names) is not done here: such a
statement raises `Unsupported` when first compiled.
"""
import logging
from collections import namedtuple
from contextlib import contextmanager
from typing import Any

from app.extensions import db
from app.sqlite_writes import hold_writers_lock, is_write, release_writers_lock

log = logging.getLogger("hadir.driver")


class Unsupported(Exception):
    """A statement this module does not run the way SQLAlchemy would: use a Connection for it."""


class _Compiled:
    """One statement as one dialect's driver takes it."""

    def __init__(self, statement, dialect, keys):
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        # What SQLAlchemy does per execution (column defaults, expanding IN lists, renamed bind
        # names, values computed by a callable) is not done here: refused rather than guessed.
        if (compiled.insert_prefetch or compiled.update_prefetch or compiled.post_compile_params
                or compiled.literal_execute_params or compiled.escaped_bind_names):
            raise Unsupported(f"defaults, IN lists or escaped names in: {compiled.string[:80]}")
        for bind in compiled.binds.values():
            if bind.callable is not None or (bind.required and bind.key not in keys):
                raise Unsupported(f"bind parameter {bind.key!r} needs a value per execution")
        self.sql = compiled.string
        self.writes = is_write(self.sql)
        binds = {}
        for name, bind in compiled.binds.items():
            # A value written into the statement (column == 5) is its default.
            binds[name] = (bind.key, bind.effective_value if bind.key not in keys else None,
                           bind.type.dialect_impl(dialect).bind_processor(dialect))
        # In the order the driver takes them: by position (SQLite's ?), else by name (%(name)s).
        self.positional = compiled.positional
        self.binds = [(name, *binds[name]) for name in (compiled.positiontup if self.positional else binds)]
        columns = getattr(statement, "selected_columns", None)
        self.row: Any = namedtuple("Row", [column.key for column in columns], rename=True) if columns else None
        try:
            self.results = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                            for column in columns] if columns else None
        except TypeError as error:  # a type whose reading depends on the column's type code (Numeric)
            raise Unsupported(f"a column type this module cannot read: {error}") from error
        if self.results is not None and not any(self.results):
            self.results = None  # the driver's values are the Python ones

    def parameters(self, values):
        converted = []
        for _name, key, default, process in self.binds:
            value = values.get(key, default)
            converted.append(process(value) if process is not None and value is not None else value)
        if self.positional:
            return converted
        return {name: value for (name, *_), value in zip(self.binds, converted, strict=True)}

    def rows(self, fetched):
        if self.row is None:
            return fetched
        if self.results is None:
            return [self.row._make(row) for row in fetched]
        return [
            self.row(*(process(value) if process else value for process, value in zip(self.results, row, strict=True)))
            for row in fetched
        ]


# (id of the statement, dialect, parameter names) → (the statement, kept alive so that its id
# is not reused, and its _Compiled). Meant for statements built once, at import; one built per
# call is compiled per call, and the bound keeps those from piling up.
_compiled: dict[tuple, tuple] = {}
MAX_COMPILED = 200


def _compiled_for(statement, dialect, values):
    key = (id(statement), dialect, tuple(values))
    entry = _compiled.get(key)
    if entry is None or entry[0] is not statement:
        if len(_compiled) >= MAX_COMPILED:
            _compiled.clear()
        entry = _compiled[key] = (statement, _Compiled(statement, dialect, values))
    return entry[1]


class Result:
    def __init__(self, rows):
        self._rows = rows

    def first(self):
        return self._rows[0] if self._rows else None

    def one(self):
        if len(self._rows) != 1:
            raise LookupError(f"expected one row, got {len(self._rows)}")
        return self._rows[0]

    def all(self):
        return list(self._rows)


class DriverConnection:
    """What a SQLAlchemy Connection's execute() does for Core statements, on a pooled DBAPI connection."""

    def __init__(self, pooled, dialect, session=None):
        self._pooled = pooled
        self._cursor = pooled.cursor()
        self._dialect = dialect
        self._session = session

    def commit(self):
        """Commit; the DriverConnection is done (one transaction each)."""
        pooled, session = self._pooled, self._session
        self._pooled = self._cursor = None
        if session is not None:
            session.commit()  # which gives the connection back, and the writers' turn with it
            return
        pooled.commit()
        # The next writer's turn now, not when the connection goes back after the answer is built.
        release_writers_lock(pooled.info)

    def execute(self, statement, values=None):
        if self._cursor is None:
            raise RuntimeError("a DriverConnection is done once committed")
        values = values or {}
        compiled = _compiled_for(statement, self._dialect, values)
        parameters = compiled.parameters(values)
        if compiled.writes:  # the turn taken as late as can be: other writers wait while it is held
            hold_writers_lock(self._pooled.info)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s", compiled.sql)  # not the parameters: a ticket token is among them
        self._cursor.execute(compiled.sql, parameters)
        fetched = self._cursor.fetchall() if self._cursor.description else []
        return Result(compiled.rows(fetched))


def session_in_transaction():
    """Whether this request's Session exists and has begun a transaction (so holds a connection)."""
    return db.session.registry.has() and db.session().in_transaction()


@contextmanager
def driver_connection():
    """A DriverConnection for this request; its commit() commits the request's work.

    When the request's Session already holds a connection (it loaded the logged-in user, say),
    the statements join its transaction and commit() is the Session's: a request never holds
    two connections, which under a full pool could wait on each other. Otherwise the
    connection is one of db.engine's pool, rolled back unless committed when it goes back.
    """
    if session_in_transaction():
        yield DriverConnection(db.session.connection().connection, db.engine.dialect, db.session)
        return
    pooled = db.engine.raw_connection()
    try:
        yield DriverConnection(pooled, db.engine.dialect)
    finally:
        pooled.close()  # rolled back if not committed; the writers' turn goes back with it
