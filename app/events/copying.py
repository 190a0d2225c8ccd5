""""Salin acara": a new event made from an existing one, for its next batch or next year.

What is copied: the event's fields, its days and agenda moved to the new dates, the OPDs and
their quotas, the evaluation forms with their questions (their windows moved too), the message
templates, the certificate settings (numbering restarted at 1, signer and images kept) and the
materials, as references to the same stored files (app/materials/services.py keeps a shared file
until no row holds it). Nothing of the people is: no registrations, attendance, answers,
certificates, messages or scheduled reminders, nor the operators, the SPJ signature block or the
registration window. The copy is a draft: it takes no registration until its committee opens it.
"""
import re
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    AgendaItem,
    CertificateSettings,
    EvaluationForm,
    Event,
    EventDay,
    EventOrganization,
    EventStatus,
    Material,
    MessageTemplate,
    Question,
)

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 80
EVENT_FIELDS = (
    "tenant_id", "title", "organizer_name", "venue", "description", "timezone", "capacity", "default_quota",
    "foreign_phones_allowed", "retention_days", "contact_name", "contact_phone",
)
SETTINGS_FIELDS = (
    "jp_override", "jp_rounding", "min_days", "require_evaluation", "min_post_test_score", "number_pattern",
    "signer_name", "signer_nip", "signer_position", "signer_image", "background", "background_kind", "layout",
    "issue_place",
)


class CopyRefused(Exception):
    """Why no copy was made: 'slug_invalid', 'slug_taken' or 'no_days'."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def moved(moment, event, days):
    """`moment` (aware) `days` later at the same wall-clock time in the event's zone; None stays None."""
    if moment is None:
        return None
    local = moment.astimezone(event.tz).replace(tzinfo=None)
    return (local + timedelta(days=days)).replace(tzinfo=event.tz)


def copy_event(source, *, slug, start):
    """A new event like `source` whose first day is the date `start`; the caller commits.

    Raises CopyRefused (nothing stored then). Returns the new Event.
    """
    if len(slug) > MAX_SLUG_LENGTH or not SLUG.fullmatch(slug):
        raise CopyRefused("slug_invalid")
    if not source.days:
        raise CopyRefused("no_days")
    shift = (start - source.days[0].date).days
    copy = Event(slug=slug, status=EventStatus.DRAFT, **{name: getattr(source, name) for name in EVENT_FIELDS})
    copy.days = [EventDay(date=day.date + timedelta(days=shift)) for day in source.days]
    try:
        with db.session.begin_nested():
            db.session.add(copy)
    except IntegrityError:
        raise CopyRefused("slug_taken") from None
    items = _copy_agenda(source, copy, shift)
    _copy_organizations(source, copy)
    _copy_forms(source, copy, shift, items)
    _copy_templates(source, copy)
    _copy_certificate_settings(source, copy, shift)
    _copy_materials(source, copy, items)
    db.session.flush()
    return copy


def _copy_agenda(source, copy, shift):
    """The agenda items on the matching days of the copy; returns {source item id: new item}."""
    days = {day.id: new_day for day, new_day in zip(source.days, copy.days, strict=True)}
    items = {}
    for item in source.agenda_items:
        new_item = AgendaItem(
            event=copy, event_day_id=days[item.event_day_id].id, starts_at=moved(item.starts_at, source, shift),
            ends_at=moved(item.ends_at, source, shift), title=item.title, speaker=item.speaker,
            description=item.description, counts_for_jp=item.counts_for_jp,
        )
        db.session.add(new_item)
        items[item.id] = new_item
    db.session.flush()
    return items


def _copy_organizations(source, copy):
    for taking_part in db.session.execute(db.select(EventOrganization).filter_by(event_id=source.id)).scalars():
        db.session.add(EventOrganization(event_id=copy.id, organization_id=taking_part.organization_id,
                                         quota=taking_part.quota))


def _copy_forms(source, copy, shift, items):
    forms = db.session.execute(
        db.select(EvaluationForm).filter_by(event_id=source.id).order_by(EvaluationForm.id)
    ).scalars().all()
    for form in forms:
        item = items.get(form.agenda_item_id)
        new_form = EvaluationForm(
            event_id=copy.id, kind=form.kind, title=form.title, agenda_item_id=item.id if item else None,
            opens_at=moved(form.opens_at, source, shift), closes_at=moved(form.closes_at, source, shift),
            anonymous=form.anonymous, show_score=form.show_score,
        )
        db.session.add(new_form)
        db.session.flush()
        db.session.add_all(
            Question(form_id=new_form.id, position=question.position, kind=question.kind, text=question.text,
                     required=question.required, choices=question.choices, correct=question.correct,
                     points=question.points)
            for question in form.questions
        )


def _copy_templates(source, copy):
    for template in db.session.execute(db.select(MessageTemplate).filter_by(event_id=source.id)).scalars():
        db.session.add(MessageTemplate(event_id=copy.id, kind=template.kind, subject=template.subject,
                                       body=template.body))


def _copy_certificate_settings(source, copy, shift):
    settings = db.session.execute(  # locked: see _copy_materials
        db.select(CertificateSettings).filter_by(event_id=source.id).with_for_update()
    ).scalar_one_or_none()
    if settings is None:
        return
    db.session.add(CertificateSettings(
        event_id=copy.id, seq_start=1,
        issue_date=settings.issue_date + timedelta(days=shift) if settings.issue_date else None,
        **{name: getattr(settings, name) for name in SETTINGS_FIELDS},
    ))


def _copy_materials(source, copy, items):
    # Locked on PostgreSQL, so that a deletion of one of them waits for this copy and then sees its new
    # reference (and keeps the file), or went first and is not copied. (SQLite: the copy already holds the
    # write lock, taken by its first INSERT.)
    materials = db.session.execute(
        db.select(Material).filter_by(event_id=source.id).order_by(Material.id).with_for_update()
    ).scalars().all()
    for material in materials:
        item = items.get(material.agenda_item_id)
        db.session.add(Material(
            event_id=copy.id, agenda_item_id=item.id if item else None, title=material.title,
            original_name=material.original_name, stored_name=material.stored_name,
            content_type=material.content_type, size=material.size, visibility=material.visibility,
            position=material.position, uploaded_by_id=material.uploaded_by_id,
        ))
