"""Command line of the backups: ``python -m heurecivique_app.backup create|restore``.

``scripts/backup.sh`` and ``scripts/restore.sh`` call it. The database and the
data folder are the configured ones (``DATABASE_URL``, ``HC_DATA_DIR``) unless
``--database-url`` and ``--data-dir`` are given. ``restore`` runs the migrations
after the data is back (an archive of an older version comes back at the
code's schema); it refuses a database that holds rows unless ``--force``.
Exit codes: 0 done, 2 refused (the database is not empty), 1 failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from heurecivique_app.adapters.backups import (
    BackupError,
    NotEmpty,
    create_backup,
    restore_backup,
)
from heurecivique_app.manage import migrate
from heurecivique_app.settings import get_settings


def _parser() -> argparse.ArgumentParser:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--database-url", help="database (default: DATABASE_URL)")
    where.add_argument("--data-dir", type=Path, help="data folder (default: HC_DATA_DIR)")
    parser = argparse.ArgumentParser(prog="python -m heurecivique_app.backup",
                                     description="Back up or restore HeureCivique.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", parents=[where],
                                 help="write one archive: database + data folder")
    create.add_argument("--output", type=Path, default=Path("backups"),
                        help="folder of the archives (default: ./backups)")
    restore = commands.add_parser("restore", parents=[where],
                                  help="restore an archive, then migrate")
    restore.add_argument("archive", type=Path)
    restore.add_argument("--force", action="store_true",
                         help="replace a database that holds rows")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    url = args.database_url or settings.database_url
    data_dir = args.data_dir or settings.data_dir
    try:
        if args.command == "create":
            print(create_backup(url=url, data_dir=data_dir, out_dir=args.output))
            return 0
        manifest = restore_backup(archive=args.archive, url=url, data_dir=data_dir,
                                  force=args.force)
    except NotEmpty as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 2
    except (BackupError, OSError) as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1
    migrate(url)
    print(f"restored the backup of {manifest.created_at} ({manifest.backend}, "
          f"{manifest.files} data files), then migrated to the current schema")
    return 0


if __name__ == "__main__":
    sys.exit(main())
