"""A test hook of the served app: the check-in API answers as a busy or failing server would.

Only in the testing configuration, and only when EVENTAPP_TEST_FAULT_PATH names a file: while that file
holds an HTTP status (429, 503...), every check-in API call gets that answer, as a rate limit or an outage
would give it. Browser tests write the file to see what the real desk does; nothing of the desk is mocked.
"""

import os
from pathlib import Path

from flask import current_app

from eventapp.platform.staff.access import api_error

FAULT_FILE = "EVENTAPP_TEST_FAULT_PATH"  # not *_FILE: settings read those as secret files
FAULTS = {429: ("rate_limited", "too many requests"), 503: ("unavailable", "the server is busy")}


def injected_fault():
    """The answer the test asked for, or None to let the request through."""
    if not current_app.testing or not os.environ.get(FAULT_FILE):
        return None
    path = Path(os.environ[FAULT_FILE])
    text = path.read_text().strip() if path.exists() else ""
    if not text.isdigit():
        return None
    status = int(text)
    error, message = FAULTS.get(status, ("server_error", "server error"))
    return api_error(status, error, message)
