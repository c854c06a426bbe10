"""One typed settings object. Nothing else in the project reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Runtime configuration, read once from the environment."""

    database_url: str
    redis_url: str | None
    session_ttl_hours: int
    cookie_secure: bool
    default_locale: str
    timezone: str
    charter_version: str
    # How long after a mission the accepted volunteer still sees the exact address.
    contact_visible_hours_after: int

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("HC_DATA_DIR", PROJECT_ROOT / "data"))
        default_db = f"sqlite:///{data_dir / 'heurecivique.db'}"
        return cls(
            database_url=env.get("DATABASE_URL") or default_db,
            redis_url=env.get("REDIS_URL") or None,
            session_ttl_hours=int(env.get("HC_SESSION_TTL_HOURS", "336")),
            cookie_secure=_env_bool(env.get("HC_COOKIE_SECURE"), False),
            default_locale=env.get("HC_DEFAULT_LOCALE", "fr"),
            timezone=env.get("HC_TIMEZONE", "Europe/Paris"),
            charter_version=env.get("HC_CHARTER_VERSION", "2024-01"),
            contact_visible_hours_after=int(env.get("HC_CONTACT_VISIBLE_HOURS", "48")),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached)."""
    return Settings.from_env()
