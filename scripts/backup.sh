#!/usr/bin/env bash
# One archive of this deployment: the database (PostgreSQL: pg_dump, custom format;
# SQLite: the online backup API) and the data folder (photos, e-mail outbox).
# Safe while the app runs. Settings from the environment (DATABASE_URL, HC_DATA_DIR)
# as for the app; see deploy/README.md "Backups" for the schedule, retention and
# encryption. Prints the archive's path.
#
#   bash scripts/backup.sh                          # into ./backups
#   bash scripts/backup.sh --output /var/backups/heurecivique
#   bash scripts/backup.sh --database-url URL --data-dir DIR --output DIR
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec python -m heurecivique_app.backup create "$@"
