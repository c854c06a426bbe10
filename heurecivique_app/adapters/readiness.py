"""Whether this worker can serve: the database answers, Redis answers, the schema is current.

Each check returns None when all is well, else a short reason that names the
failure without echoing a host, a URL or a password (``/readyz`` is public:
the proxy and the supervisor read it without credentials).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import redis
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

from heurecivique_app.settings import PROJECT_ROOT

ALEMBIC_DIR = PROJECT_ROOT / "alembic"


def _reason(exc: BaseException) -> str:
    """The kind of failure only: exception messages may hold a host or a user name."""
    return f"unreachable ({type(exc).__name__})"


def check_database(engine: Engine) -> str | None:
    """None if the database runs ``SELECT 1``, else why not.

    Args:
        engine: the worker's engine.
    """
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        return _reason(exc)
    return None


def check_redis(url: str, *, timeout_s: float = 2.0) -> str | None:
    """None if Redis answers PING, else why not.

    Args:
        url: the ``REDIS_URL``.
        timeout_s: how long to wait for the connection and the answer.
    """
    client = redis.Redis.from_url(url, socket_timeout=timeout_s,
                                  socket_connect_timeout=timeout_s)
    try:
        client.ping()
    except Exception as exc:
        return _reason(exc)
    finally:
        client.close()
    return None


@lru_cache(maxsize=4)
def code_heads(script_location: Path = ALEMBIC_DIR) -> frozenset[str]:
    """The head revisions of the migrations this code ships (read once per process).

    Args:
        script_location: the alembic folder.
    """
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def check_migrations(engine: Engine, *, script_location: Path = ALEMBIC_DIR) -> str | None:
    """None if the database is at the code's head revision(s), else which way it differs.

    Args:
        engine: the worker's engine.
        script_location: the alembic folder.
    """
    try:
        with engine.connect() as conn:
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:
        return _reason(exc)
    wanted = code_heads(script_location)
    if current == wanted:
        return None
    if not current:
        return "not migrated (run: python -m heurecivique_app.manage migrate)"
    return "not at head (run: python -m heurecivique_app.manage migrate)"
