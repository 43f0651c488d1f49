"""The desk's own name, kept per device."""

from urllib.parse import unquote

from flask import request

# The desk's name is kept in a cookie, not in the browser storage that logging out clears: it is asked once per device.
DESK_COOKIE = "eventapp_desk"


def desk_name() -> str:
    """The name this device gave its desk (set by the scan page), or ""."""
    return unquote(request.cookies.get(DESK_COOKIE, ""))[:100]
