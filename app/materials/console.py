"""The event's Materi tab: attach, rename, move, replace and delete session materials."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.audit import record_access
from app.confirm import ask_first, confirmed
from app.console import bp
from app.errors import handle_http_error
from app.events.lookup import find_event
from app.extensions import db
from app.materials import services
from app.materials.checks import UploadPolicy
from app.materials.display import file_size
from app.materials.downloads import send_material
from app.materials.forms import read_one_upload, read_place, read_uploads
from app.materials.losses import material_losses
from app.materials.messages import refusal_message, too_large_message
from app.materials.refused import MaterialRefused
from app.materials.services import (
    UploadsRefused,
    find_material,
    material_groups,
    replace_material_file,
    update_material,
    upload_materials,
)
from app.models import VISIBILITY_PARTICIPANTS
from app.storage import current_storage, unreachable_message
from app.tenants.access import MANAGE, can, console, event_or_404

PAGE = "/acara/<slug>/materi"


def _policy():
    return UploadPolicy.from_config(current_app.config)


def _event_or_404(slug):
    return event_or_404(slug, MANAGE)


def _material_or_404(event, material_id):
    return find_material(event, material_id) or abort(404)


def _page(event, *, errors=(), status=200, place=None):
    return render_template(
        "admin/materials.html",
        event=event,
        groups=material_groups(event, keep_empty=True),
        policy=_policy(),
        errors=list(errors),
        place=place or {"agenda_item": request.args.get("agenda", ""), "visibility": "participants"},
    ), status


@bp.route(PAGE, methods=["GET", "POST"])
@console(MANAGE)
def materials(slug):
    event = _event_or_404(slug)
    if request.method == "GET":
        return _page(event)
    policy = _policy()
    place = {"agenda_item": request.form.get("agenda_item", ""), "visibility": request.form.get("visibility", "")}
    try:
        agenda_item_id, visibility = read_place(request.form)
        created = upload_materials(
            event, read_uploads(request.files, request.form),
            agenda_item_id=agenda_item_id, visibility=visibility, policy=policy,
            storage=current_storage(), uploaded_by_id=current_user.id,
        )
    except UploadsRefused as refused:
        db.session.rollback()
        return _page(event, errors=[refusal_message(r, policy) for r in refused.refusals], status=422, place=place)
    except MaterialRefused as refusal:
        db.session.rollback()
        return _page(event, errors=[refusal_message(refusal, policy)], status=422, place=place)
    except OSError:
        db.session.rollback()
        current_app.logger.exception("Could not store uploaded materials")
        return _page(event, errors=[unreachable_message()], status=503, place=place)
    first_id = created[0].id
    flash(_("%(num)d berkas diunggah.", num=len(created)), "success")
    return redirect(url_for(".materials", slug=slug, _anchor=f"materi-{first_id}"), code=303)


def _back_to(event, material_id=None):
    anchor = f"materi-{material_id}" if material_id else None
    return redirect(url_for(".materials", slug=event.slug, _anchor=anchor), code=303)


def _change_material(slug, material_id, change, done):
    """Apply `change(material)`, then commit and say `done`, or roll back and say why not."""
    event = _event_or_404(slug)
    material = _material_or_404(event, material_id)
    try:
        change(material)
    except MaterialRefused as refusal:
        db.session.rollback()
        flash(refusal_message(refusal, _policy()), "danger")
    except OSError:
        db.session.rollback()
        current_app.logger.exception("Could not store a replaced material file")
        flash(unreachable_message(), "danger")
    else:
        flash(done, "success")
    return _back_to(event, material_id)


@bp.route(f"{PAGE}/<int:material_id>/ubah", methods=["POST"])
@console(MANAGE)
def edit_material(slug, material_id):
    def change(material):
        agenda_item_id, visibility = read_place(request.form)
        update_material(material, title=request.form.get("title", ""), visibility=visibility,
                        agenda_item_id=agenda_item_id)

    return _change_material(slug, material_id, change, _("Materi disimpan."))


@bp.route(f"{PAGE}/<int:material_id>/ganti", methods=["POST"])
@console(MANAGE)
def replace_material(slug, material_id):
    def change(material):
        replace_material_file(material, read_one_upload(request.files), policy=_policy(), storage=current_storage())

    return _change_material(slug, material_id, change, _("Berkas materi diganti."))


@bp.route(f"{PAGE}/<int:material_id>/geser", methods=["POST"])
@console(MANAGE)
def move_material(slug, material_id):
    event = _event_or_404(slug)
    material = _material_or_404(event, material_id)
    offset = {"naik": -1, "turun": 1}.get(request.form.get("arah", "")) or abort(400)
    services.move_material(material, offset)
    return _back_to(event, material_id)


@bp.route(f"{PAGE}/<int:material_id>/hapus", methods=["POST"])
@console(MANAGE)
def delete_material(slug, material_id):
    event = _event_or_404(slug)
    material = _material_or_404(event, material_id)
    title = material.title
    if not confirmed():
        return ask_first(title=_("Hapus materi “%(title)s”?", title=title),
                         losses=material_losses(material, file_size(material.size)),
                         confirm_label=_("Ya, hapus materi"),
                         back_url=url_for("admin.materials", slug=slug))
    services.delete_material(material, current_storage())
    flash(_("Materi “%(title)s” dihapus.", title=title), "success")
    return _back_to(event)


@bp.route(f"{PAGE}/<int:material_id>/unduh")
@console(MANAGE)
def download_material(slug, material_id):
    event = _event_or_404(slug)
    material = _material_or_404(event, material_id)
    if material.visibility == VISIBILITY_PARTICIPANTS:
        record_access(current_user, event, "material_download", material.original_name)
    return send_material(material, private=True)


@bp.route("/e/<slug>/materi")
@bp.route("/e/<slug>/materi/<int:material_id>/unduh")
@console(MANAGE)
def old_materials_address(slug, material_id=None):
    """The page's and its downloads' addresses before the page joined the event's tabs
    (bookmarks, links shared in chats). Its forms post to the new addresses."""
    _event_or_404(slug)  # outside the user's scope, an old address is a 404 like the new one
    if material_id is None:
        new = url_for(".materials", slug=slug, agenda=request.args.get("agenda"))
    else:
        new = url_for(".download_material", slug=slug, material_id=material_id)
    return redirect(new, code=308)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    """An upload over MAX_CONTENT_LENGTH: the materials page says so, with the limit."""
    event = find_event((request.view_args or {}).get("slug", ""))
    if (request.endpoint not in (f"{bp.name}.materials", f"{bp.name}.replace_material") or event is None
            or not can(current_user, MANAGE, event)):
        return handle_http_error(error)
    return _page(event, errors=[too_large_message(_policy())], status=413)
