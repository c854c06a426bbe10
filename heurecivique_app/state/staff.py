"""Helpers of the console's record pages (a volunteer, a mission to match). No vars."""

from __future__ import annotations

from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.text import N_
from heurecivique_app.state.base import AppState


class StaffPageState(AppState):
    """A staff page about one record named in its route (``/…/[param]``)."""

    def _reload(self, actor) -> None:
        raise NotImplementedError

    def _open_record(self, actor, param: str, attr: str) -> None:
        """Read the record's id from the route into backend var ``attr`` and load it;
        an unknown id, or one of another commune, shows "no longer exists"."""
        setattr(self, attr, self._route_id(param))
        try:
            self._reload(actor)
        except DomainError:  # no such record (0: not a number), or another commune's
            setattr(self, attr, 0)
            self._say(N_("This item no longer exists."), "error")
