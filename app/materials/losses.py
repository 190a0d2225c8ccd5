"""What deleting a material will lose, in words, for the confirmation page."""
from flask_babel import gettext as _


def material_losses(material, size_text):
    return [
        _("Materi “%(title)s” (%(file)s, %(size)s) dan berkasnya dihapus permanen.", title=material.title,
          file=material.original_name, size=size_text),
        _("Tautan unduhannya di halaman acara dan di tiket peserta tidak berlaku lagi."),
    ]
