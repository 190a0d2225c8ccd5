"""The committee's "Narasumber & panitia" page: the event's people with a role, and a form to add one."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.formatting import clock
from app.registration.forms import MESSAGES, RANKS
from app.registration.services import RegistrationRefused, event_organizations
from app.security_headers import PRIVATE, cache_policy
from app.speakers import services
from app.speakers.forms import ROLE_CHOICES, StaffForm
from app.tenants.access import MANAGE, console, event_or_404

ROLE_NAMES = {choice.value: choice.label for choice in ROLE_CHOICES}

bp = Blueprint("admin_speakers", __name__, url_prefix="/admin")
cache_policy(bp, PRIVATE)


def _form(event):
    form = StaffForm(foreign_phones_allowed=event.foreign_phones_allowed)
    # Pairs, as the registration form's own check of the OPD reads them.
    form.organization.choices = [(o.id, o.name) for _eo, o in event_organizations(event)]
    day_numbers = {day.id: number for number, day in enumerate(event.days, start=1)}
    form.sessions.choices = [
        SelectChoice(item.id, f"Hari {day_numbers.get(item.event_day_id)} {clock(item.starts_at, event)} · "
                              f"{item.title}")
        for item in event.agenda_items
    ]
    return form


@bp.route("/acara/<slug>/narasumber-panitia", methods=["GET", "POST"])
@console(MANAGE)
def staff(slug):
    event = event_or_404(slug)
    form = _form(event)
    if form.validate_on_submit():
        try:
            person = services.add_staff(event, form.organization.data, form.participant(), form.role.data,
                                        set(form.sessions.data or ()))
        except RegistrationRefused as refusal:
            field = getattr(form, refusal.field, None) if refusal.field else None
            (field.errors if field is not None else form.form_errors).append(MESSAGES[refusal.code])
        else:
            flash(_("%(name)s ditambahkan sebagai %(role)s.", name=person.full_name,
                    role=ROLE_NAMES[person.role]), "success")
            return redirect(url_for("admin_speakers.staff", slug=slug), code=303)
    people = services.staff_of(event)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("speakers/staff.html", event=event, form=form, people=people, ranks=RANKS,
                           sessions={person.id: services.sessions_of(event, person) for person in people},
                           role_names=ROLE_NAMES), status
