# The test suite: every test passes its own database address.
TESTING = True
WTF_CSRF_ENABLED = True
SECRET_KEY = "testing-secret-key-not-for-production-use"
MAIL_SUPPRESS_SEND = True
# Tests see every change at once; the event page's cache has its own test.
CACHE_TYPE = "NullCache"
CACHE_NO_NULL_WARNING = True
