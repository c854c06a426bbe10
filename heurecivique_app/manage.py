"""Command line for operators: ``python -m heurecivique_app.manage migrate|seed|reset-demo``.

- ``migrate``: bring the schema up to date (``alembic upgrade head``).
- ``seed``: migrate, then load the Vitré demo data (idempotent) and print the
  demo accounts.
- ``reset-demo --yes``: drop every table (``alembic downgrade base``), migrate
  and seed again. Destroys all data in the database, hence the ``--yes``.

The database is the configured one (``DATABASE_URL``) unless ``--database-url``
is given. The functions below take the URL too, so tests and scripts can aim
them at a scratch database without touching the process settings.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from alembic.config import Config
from sqlalchemy.engine import make_url

from alembic import command
from heurecivique_app.adapters.db import make_engine, session_scope
from heurecivique_app.demo.seed import DemoSummary, load_demo_data
from heurecivique_app.settings import get_settings

REPO_ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str | None = None, *, configure_logger: bool = False) -> Config:
    """The repository's alembic configuration, aimed at ``url`` (default: the settings).

    Args:
        url: the database URL; None means ``settings.database_url``.
        configure_logger: let alembic's env.py apply the logging section of
            alembic.ini (right for the CLI, wrong inside a test runner).
    """
    config = Config(str(REPO_ROOT / "alembic.ini"))
    # Resolved here so the command works from any working directory.
    config.set_main_option("script_location", str(REPO_ROOT / "alembic"))
    config.attributes["url"] = url or get_settings().database_url
    config.attributes["configure_logger"] = configure_logger
    return config


def migrate(url: str | None = None, *, configure_logger: bool = False) -> None:
    """Upgrade the database at ``url`` to the latest revision."""
    command.upgrade(alembic_config(url, configure_logger=configure_logger), "head")


def seed(url: str | None = None, *, configure_logger: bool = False) -> DemoSummary:
    """Migrate, then load the demo data in one transaction. Safe to run again."""
    url = url or get_settings().database_url
    migrate(url, configure_logger=configure_logger)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return load_demo_data(session, timezone=get_settings().timezone)
    finally:
        engine.dispose()


def reset_demo(url: str | None = None, *, configure_logger: bool = False) -> DemoSummary:
    """Drop all tables through the migrations, then migrate and seed from scratch."""
    url = url or get_settings().database_url
    command.downgrade(alembic_config(url, configure_logger=configure_logger), "base")
    return seed(url, configure_logger=configure_logger)


def format_summary(summary: DemoSummary) -> str:
    """Plain-text report of a seed, for the terminal."""
    lines = []
    if summary.created_anything:
        made = ", ".join(f"{kind.replace('_', ' ')} {count}"
                         for kind, count in summary.created.items())
        lines.append(f"Demo data loaded. Created: {made}.")
    else:
        lines.append("Demo data already present: nothing created.")
    lines.append("")
    lines.append("In the database (commune of Vitré):")
    for kind, count in summary.totals.items():
        lines.append(f"  {kind.replace('_', ' '):<20} {count}")
    statuses = ", ".join(f"{status} {count}"
                         for status, count in summary.missions_by_status.items())
    lines.append(f"  missions by status:  {statuses}")
    lines.append("")
    lines.append("Demo accounts:")
    for email, role, password in summary.accounts:
        lines.append(f"  {email:<26} {role:<10} password: {password}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m heurecivique_app.manage",
        description="HeureCivique administration commands.",
    )
    parser.add_argument("--database-url", help="database to use (default: DATABASE_URL)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the database migrations (alembic upgrade head)")
    commands.add_parser("seed", help="migrate, then load the Vitré demo data (idempotent)")
    reset = commands.add_parser(
        "reset-demo", help="erase the whole database, migrate and load the demo data again"
    )
    reset.add_argument("--yes", action="store_true",
                       help="confirm that every row in the database may be deleted")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    url = args.database_url or get_settings().database_url
    print(f"Database: {make_url(url).render_as_string(hide_password=True)}")
    if args.command == "migrate":
        migrate(url, configure_logger=True)
        print("Database is up to date.")
    elif args.command == "seed":
        print(format_summary(seed(url, configure_logger=True)))
    elif args.command == "reset-demo":
        if not args.yes:
            print("reset-demo deletes every row in the database; run it again with --yes.",
                  file=sys.stderr)
            return 2
        print(format_summary(reset_demo(url, configure_logger=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
