"""Language choice: Indonesian unless the visitor asks for English."""
from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import get_locale, refresh

from app.extensions import babel
from app.routing import local_path

bp = Blueprint("i18n", __name__)


def select_locale():
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.route("/bahasa/<code>")
def choose_language(code):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    # Only a path on this site, never an absolute URL elsewhere.
    return redirect(local_path(request.args.get("next")) or url_for("public.index"))


def init_i18n(app):
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    # Flask-Babel caches the locale on the app context; a context reused across
    # requests (the test client's, or a streamed response's) must choose again.
    app.before_request(refresh)

    @app.context_processor
    def language_context():
        return {"current_locale": str(get_locale())}
