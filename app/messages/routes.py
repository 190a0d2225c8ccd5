"""Participants' pages: "Lupa tiket?" and the edit link."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from app.events.lookup import find_event
from app.extensions import db, limiter
from app.messages.forms import ForgotTicketForm
from app.messages.services import forgot_ticket
from app.models import Registration

bp = Blueprint("messages", __name__)


@bp.route("/e/<slug>/lupa-tiket", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_FORGOT_TICKET"], methods=["POST"])
def forgot(slug):
    """The same answer whether or not the person is registered; the link goes only to their e-mail."""
    event = find_event(slug) or abort(404)
    form = ForgotTicketForm()
    if form.validate_on_submit():
        forgot_ticket(event, form.identifier.data)
        db.session.commit()
        return redirect(url_for("messages.forgot", slug=slug, terkirim=1), code=303)
    status = 422 if form.errors else 200
    return render_template("messages/forgot.html", event=event, form=form,
                           done=bool(request.args.get("terkirim"))), status


def _by_edit_token(token):
    if not token or len(token) > 64:
        return None
    return db.session.execute(db.select(Registration).filter_by(edit_token=token)).scalar_one_or_none()


@bp.route("/ubah/<token>", methods=["GET", "POST"])
def edit_registration(token):
    _by_edit_token(token) or abort(404)
    abort(404)
