"""Check-in by hand from the committee's participant list, and its undo: console pages (admin.*) that
write attendance, so they live with check-in; the list itself is app/registration/console.py."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.checkin.losses import undo_check_in_losses
from app.checkin.services import CANCELLED, CHECKED_IN, FUTURE_DAY, TRANSFERRED, check_in, undo_check_in
from app.confirm import ask_first, confirmed
from app.console import bp
from app.registration.participants import find_registration
from app.routing import local_path
from app.tenants.access import MANAGE, console, event_or_404

MANUAL_DEVICE = "admin"


def _back_url(slug):
    """The participant list as it was filtered (only a path of this site)."""
    return local_path(request.form.get("next", "")) or url_for("admin.participants", slug=slug)


def _back(slug):
    return redirect(_back_url(slug), code=303)


def _registration_and_day(slug, registration_id):
    event = event_or_404(slug)
    registration = find_registration(event, registration_id) or abort(404)
    day_id = request.form.get("day", "")
    day = next((d for d in event.days if str(d.id) == day_id), None) or abort(400)
    return registration, day


@bp.route("/acara/<slug>/peserta/<int:registration_id>/hadir", methods=["POST"])
@console(MANAGE)
def check_in_participant(slug, registration_id):
    registration, day = _registration_and_day(slug, registration_id)
    name = registration.full_name
    outcome = check_in(registration, day, method="manual", operator=current_user, device=MANUAL_DEVICE)
    if outcome.result == CHECKED_IN and outcome.attendance.recorded_late_at is not None:
        flash(_("%(name)s dicatat hadir (susulan: hari itu sudah lewat).", name=name), "success")
    elif outcome.result == CHECKED_IN:
        flash(_("%(name)s dicatat hadir.", name=name), "success")
    elif outcome.accepted:
        flash(_("%(name)s sudah tercatat hadir hari itu.", name=name), "info")
    elif outcome.result == FUTURE_DAY:
        flash(_("%(name)s tidak dapat dicatat hadir: hari itu belum dimulai.", name=name), "danger")
    elif outcome.result == TRANSFERRED:
        flash(_("%(name)s tidak dapat dicatat hadir: kursinya sudah dialihkan ke rekan.", name=name), "danger")
    elif outcome.result == CANCELLED:
        flash(_("%(name)s tidak dapat dicatat hadir: pendaftarannya dibatalkan.", name=name), "danger")
    return _back(slug)


@bp.route("/acara/<slug>/peserta/<int:registration_id>/batal-hadir", methods=["POST"])
@console(MANAGE)
def undo_participant_check_in(slug, registration_id):
    registration, day = _registration_and_day(slug, registration_id)
    name = registration.full_name
    losses = undo_check_in_losses(registration.event, registration, day)
    if losses and not confirmed():
        return ask_first(title=_("Urungkan kehadiran %(name)s?", name=name), losses=losses,
                         confirm_label=_("Ya, urungkan kehadiran"), back_url=_back_url(slug))
    undone = undo_check_in(registration, day, operator=current_user, device=MANUAL_DEVICE)
    if undone:
        flash(_("Kehadiran %(name)s dibatalkan.", name=name), "success")
    return _back(slug)
