#!/usr/bin/env bash
# Restart the workers one at a time, every tab staying live (deploy/README.md):
#
#   sudo bash deploy/rolling-restart.sh 8001 8002
#
# For each port: take the worker out of nginx's pool (` down`, reload: new
# connections go to the others, open websockets stay), ask it to hand its tabs to the
# others in waves (POST /hand-off with HC_HAND_OFF_TOKEN, read from the workers' env
# file: about 25 s; without the token they all move at the stop), stop it (SIGTERM: it finishes
# the events in progress, closes its websockets, and the tabs reconnect to the others
# within a second), start it, wait for its /readyz, put it back. Stopping a worker
# still in the pool would let tabs reconnect to it while it stops, and an event sent
# on such a connection would be lost (Reflex's client does not resend events).
set -euo pipefail

SITE="${HC_NGINX_SITE:-/etc/nginx/sites-available/heurecivique}"
ENV_FILE="${HC_ENV_FILE:-/etc/heurecivique/env}"
TOKEN="$(sed -n 's/^HC_HAND_OFF_TOKEN=//p' "$ENV_FILE" 2>/dev/null | tail -n 1 | tr -d "\"'")"
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
    if [[ -n "$TOKEN" ]]; then  # its tabs leave a few at a time, not in one herd
        curl -fsS -m 40 -X POST -H "Authorization: Bearer $TOKEN" \
            "http://127.0.0.1:$port/hand-off" || echo "$0: hand-off of $port failed" >&2
        echo
    fi
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
