#!/usr/bin/env bash
# Run the demo: install what is missing, seed the Vitré demo data, then serve
# the production build on one port (frontend and backend together).
#
#   bash scripts/demo.sh            # http://localhost:3000
#   PORT=8080 bash scripts/demo.sh  # another port; extra args go to `reflex run`
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

bash scripts/setup.sh

echo "==> seeding the demo data"
python -m heurecivique_app.manage seed

port="${PORT:-3000}"
cat <<INFO

==> HeureCivique demo: http://localhost:${port}
    (the first start builds the frontend: allow a minute)

    Demo accounts, all with the password "heure-civique":
      referent@vitre.demo      référent (CCAS)
      volontaire@vitre.demo    volontaire
      volontaire2@vitre.demo   volontaire
      voisine@vitre.demo       volontaire (même quartier que Camille)
      relais@vitre.demo        relais de quartier

INFO

exec reflex run --env prod --single-port --backend-port "$port" "$@"
