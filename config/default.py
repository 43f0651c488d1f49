# Settings shared by every environment. Each environment file beside this one overrides
# them, and any setting can be overridden again as an EVENTAPP_<NAME> environment variable.

# Development-only key; production refuses to start with it (see eventapp.platform.settings).
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

# Who sends the mails and invitations (From, and ORGANIZER in calendars).
ORGANIZER_NAME = "Jeugd en Veiligheid Oost-Nederland"
ORGANIZER_EMAIL = "noreply@localhost"
# Where the app is reached from outside: links in mails point here.
PUBLIC_URL = "http://127.0.0.1:5000"
# The outbox sender: attempts before a mail is marked failed, first retry delay (doubling), and
# how long a claimed mail is held before another sender may try it.
MAIL_MAX_ATTEMPTS = 8
MAIL_RETRY_SECONDS = 60
MAIL_CLAIM_SECONDS = 120
# Run the sender in a thread of the web process (development); production runs `flask send-mail --loop`.
MAIL_SENDER_IN_PROCESS = False
MAIL_SENDER_POLL_SECONDS = 5
# The domain that makes calendar UIDs unique.
CALENDAR_UID_DOMAIN = "eventapp.jeugd-en-veiligheid-oost.nl"
# An organiser's change to the day reaches attendees' calendars after this wait, so that several
# edits in a few minutes become one update mail.
CALENDAR_UPDATE_DELAY_SECONDS = 300

# Rate limits: kept in memory per process unless a shared store is named, e.g. redis://127.0.0.1:6379/0.
# EVENTAPP_RATELIMIT_ENABLED=false switches them off (the login limits too). Said here for every app: Flask-Limiter
# otherwise keeps the last app's choice for the next one made in the same process.
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = "memory://"
# Production refuses memory:// unless this is set: only a deployment of one single-worker process may count in memory.
ALLOW_MEMORY_RATELIMIT = False
# Production refuses session cookies without Secure unless this is set: only a test deployment served on loopback
# over plain HTTP (a browser does not send a Secure cookie there).
ALLOW_INSECURE_COOKIES = False
RATELIMIT_HEADERS_ENABLED = True
LOGIN_RATE_LIMIT = "10 per minute; 100 per hour"
# Login attempts per account (the e-mail address typed), from any address: stops guessing one
# person's password from many machines; a lock-out of the real person lasts minutes, not days.
LOGIN_ACCOUNT_RATE_LIMIT = "5 per minute; 20 per hour"
NEWSLETTER_RATE_LIMIT = "5 per minute; 30 per hour"
CHECKIN_RATE_LIMIT = "600 per minute"  # per desk address: far above a person scanning, stops a script
# Desk search (and the "not arrived yet" list) per device: a person types perhaps ten searches a minute; a script
# copying the attendee list is stopped. Per account higher: the shared desk account is on several tablets.
DESK_SEARCH_RATE_LIMIT = "30 per minute; 300 per hour"
DESK_SEARCH_ACCOUNT_RATE_LIMIT = "90 per minute; 900 per hour"
# One audit entry per desk for every so many searches ("desk 2 made 20 searches"), not one per search.
DESK_SEARCH_AUDIT_EVERY = 20
# /verify/<code> per client address: an employer checks a few statements, a script guessing codes is stopped.
VERIFY_RATE_LIMIT = "30 per minute; 300 per hour"
# Behind a reverse proxy that sets X-Forwarded-For/-Proto: how many proxies to trust (0: none).
PROXY_FIX_X_FOR = 0
# How long desk staff may undo their own check-in.
CHECKIN_UNDO_MINUTES = 5
# A scanner device token made without an event lasts this many days (for an event: until the day after it).
DEVICE_TOKEN_DAYS = 30
# Feedback on a session that fewer people answered shows no scores or comments: they would point to the person.
FEEDBACK_MIN_RESPONDENTS = 3
# On the day: the seats of people who have not checked in are released this long before their choice slot starts
# (the day seats at the end of walk-in), and go to the people at the door. `flask release-no-shows --due` does it.
RELEASE_MINUTES_BEFORE = 10
# Run that release in the web process every minute (the dev server under `make run`); production uses the scheduler.
RELEASE_IN_PROCESS = False

# Demo data of `flask seed-demo`: registrations on the demo day, and (development only) the
# demo desk and organiser accounts.
DEMO_REGISTRATIONS = 0
# The demo day as on its morning (development only): people checked in, a full session with people waiting at the
# door and walk-ins on standby, so that the dashboard previews the release of no-show seats.
DEMO_MORNING = False
DEMO_ACCOUNTS = False

# AVG: personal details of an event are anonymised this many days after it (`flask purge-personal-data`).
RETENTION_DAYS = 90
# Registrations (the form's POST) per client address: enough for a whole office behind one address when the
# invitation goes out (30 colleagues in an hour); it stops a script taking every seat, not a team.
REGISTRATION_RATE_LIMIT = "40 per hour"
# And per address prefix (IPv4 /24, IPv6 /56: one organisation's network, or one provider's customer): an office
# registers 30 colleagues in an hour; 160 made-up people from one client, or spread over its neighbours, cannot.
REGISTRATION_PREFIX_RATE_LIMIT = "100 per day"
# A confirmed seat nobody claimed (the personal link never opened) goes to the waitlist after this many hours,
# unless that falls in the last two days before the day (eventapp/registration/holds.py).
UNCONFIRMED_HOLD_HOURS = 48

# The event page is the same for every anonymous visitor: each process keeps it this many seconds,
# so seats left may be that old. CACHE_TYPE "RedisCache" with CACHE_REDIS_URL shares it between processes.
CACHE_TYPE = "SimpleCache"
CACHE_DEFAULT_TIMEOUT = 5

# One log line per request (id, method, redacted path, status, milliseconds) on stderr; production turns it on.
REQUEST_LOG = False
# Prometheus metrics at /metrics, answered only to requests from this machine or a private network that did not
# come through the proxy.
METRICS_ENABLED = True
