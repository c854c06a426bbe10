"""Adapters to the outside world (database, passwords, geocoding, buses). Never imports reflex."""
