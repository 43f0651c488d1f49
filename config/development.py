# `make run` on a laptop: SQLite in instance/, readable errors.
DEBUG = True
