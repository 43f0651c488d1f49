# Production: secrets and the database address come from the environment
# (SECRET_KEY as EVENTAPP_SECRET_KEY, the database as DATABASE_URL).
DEBUG = False
SECRET_KEY = None
SESSION_COOKIE_SECURE = True
PREFERRED_URL_SCHEME = "https"
