"""The demo program day: the day itself, registrations through the real rules, development accounts.

It sits above every area (it books registrations and creates accounts), so that the areas know nothing of it.
"""
