"""Run one function in many threads at once, for the tests of races the database must decide; and
whether SQLite's writers' turn (app/sqlite_writes.py) is free."""
import fcntl
import os
import threading


def run_in_threads(target, argument_tuples):
    """Start a thread of `target` for each tuple of arguments, and wait for all of them."""
    threads = [threading.Thread(target=target, args=args) for args in argument_tuples]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def lock_is_free(path):
    """Whether nobody holds the flock on `path` (for SQLite, the database's path + ".writers")."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
