"""OPD delegate links: a secret link per OPD per event for naming its people, its change log, and the
invitation letter

Revision ID: 0029_delegate_links
Revises: 0022_anonymous_batches
Create Date: 2026-12-06 05:00:00

New tables; two empty columns on organizations (the OPD's contact: e-mail and WhatsApp); a role
"moderator" beside peserta, narasumber and panitia; an agenda item's link to the narasumber who gives it;
a waiting list per OPD, and how long a freed seat is kept for the first who waits (24 hours).
Every existing row stays. A downgrade drops the links, their log, the letters, the contacts and the
waiting lists; the people the OPDs sent stay registered (source "opd"), moderators become narasumber.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


revision = '0029_delegate_links'
down_revision = "0022_anonymous_batches"
branch_labels = None
depends_on = None


OLD_ROLES = ("peserta", "narasumber", "panitia")
NEW_ROLES = ("peserta", "narasumber", "moderator", "panitia")


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_registrations_role_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_registrations_role_known"), f"role IN {NEW_ROLES!r}")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("speaker_registration_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_agenda_items_speaker_registration_id_registrations"),
                                    "registrations", ["speaker_registration_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=20), nullable=True))
    op.create_table('invitation_letters',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('number_pattern', sa.String(length=120), nullable=False),
    sa.Column('letter_date', sa.Date(), nullable=True),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('signer_role', sa.String(length=200), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('signer_nip', sa.String(length=18), nullable=True),
    sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('signer_nip IS NULL OR length(signer_nip) = 18', name=op.f('ck_invitation_letters_signer_nip_18_digits')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_invitation_letters_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_invitation_letters'))
    )
    op.create_table('delegate_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=True),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('deadline', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('issued_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('first_opened_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('last_change_at', app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id', 'organization_id'], ['event_organizations.event_id', 'event_organizations.organization_id'], name='fk_delegate_links_event_organization', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_delegate_links_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_delegate_links_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegate_links')),
    sa.UniqueConstraint('event_id', 'organization_id', name=op.f('uq_delegate_links_event_id_organization_id')),
    sa.UniqueConstraint('token', name=op.f('uq_delegate_links_token'))
    )
    with op.batch_alter_table('delegate_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegate_links_organization_id'), ['organization_id'], unique=False)

    op.create_table('delegate_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('changed_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['delegate_links.id'], name=op.f('fk_delegate_changes_link_id_delegate_links'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_delegate_changes_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegate_changes'))
    )
    with op.batch_alter_table('delegate_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegate_changes_link_id'), ['link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegate_changes_registration_id'), ['registration_id'], unique=False)
    op.create_table('waitlist_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=True),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('rank', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('consented_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'offered', 'taken', 'expired', name='status_known', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('offer_token', sa.String(length=64), nullable=True),
    sa.Column('offered_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('hold_until', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id', 'organization_id'], ['event_organizations.event_id', 'event_organizations.organization_id'], name='fk_waitlist_entries_event_organization', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_waitlist_entries_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_waitlist_entries_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_waitlist_entries_registration_id_registrations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_entries')),
    sa.UniqueConstraint('event_id', 'email', name=op.f('uq_waitlist_entries_event_id_email')),
    sa.UniqueConstraint('event_id', 'nip', name=op.f('uq_waitlist_entries_event_id_nip')),
    sa.UniqueConstraint('offer_token', name=op.f('uq_waitlist_entries_offer_token'))
    )
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.create_index('ix_waitlist_entries_line', ['event_id', 'organization_id', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_waitlist_entries_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waitlist_hold_hours', sa.Integer(), server_default='24', nullable=False))
        batch_op.create_check_constraint(batch_op.f("ck_events_waitlist_hold_hours_in_range"),
                                         "waitlist_hold_hours BETWEEN 1 AND 720")


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_events_waitlist_hold_hours_in_range"), type_="check")
        batch_op.drop_column('waitlist_hold_hours')
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waitlist_entries_organization_id'))
        batch_op.drop_index('ix_waitlist_entries_line')
    op.drop_table('waitlist_entries')
    with op.batch_alter_table('delegate_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegate_changes_registration_id'))
        batch_op.drop_index(batch_op.f('ix_delegate_changes_link_id'))

    op.drop_table('delegate_changes')
    with op.batch_alter_table('delegate_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegate_links_organization_id'))

    op.drop_table('delegate_links')
    op.drop_table('invitation_letters')
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_email")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_agenda_items_speaker_registration_id_registrations"),
                                 type_="foreignkey")
        batch_op.drop_column("speaker_registration_id")
    op.execute("UPDATE registrations SET role = 'narasumber' WHERE role = 'moderator'")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_registrations_role_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_registrations_role_known"), f"role IN {OLD_ROLES!r}")
