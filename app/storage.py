"""Where the app's files live: materials, certificate backgrounds and signature images.

One interface, three ways to choose it (config.py):
- the local folder UPLOAD_FOLDER, the default (one host, or a disk all hosts share);
- an S3-compatible object store (MinIO, Ceph's RGW, AWS) through boto3, when STORAGE_URL is
  "s3://bucket/prefix" (STORAGE_ENDPOINT_URL, STORAGE_ACCESS_KEY_ID, STORAGE_SECRET_ACCESS_KEY,
  STORAGE_REGION);
- MATERIAL_STORAGE = "package.module:Class", any Storage subclass with a `from_config(config)`
  class method.
Nothing else in the app touches stored files directly. A store's failure is an OSError.

Files follow the database transaction: a file saved for a row that is never
committed is deleted when the transaction ends, and a file whose row is deleted
goes only once that deletion is committed (see `delete_after_commit`).
"""
import logging
import os
import re
import secrets
import shutil
import threading
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
STORED_NAME = re.compile(r"[0-9a-f]{32}")
_CHUNK = 1024 * 1024


def unreachable_message():
    """What a page says when the store failed while saving: nothing was kept, try again."""
    from flask_babel import gettext as _

    return _("Penyimpanan berkas tidak dapat dijangkau; tidak ada yang disimpan. Coba lagi sebentar lagi.")


def _checked(name):
    if not isinstance(name, str) or not STORED_NAME.fullmatch(name):
        raise ValueError("not a stored name")
    return name


class Storage:
    """What the app needs from a file store. Stored names are chosen by the store, never by users."""

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

    def check(self):
        """Raise OSError unless the store can be reached (the readiness probe, /readyz)."""
        raise NotImplementedError

    def download_url(self, name, *, download_name, content_type, seconds):
        """A short-lived URL the browser may fetch the file from directly, or None: stream it."""
        return None


class LocalStorage(Storage):
    """Files in a folder, under random names, sharded by their first two characters."""

    def __init__(self, root):
        self.root = Path(root)

    @classmethod
    def from_config(cls, config):
        return cls(config["UPLOAD_FOLDER"])

    def path(self, name):
        name = _checked(name)
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

    def check(self):
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise PermissionError(f"{self.root} is not a writable folder")


class S3Storage(Storage):
    """Files as objects "<prefix>/<stored name>" in one bucket of an S3-compatible store.

    Reading answers the object's body as botocore streams it (read in chunks, never held whole);
    boto3's upload_fileobj sends a large file in parts. The bucket is made by whoever runs the store.
    """

    def __init__(self, client, bucket, prefix=""):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    @classmethod
    def from_config(cls, config):
        url = urlsplit(config["STORAGE_URL"])
        if url.scheme != "s3" or not url.netloc:
            raise ValueError("STORAGE_URL must look like s3://bucket/prefix")
        client = _s3_client(
            config.get("STORAGE_ENDPOINT_URL") or None, config.get("STORAGE_REGION") or None,
            config.get("STORAGE_ACCESS_KEY_ID") or None, config.get("STORAGE_SECRET_ACCESS_KEY") or None,
            config.get("STORAGE_ADDRESSING_STYLE") or "auto",
        )
        return cls(client, url.netloc, url.path)

    def key(self, name):
        name = _checked(name)
        return f"{self.prefix}/{name}" if self.prefix else name

    def save(self, stream):
        name = secrets.token_hex(16)
        with _store_errors():
            self.client.upload_fileobj(stream, self.bucket, self.key(name))
        return name

    def open(self, name):
        key = self.key(name)
        with _store_errors():
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]

    def delete(self, name):
        key = self.key(name)
        with _store_errors():
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def exists(self, name):
        key = self.key(name)
        try:
            with _store_errors():
                self.client.head_object(Bucket=self.bucket, Key=key)
        except FileNotFoundError:
            return False
        return True

    def check(self):
        with _store_errors():
            self.client.head_bucket(Bucket=self.bucket)

    def download_url(self, name, *, download_name, content_type, seconds):
        if not seconds:
            return None
        params = {
            "Bucket": self.bucket, "Key": self.key(name), "ResponseContentType": content_type,
            "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(download_name)}",
            "ResponseCacheControl": "private, no-store",
        }
        with _store_errors():
            return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=int(seconds))


@contextmanager
def _store_errors():
    """botocore's errors as OSError, which every caller of a Storage already handles; a missing
    object or bucket as FileNotFoundError."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        missing = code in {"404", "NoSuchKey", "NoSuchBucket", "NotFound"}
        raise (FileNotFoundError if missing else OSError)(f"object store: {code or error}") from error
    except BotoCoreError as error:
        raise OSError(f"object store: {error}") from error


_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


def _s3_client(endpoint_url, region, access_key, secret_key, addressing_style):
    """One boto3 client per process and settings: making one costs milliseconds, and clients are
    thread-safe (boto3's documentation), so every request of a worker shares it."""
    settings = (endpoint_url, region, access_key, secret_key, addressing_style, os.getpid())
    with _clients_lock:
        client = _clients.get(settings)
        if client is None:
            import boto3
            from botocore.config import Config

            client = boto3.session.Session().client(
                "s3", endpoint_url=endpoint_url, region_name=region,
                aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                config=Config(signature_version="s3v4", s3={"addressing_style": addressing_style},
                              connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}),
            )
            _clients[settings] = client
        return client


def storage_from_config(config):
    """The Storage the settings choose: STORAGE_URL s3://… an object store; else MATERIAL_STORAGE,
    "local" (UPLOAD_FOLDER) or "package.module:Class"."""
    if config.get("STORAGE_URL"):
        return S3Storage.from_config(config)
    backend = config.get("MATERIAL_STORAGE", "local")
    if backend == "local":
        return LocalStorage.from_config(config)
    module_name, _, class_name = backend.partition(":")
    return getattr(import_module(module_name), class_name).from_config(config)


def current_storage():
    """The current app's Storage."""
    return storage_from_config(current_app.config)


# Files that follow the transaction of a database session.
_NEW = "storage.new_files"
_DOOMED = "storage.doomed_files"


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
            log.exception("Could not delete stored file %s", name)


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
