"""The composition root: the one place that builds the adapters from the settings.

Services never build an adapter nor read the settings: they receive what they
use (a geocoder and the geo salt, a photo store) as arguments; e-mail leaves
through the job queue (jobs/), whose worker builds its mailer from the settings. States
and HTTP routes take those from :func:`wiring`, built once per process on first
use, and open their unit of work with :func:`session_scope` (or
:func:`read_scope`) from here; the live boards subscribe to committed events
with :func:`add_event_publisher`. Tests hand the services their own fakes.

No reflex here: the HTTP routes and the command line use this module too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from heurecivique_app.adapters import logs, metrics, readiness
from heurecivique_app.adapters.council_report import council_report
from heurecivique_app.adapters.db import (
    add_event_publisher,
    get_engine,
    read_scope,
    session_scope,
)
from heurecivique_app.adapters.geocoding import Geocoder, get_geocoder
from heurecivique_app.adapters.photos import PhotoStore
from heurecivique_app.adapters.spreadsheets import Cell, to_csv, to_xlsx
from heurecivique_app.settings import Settings, get_settings

# logs, metrics, readiness: the operations side (structured logs, /metrics, /readyz),
# used by the routes, the event middleware and the live boards.
__all__ = ["Wiring", "add_event_publisher", "council_report", "get_engine", "logs", "metrics",
           "read_scope", "readiness", "session_scope", "table_file", "wiring"]

@dataclass(frozen=True)
class Wiring:
    """The adapters of this process, built from one ``Settings``.

    Attributes:
        settings: the settings they were built from.
        geocoder: the geocoder ``HC_GEOCODER`` chooses (offline gazetteer or the BAN).
        photos: uploaded photos, cleaned of their metadata, under the data folder.
    """

    settings: Settings
    geocoder: Geocoder
    photos: PhotoStore

    @classmethod
    def build(cls, settings: Settings) -> Wiring:
        """Every adapter, from ``settings``."""
        return cls(
            settings=settings,
            geocoder=get_geocoder(settings.geocoder, settings.geocoder_timeout_s,
                                  settings.geocoder_min_delay_s),
            photos=PhotoStore(settings.data_dir),
        )



@lru_cache(maxsize=1)
def wiring() -> Wiring:
    """The process-wide adapters, built from the environment's settings on first use."""
    return Wiring.build(get_settings())


def table_file(fmt: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]], *,
               title: str) -> bytes:
    """A table as a file: ``fmt`` is "csv" or "xlsx" (``title`` names the sheet)."""
    if fmt == "csv":
        return to_csv(headers, rows)
    if fmt == "xlsx":
        return to_xlsx(headers, rows, title=title)
    raise ValueError(f"unknown table format {fmt!r}")

