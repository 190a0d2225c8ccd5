"""Asking before destroying: a confirmation page rendered by the server, so it needs no script (CSP).

A destructive POST without `confirmed=yes` is answered with a page that says what will be
lost and re-posts the same fields, plus `confirmed=yes`, to the same address; "Kembali"
leaves everything as it was. The server decides, so a form sent without the step (an old
tab, a script, a double click) still asks first.
"""
from flask import render_template, request

CONFIRMED = "confirmed"


def confirmed():
    return request.form.get(CONFIRMED) == "yes"


def ask_first(*, title, losses, confirm_label, back_url, layout="admin/_layout.html"):
    """The confirmation page for the current POST: `losses` lists, in words, what the action destroys."""
    fields = [(name, value) for name, values in request.form.lists() if name not in ("csrf_token", CONFIRMED)
              for value in values]
    return render_template("confirm.html", title=title, losses=losses, confirm_label=confirm_label,
                           back_url=back_url, action=request.path, fields=fields, layout=layout), 200
