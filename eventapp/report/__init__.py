"""The event report: how the day went, in figures and charts, beside the edition it was copied from."""
