"""Participants and visitors download materials: public ones from the event page, all from a ticket."""
from flask import Blueprint, abort, make_response, render_template
from flask_babel import gettext as _

from app.events.lookup import find_agenda_item, find_event
from app.extensions import db
from app.materials.display import file_kind, file_size
from app.materials.downloads import send_material, send_materials_zip
from app.materials.names import visible_name
from app.materials.services import find_material, group_materials
from app.models import STATUS_REGISTERED, VISIBILITY_PUBLIC, Material
from app.tickets.lookup import find_ticket

bp = Blueprint("materials", __name__)
bp.add_app_template_filter(file_size, "file_size")
bp.add_app_template_filter(file_kind, "file_kind")
bp.add_app_template_filter(visible_name, "visible_name")


def _refuse(code, message):
    return make_response(render_template("errors/error.html", code=code, message=message), code)


def _group_title(event, agenda_item_id):
    """The ZIP's name for a group, or 404 if the agenda item is not the event's."""
    if agenda_item_id is None:
        return _("Materi %(event)s", event=event.title)
    item = find_agenda_item(event, agenda_item_id) or abort(404)
    return _("Materi %(session)s", session=item.title)


def _zip_or_refuse(event, agenda_item_id, *, public_only, private):
    title = _group_title(event, agenda_item_id)
    materials = group_materials(event, agenda_item_id, public_only=public_only)
    if not materials:
        return _refuse(404, _("Belum ada materi yang dapat diunduh untuk sesi ini."))
    return send_materials_zip(materials, title, private=private)


@bp.route("/e/<slug>/materi/<int:material_id>")
def public_download(slug, material_id):
    event = find_event(slug) or abort(404)
    material = find_material(event, material_id) or abort(404)
    if material.visibility != VISIBILITY_PUBLIC:
        return _refuse(403, _("Materi ini khusus peserta terdaftar. Unduh dari halaman tiket Anda."))
    return send_material(material, private=False)


@bp.route("/e/<slug>/materi/umum.zip", defaults={"agenda_item_id": None})
@bp.route("/e/<slug>/materi/agenda/<int:agenda_item_id>.zip")
def public_zip(slug, agenda_item_id):
    event = find_event(slug) or abort(404)
    return _zip_or_refuse(event, agenda_item_id, public_only=True, private=False)


def _ticket_or_refuse(token):
    registration = find_ticket(token)
    if registration is None:
        abort(_refuse(404, _("Tiket tidak ditemukan. Periksa kembali tautan tiket Anda.")))
    return registration


@bp.route("/tiket/<token>/materi/<int:material_id>")
def ticket_download(token, material_id):
    registration = _ticket_or_refuse(token)
    material = db.session.get(Material, material_id) or abort(404)
    if material.event_id != registration.event_id:
        return _refuse(403, _("Tiket ini bukan untuk acara materi tersebut."))
    if material.visibility != VISIBILITY_PUBLIC and registration.status != STATUS_REGISTERED:
        return _refuse(403, _("Pendaftaran ini dibatalkan; materi khusus peserta tidak dapat diunduh."))
    return send_material(material, private=True)


@bp.route("/tiket/<token>/materi/umum.zip", defaults={"agenda_item_id": None})
@bp.route("/tiket/<token>/materi/agenda/<int:agenda_item_id>.zip")
def ticket_zip(token, agenda_item_id):
    registration = _ticket_or_refuse(token)
    public_only = registration.status != STATUS_REGISTERED
    return _zip_or_refuse(registration.event, agenda_item_id, public_only=public_only, private=True)


@bp.after_request
def keep_ticket_links_private(response):
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
