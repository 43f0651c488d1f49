# Settings shared by every environment. Each environment file beside this one overrides
# them, and any setting can be overridden again as an EVENTAPP_<NAME> environment variable.

# Development-only key; production refuses to start with it (see eventapp.settings).
SECRET_KEY = "dev-not-secret-change-me"

# None means: a SQLite file in the instance folder. DATABASE_URL overrides it.
SQLALCHEMY_DATABASE_URI = None
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
# Milliseconds a SQLite connection waits for a lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 15000

# The organisers' time zone: agenda times are wall-clock times here.
EVENT_TIMEZONE = "Europe/Amsterdam"
LANGUAGES = ["nl", "en"]
BABEL_DEFAULT_LOCALE = "nl"
BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"

WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch still submits
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
MAX_CONTENT_LENGTH = 64 * 1024  # no uploads: forms and JSON are small

MAIL_SERVER = "localhost"
MAIL_PORT = 25
MAIL_DEFAULT_SENDER = "Jeugd en Veiligheid Oost-Nederland <noreply@localhost>"

# Who sends the invitations, as calendars show it, and the domain that makes calendar UIDs unique.
ORGANIZER_NAME = "Jeugd en Veiligheid Oost-Nederland"
ORGANIZER_EMAIL = "noreply@localhost"
CALENDAR_UID_DOMAIN = "eventapp.jeugd-en-veiligheid-oost.nl"
