"""Reading the bytes of the test database's SQLite files without breaking SQLite's locks.

POSIX advisory locks belong to the process and the file: closing *any* descriptor of the database file
in this process drops every lock our SQLite connections hold on it (SQLite's "How To Corrupt An SQLite
Database File", 2.2). A worker process started by a later test then believes it is alone, resets the WAL
index, and our connections read stale rows or fail with "disk I/O error" (seen in full runs). So the
bytes are read by another process, whose descriptors hold no lock of ours.
"""
import subprocess


def read_sqlite_file(path):
    """The bytes of `path` (the database file or its WAL); FileNotFoundError if there is none."""
    result = subprocess.run(["cat", "--", str(path)], capture_output=True, check=False)
    if result.returncode != 0:
        raise FileNotFoundError(path)
    return result.stdout
