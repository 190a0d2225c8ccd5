"""Each committee member's own account: changing their password (/akun/sandi)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import services
from app.accounts.forms import ChangePasswordForm
from app.accounts.messages import account_message
from app.extensions import db

bp = Blueprint("accounts", __name__, url_prefix="/akun")


@bp.after_request
def keep_private(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, form.current.data, form.new.data)
        except services.AccountRefused as refusal:
            field = form.current if refusal.code == "wrong_password" else form.new
            field.errors.append(account_message(refusal))
        else:
            db.session.commit()
            flash(_("Kata sandi Anda diganti."), "success")
            return redirect(url_for("accounts.change_password"), code=303)
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form), status
