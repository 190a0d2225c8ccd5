from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth.forms import LoginForm
from app.auth.services import end_sessions, log_in
from app.auth.throttle import LoginLocked
from app.extensions import db, limiter
from app.routing import local_path

bp = Blueprint("auth", __name__, url_prefix="/masuk")


def _safe_next(target):
    return local_path(target) or url_for("public.index")


def _fresh_session():
    """Start the signed-in session from nothing but the language: a session planted before login
    (with a CSRF token its planter knows) must not become the staff member's session."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = log_in(form.email.data, form.password.data)
        except LoginLocked as locked:
            db.session.commit()  # here: a 429 rolls back (app/transactions.py); the refused attempt is not counted
            flash(_("Terlalu banyak percobaan masuk yang gagal untuk akun ini. Coba lagi dalam %(minutes)s menit.",
                    minutes=locked.minutes_left()), "danger")
            return render_template("auth/login.html", form=form), 429
        db.session.commit()  # early: the attempt is counted (a failure) or the session recorded before login_user
        if user is None:
            flash(_("E-mail atau kata sandi salah."), "danger")
        else:
            _fresh_session()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/keluar", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        # Every session of this account ends, on every device, with its remember-me cookies.
        end_sessions(current_user)
        db.session.commit()  # early: every session has ended before logout_user clears this one
    logout_user()
    # The next page makes a check-in station on this device forget its copy of the tickets.
    session["forget_station"] = True
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("public.index"))
