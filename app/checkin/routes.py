"""The operator's check-in station page and the service worker that keeps it working offline."""
from flask import Blueprint, current_app, render_template, url_for
from flask_login import login_required

from app.checkin.services import today_in
from app.security_headers import REVALIDATE, cache_policy
from app.tenants.access import OPERATE, event_or_404

bp = Blueprint("checkin", __name__)

# Everything the station needs to start again without a network.
STATION_ASSETS = (
    "css/app.css", "css/checkin.css", "vendor/jsqr/jsQR.js", "js/checkin/station.js", "js/checkin/api.js",
    "js/checkin/camera.js", "js/checkin/offline.js", "js/checkin/feedback.js", "js/checkin/results.js",
    "js/checkin/scanner.js", "js/checkin/search.js",
)


@bp.route("/e/<slug>/checkin")
@login_required
def station(slug):
    event = event_or_404(slug, OPERATE)
    today = today_in(event)
    return render_template(
        "checkin/station.html",
        event=event,
        today=today,
        today_is_event_day=event.day_on(today) is not None,
        assets=[url_for("static", filename=name) for name in STATION_ASSETS],
    )


@bp.route("/checkin-sw.js")
def service_worker():
    """Served from the site root so that its scope can cover every /e/<slug>/checkin page."""
    response = current_app.send_static_file("js/checkin/sw.js")
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    cache_policy(response, REVALIDATE)
    response.headers["Service-Worker-Allowed"] = "/"
    return response
