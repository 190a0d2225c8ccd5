"""SQLite writers queue on a file lock beside the database (app/sqlite_writes.py)."""
from sqlalchemy import text

from app.extensions import db
from tests.concurrency import lock_is_free


def test_a_write_holds_the_writers_lock_until_the_connection_is_returned(app, make):
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"  # PostgreSQL queues writers itself
        return
    event = make.event()
    path = db.engine.url.database + ".writers"
    db.session.execute(text("SELECT 1")).all()
    assert lock_is_free(path)  # reading takes no turn
    db.session.execute(text("UPDATE events SET title = 'Baru' WHERE id = :id"), {"id": event.id})
    assert not lock_is_free(path)
    db.session.commit()
    assert lock_is_free(path)
    db.session.execute(text("UPDATE events SET title = 'Lagi' WHERE id = :id"), {"id": event.id})
    db.session.rollback()
    assert lock_is_free(path)
