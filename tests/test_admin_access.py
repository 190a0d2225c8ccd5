"""Every admin page and action refuses anonymous visitors and operators.

The test walks the URL map, so pages added later under an endpoint starting with
"admin" (another blueprint's included) are covered without touching this file.
"""
import pytest
from werkzeug.routing.converters import NumberConverter

SAMPLE_ARGUMENTS = {"slug": "bimtek-uji", "token": "x" * 43}


def admin_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0].startswith("admin")]
    assert len(rules) >= 20  # the console's pages are all there
    return rules


def url_for_rule(rule):
    values = {}
    for name in rule.arguments:
        numeric = isinstance(rule._converters[name], NumberConverter)
        values[name] = 1 if numeric else SAMPLE_ARGUMENTS.get(name, "x")
    return rule.build(values)[1]


def calls(app):
    for rule in admin_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url_for_rule(rule)


def test_anonymous_visitors_are_sent_to_the_login_page(app, client, make):
    event = make.event()
    make.registration(event)
    for method, url in calls(app):
        response = client.open(url, method=method)
        assert response.status_code in (302, 401), (method, url, response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/masuk/"), (method, url)


def test_operators_are_refused(app, client, make, auth):
    event = make.event()
    make.registration(event)
    make.user("operator@example.go.id", role="operator")
    auth.login("operator@example.go.id")
    for method, url in calls(app):
        response = client.open(url, method=method)
        # An event's pages are outside an operator's scope (404); the rest of the console is refused (403).
        expected = 404 if "/bimtek-uji" in url else 403
        assert response.status_code == expected, (method, url, response.status_code)


@pytest.mark.parametrize("role, shown", [("admin", True), ("operator", False)])
def test_the_admin_link_is_shown_to_admins_only(client, make, auth, role, shown):
    make.user(f"{role}@example.go.id", role=role)
    auth.login(f"{role}@example.go.id")
    page = client.get("/").get_data(as_text=True)
    assert ('href="/admin/"' in page) is shown


def test_admins_reach_every_page(app, client, make, auth):
    event = make.event()
    make.registration(event)
    make.user()
    auth.login("admin@example.go.id")
    for rule in admin_rules(app):
        if "GET" not in rule.methods or rule.arguments - {"slug"}:  # pages of one row are tested elsewhere
            continue
        response = client.get(url_for_rule(rule))
        if response.status_code == 308:  # a page's old address leads to the page
            response = client.get(response.headers["Location"])
        assert response.status_code == 200, (rule.rule, response.status_code)
        if rule.endpoint.startswith("admin."):
            assert response.headers["Cache-Control"] == "private, no-store"


def test_every_console_blueprint_checks_the_console_scope_and_no_other_does(app):
    """The scope check is on the console's views (app/tenants/access.py: `@console(MANAGE)` …), not in a
    hook run for every request: a scan or a page of the public site never pays for it."""
    console_capabilities = {"console", "admin", "event:manage"}

    def capability(endpoint):
        return getattr(app.view_functions[endpoint], "access", None)

    console = {rule.endpoint.split(".")[0] for rule in admin_rules(app)}
    assert console >= {"admin", "admin_certificates", "admin_privacy", "admin_tenants"}
    unchecked = [rule.endpoint for rule in admin_rules(app) if capability(rule.endpoint) not in console_capabilities]
    assert unchecked == []
    # Outside the console only the check-in station of an event is checked so (its operators'), and no
    # hook of the app or of a blueprint checks a console's scope.
    elsewhere = {endpoint: capability(endpoint) for endpoint in app.view_functions
                 if endpoint.split(".")[0] not in console and capability(endpoint) is not None}
    assert elsewhere == {"checkin.station": "event:operate", "checkin.device_token": "event:operate"}
    hooks = [hook for hooks in app.before_request_funcs.values() for hook in hooks]
    assert [hook for hook in hooks if hook.__module__ == "app.tenants.access"] == []
