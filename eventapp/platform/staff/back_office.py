"""The organiser's back office as the areas build it (issue 33): one access check and one menu.

Each area keeps its organiser pages in a blueprint of its own (`allocation/manage.py`, `checkin/manage_doors.py`,
...) made by `back_office`: every page of it is for organisers only (anonymous visitors log in first, desk staff
get 403), the one access check of the back office. An area puts its page in the organiser's menu with
`menu_entry`; the entry is added when the app registers the blueprint, so the organiser package, which draws
the menu, imports no area's pages.
"""

from dataclasses import dataclass

from flask import Blueprint, current_app
from flask_babel import LazyString

from eventapp.platform.staff.access import organiser_required

MENU = "organiser_menu"


def back_office(name: str, import_name: str, url_prefix: str = "/organiser") -> Blueprint:
    """A blueprint of organiser pages: every request to it passes the organisers' access check first."""
    blueprint = Blueprint(name, import_name, url_prefix=url_prefix)
    blueprint.before_request(organiser_required(_allowed))
    return blueprint


def _allowed() -> None:
    """Nothing to do once the access check has passed: the request goes on to its view."""


@dataclass(frozen=True)
class MenuEntry:
    """A page in the organiser's menu: an event's page (its URL takes the event's slug) or one for all events."""

    endpoint: str
    label: LazyString
    order: int
    per_event: bool = True


def menu_entry(blueprint: Blueprint, endpoint: str, label: LazyString, order: int, per_event: bool = True) -> None:
    """Put `endpoint` (of `blueprint`) in the organiser's menu at `order` (lower first)."""
    entry = MenuEntry(f"{blueprint.name}.{endpoint}", label, order, per_event)

    @blueprint.record_once
    def add(state) -> None:
        state.app.extensions.setdefault(MENU, []).append(entry)


def organiser_menu(per_event: bool = True) -> list[MenuEntry]:
    """The menu's entries of the running app, in their order."""
    entries = current_app.extensions.get(MENU, [])
    return sorted((e for e in entries if e.per_event == per_event), key=lambda e: e.order)
