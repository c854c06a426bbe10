#!/usr/bin/env bash
# Restart the workers one at a time, every tab staying live (deploy/README.md):
#
#   sudo bash deploy/rolling-restart.sh 8001 8002
#
# For each port: take the worker out of nginx's pool (` down`, reload: new
# connections go to the others, open websockets stay), stop it (SIGTERM: it finishes
# the events in progress, closes its websockets, and the tabs reconnect to the others
# within a second), start it, wait for its /readyz, put it back. Stopping a worker
# still in the pool would let tabs reconnect to it while it stops, and an event sent
# on such a connection would be lost (Reflex's client does not resend events).
set -euo pipefail

SITE="${HC_NGINX_SITE:-/etc/nginx/sites-available/heurecivique}"
[[ $# -ge 1 ]] || { echo "usage: $0 PORT [PORT...]" >&2; exit 2; }
[[ -w "$SITE" ]] || { echo "$0: cannot write $SITE (run as root?)" >&2; exit 1; }

pool() {  # pool PORT in|out
    local line="server 127.0.0.1:$1 max_fails=0"
    if [[ "$2" == out ]]; then
        sed -i "s/^\(\s*\)$line;/\1$line down;/" "$SITE"
    else
        sed -i "s/^\(\s*\)$line down;/\1$line;/" "$SITE"
    fi
    nginx -t -q && nginx -s reload
    sleep 1  # nginx's new worker processes take over
}

for port in "$@"; do
    grep -q "server 127.0.0.1:$port max_fails=0" "$SITE" \
        || { echo "$0: no worker on port $port in $SITE" >&2; exit 1; }
    echo "==> worker $port: out of the pool, restart"
    pool "$port" out
    systemctl restart "heurecivique@$port"
    for _ in $(seq 1 60); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" && break
        sleep 1
    done
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null \
        || { echo "$0: worker $port not ready after 60 s: left out of the pool" >&2; exit 1; }
    pool "$port" in
    echo "==> worker $port: back"
done
