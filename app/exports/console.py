"""The SPJ settings of an event: who signs the daftar hadir, its phone column, the transport rate."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.console import bp
from app.exports.forms import SIGNATURE_ROLES, PaperworkForm
from app.exports.paperwork import FIELDS, PaperworkConflict, paperwork_of, save_paperwork
from app.tenants.access import MANAGE, console, event_or_404


@bp.route("/acara/<slug>/spj", methods=["GET", "POST"])
@console(MANAGE)
def paperwork(slug):
    event = event_or_404(slug)
    form = PaperworkForm(obj=paperwork_of(event) if request.method == "GET" else None)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in FIELDS}
        values.update({name: (values[name] or "").strip() for name in FIELDS if name.startswith("signature_")})
        values["signature_nip"] = form.signature_nip.cleaned
        try:
            save_paperwork(event, **values)
        except PaperworkConflict:
            form.form_errors.append(_("Pengaturan ini baru saja disimpan orang lain. Periksa lalu simpan lagi."))
        else:
            flash(_("Pengaturan daftar hadir dan SPJ disimpan."), "success")
            return redirect(url_for("admin.paperwork", slug=slug), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/paperwork.html", event=event, form=form, roles=SIGNATURE_ROLES), status
