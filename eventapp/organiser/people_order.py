"""The orders of the people list: by surname as Dutch lists sort (the default), organisation, kind, status, arrival.

Every order ends on the sort name and the id, so that pages never overlap or skip anyone.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Case, SQLColumnExpression, case, func, select

from eventapp.checkin.models import CheckIn
from eventapp.registration.models import OrganisationType, Registration, RegistrationStatus

SORTS = ("surname", "organisation", "type", "status", "arrival")
DEFAULT_SORT = "surname"


@dataclass(frozen=True)
class PeopleOrder:
    sort: str = DEFAULT_SORT
    descending: bool = False


def people_order(sort: str | None, direction: str | None) -> PeopleOrder:
    """The order asked for by ?sort= and ?dir=; anything unknown is the default (surname, ascending)."""
    if sort not in SORTS:
        return PeopleOrder()
    return PeopleOrder(sort, direction == "desc")


def _in_declared_order(column: SQLColumnExpression[Any], values: list) -> Case[int]:
    """An enum column ordered as the enum lists its values (the reader's order), not alphabetically by code."""
    return case({value.value: index for index, value in enumerate(values)}, value=column, else_=len(values))


def order_clauses(order: PeopleOrder) -> list[SQLColumnExpression[Any]]:
    """ORDER BY clauses for a select of registrations."""
    arrival = (
        select(func.min(CheckIn.checked_in_at))
        .where(CheckIn.registration_id == Registration.id)
        .correlate(Registration)
        .scalar_subquery()
    )
    sorts: dict[str, list[SQLColumnExpression[Any]]] = {
        "surname": [],
        "organisation": [func.lower(Registration.organisation)],
        "type": [_in_declared_order(Registration.organisation_type, list(OrganisationType))],
        "status": [_in_declared_order(Registration.status, list(RegistrationStatus))],
        # Who has not arrived stands after who has, in either direction.
        "arrival": [arrival.is_(None), arrival],
    }
    clauses = [*sorts[order.sort], Registration.sort_name, Registration.id]
    if not order.descending:
        return clauses
    if order.sort == "arrival":
        return [clauses[0], *(clause.desc() for clause in clauses[1:])]
    return [clause.desc() for clause in clauses]
