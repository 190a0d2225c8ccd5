"""An image the committee uploaded with certificate settings that were refused (a NIP mistyped, a number
taken): kept in the file store for the next submit of the form, so it need not be chosen again.

The page carries a signed token naming the stored file, the event and the field (itsdangerous, with the
app's secret): a token from another event or field, or forged, names nothing. A kept file is deleted
once settings that use it are saved; one left behind by a committee that gave up is an orphan of at
most 5 MB in the store.
"""
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "certificate-kept-upload"
MAX_AGE_SECONDS = 24 * 3600


def _serializer(secret_key):
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def keep(storage, secret_key, event, attribute, data):
    """Store `data` for the next submit; returns the token the form carries."""
    import io

    name = storage.save(io.BytesIO(data))
    return _serializer(secret_key).dumps([event.id, attribute, name])


def kept(storage, secret_key, event, attribute, token):
    """(stored name, bytes) of the image the token keeps for `event`'s `attribute`, or None."""
    if not token or len(token) > 500:
        return None
    try:
        event_id, kept_attribute, name = _serializer(secret_key).loads(token, max_age=MAX_AGE_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    if event_id != event.id or kept_attribute != attribute:
        return None
    try:
        with storage.open(name) as stream:
            return name, stream.read()
    except (OSError, ValueError):
        return None
