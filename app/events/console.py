"""Event set-up: the events list, the event form, the registration switch, the agenda and the OPDs."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.confirm import ask_first, confirmed
from app.console import bp
from app.events import services as setup
from app.events.copying import CopyRefused, copy_event
from app.events.forms import AgendaItemForm, CopyEventForm, EventForm, OrganizationForm, setup_message
from app.events.lookup import find_agenda_item
from app.events.losses import agenda_item_losses, organization_losses
from app.extensions import db
from app.formatting import long_date, to_event_time
from app.models import EventStatus, OrganizationKind, utcnow
from app.routing import parse_id, parse_number
from app.tenants.access import MANAGE, admin_only, console, console_page
from app.tenants.access import event_or_404 as scoped_event_or_404
from app.tenants.operators import assign_operator
from app.tenants.services import list_tenants
from app.timezones import local_to_utc, utc_to_local

MAX_QUOTA = 100_000


def event_or_404(slug):
    """The event `slug` if the signed-in user may manage it, else 404 (app/tenants/access.py)."""
    return scoped_event_or_404(slug, MANAGE)


@bp.route("/")
@console_page
def events():
    found = setup.list_events(current_user)
    return render_template("admin/events.html", events=found, counts=setup.count_events_registrations(found),
                           now=utcnow())


def _event_fields(form):
    timezone = form.timezone.data
    return {
        "title": form.title.data.strip(), "slug": form.slug.data.strip(),
        "organizer_name": form.organizer_name.data.strip(), "venue": form.venue.data.strip(),
        "description": (form.description.data or "").strip(), "timezone": timezone,
        "registration_opens_at": local_to_utc(form.registration_opens_at.data, timezone),
        "registration_closes_at": local_to_utc(form.registration_closes_at.data, timezone),
        "capacity": form.capacity.data, "default_quota": form.default_quota.data,
        "foreign_phones_allowed": bool(form.foreign_phones_allowed.data),
        "tenant_id": form.tenant.data if "tenant" in form else None, "retention_days": form.retention_days.data,
    }


def _save_event_form(form, event):
    """Validate and save; returns the saved event, or None with the errors on the form."""
    if not form.validate_on_submit():
        return None
    try:
        return setup.save_event(event, _event_fields(form), form.chosen_dates())
    except setup.SetupRefused as refusal:
        field = getattr(form, refusal.field, None) if refusal.field else None
        (field.errors if field is not None else form.form_errors).append(setup_message(refusal))
        return None


def _render_event_form(form, event):
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/event_form.html", form=form, event=event), status


def _tenant_choices():
    """The tenants a new event may belong to: the user's own, or any for the install administrator."""
    if current_user.tenant_id is not None:
        return [(current_user.tenant_id, current_user.tenant.name)]
    return [(tenant.id, tenant.name) for tenant in list_tenants()]


@bp.route("/acara/baru", methods=["GET", "POST"])
@admin_only  # a committee member works on the events given to them (403 here)
def new_event():
    form = EventForm()
    form.tenant.choices = _tenant_choices()
    if form.tenant.data is None and len(form.tenant.choices) == 1:
        form.tenant.data = form.tenant.choices[0][0]
    saved = _save_event_form(form, None)
    if saved is not None:
        slug = saved.slug
        flash(_("Acara dibuat. Sekarang pilih OPD yang ikut dan kuotanya."), "success")
        return redirect(url_for("admin.organizations", slug=slug), code=303)
    return _render_event_form(form, None)


@bp.route("/acara/<slug>/ubah", methods=["GET", "POST"])
@console(MANAGE)
def edit_event(slug):
    event = event_or_404(slug)
    form = EventForm()
    del form.tenant  # an event stays with its tenant
    if request.method == "GET":
        form.process(data={
            "title": event.title, "slug": event.slug, "organizer_name": event.organizer_name,
            "venue": event.venue, "description": event.description, "timezone": event.timezone,
            "dates": [day.date for day in event.days] + [None],
            "registration_opens_at": utc_to_local(event.registration_opens_at, event.timezone),
            "registration_closes_at": utc_to_local(event.registration_closes_at, event.timezone),
            "capacity": event.capacity, "default_quota": event.default_quota,
            "foreign_phones_allowed": event.foreign_phones_allowed,
            "retention_days": event.retention_days,
        })
    saved = _save_event_form(form, event)
    if saved is not None:
        slug = saved.slug
        flash(_("Perubahan disimpan."), "success")
        return redirect(url_for("admin.edit_event", slug=slug), code=303)
    return _render_event_form(form, event)


