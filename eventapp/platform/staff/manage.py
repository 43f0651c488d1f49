"""Organiser page of the staff accounts: invite someone by e-mail, withdraw an invitation, disable or enable an
account, log one out everywhere. Every change is audited."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.i18n import current_language
from eventapp.platform.staff import invitations, sessions
from eventapp.platform.staff.back_office import back_office
from eventapp.platform.staff.forms import InviteForm
from eventapp.platform.staff.models import StaffInvitation, User

bp = back_office("staff_admin", __name__, url_prefix="/organiser/staff")


def render_staff(form: InviteForm, status: int = 200):
    """Every account with its role, state and number of logged-in browsers; the open invitations; the form."""
    now = utcnow()
    users = db.session.scalars(select(User).order_by(User.email))
    rows = [(user, len(sessions.active_sessions(db.session, user, now))) for user in users]
    pending = invitations.open_invitations(db.session, now)
    return make_response(render_template("organiser/staff.html", rows=rows, pending=pending, form=form), status)


# One rule per address, GET and POST together (as the devices page).
@bp.route("/", methods=["GET", "POST"])
def list_staff():
    """The accounts and invitations; a POST invites (the mail goes through the outbox, in this page's language)."""
    form = InviteForm()
    if request.method == "GET":
        return render_staff(form)
    if not form.validate_on_submit():
        return render_staff(form, 422)
    try:
        invitation, _token = invitations.invite(
            db.session,
            form.email.data or "",
            form.name.data or "",
            form.role.data,
            current_user,
            utcnow(),
            current_language(),
        )
    except invitations.OwnAddress:
        form.email.errors = [*form.email.errors, _("This is your own account.")]
        return render_staff(form, 422)
    audit(db.session, current_user, "staff.invited", account=invitation.email, role=str(invitation.role))
    db.session.commit()
    flash(_("An invitation is on its way to %(email)s.", email=invitation.email), "success")
    return redirect(url_for(".list_staff"))


@bp.post("/invitations/<id:invitation_id>/withdraw")
def withdraw_invitation(invitation_id: int):
    """The link stops working at once (a mail sent to a wrong address, say)."""
    invitation = db.session.get(StaffInvitation, invitation_id) or abort(404)
    if invitations.withdraw(invitation, utcnow()):
        audit(db.session, current_user, "staff.invitation_withdrawn", account=invitation.email)
        db.session.commit()
        flash(_("The invitation to %(email)s is withdrawn.", email=invitation.email), "success")
    return redirect(url_for(".list_staff"))


@bp.route("/<id:user_id>/disable", methods=["GET", "POST"])
def disable(user_id: int):
    """GET asks first; the confirmed POST disables the account and ends its sessions (never one's own)."""
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for(".list_staff"))
    if request.method == "GET":
        count = len(sessions.active_sessions(db.session, user, utcnow()))
        return render_template("organiser/staff_active.html", user=user, count=count, enable=False)
    if user.active:
        ended = invitations.disable_account(db.session, user, current_user, utcnow())
        audit(db.session, current_user, "staff.disabled", account=user.email, sessions=ended)
        db.session.commit()
    flash(_("%(email)s can no longer log in.", email=user.email), "success")
    return redirect(url_for(".list_staff"))


@bp.route("/<id:user_id>/enable", methods=["GET", "POST"])
def enable(user_id: int):
    """GET asks first; the confirmed POST lets the account log in again."""
    user = db.session.get(User, user_id) or abort(404)
    if request.method == "GET":
        return render_template("organiser/staff_active.html", user=user, count=0, enable=True)
    if invitations.enable_account(user):
        audit(db.session, current_user, "staff.enabled", account=user.email)
        db.session.commit()
    flash(_("%(email)s can log in again.", email=user.email), "success")
    return redirect(url_for(".list_staff"))


@bp.route("/<id:user_id>/logout-everywhere", methods=["GET", "POST"])
def logout_everywhere(user_id: int):
    """GET asks first; the confirmed POST ends every session of the account (audited)."""
    user = db.session.get(User, user_id) or abort(404)
    if request.method == "GET":
        count = len(sessions.active_sessions(db.session, user, utcnow()))
        return render_template("organiser/staff_logout.html", user=user, count=count)
    ended = sessions.end_all_sessions(db.session, user, utcnow())
    audit(db.session, current_user, "staff.logout_everywhere", account=user.email, sessions=ended)
    db.session.commit()
    flash(_("%(email)s is logged out on every device.", email=user.email), "success")
    if user.id == current_user.id:
        return redirect(url_for("staff.login"))
    return redirect(url_for(".list_staff"))
