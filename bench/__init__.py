"""`make bench`: the rushes of a program day, served by gunicorn and driven by wrk, against the server's ceiling."""