@bp.route("/acara/<slug>/salin", methods=["GET", "POST"])
@console(MANAGE)
def copy_event_page(slug):
    """"Salin acara": a new event like this one on new dates, without its people."""
    event = event_or_404(slug)
    form = CopyEventForm()
    if form.validate_on_submit():
        try:
            copy = copy_event(event, slug=form.slug.data.strip(), start=form.start.data)
        except CopyRefused as refusal:
            form.slug.errors.append(setup_message(setup.SetupRefused(refusal.code)))
        else:
            if not current_user.is_admin:  # a committee member works on the copy they made, as on this event
                assign_operator(current_user, copy)
            new_slug = copy.slug
            flash(_("Acara disalin. Periksa tanggal, agenda dan kuotanya sebelum membuka pendaftaran."), "success")
            return redirect(url_for("admin.edit_event", slug=new_slug), code=303)
    status = 422 if form.errors else 200
    return render_template("admin/copy_event.html", event=event, form=form), status


@bp.route("/acara/<slug>/pendaftaran", methods=["POST"])
@console(MANAGE)
def registration_switch(slug):
    event = event_or_404(slug)
    try:
        was_draft = event.status == EventStatus.DRAFT
        setup.set_registration(event, request.form.get("action", ""))
    except setup.SetupRefused as refusal:
        db.session.rollback()  # a redirect commits: nothing the refused service began is kept
        flash(setup_message(refusal), "danger")
    else:
        if was_draft and event.registration_state(utcnow()) == "not_open":
            opens = long_date(to_event_time(event.registration_opens_at, event))
            flash(_("Acara siap. Pendaftaran dibuka %(when)s.", when=opens), "success")
            return redirect(url_for("admin.dashboard", slug=slug), code=303)
        flash(_("Pendaftaran dibuka.") if request.form["action"] == "open" else _("Pendaftaran ditutup."), "success")
    return redirect(url_for("admin.dashboard", slug=slug), code=303)


def _agenda_form(event, item=None):
    form = AgendaItemForm(obj=None)
    form.day.choices = [
        (day.id, f"{_('Hari')} {number} · {long_date(day.date)}") for number, day in enumerate(event.days, start=1)
    ]
    if item is not None and request.method == "GET":
        form.process(data={
            "day": item.event_day_id, "starts": to_event_time(item.starts_at, event).time(),
            "ends": to_event_time(item.ends_at, event).time() if item.ends_at else None,
            "title": item.title, "speaker": item.speaker, "counts_for_jp": "yes" if item.counts_for_jp else "no",
        })
    return form


def _save_agenda(event, form, item):
    if not form.validate_on_submit():
        return False
    try:
        setup.save_agenda_item(event, item, day_id=form.day.data, starts=form.starts.data, ends=form.ends.data,
                               title=form.title.data.strip(), speaker=(form.speaker.data or "").strip(),
                               counts_for_jp=form.chosen_counts_for_jp())
    except setup.SetupRefused as refusal:
        getattr(form, refusal.field).errors.append(setup_message(refusal))
        return False
    return True


@bp.route("/acara/<slug>/agenda", methods=["GET", "POST"])
@console(MANAGE)
def agenda(slug):
    event = event_or_404(slug)
    form = _agenda_form(event)
    if _save_agenda(event, form, None):
        flash(_("Agenda ditambahkan."), "success")
        return redirect(url_for("admin.agenda", slug=slug), code=303)
    return render_template("admin/agenda.html", event=event, form=form), 422 if form.errors else 200


@bp.route("/acara/<slug>/agenda/<int:item_id>", methods=["GET", "POST"])
@console(MANAGE)
def edit_agenda_item(slug, item_id):
    event = event_or_404(slug)
    item = find_agenda_item(event, item_id) or abort(404)
    form = _agenda_form(event, item)
    if _save_agenda(event, form, item):
        flash(_("Agenda diperbarui."), "success")
        return redirect(url_for("admin.agenda", slug=slug), code=303)
    return render_template("admin/agenda_item.html", event=event, form=form, item=item), 422 if form.errors else 200


