"""Use cases (writes) and selectors (reads). The session is passed in; never imports reflex."""
