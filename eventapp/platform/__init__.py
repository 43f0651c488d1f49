"""The platform: everything that is not a product area (issue 33).

The database and its types, the extensions and settings, languages, security and logs, error pages, metrics and
health, the scheduler, signals, public URLs, forms, exports, charts and PDF pages, the audit log, and the
sub-packages mail (the outbox and its sender), calendar, tickets and staff (accounts, sign-in, devices). The
platform imports no area (a contract in pyproject.toml); the areas build on it.
"""
