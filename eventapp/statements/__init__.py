"""Attendance statements: a PDF for the people who came, with a code anyone can verify at /verify/<code>."""
