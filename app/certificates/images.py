"""The signature/stamp image and the background of an event's certificates: checked by content, stored."""
import io

from PIL import Image, UnidentifiedImageError

from app.extensions import db
from app.materials.sniffing import content_matches
from app.materials.storage import delete_after_commit, delete_unless_committed

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_BACKGROUND_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 4000 * 4000


class ImageRefused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def read_png(stream, *, max_bytes=MAX_IMAGE_BYTES, kinds=("png",)):
    """The bytes of an uploaded image of one of `kinds` ("png", "jpg"), or ImageRefused: checked by
    its content, not its name."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise ImageRefused("empty")
    if len(data) > max_bytes:
        raise ImageRefused("too_large")
    if not any(content_matches(kind, io.BytesIO(data)) for kind in kinds):
        raise ImageRefused("not_png")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ImageRefused("too_large")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRefused("not_png") from None
    return data


def replace_stored_image(storage, settings, attribute, data):
    """Store `data` (or nothing, for None) as settings.<attribute>; the old file goes once committed."""
    old = getattr(settings, attribute)
    new = None
    if data is not None:
        new = storage.save(io.BytesIO(data))
        delete_unless_committed(db.session, storage, new)
    setattr(settings, attribute, new)
    if old:
        delete_after_commit(db.session, storage, old)
    db.session.flush()
