"""device tokens: an API token may expire (the check-in desks' tokens do)

Revision ID: 0021_device_tokens
Revises: 0029_delegate_links
Create Date: 2026-12-06 05:00:00

A station opened by an operator receives a device token (a Bearer ApiToken named after the
desk) that lives DEVICE_TOKEN_DAYS; tokens made by `flask create-token` keep no end (NULL).
"""
from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime


revision = "0021_device_tokens"
down_revision = "0029_delegate_links"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
