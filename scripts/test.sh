#!/usr/bin/env bash
# Run the whole test suite (unit, integration on SQLite and PostgreSQL, e2e in
# Chromium) after installing whatever is missing. Arguments go to pytest:
#
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh tests/unit -q   # one tier
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

bash scripts/setup.sh --browser --services

# PostgreSQL tests must run, not skip, whenever this script is used (CI too).
export HC_REQUIRE_PG=1
export HC_TEST_PG_URL="${HC_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"

echo "==> running pytest $*"
rc=0
python -m pytest "$@" || rc=$?
if [[ "$rc" -eq 5 ]]; then
    echo "test.sh: pytest collected no tests: treating that as a failure" >&2
    exit 1
fi
exit "$rc"
