# Production: secrets and the database address come from the environment
# (SECRET_KEY as EVENTAPP_SECRET_KEY, the database as DATABASE_URL).
DEBUG = False
SECRET_KEY = None
SESSION_COOKIE_SECURE = True
REMEMBER_COOKIE_SECURE = True
PREFERRED_URL_SCHEME = "https"
# One line per request with its id, on stderr (journald, the container log); gunicorn's access log is not needed.
REQUEST_LOG = True
