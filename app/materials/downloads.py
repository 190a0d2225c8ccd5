"""Sending material files: always as attachments that the browser may not reinterpret."""
import tempfile

from flask import abort, current_app, send_file

from app.materials.names import visible_name
from app.materials.packing import safe_file_name, write_materials_zip
from app.security_headers import PRIVATE, REVALIDATE, cache_policy
from app.storage import current_storage


def _harden(response, *, private, size):
    response.content_length = size
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were to render it, a downloaded file may run nothing and load nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    cache_policy(response, PRIVATE if private else REVALIDATE)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def send_material(material, *, private):
    """The material's file under its original name; 404 if the store has lost it.

    With STORAGE_PRESIGNED_SECONDS set and an object store, the answer (given only after the same
    access checks) is a redirect to a URL of the store that works for that many seconds.
    """
    storage = current_storage()
    try:
        url = storage.download_url(
            material.stored_name, download_name=visible_name(material.original_name),
            content_type=material.content_type, seconds=current_app.config["STORAGE_PRESIGNED_SECONDS"],
        )
        if url:
            response = current_app.response_class(status=302, headers={"Location": url})
            cache_policy(response, PRIVATE)
            response.headers["Referrer-Policy"] = "no-referrer"
            return response
        stream = storage.open(material.stored_name)
    except (OSError, ValueError):
        current_app.logger.error("Material %s has no stored file %s", material.id, material.stored_name)
        abort(404)
    response = send_file(
        stream, mimetype=material.content_type, as_attachment=True,
        download_name=visible_name(material.original_name), etag=False, conditional=False, max_age=0,
    )
    return _harden(response, private=private, size=material.size)


def send_materials_zip(materials, title, *, private):
    """The materials in one ZIP named after `title`, built in a temporary file rather than in memory."""
    # Not a `with`: the response streams the file and closes it when it is sent.
    archive = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_materials_zip(materials, current_storage(), archive)
    except (OSError, ValueError):
        archive.close()
        current_app.logger.exception("Could not build the materials ZIP %r", title)
        abort(404)
    size = archive.tell()
    archive.seek(0)
    response = send_file(
        archive, mimetype="application/zip", as_attachment=True,
        download_name=f"{safe_file_name(title)}.zip", etag=False, conditional=False, max_age=0,
    )
    return _harden(response, private=private, size=size)
