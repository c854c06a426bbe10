"""Reading a submitted HTML form, with one rule for a ticked box.

A browser sends a ticked checkbox as ``on`` (its default value) and leaves an
unticked one out; tests and scripts may send ``true``, ``1`` or ``yes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TICKED = frozenset({"on", "true", "1", "yes"})


def ticked(form: Mapping[str, Any], name: str) -> bool:
    """Whether the box ``name`` was ticked."""
    return str(form.get(name, "")).lower() in TICKED


def ticked_names(form: Mapping[str, Any], prefix: str) -> list[str]:
    """The rest of the name of each ticked box named ``prefix…``, in the form's order.

    ``skill_visit`` gives ``visit``.
    """
    return [str(name).removeprefix(prefix) for name in form
            if str(name).startswith(prefix) and ticked(form, name)]


def ticked_ids(form: Mapping[str, Any], prefix: str) -> list[int]:
    """The numbers of the ticked boxes named ``prefix<number>`` (one per row of a list).

    A box whose name does not end in a number is ignored.
    """
    return [int(rest) for rest in ticked_names(form, prefix) if rest.isdigit()]
