# shellcheck shell=bash
# Environment shared by every HeureCivique script (source it, don't run it).
#
# Puts the project's own toolchain first on PATH (the virtualenv and the bun
# installed from npm into .tools/) and turns off everything Reflex would
# otherwise fetch from the internet: its bun download, the PyPI "new version"
# check, the npm-mirror latency probe and the telemetry upload.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

export PATH="$ROOT/.tools/node_modules/.bin:$ROOT/.venv/bin:$PATH"
export VIRTUAL_ENV="$ROOT/.venv"

# Use the bun found on PATH (.tools/node_modules/.bin) instead of downloading one.
export REFLEX_USE_SYSTEM_BUN=1
# Config field `telemetry_enabled`, overridden through the REFLEX_ prefix.
export REFLEX_TELEMETRY_ENABLED=false
# Skip the request to pypi.org/pypi/reflex/json on every start.
export REFLEX_CHECK_LATEST_VERSION=false
# Without it Reflex times registry.npmjs.org and registry.npmmirror.com (the
# latter unreachable here) to pick one. Keep the caller's registry when one is
# configured; asking npm costs ~0.4 s, so only when an npmrc names a registry.
if [[ -z "${NPM_CONFIG_REGISTRY:-}" ]]; then
    if grep -qs '^[[:space:]]*registry[[:space:]]*=' "$HOME/.npmrc" /etc/npmrc /usr/etc/npmrc; then
        NPM_CONFIG_REGISTRY="$(npm config get registry 2>/dev/null || true)"
    fi
    export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org/}"
fi

# This checkout's code first, whatever checkout the virtualenv's editable install
# points at (several git worktrees may share one .venv): subprocesses started from
# another folder (manage commands, workers) then import the same code as the tests.
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
