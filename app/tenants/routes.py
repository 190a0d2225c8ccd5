"""/admin/pemerintah: a tenant's own settings (names, letterhead, privacy notice, retention), for its admins."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.security_headers import PRIVATE, cache_policy
from app.tenants.access import admin_only, may_administer_tenant, tenant_scope
from app.tenants.forms import TenantForm
from app.tenants.services import find_tenant, list_tenants

bp = Blueprint("admin_tenants", __name__, url_prefix="/admin/pemerintah")


cache_policy(bp, PRIVATE)


@bp.route("/")
@admin_only
def index():
    scope = tenant_scope(current_user)  # None: every tenant (the install administrator)
    tenants = [t for t in list_tenants() if scope is None or t.id in scope]
    if len(tenants) == 1 and scope is not None:
        return redirect(url_for("admin_tenants.edit", tenant_slug=tenants[0].slug))
    return render_template("tenants/index.html", tenants=tenants)


@bp.route("/<tenant_slug>", methods=["GET", "POST"])
@admin_only
def edit(tenant_slug):
    tenant = find_tenant(tenant_slug)
    if tenant is None or not may_administer_tenant(current_user, tenant.id):
        abort(404)
    form = TenantForm(obj=tenant)
    if form.validate_on_submit():
        for name in TenantForm.FIELDS:
            value = getattr(form, name).data
            setattr(tenant, name, value.strip() if isinstance(value, str) else value)
        flash(_("Pengaturan pemerintah disimpan."), "success")
        return redirect(url_for("admin_tenants.edit", tenant_slug=tenant_slug), code=303)
    return render_template("tenants/edit.html", tenant=tenant, form=form), 422 if form.errors else 200
