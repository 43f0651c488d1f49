"""The newsletter's mails: the confirmation link, and the newsletter with its one-click unsubscribe."""

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from eventapp.newsletter.models import NewsletterMail, Subscriber, SubscriberStatus
from eventapp.newsletter.services import confirmation_token
from eventapp.platform.extensions import db
from eventapp.platform.mail import kinds
from eventapp.platform.mail.messages import MailParts
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.settings import settings


def newsletter_parts(mail: OutgoingMail) -> MailParts:
    """Subject, text and HTML of a newsletter mail; a newsletter carries RFC 8058 unsubscribe headers."""
    if mail.payload.get("test"):
        subscriber = sample_subscriber(mail.recipient, mail.language)
    else:
        subscriber = db.session.get_one(Subscriber, mail.payload["subscriber_id"])
    unsubscribe_url = url_for("newsletter.unsubscribe", token=subscriber.unsubscribe_token, _external=True)
    context = {"subscriber": subscriber, "kind": mail.kind, "unsubscribe_url": unsubscribe_url}
    is_newsletter = mail.kind != NewsletterMail.CONFIRM
    if is_newsletter:
        context.update(subject=mail.payload["subject"], body=mail.payload["body"])
        subject = mail.payload["subject"]
    else:
        token = confirmation_token(current_app.config["SECRET_KEY"], subscriber)
        context["confirm_url"] = url_for("newsletter.confirm", token=token, _external=True)
        subject = _("Please confirm your subscription to the newsletter")
    return MailParts(
        subject=subject,
        sender=(settings().organizer_name, settings().organizer_email),
        recipient=(subscriber.name, subscriber.email),
        text=render_template("mail/newsletter.txt", **context),
        html=render_template("mail/newsletter.html", **context),
        mailing_list=("newsletter", _("Newsletter of %(organiser)s", organiser=settings().organizer_name))
        if is_newsletter
        else None,
        unsubscribe_url=unsubscribe_url if is_newsletter else None,
    )


def sample_subscriber(address: str, language: str) -> Subscriber:
    """The subscriber of a preview or an organiser's test copy: never stored, and its unsubscribe link leads nowhere."""
    return Subscriber(email=address, name="", language=language, unsubscribe_token="voorbeeld")


def preview_text(subject: str, body: str, language: str) -> str:
    """The newsletter's text as a subscriber without a name receives it."""
    subscriber = sample_subscriber("", language)
    url = url_for("newsletter.unsubscribe", token=subscriber.unsubscribe_token, _external=True)
    return render_template(
        "mail/newsletter.txt",
        subscriber=subscriber,
        kind=NewsletterMail.NEWSLETTER,
        subject=subject,
        body=body,
        unsubscribe_url=url,
    )


def still_wanted(mail: OutgoingMail) -> bool:
    """A confirmation link only while the sign-up waits for it; a newsletter only to a confirmed subscriber.

    Whoever left the list (or was purged, or confirmed already) gets neither.
    """
    if mail.payload.get("test"):
        return True
    subscriber = db.session.get(Subscriber, mail.payload.get("subscriber_id", 0))
    wanted = SubscriberStatus.PENDING if mail.kind == NewsletterMail.CONFIRM else SubscriberStatus.CONFIRMED
    return subscriber is not None and subscriber.status == wanted


def register_kinds() -> None:
    """Make the newsletter's mails known to the outbox."""
    for kind in NewsletterMail:
        kinds.register(kind, newsletter_parts, still_wanted)
