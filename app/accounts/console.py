"""Committee accounts on the web (/admin/pengguna): invite, roles, operators' events, deactivation, password
resets and API tokens, with the admin audit log on the page.

Accounts are an administrator's (`@admin_only`): the install's (every account) or a tenant's (its own
accounts). A committee member, who has the console for their events, has no accounts page."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.accounts import services
from app.accounts.display import account_time
from app.accounts.forms import ALL_TENANTS, NO_TENANT, AssignForm, InviteForm, RoleForm
from app.accounts.losses import deactivate_losses, reset_losses, revoke_losses, token_label
from app.accounts.messages import account_message, action_label
from app.accounts.routes import remembered
from app.confirm import ask_first, confirmed
from app.console import bp
from app.events import services as setup
from app.extensions import db
from app.models import Tenant, User
from app.routing import parse_id
from app.tenants.access import admin_only, may_administer_tenant, tenant_filter
from app.tenants.services import list_tenants


def _in_scope():
    """The accounts the signed-in admin manages: every one, or those of their tenant."""
    return tenant_filter(current_user, User.tenant_id)


def _user_or_404(user_id):
    user = services.find_user_by_id(user_id)
    if user is None or not may_administer_tenant(current_user, user.tenant_id):
        abort(404)  # another tenant's account does not exist for this admin
    return user


def _render_users(form, created=None, password=None, status=200):
    tenant_names = {tenant.id: tenant.name for tenant in list_tenants()}
    return render_template("admin/users.html", rows=services.list_users(_in_scope()), form=form,
                           log=services.audit_log(in_scope=_in_scope()), created=created, password=password,
                           tenant_names=tenant_names, action_label=action_label, account_time=account_time), status


def _tenant_choices():
    """The install administrator's tenant picker: a tenant, or explicitly every tenant."""
    return [(NO_TENANT, _("— pilih pemerintah —"))] + [
        (str(tenant.id), tenant.name) for tenant in list_tenants()
    ] + [(ALL_TENANTS, _("Semua pemerintah (admin instalasi)"))]


def _invite_form(**kwargs):
    """The invitation form; the install administrator picks the new account's tenant, explicitly
    "semua pemerintah" for another install administrator. A tenant admin's accounts join their tenant."""
    form = InviteForm(**kwargs)
    if current_user.tenant_id is not None:
        del form.tenant
    else:
        form.tenant.choices = _tenant_choices()
    return form


def _chosen_scope(form):
    """(the tenant, install-wide or not) the form asks for; a tenant admin's accounts join their tenant."""
    if "tenant" not in form:
        return current_user.tenant, False
    tenant_id = parse_id(form.tenant.data)
    tenant = db.session.get(Tenant, tenant_id) if tenant_id is not None else None
    return tenant, form.tenant.data == ALL_TENANTS


def _refusal_field(form, refusal):
    """Where a refusal is shown: a missing tenant by the picker, the rest by the e-mail or the role."""
    if refusal.code in services.SCOPE_REFUSALS and "tenant" in form:
        return form.tenant
    return form.email if "email" in form else form.role


@bp.route("/pengguna", methods=["GET", "POST"])
@admin_only
def users():
    form = _invite_form()
    if not form.validate_on_submit():
        return _render_users(form, status=422 if form.errors else 200)
    tenant, install_wide = _chosen_scope(form)
    try:
        user, password = services.invite_user(form.email.data, form.role.data, current_user,
                                              name=form.name.data or "", tenant=tenant, install_wide=install_wide)
    except services.AccountRefused as refusal:
        db.session.rollback()
        _refusal_field(form, refusal).errors.append(account_message(refusal))
        return _render_users(form, status=422)
    # Shown once, on this page only: never flashed (the session cookie is signed, not secret).
    return _render_users(_invite_form(formdata=None), created=user, password=password, status=201)


def _render_user(user, password=None, role_form=None, assign_form=None, status=200):
    assigned = services.user_events(user)
    assign_form = assign_form or AssignForm(formdata=None)
    assign_form.event.choices = [(event.id, event.title) for event in _assignable_events(user)
                                 if event not in assigned]
    role_form = role_form or _role_form(user, formdata=None, data={"role": user.role})
    return render_template(
        "admin/user.html", user=user, events=assigned, tokens=services.user_tokens(user),
        log=services.audit_log(user), role_form=role_form, assign_form=assign_form, password=password,
        action_label=action_label, account_time=account_time,
    ), status


def _role_form(user, **kwargs):
    """The role form; for an account without a tenant the install administrator also picks one, or
    keeps it install-wide on purpose. An account of a tenant keeps its tenant."""
    form = RoleForm(**kwargs)
    if user.tenant_id is not None or not current_user.is_install_admin:
        del form.tenant
        return form
    form.tenant.choices = _tenant_choices()
    if "data" in kwargs and user.role in services.INSTALL_WIDE_ROLES:
        form.tenant.data = ALL_TENANTS  # what it is now: kept unless another tenant is picked
    return form


