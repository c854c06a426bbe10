#!/usr/bin/env bash
# Extract every marked string (T, N_) and update the French and English catalogs.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
LOCALES=heurecivique_app/i18n/locales
$PYBABEL extract -F babel.cfg -k T -k T_steady -k N_ -k _tr -k translate --no-location --sort-output \
  --project HeureCivique -o "$LOCALES/messages.pot" heurecivique_app
for lang in fr en; do
  if [ -f "$LOCALES/$lang/LC_MESSAGES/messages.po" ]; then
    $PYBABEL update --no-fuzzy-matching --ignore-obsolete -i "$LOCALES/messages.pot" -d "$LOCALES" -l "$lang"
  else
    $PYBABEL init -i "$LOCALES/messages.pot" -d "$LOCALES" -l "$lang"
  fi
done
