# `make run` on a laptop: SQLite in instance/, readable errors.
DEBUG = True
# No SMTP server on a laptop: mails stay in the outbox; organisers see them at /organiser/mail/.
MAIL_SUPPRESS_SEND = True
MAIL_SENDER_IN_PROCESS = True
# The no-show seats of the demo day are released at their moments while `make run` serves.
RELEASE_IN_PROCESS = True
DEMO_REGISTRATIONS = 48
DEMO_MORNING = True
DEMO_ACCOUNTS = True
# What the organiser changes shows at once on the public pages.
CACHE_TYPE = "NullCache"
CACHE_NO_NULL_WARNING = True
