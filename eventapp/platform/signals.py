"""What happens in one area that another may react to, without either importing the other.

An area sends a signal; areas that care connect to it in their own package (wired by the app
factory). Receivers get keyword arguments and run in the sender's transaction: they flush, never
commit, so the reaction is committed (or rolled back) with the change that caused it.
"""

from blinker import Namespace

_signals = Namespace()

#: A new registration was recorded. Keyword arguments: db_session, registration, now.
registration_created = _signals.signal("registration-created")

#: Seats became free by a raised capacity. Keyword arguments: db_session, event_id, session_ids
#: (empty for the day's seats), now.
seats_added = _signals.signal("seats-added")

#: A check-in was undone (its arrival and the door scans of that arrival are gone). Keyword arguments:
#: db_session, registration, now.
check_in_undone = _signals.signal("check-in-undone")
