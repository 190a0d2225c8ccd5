"""Where material files live: a small interface, the local folder as the default.

A deployment with several app hosts sets MATERIAL_STORAGE to "package.module:Class"
naming a Storage subclass with a `from_config(config)` class method (shared disk,
object store …); nothing else in the app touches files directly.

Files follow the database transaction: a file saved for a row that is never
committed is deleted when the transaction ends, and a file whose row is deleted
goes only once that deletion is committed (see `delete_after_commit`).
"""
import logging
import os
import re
import secrets
import shutil
from importlib import import_module
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
STORED_NAME = re.compile(r"[0-9a-f]{32}")
_CHUNK = 1024 * 1024


class Storage:
    """What the materials need from a file store. Stored names are chosen by the store, never by users."""

    def save(self, stream):
        """Copy the binary `stream` into the store; return the new file's stored name."""
        raise NotImplementedError

    def open(self, name):
        """A readable binary file object for a stored name."""
        raise NotImplementedError

    def delete(self, name):
        """Remove a stored file; a missing file is not an error."""
        raise NotImplementedError

    def exists(self, name):
        raise NotImplementedError


class LocalStorage(Storage):
    """Files in a folder, under random names, sharded by their first two characters."""

    def __init__(self, root):
        self.root = Path(root)

    @classmethod
    def from_config(cls, config):
        return cls(config["UPLOAD_FOLDER"])

    def path(self, name):
        if not isinstance(name, str) or not STORED_NAME.fullmatch(name):
            raise ValueError("not a stored name")
        return self.root / name[:2] / name

    def save(self, stream):
        name = secrets.token_hex(16)
        final = self.path(name)
        final.parent.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name first, so a half-written file is never seen as stored.
        partial = final.with_name(f".{name}.part")
        try:
            with open(partial, "xb") as out:
                shutil.copyfileobj(stream, out, _CHUNK)
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return name

    def open(self, name):
        return open(self.path(name), "rb")

    def delete(self, name):
        self.path(name).unlink(missing_ok=True)

    def exists(self, name):
        return self.path(name).is_file()


def storage_from_config(config):
    """The Storage that MATERIAL_STORAGE names: "local" or "package.module:Class"."""
    backend = config.get("MATERIAL_STORAGE", "local")
    if backend == "local":
        return LocalStorage.from_config(config)
    module_name, _, class_name = backend.partition(":")
    return getattr(import_module(module_name), class_name).from_config(config)


# Files that follow the transaction of a database session.
_NEW = "materials.new_files"
_DOOMED = "materials.doomed_files"


def delete_unless_committed(session, storage, name):
    """Delete the stored file `name` if the session's transaction ends without a commit."""
    session.info.setdefault(_NEW, []).append((storage, name))


def delete_after_commit(session, storage, name):
    """Delete the stored file `name` once the session's transaction commits (kept on rollback)."""
    session.info.setdefault(_DOOMED, []).append((storage, name))


def _delete_all(files):
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            log.exception("Could not delete stored material file %s", name)


@sa_event.listens_for(Session, "after_commit")
def _settle_files_after_commit(session):
    session.info.pop(_NEW, None)
    _delete_all(session.info.pop(_DOOMED, []))


@sa_event.listens_for(Session, "after_transaction_end")
def _settle_files_after_transaction(session, transaction):
    if transaction.parent is not None:
        return
    # Still listed here means the transaction ended without committing them.
    _delete_all(session.info.pop(_NEW, []))
    session.info.pop(_DOOMED, None)
