#!/usr/bin/env bash
# Restore an archive made by scripts/backup.sh, then run the migrations. Refuses a
# database that holds rows unless --force (which replaces its whole content). Stop
# the app's workers first. Data files of the same name are replaced.
#
#   bash scripts/restore.sh backups/heurecivique-20261204T230000Z.tar.gz
#   bash scripts/restore.sh --force ARCHIVE
#   bash scripts/restore.sh --database-url URL --data-dir DIR ARCHIVE
#
# Exit codes: 0 restored and migrated, 2 refused (not empty), 1 failed.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec python -m heurecivique_app.backup restore "$@"
