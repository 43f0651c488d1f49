# The test suite: every test passes its own database address.
TESTING = True
WTF_CSRF_ENABLED = True
SECRET_KEY = "testing-secret-key-not-for-production-use"
MAIL_SUPPRESS_SEND = True
