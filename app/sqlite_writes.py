"""SQLite writers queue on a file lock instead of sleeping.

SQLite admits one writer at a time. A connection that finds the database locked
sleeps 1, 2, 5, 10 … ms before it tries again, and at a busy check-in desk, where
each write holds the lock for about 0.15 ms, those sleeps set the pace more than the
work does. Here every write transaction first takes an exclusive flock() on a file
beside the database (`<db>.writers`), which the kernel hands to the next waiter the
moment it is released. The lock is taken at a transaction's first write and released
when the connection goes back to the pool (after its commit or rollback).

SQLite's own lock still guards the data; this only orders the writers. A writer that
cannot get the file lock within the busy timeout goes ahead and lets SQLite decide.
"""
import fcntl
import os
import sqlite3
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

READS = ("SELECT", "PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


def open_writer_lock(dbapi_connection, record, timeout_ms):
    """Remember a lock file for this connection if it opened a database file."""
    path = dbapi_connection.execute("PRAGMA database_list").fetchone()[2]
    if path:
        record.info["writers_lock"] = os.open(path + ".writers", os.O_RDWR | os.O_CREAT, 0o600)
        record.info["writers_timeout"] = timeout_ms / 1000


def _acquire(fd, timeout):
    deadline = time.monotonic() + timeout
    pause = 0.00005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.0005)


def is_write(statement):
    return not statement.lstrip()[:9].upper().startswith(READS)


def hold_writers_lock(info):
    """Take this connection's turn to write, unless it holds it already (`info`: its pool record's)."""
    fd = info.get("writers_lock")
    if fd is None or info.get("writers_holding"):
        return
    info["writers_holding"] = _acquire(fd, info["writers_timeout"])


@event.listens_for(Engine, "before_cursor_execute")
def _take_before_writing(conn, cursor, statement, parameters, context, executemany):
    info = conn.connection.info
    if "writers_lock" in info and not info.get("writers_holding") and is_write(statement):
        hold_writers_lock(info)


def release_writers_lock(info):
    """Give the turn to the next writer (after a commit or rollback of this connection)."""
    if info.pop("writers_holding", False):
        fcntl.flock(info["writers_lock"], fcntl.LOCK_UN)


@event.listens_for(Pool, "checkin")
def _release_when_returned(dbapi_connection, record):
    if record is not None:
        release_writers_lock(record.info)


@event.listens_for(Pool, "close")
def _close_lock_file(dbapi_connection, record):
    if isinstance(dbapi_connection, sqlite3.Connection) and "writers_lock" in record.info:
        os.close(record.info.pop("writers_lock"))
        record.info.pop("writers_holding", None)
