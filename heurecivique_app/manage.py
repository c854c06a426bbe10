"""Command line for operators: ``python -m heurecivique_app.manage migrate|seed|reset-demo``.

- ``migrate``: bring the schema up to date (``alembic upgrade head``).
- ``seed``: migrate, then load the Vitré demo data (idempotent) and print the
  demo accounts.
- ``rebuild-stats``: write the evaluation figures' summaries again from the raw
  rows (``migrate`` builds them when missing; after a change of ``HC_TIMEZONE``).
- ``reset-demo --yes``: drop every table (``alembic downgrade base``), migrate
  and seed again. Destroys all data in the database, hence the ``--yes``.

The database is the configured one (``DATABASE_URL``) unless ``--database-url``
is given. The functions below take the URL too, so tests and scripts can aim
them at a scratch database without touching the process settings.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from alembic.config import Config
from sqlalchemy.engine import make_url

from alembic import command
from heurecivique_app.adapters.db import make_engine, session_scope
from heurecivique_app.demo.seed import DemoSummary, load_demo_data
from heurecivique_app.domain.enums import STAFF_ROLES, Role
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import SUPPORTED_LOCALES, translate
from heurecivique_app.services import stats_upkeep, territory
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
    """Upgrade the database at ``url`` to the latest revision, and build what it derives.

    The evaluation figures' summaries are built from the raw rows once (a database
    that had none, or another time zone: ``services/stats_upkeep.ensure``); every
    commit keeps them afterwards.
    """
    url = url or get_settings().database_url
    command.upgrade(alembic_config(url, configure_logger=configure_logger), "head")
    build_stats_summaries(url)


def build_stats_summaries(url: str | None = None, *, again: bool = False,
                          timezone: str | None = None) -> bool:
    """Build the evaluation summaries unless built for the configured time zone.

    Args:
        url: the database (default: the settings').
        again: rebuild them even so (``manage rebuild-stats``).
        timezone: their months' time zone (default: the settings', ``HC_TIMEZONE``).

    Returns:
        Whether they were built.
    """
    engine = make_engine(url or get_settings().database_url)
    timezone = timezone or get_settings().timezone
    try:
        with session_scope(engine) as session:
            if again:
                stats_upkeep.rebuild(session, timezone=timezone)
                return True
            return stats_upkeep.ensure(session, timezone=timezone)
    finally:
        engine.dispose()


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
    commands.add_parser("rebuild-stats",
                        help="write the evaluation figures' summaries again from the raw rows")
    reset = commands.add_parser(
        "reset-demo", help="erase the whole database, migrate and load the demo data again"
    )
    reset.add_argument("--yes", action="store_true",
                       help="confirm that every row in the database may be deleted")
    parser.add_argument("--lang", choices=SUPPORTED_LOCALES, default=SUPPORTED_LOCALES[0],
                        help="language of the error messages")
    commune = commands.add_parser("create-commune", help="add a commune (and its département)")
    commune.add_argument("--departement", required=True, help="département code, e.g. 35")
    commune.add_argument("--departement-name", default="",
                         help="its name, if the département is new")
    commune.add_argument("--insee", required=True, help="the commune's INSEE code, e.g. 35360")
    commune.add_argument("--name", required=True)
    commune.add_argument("--slug", default="", help="its address, /c/<slug> (from the name)")
    commune.add_argument("--colour", default="#1d4ed8", help="#rrggbb")
    commune.add_argument("--phone", default="", help="the town hall's phone")
    commune.add_argument("--email", default="", help="the town hall's e-mail")
    hood = commands.add_parser("add-neighbourhood",
                               help="add a neighbourhood as a centre and a radius")
    hood.add_argument("--commune", required=True, help="the commune's slug")
    hood.add_argument("--name", required=True)
    hood.add_argument("--lat", required=True)
    hood.add_argument("--lon", required=True)
    hood.add_argument("--radius", default="600", help="in metres (100 to 10000)")
    admin = commands.add_parser("create-admin", help="add a commune's first staff account")
    admin.add_argument("--commune", required=True, help="the commune's slug")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    admin.add_argument("--role", default=Role.COMMUNE_ADMIN,
                       choices=sorted(str(r) for r in STAFF_ROLES))
    return parser


def _password() -> str:
    """``HC_ADMIN_PASSWORD`` for scripts, else typed twice without echo."""
    if os.environ.get("HC_ADMIN_PASSWORD"):
        return os.environ["HC_ADMIN_PASSWORD"]
    first = getpass.getpass("Password (at least 10 characters): ")
    if getpass.getpass("The same password again: ") != first:
        raise ValidationFailed({"password": N_("The two passwords are not the same.")})
    return first


def setup_territory(url: str, args: argparse.Namespace) -> str:
    """Run one of the territory commands; what to print when it went through.

    Raises:
        ValidationFailed: the input is refused; nothing is written.
    """
    migrate(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            if args.command == "create-commune":
                made = territory.create_commune(session, form=territory.CommuneForm(
                    departement_code=args.departement,
                    departement_name=args.departement_name, insee_code=args.insee,
                    name=args.name, slug=args.slug, colour=args.colour,
                    contact_phone=args.phone, contact_email=args.email))
                return f"Commune created: {made.name}, public site /c/{made.slug}"
            if args.command == "add-neighbourhood":
                hood = territory.add_neighbourhood(
                    session, commune_slug=args.commune, name=args.name, lat=args.lat,
                    lon=args.lon, radius_m=args.radius)
                return f"Neighbourhood created: {hood.name}"
            user = territory.create_staff_account(
                session, commune_slug=args.commune, email=args.email, name=args.name,
                password=_password(), role=args.role)
            return f"Account created: {user.email} ({user.role}); log in at /login"
    finally:
        engine.dispose()


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
    elif args.command == "rebuild-stats":
        build_stats_summaries(url, again=True)
        print("Evaluation summaries rebuilt.")
    elif args.command == "reset-demo":
        if not args.yes:
            print("reset-demo deletes every row in the database; run it again with --yes.",
                  file=sys.stderr)
            return 2
        print(format_summary(reset_demo(url, configure_logger=True)))
    else:
        try:
            print(setup_territory(url, args))
        except ValidationFailed as refused:
            for name, message in refused.errors.items():
                text = translate(message, args.lang, **refused.field_params.get(name, {}))
                print(f"{name}: {text}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
