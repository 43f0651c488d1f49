"""`flask simulate-day`: a whole program day played against the app served as in production, with its invariants.

Only public interfaces are driven (HTML forms with CSRF, the scan API with device tokens, the scheduler's CLI
commands); the database is read only to check what the app did. The package sits above every area and is never
imported by one.
"""
