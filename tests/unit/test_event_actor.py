"""One identity query per event (state/identity.py, state/base.py ``EVENT_ACTOR``).

The session check before every event reads the actor behind the cookie; the handler's
gate, in the same event, takes that actor instead of a second query. Another cookie, or
an event the check did not see, still goes to the database.
"""

from __future__ import annotations

import contextvars
from types import SimpleNamespace

from heurecivique_app.services.actor import Actor
from heurecivique_app.state import base, identity
from heurecivique_app.state.base import EVENT_ACTOR, AppState

CAMILLE = Actor(user_id=7, role="volunteer", commune_id=1, display_name="Camille",
                neighbourhood_id=None, locale="fr")


def tab(cookie: str | None) -> SimpleNamespace:
    return SimpleNamespace(_cookie=lambda _name: cookie)


def test_the_gate_takes_the_actor_the_session_check_read_for_the_same_cookie(monkeypatch):
    reads: list[str | None] = []

    def from_database(raw):
        reads.append(raw)
        return CAMILLE if raw == "camille-token" else None

    monkeypatch.setattr(base, "actor_for_cookie", from_database)
    monkeypatch.setattr(identity, "actor_for_cookie", from_database)

    def one_event() -> None:
        key, user_id = identity.current_session(tab("camille-token"))  # the check
        assert key and user_id == 7
        assert AppState._actor(tab("camille-token")) is CAMILLE  # the gate
        assert reads == ["camille-token"]  # one query for both
        # Another cookie (not what the check saw): asked again.
        assert AppState._actor(tab("someone-else")) is None
        assert reads == ["camille-token", "someone-else"]

    contextvars.copy_context().run(one_event)


def test_without_the_check_or_after_it_found_nobody_the_gate_asks_the_database(monkeypatch):
    reads: list[str | None] = []
    monkeypatch.setattr(base, "actor_for_cookie", lambda raw: reads.append(raw) or CAMILLE)
    monkeypatch.setattr(identity, "actor_for_cookie", lambda raw: None)

    def no_check() -> None:
        assert EVENT_ACTOR.get() is None
        assert AppState._actor(tab("t")) is CAMILLE
        assert reads == ["t"]

    def nobody() -> None:
        assert identity.current_session(tab("revoked")) == ("", None)
        assert AppState._actor(tab("revoked")) is None  # the check's answer, not a query
        assert reads == ["t"]

    contextvars.copy_context().run(no_check)
    contextvars.copy_context().run(nobody)
