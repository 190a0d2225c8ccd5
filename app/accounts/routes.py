"""Each committee member's own account: changing their password (/akun/sandi)."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.accounts import services
from app.accounts.forms import ChangePasswordForm
from app.accounts.messages import account_message
from app.extensions import db
from app.security_headers import PRIVATE, cache_policy

bp = Blueprint("accounts", __name__, url_prefix="/akun")
cache_policy(bp, PRIVATE)


def remembered():
    """Whether this device came with a remember-me cookie."""
    return bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")))


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
            db.session.commit()  # early: the sessions ended are committed before login_user signs in again
            # Every session of the account has ended, this one too: sign this device in again, with a
            # new remember-me cookie if it had one, so that only the other devices are signed out.
            login_user(current_user._get_current_object(), remember=remembered())
            flash(_("Kata sandi Anda diganti."), "success")
            return redirect(url_for("accounts.change_password"), code=303)
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form), status
