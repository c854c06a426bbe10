#!/usr/bin/env bash
# Install everything HeureCivique needs, from the registries only (PyPI, npm,
# Debian). Idempotent and quick when nothing changed: every demo and test run
# calls it first.
#
#   bash scripts/setup.sh               # .venv (Python 3.11) + bun from npm
#   bash scripts/setup.sh --browser     # + Debian's Chromium for the e2e tests
#   bash scripts/setup.sh --services    # + PostgreSQL and Redis running locally,
#                                       #   nginx installed (the proxy e2e test runs its own)
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

want_browser=0
want_services=0
for arg in "$@"; do
    case "$arg" in
        --browser) want_browser=1 ;;
        --services) want_services=1 ;;
        -h | --help)
            sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "setup.sh: unknown option '$arg' (try --help)" >&2
            exit 2
            ;;
    esac
done

say() { echo "==> $*"; }
die() { echo "setup.sh: $*" >&2; exit 1; }

# --- system packages (Debian) -------------------------------------------------
SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root or sudo to install system packages"
    SUDO="sudo"
fi
apt_updated=0
apt_install() {
    command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
    if [[ "$apt_updated" -eq 0 ]]; then
        say "apt-get update"
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
    say "apt-get install $*"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# --- Python virtualenv ----------------------------------------------------------
find_python() {
    local candidate
    for candidate in "${HC_PYTHON:-}" python3.11 python3; do
        [[ -n "$candidate" ]] || continue
        command -v "$candidate" >/dev/null || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    python="$(find_python)" || die "Python 3.11 not found (set HC_PYTHON=/path/to/python3.11)"
    say "creating .venv with $python ($("$python" --version 2>&1))"
    rm -rf .venv
    "$python" -m venv .venv
fi

stamp=.venv/.heurecivique-install.sha256
lock_inputs=(pyproject.toml)
[[ -f requirements.lock ]] && lock_inputs+=(requirements.lock)
wanted="$(hash_of "${lock_inputs[@]}")"
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]]; then
    say "installing Python packages (pip install -e .[test])"
    constraints=()
    [[ -f requirements.lock ]] && constraints=(-c requirements.lock)
    # The build backend is chatty (warnings on stderr even with -q): keep the
    # whole output in a log and show its end only when the install fails.
    log=.venv/pip-install.log
    if ! .venv/bin/python -m pip install --disable-pip-version-check \
        -e ".[test]" "${constraints[@]}" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        die "pip install failed (full log: $log)"
    fi
    echo "$wanted" >"$stamp"
fi

# --- bun from npm (Reflex would download it from the internet otherwise) --------
bun_stamp=.tools/node_modules/.heurecivique-install.sha256
bun_wanted="$(hash_of .tools/package.json .tools/package-lock.json)"
if [[ ! -x .tools/node_modules/.bin/bun ]] \
    || [[ "$(cat "$bun_stamp" 2>/dev/null || true)" != "$bun_wanted" ]] \
    || ! .tools/node_modules/.bin/bun --version >/dev/null 2>&1; then
    command -v npm >/dev/null || die "npm not found: install Node.js 20+ first"
    say "installing bun from npm (.tools)"
    (cd .tools && npm ci --no-audit --no-fund --loglevel=error)
    echo "$bun_wanted" >"$bun_stamp"
fi

# --- Chromium for the browser tests -------------------------------------------
if [[ "$want_browser" -eq 1 && ! -x /usr/lib/chromium/chromium ]]; then
    say "installing Chromium (Debian package)"
    apt_install chromium
    [[ -x /usr/lib/chromium/chromium ]] || die "chromium installed but /usr/lib/chromium/chromium is missing"
fi

# --- PostgreSQL and Redis -----------------------------------------------------
PG_URL_HINT="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

pg_cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

pg_can_login() {
    psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -w -tAc 'select 1' >/dev/null 2>&1
}

pg_trust_local_tcp() {
    # Prepend trust rules for loopback TCP (first matching line wins).
    local hba="/etc/postgresql/$1/main/pg_hba.conf"
    [[ -f "$hba" ]] || die "$hba not found"
    if ! grep -q 'heurecivique: trust loopback' "$hba"; then
        say "allowing passwordless loopback logins in $hba"
        $SUDO sed -i '1i # heurecivique: trust loopback (local development and CI only)\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
}

start_postgres() {
    local installed_now=0 version
    if ! command -v pg_ctlcluster >/dev/null || [[ -z "$(pg_cluster_version)" ]]; then
        apt_install postgresql postgresql-client
        installed_now=1
    elif ! command -v psql >/dev/null; then
        apt_install postgresql-client
    fi
    version="$(pg_cluster_version)"
    [[ -n "$version" ]] || die "no PostgreSQL cluster in /etc/postgresql"
    if [[ "$installed_now" -eq 1 || -n "${CI:-}" ]]; then
        pg_trust_local_tcp "$version"
    fi
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        say "starting PostgreSQL $version"
        $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
    else
        $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    fi
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && break
        sleep 1
    done
    pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL did not start"
}

start_redis() {
    if ! command -v redis-server >/dev/null; then
        apt_install redis-server
    fi
    say "starting Redis"
    if [[ -z "$SUDO" ]]; then
        mkdir -p /var/lib/redis /var/log/redis
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
            --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    else
        mkdir -p "$ROOT/data/redis"
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
            --appendonly no --dir "$ROOT/data/redis" --logfile "$ROOT/data/redis/redis.log"
    fi
    for _ in $(seq 1 20); do
        [[ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" == "PONG" ]] && return 0
        sleep 0.5
    done
    die "Redis did not start"
}

if [[ "$want_services" -eq 1 ]]; then
    if ! command -v pg_isready >/dev/null || ! pg_isready -q -h 127.0.0.1 -p 5432 \
        || ! command -v psql >/dev/null || ! pg_can_login; then
        start_postgres
        pg_can_login || die "PostgreSQL runs but '$PG_URL_HINT' cannot log in: allow trust auth for 127.0.0.1 in pg_hba.conf"
    fi
    if ! command -v redis-cli >/dev/null || [[ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" != "PONG" ]]; then
        start_redis
    fi
    # Installed, not started: tests/e2e/test_proxy_rollout.py runs nginx as a process
    # of its own, from the site template that deploy/ ships.
    if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
        apt_install nginx
    fi
fi

say "setup done"
