"""The privacy notice's version: stored with every consent, changed whenever the text changes."""

PRIVACY_NOTICE_VERSION = "2026-11-29"
