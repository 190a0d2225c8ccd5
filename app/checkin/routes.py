"""The operator's check-in station page and the service worker that keeps it working offline."""
from datetime import timedelta

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from app.auth.services import issue_device_token
from app.security_headers import REVALIDATE, cache_policy
from app.tenants.access import OPERATE, event_or_404, operator_of_event
from app.timezones import event_time, today_in

bp = Blueprint("checkin", __name__)

# Everything the station needs to start again without a network.
STATION_ASSETS = (
    "css/app.css", "css/checkin.css", "vendor/jsqr/jsQR.js", "js/checkin/station.js", "js/checkin/api.js",
    "js/checkin/camera.js", "js/checkin/offline.js", "js/checkin/feedback.js", "js/checkin/results.js",
    "js/checkin/scanner.js", "js/checkin/search.js", "js/checkin/outcome.js",
)


@bp.route("/e/<slug>/checkin")
@operator_of_event
def station(slug):
    event = event_or_404(slug, OPERATE)
    today = today_in(event)
    return render_template(
        "checkin/station.html",
        event=event,
        today=today,
        today_is_event_day=event.day_on(today) is not None,
        assets=[url_for("static", filename=name) for name in STATION_ASSETS],
        modules=[url_for("static", filename=name) for name in STATION_ASSETS if name.startswith("js/")],
    )


@bp.post("/e/<slug>/checkin/perangkat")
@operator_of_event
def device_token(slug):
    """The desk's own Bearer token, asked by the station page with the operator's session (and
    CSRF): the desk's API calls then depend neither on the page's CSRF token nor on the session.
    Body: {"device": "meja-1", "replaces": "<the token the desk held before, if any>"}."""
    event = event_or_404(slug, OPERATE)
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    device, replaces = body.get("device"), body.get("replaces")
    secret, token = issue_device_token(
        current_user, device if isinstance(device, str) else "",
        timedelta(days=current_app.config["DEVICE_TOKEN_DAYS"]),
        replaces=replaces if isinstance(replaces, str) else None,
    )
    return {"token": secret, "name": token.name, "expires_at": event_time(token.expires_at, event)}


@bp.route("/checkin-sw.js")
def service_worker():
    """Served from the site root so that its scope can cover every /e/<slug>/checkin page."""
    response = current_app.send_static_file("js/checkin/sw.js")
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    cache_policy(response, REVALIDATE)
    response.headers["Service-Worker-Allowed"] = "/"
    return response
