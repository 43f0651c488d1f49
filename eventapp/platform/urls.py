"""Absolute links at the public address, whatever Host header a request came with."""

from urllib.parse import urlsplit

from flask import current_app

from eventapp.platform.settings import settings


def public_url(endpoint: str, **values) -> str:
    """The link to `endpoint` at EVENTAPP_PUBLIC_URL.

    url_for(_external=True) uses the request's Host header, which a client chooses: a forged Host
    must never end up in a calendar file or a mail that the person keeps.
    """
    public = urlsplit(settings().public_url)
    adapter = current_app.url_map.bind(public.netloc, script_name=public.path or "/", url_scheme=public.scheme)
    return adapter.build(endpoint, values, force_external=True)
