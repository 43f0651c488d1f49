"""The ceiling: a bare WSGI app answering `ok`, served and loaded exactly like the real one."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