def _assignable_events(user):
    """The events the signed-in admin may give `user`: those of the user's tenant (any, for an account
    without one)."""
    return [event for event in setup.list_events(current_user)
            if user.tenant_id is None or event.tenant_id == user.tenant_id]


@bp.route("/pengguna/<int:user_id>")
@admin_only
def user_detail(user_id):
    return _render_user(_user_or_404(user_id))


def _back_to(user, message, category="success"):
    flash(message, category)
    return redirect(url_for("admin.user_detail", user_id=user.id), code=303)


def _refused(user, refusal):
    db.session.rollback()
    return _back_to(user, account_message(refusal), "danger")


@bp.route("/pengguna/<int:user_id>/peran", methods=["POST"])
@admin_only
def change_user_role(user_id):
    user = _user_or_404(user_id)
    form = _role_form(user)
    if not form.validate_on_submit():
        return _render_user(user, role_form=form, status=422)
    tenant, install_wide = _chosen_scope(form) if "tenant" in form else (None, False)
    try:
        services.change_role(user, form.role.data, current_user, tenant=tenant, install_wide=install_wide)
    except services.AccountRefused as refusal:
        if refusal.code in services.SCOPE_REFUSALS:
            db.session.rollback()
            _refusal_field(form, refusal).errors.append(account_message(refusal))
            return _render_user(user, role_form=form, status=422)
        return _refused(user, refusal)
    return _back_to(user, _("Peran %(email)s disimpan.", email=user.email))


@bp.route("/pengguna/<int:user_id>/nonaktifkan", methods=["POST"])
@admin_only
def deactivate_user(user_id):
    user = _user_or_404(user_id)
    if user.active and not confirmed():
        return ask_first(title=_("Nonaktifkan %(email)s?", email=user.email), losses=deactivate_losses(user),
                         confirm_label=_("Ya, nonaktifkan"), back_url=url_for("admin.user_detail", user_id=user.id))
    try:
        services.set_active(user, False, current_user)
    except services.AccountRefused as refusal:
        return _refused(user, refusal)
    return _back_to(user, _("%(email)s dinonaktifkan: tidak dapat masuk, token API-nya tidak berlaku lagi.",
                            email=user.email))


@bp.route("/pengguna/<int:user_id>/aktifkan", methods=["POST"])
@admin_only
def reactivate_user(user_id):
    user = _user_or_404(user_id)
    services.set_active(user, True, current_user)
    return _back_to(user, _("%(email)s diaktifkan kembali.", email=user.email))


@bp.route("/pengguna/<int:user_id>/sandi", methods=["POST"])
@admin_only
def reset_user_password(user_id):
    user = _user_or_404(user_id)
    if not confirmed():
        return ask_first(title=_("Reset kata sandi %(email)s?", email=user.email), losses=reset_losses(user),
                         confirm_label=_("Ya, buat kata sandi baru"),
                         back_url=url_for("admin.user_detail", user_id=user.id))
    password = services.reset_password(user, current_user)
    db.session.commit()  # early: the sessions ended are committed before login_user signs this device in
    if user.id == current_user.id:  # every session of the account ended: keep this device signed in
        login_user(user, remember=remembered())
    return _render_user(user, password=password)


@bp.route("/pengguna/<int:user_id>/acara", methods=["POST"])
@admin_only
def assign_user_event(user_id):
    user = _user_or_404(user_id)
    form = AssignForm()
    event = None
    if form.validate_on_submit():
        event = next((e for e in setup.list_events(current_user) if e.id == form.event.data), None)
    if event is None:
        return _back_to(user, _("Pilih acara dari daftar."), "danger")
    try:
        services.assign(user, event, current_user)
    except services.AccountRefused as refusal:
        return _refused(user, refusal)
    return _back_to(user, _("%(email)s ditugaskan ke %(event)s.", email=user.email, event=event.title))


@bp.route("/pengguna/<int:user_id>/acara/<int:event_id>/lepas", methods=["POST"])
@admin_only
def unassign_user_event(user_id, event_id):
    user = _user_or_404(user_id)
    event = next((e for e in services.user_events(user) if e.id == event_id), None) or abort(404)
    services.unassign(user, event, current_user)
    return _back_to(user, _("%(email)s dilepas dari %(event)s.", email=user.email, event=event.title))


@bp.route("/pengguna/<int:user_id>/token/<int:token_id>/cabut", methods=["POST"])
@admin_only
def revoke_user_token(user_id, token_id):
    user = _user_or_404(user_id)
    token = next((t for t in services.user_tokens(user) if t.id == token_id and t.revoked_at is None), None)
    if token is None:
        abort(404)
    if not confirmed():
        return ask_first(title=_("Cabut token “%(name)s”?", name=token_label(token)),
                         losses=revoke_losses(token), confirm_label=_("Ya, cabut token"),
                         back_url=url_for("admin.user_detail", user_id=user.id))
    if not services.revoke_token(user, token_id, current_user):
        abort(404)
    return _back_to(user, _("Token dicabut: ditolak di semua server dalam beberapa detik."))