@bp.route("/acara/<slug>/agenda/<int:item_id>/hapus", methods=["POST"])
@console(MANAGE)
def delete_agenda_item(slug, item_id):
    event = event_or_404(slug)
    item = find_agenda_item(event, item_id) or abort(404)
    if not confirmed():
        return ask_first(title=_("Hapus agenda “%(title)s”?", title=item.title),
                         losses=agenda_item_losses(event, item), confirm_label=_("Ya, hapus agenda"),
                         back_url=url_for("admin.agenda", slug=slug))
    setup.delete_agenda_item(item)
    flash(_("Agenda dihapus."), "success")
    return redirect(url_for("admin.agenda", slug=slug), code=303)


def _chosen_organizations(form):
    """{organization id: quota or None} from the OPD table's checkboxes and quota inputs, and the ids whose
    quota is not a number (or None when a checkbox itself is not an id: no form of ours sends that)."""
    chosen: dict[int, int | None] = {}
    bad: list[int] = []
    for value in form.getlist("take_part"):
        organization_id = parse_id(value)
        if organization_id is None:
            return chosen, None
        quota_text = form.get(f"quota-{value}", "").strip()
        quota = parse_number(quota_text, MAX_QUOTA)
        if quota_text and quota is None:
            bad.append(value)
            continue
        chosen[organization_id] = quota
    return chosen, bad


def _with_picked(form, rows, pick):
    """The OPD form as typed, with every OPD of kind `pick` (or every OPD, pick "all") ticked too."""
    typed = MultiDict(form)
    ticked = set(typed.getlist("take_part"))
    for organization, _taking_part in rows:
        if (pick == "all" or organization.kind == pick) and str(organization.id) not in ticked:
            typed.add("take_part", str(organization.id))
    return typed


@bp.route("/acara/<slug>/opd", methods=["GET", "POST"])
@console(MANAGE)
def organizations(slug):
    event = event_or_404(slug)
    status = 200
    pick = request.form.get("pick") if request.method == "POST" else None
    if pick is not None:
        # "Pilih semua" / "Pilih semua dinas": the table comes back with them ticked, to check and save.
        rows = setup.participation(event)
        return render_template("admin/organizations.html", event=event, rows=rows, kinds=_kinds_in(rows),
                               new_form=OrganizationForm(formdata=None), typed=_with_picked(request.form, rows, pick))
    if request.method == "POST":
        chosen, bad = _chosen_organizations(request.form)
        if bad is None:
            flash(setup_message(setup.SetupRefused("unknown_action")), "danger")
            status = 422
        elif bad:
            flash(_("Kuota harus berupa angka 0 atau lebih, atau dikosongkan."), "danger")
            status = 422
        else:
            dropped = [organization.name for organization, taking_part in setup.participation(event)
                       if taking_part is not None and organization.id not in chosen]
            if dropped and not confirmed():
                return ask_first(title=_("Keluarkan %(count)d OPD dari acara?", count=len(dropped)),
                                 losses=organization_losses(dropped), confirm_label=_("Ya, keluarkan dan simpan"),
                                 back_url=url_for("admin.organizations", slug=slug))
            try:
                setup.set_participation(event, chosen)
            except setup.SetupRefused as refusal:
                flash(setup_message(refusal), "danger")
                status = 422
            else:
                flash(_("Daftar OPD dan kuota disimpan."), "success")
                return redirect(url_for("admin.organizations", slug=slug), code=303)
    typed = request.form if status != 200 else None  # a refused form comes back as it was typed
    rows = setup.participation(event)
    return render_template("admin/organizations.html", event=event, rows=rows, kinds=_kinds_in(rows),
                           new_form=OrganizationForm(formdata=None), typed=typed), status


def _kinds_in(rows):
    """The kinds of OPD in the tenant's list, in OrganizationKind's order, for the "pilih semua …" buttons."""
    present = {organization.kind for organization, _taking_part in rows}
    return [kind for kind in OrganizationKind if kind in present]


@bp.route("/acara/<slug>/opd/baru", methods=["POST"])
@console(MANAGE)
def add_organization(slug):
    event = event_or_404(slug)
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            setup.add_organization(event.tenant_id, form.short_name.data.strip(), form.name.data.strip(),
                                   form.kind.data)
        except setup.SetupRefused as refusal:
            form.short_name.errors.append(setup_message(refusal))
        else:
            flash(_("OPD ditambahkan. Centang untuk mengikutkannya di acara ini."), "success")
            return redirect(url_for("admin.organizations", slug=slug), code=303)
    rows = setup.participation(event)
    return render_template("admin/organizations.html", event=event, rows=rows, kinds=_kinds_in(rows),
                           new_form=form), 422
