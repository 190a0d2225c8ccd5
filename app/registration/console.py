"""Participants: the list, corrections, cancel and restore (check-in by hand: app/checkin/participant_routes.py)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import record_access
from app.confirm import ask_first, confirmed
from app.console import bp
from app.extensions import db
from app.registration import participants as service
from app.registration.forms import MESSAGES, RANKS, ParticipantForm
from app.registration.losses import cancel_losses
from app.registration.services import RegistrationRefused, event_organizations
from app.routing import local_path, parse_id
from app.tenants.access import MANAGE, console, event_or_404
from app.timezones import today_in


def _filters():
    """The list's filters, from the query string, or from the body of the page's search form: a search
    goes by POST, so that a NIP, phone or e-mail typed never lands in a web server's access log."""
    values = request.form if request.method == "POST" else request.args
    presence = values.get("kehadiran", "")  # "<day id>:present" or "<day id>:absent"
    day_id, _sep, state = presence.partition(":")
    return service.Filters(
        q=values.get("q", "")[:100],
        organization_id=parse_id(values.get("opd", "")),
        status=values.get("status", ""),
        day_id=parse_id(day_id),
        presence=state,
        page=parse_id(values.get("page", "")) or 1,
    )


def _list_url(slug, filters):
    """The list with `filters` but the search typed (it stays out of URLs): where its actions come back to."""
    presence = f"{filters.day_id}:{filters.presence}" if filters.day_id and filters.presence else None
    arguments = {"opd": filters.organization_id, "status": filters.status or None, "kehadiran": presence}
    return url_for("admin.participants", slug=slug, **{name: value for name, value in arguments.items() if value})


@bp.route("/acara/<slug>/peserta", methods=["GET", "POST"])
@console(MANAGE)
def participants(slug):
    event = event_or_404(slug)
    filters = _filters()
    page = render_template(
        "admin/participants.html", event=event, filters=filters, result=service.search_participants(event, filters),
        organizations=[organization for _eo, organization in event_organizations(event)],
        today=today_in(event),  # which days' check-in buttons the list offers
        here=request.full_path.rstrip("?") if request.method == "GET" else _list_url(slug, filters),
    )
    if filters.q.strip():  # a search by name, NIP or e-mail is an access to personal data
        record_access(current_user, event, "search", filters.q.strip())
    return page


def _back_url(slug):
    """The list as it was filtered (only a path of this site)."""
    return local_path(request.form.get("next", "")) or url_for("admin.participants", slug=slug)


def _back(slug):
    return redirect(_back_url(slug), code=303)


def _registration_or_404(event, registration_id):
    return service.find_registration(event, registration_id) or abort(404)


@bp.route("/acara/<slug>/peserta/<int:registration_id>", methods=["GET", "POST"])
@console(MANAGE)
def edit_participant(slug, registration_id):
    event = event_or_404(slug)
    registration = _registration_or_404(event, registration_id)
    form = ParticipantForm(obj=registration if request.method == "GET" else None,
                           foreign_phones_allowed=event.foreign_phones_allowed)
    form.organization.choices = [(o.id, o.name) for _eo, o in event_organizations(event)]
    form.nip.description = _("18 angka. Kosongkan jika peserta bukan ASN.")  # the committee edits someone else's
    if request.method == "GET":
        form.organization.data = registration.organization_id
    elif form.validate_on_submit():
        try:
            service.update_registration(registration, form.organization.data, form.participant())
        except RegistrationRefused as refusal:
            field = getattr(form, refusal.field) if refusal.field else None
            (field.errors if field else form.form_errors).append(MESSAGES[refusal.code])
        else:
            record_access(current_user, event, "edit", f"registration {registration.id}")
            flash(_("Data peserta disimpan."), "success")
            return redirect(url_for("admin.participants", slug=slug), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/participant_form.html", event=event, registration=registration, form=form,
                           ranks=RANKS), status


@bp.route("/acara/<slug>/peserta/<int:registration_id>/batal", methods=["POST"])
@console(MANAGE)
def cancel_participant(slug, registration_id):
    event = event_or_404(slug)
    registration = _registration_or_404(event, registration_id)
    if registration.is_active and not confirmed():
        return ask_first(title=_("Batalkan pendaftaran %(name)s?", name=registration.full_name),
                         losses=cancel_losses(registration), confirm_label=_("Ya, batalkan pendaftaran"),
                         back_url=_back_url(slug))
    service.cancel_registration(registration)
    flash(_("Pendaftaran %(name)s dibatalkan.", name=registration.full_name), "success")
    return _back(slug)


@bp.route("/acara/<slug>/peserta/<int:registration_id>/pulihkan", methods=["POST"])
@console(MANAGE)
def restore_participant(slug, registration_id):
    event = event_or_404(slug)
    registration = _registration_or_404(event, registration_id)
    name = registration.full_name
    try:
        service.restore_registration(registration)
    except RegistrationRefused as refusal:
        db.session.rollback()  # a redirect commits: nothing the refused service began is kept
        flash(MESSAGES[refusal.code], "danger")
    else:
        flash(_("Pendaftaran %(name)s dipulihkan.", name=name), "success")
    return _back(slug)
