"""The outbox as organisers see it: every mail, its status, and the mail as it arrives."""

import base64
import re

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.organiser.mail_list import mail_filter, mail_query
from eventapp.platform.db import MAX_ID, utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.kinds import NothingToCompose, known, label_of, message_of, names
from eventapp.platform.mail.messages import text_of
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.platform.mail.sender import resend, sending_context
from eventapp.platform.staff.back_office import back_office, menu_entry

bp = back_office("outbox", __name__)
menu_entry(bp, "list_mail", _l("Outgoing mail"), 10, per_event=False)
PER_PAGE = 50

# The mail's own HTML uses inline styles (as mail does); it may show its own inline images, nothing else.
MAIL_HTML_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"


bp.add_app_template_filter(label_of, "mail_kind")


def get_mail_or_404(mail_id: int) -> OutgoingMail:
    outgoing = db.session.get(OutgoingMail, mail_id)
    if outgoing is None or not known(outgoing.kind):
        abort(404)
    return outgoing


def composed(outgoing: OutgoingMail):
    """The message as it was built and sent; one not yet built as the sender would send it now."""
    with sending_context(current_app):
        try:
            return message_of(outgoing)
        except NothingToCompose:
            abort(404)


def page_number() -> int:
    """?page=: the first page when missing or no number; a 404 past every page a list can have."""
    asked = request.args.get("page", "")
    if not (asked.isascii() and asked.isdigit()):
        return 1
    if len(asked) > len(str(MAX_ID)) or int(asked) > MAX_ID // PER_PAGE:
        abort(404)
    return max(int(asked), 1)


@bp.get("/mail/")  # the old address stays (url_for gives the first: /organiser/outbox)
@bp.get("/outbox")
def list_mail():
    """The mails, newest first, with their delivery status: filtered by event, kind, status and address."""
    events = db.session.scalars(select(Event).order_by(Event.date.desc())).all()
    asked_event = request.args.get("event", "")
    event = next((e for e in events if e.slug == asked_event), None)
    wanted = mail_filter(event, request.args.get("kind", ""), request.args.get("status", ""), request.args.get("q", ""))
    page = db.paginate(
        mail_query(wanted), page=page_number(), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False
    )
    kinds = sorted(((name, str(label_of(name))) for name in names()), key=lambda pair: pair[1].casefold())
    return render_template(
        "organiser/outbox.html",
        page=page,
        mails=page.items,
        wanted=wanted,
        events=events,
        kinds=kinds,
        statuses=list(MailStatus),
        resend_form=FlaskForm(),
    )


def part_kind(content_type: str, method: str) -> str:
    """A mail part in words ("PDF", "agenda-uitnodiging"): an organiser does not read MIME types."""
    if content_type == "text/calendar":
        return _("calendar cancellation") if method.upper() == "CANCEL" else _("calendar invitation")
    kinds = {
        "text/plain": _("plain text"),
        "text/html": _("HTML (as it arrives)"),
        "application/pdf": _("PDF"),
        "image/png": _("image"),
        "image/jpeg": _("image"),
        "image/svg+xml": _("image"),
    }
    if content_type in kinds:
        return kinds[content_type]
    return _("image") if content_type.startswith("image/") else _("attachment")


@bp.get("/mail/<id:mail_id>")
def show_mail(mail_id: int):
    """One mail: headers, text, HTML (framed) and attachments."""
    outgoing = get_mail_or_404(mail_id)
    message = composed(outgoing)
    parts = [
        (index, part_kind(part.get_content_type(), part.get_param("method") or ""), part.get_filename() or "")
        for index, part in enumerate(message.walk())
        if not part.is_multipart()
    ]
    text = text_of(message)
    return render_template(
        "organiser/outbox_mail.html", mail=outgoing, message=message, text=text, parts=parts, resend_form=FlaskForm()
    )


@bp.get("/mail/<id:mail_id>/html")
def mail_html(mail_id: int):
    """The HTML part, with its inline images (the QR code) written into it as data: addresses.

    The frame is sandboxed, so it has an origin of its own: the browser would send an image request from it
    without the organiser's cookie (SameSite), and a link to a part would answer with the login page.
    """
    message = composed(get_mail_or_404(mail_id))
    html = message.get_body(("html",)).get_content()
    html = re.sub(r'src="cid:([^"]+)"', lambda m: f'src="{inline_image(message, m.group(1))}"', html)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = MAIL_HTML_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def inline_image(message, cid: str) -> str:
    """The image part with Content-ID `cid` as a data: address (empty when the mail has no such image)."""
    for part in message.walk():
        if (part["Content-ID"] or "").strip("<>") == cid and part.get_content_maintype() == "image":
            encoded = base64.b64encode(part.get_payload(decode=True)).decode("ascii")
            return f"data:{part.get_content_type()};base64,{encoded}"
    return ""


@bp.get("/mail/<id:mail_id>/part/<int:index>")
def mail_part(mail_id: int, index: int):
    """One leaf of the MIME tree (an image, a calendar file) as it is in the mail."""
    parts = [part for part in composed(get_mail_or_404(mail_id)).walk()]
    if index >= len(parts) or parts[index].is_multipart():
        abort(404)
    part = parts[index]
    response = Response(part.get_payload(decode=True), mimetype=part.get_content_type())
    if part.get_filename():
        response.headers["Content-Disposition"] = f'inline; filename="{part.get_filename()}"'
    return response


@bp.post("/mail/<id:mail_id>/resend")
def resend_mail(mail_id: int):
    """Put a mail back in the outbox (after a failure, or on request)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    resend(get_mail_or_404(mail_id), utcnow())
    db.session.commit()
    return redirect(url_for(".list_mail"))
