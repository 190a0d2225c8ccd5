"""Participants' pages: "Lupa tiket?" and the edit link."""
from flask import Blueprint, abort

from app.extensions import db
from app.models import Registration

bp = Blueprint("messages", __name__)


def _by_edit_token(token):
    if not token or len(token) > 64:
        return None
    return db.session.execute(db.select(Registration).filter_by(edit_token=token)).scalar_one_or_none()


@bp.route("/ubah/<token>", methods=["GET", "POST"])
def edit_registration(token):
    _by_edit_token(token) or abort(404)
    abort(404)
