"""The PostgreSQL pool hands out live connections without a ping on every checkout
(adapters/db.py ``_check_on_checkout``, instead of ``pool_pre_ping``).

A connection the server ended while it sat in the pool (a restart, an
administrator's ``pg_terminate_backend``) is replaced before use; a busy one costs
no round trip.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from heurecivique_app.adapters import db
from heurecivique_app.adapters.db import make_engine

pytestmark = pytest.mark.postgres


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("select pg_backend_pid()")).scalar_one()


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: seen.append(statement))
    return seen


def test_a_connection_ended_by_the_server_while_pooled_is_replaced_before_use(pg_url):
    engine = make_engine(pg_url)
    try:
        first = _backend_pid(engine)
        assert _backend_pid(engine) == first  # the pool gives the same connection back
        admin = make_engine(pg_url)
        with admin.connect() as conn:
            # Returns once the signal is sent; wait for the backend to have ended (a
            # check of the pooled socket a moment earlier would find it still open).
            assert conn.execute(text("select pg_terminate_backend(:pid, 5000)"),
                                {"pid": first}).scalar_one()
        admin.dispose()
        # No error: the dead connection is seen and a new one opened.
        second = _backend_pid(engine)
        assert second != first
    finally:
        engine.dispose()


def test_a_busy_connection_is_not_pinged_and_an_idle_one_is(pg_url, monkeypatch):
    engine = make_engine(pg_url)
    try:
        _backend_pid(engine)
        seen = _statements(engine)
        _backend_pid(engine)
        assert seen == ["select pg_backend_pid()"]  # no ping before it
        monkeypatch.setattr(db, "PING_AFTER_IDLE_S", -1.0)  # every connection "long idle"
        pings: list[object] = []
        real_ping = engine.dialect.do_ping
        monkeypatch.setattr(engine.dialect, "do_ping",
                            lambda conn: pings.append(conn) or real_ping(conn))
        _backend_pid(engine)
        assert len(pings) == 1
    finally:
        engine.dispose()
