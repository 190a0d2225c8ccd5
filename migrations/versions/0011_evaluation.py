"""evaluation: forms (evaluasi, narasumber, pre-/post-test), questions, responses, answers, completions

An anonymous form's responses carry no registration and no time (CHECK, with the form's
`anonymous` copied through a composite foreign key); completions have no time and no
surrogate key, and on SQLite no rowid whose order could be matched with the responses'.

Revision ID: 0011_evaluation
Revises: 0004
Create Date: 2026-12-01 14:32:33.181685

"""
import sqlalchemy as sa
from alembic import op

import app.models.types


# revision identifiers, used by Alembic.
revision = '0011_evaluation'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('evaluasi', 'narasumber', 'pretest', 'posttest', name='form_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('opens_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('closes_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('show_score', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("NOT (anonymous AND kind IN ('pretest', 'posttest'))", name=op.f('ck_evaluation_forms_tests_are_named')),
    sa.CheckConstraint('closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at', name=op.f('ck_evaluation_forms_closes_after_opens')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_evaluation_forms_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_evaluation_forms_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_forms')),
    sa.UniqueConstraint('id', 'anonymous', name=op.f('uq_evaluation_forms_id_anonymous'))
    )
    with op.batch_alter_table('evaluation_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_forms_event_id'), ['event_id'], unique=False)

    op.create_table('evaluation_completions',
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['evaluation_forms.id'], name=op.f('fk_evaluation_completions_form_id_evaluation_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_evaluation_completions_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('form_id', 'registration_id', name=op.f('pk_evaluation_completions')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('evaluation_completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_completions_registration_id'), ['registration_id'], unique=False)

    op.create_table('evaluation_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('likert', 'single', 'multiple', 'short', 'long', name='question_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=True),
    sa.Column('correct', sa.JSON(), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.CheckConstraint('points >= 0 AND points <= 1000', name=op.f('ck_evaluation_questions_points_in_range')),
    sa.ForeignKeyConstraint(['form_id'], ['evaluation_forms.id'], name=op.f('fk_evaluation_questions_form_id_evaluation_forms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_questions')),
    sa.UniqueConstraint('id', 'form_id', name=op.f('uq_evaluation_questions_id_form_id'))
    )
    with op.batch_alter_table('evaluation_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_questions_form_id'), ['form_id'], unique=False)

    op.create_table('evaluation_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('max_score', sa.Integer(), nullable=True),
    sa.CheckConstraint('NOT anonymous OR (registration_id IS NULL AND submitted_at IS NULL)', name=op.f('ck_evaluation_responses_anonymous_is_anonymous')),
    sa.CheckConstraint('anonymous OR registration_id IS NOT NULL', name=op.f('ck_evaluation_responses_named_has_registration')),
    sa.ForeignKeyConstraint(['form_id', 'anonymous'], ['evaluation_forms.id', 'evaluation_forms.anonymous'], name=op.f('fk_evaluation_responses_form_id_anonymous_evaluation_forms'), onupdate='CASCADE', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_evaluation_responses_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_responses')),
    sa.UniqueConstraint('form_id', 'registration_id', name=op.f('uq_evaluation_responses_form_id_registration_id')),
    sa.UniqueConstraint('id', 'form_id', name=op.f('uq_evaluation_responses_id_form_id'))
    )
    with op.batch_alter_table('evaluation_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_responses_form_id'), ['form_id'], unique=False)

    op.create_table('evaluation_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['question_id', 'form_id'], ['evaluation_questions.id', 'evaluation_questions.form_id'], name=op.f('fk_evaluation_answers_question_id_form_id_evaluation_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id', 'form_id'], ['evaluation_responses.id', 'evaluation_responses.form_id'], name=op.f('fk_evaluation_answers_response_id_form_id_evaluation_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answers'))
    )
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_answers_form_id'), ['form_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_answers_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_answers_response_id'), ['response_id'], unique=False)



def downgrade():
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_response_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_question_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_form_id'))

    op.drop_table('evaluation_answers')
    with op.batch_alter_table('evaluation_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_responses_form_id'))

    op.drop_table('evaluation_responses')
    with op.batch_alter_table('evaluation_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_questions_form_id'))

    op.drop_table('evaluation_questions')
    with op.batch_alter_table('evaluation_completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_completions_registration_id'))

    op.drop_table('evaluation_completions')
    with op.batch_alter_table('evaluation_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_forms_event_id'))

    op.drop_table('evaluation_forms')
