"""Feedback after the day: per attended session a score and a comment, for the day a score and a wish."""
