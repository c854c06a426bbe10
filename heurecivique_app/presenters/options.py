"""The choices of a page's select or list of boxes: ``{"id", "name"}`` rows. No reflex.

``components/forms.dynamic_select`` draws them; the id is the row's, as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from heurecivique_app.domain.models import Neighbourhood


class Option(TypedDict):
    """One choice: the value the form sends back, and the name shown."""

    id: str
    name: str


def option(row_id: int | None, name: str) -> Option:
    """A choice for the row ``row_id`` (a neighbourhood, a person)."""
    return Option(id=str(row_id), name=name)


def neighbourhood_options(hoods: Iterable[Neighbourhood]) -> list[Option]:
    """The neighbourhoods as choices, in the order given."""
    return [option(hood.id, hood.name) for hood in hoods]
