"""Use cases (writes) and selectors (reads). The session is passed in; never imports reflex."""

# Registers the evaluation summaries' upkeep on every session (see stats_upkeep.py):
# whoever writes through a service keeps the figures' summary tables right.
from heurecivique_app.services import stats_upkeep  # noqa: E402, F401
