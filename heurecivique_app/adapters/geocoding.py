"""Turning an address into a point: an offline gazetteer (default) or the BAN through geopy.

Both answer ``locate(address, near=...)`` with a :class:`GeoHit` or None. None
means "no usable point": not found, too far from the commune, or the service is
unreachable. The caller then falls back on the neighbourhood's centre; a
geocoder never raises for a network problem, so taking in a need never fails
because the Internet is down.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import BANFrance

from heurecivique_app.domain.geo import Point, destination, geopy_distance_m

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GeoHit:
    """A geocoded address: its point, the label found, how precise it is."""

    lat: float
    lon: float
    label: str
    precision: str  # "housenumber" or "street"


class Geocoder(Protocol):
    """Anything that turns an address into a point (the services' only view of geocoding)."""

    def locate(self, address: str, *, near: Point | None = None) -> GeoHit | None:
        """The point of ``address`` (preferring one close to ``near``), or None."""


def normalise(address: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: for matching and cache keys."""
    text = unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return " ".join(text.split())


# --- offline gazetteer ------------------------------------------------------------------

# Streets of Vitré used by the demo, with an approximate point and the bearing the
# numbers run along. Hand-placed from the town plan: good to ~50 m, enough for a
# 250 m area, and never sent to a browser.
VITRE_STREETS: dict[str, tuple[float, float, float]] = {
    "rue baudrairie": (48.12410, -1.20930, 100.0),
    "rue d embas": (48.12320, -1.21000, 80.0),
    "rue poterie": (48.12390, -1.20720, 90.0),
    "rue du rachapt": (48.12700, -1.21200, 20.0),
    "rue de paris": (48.12430, -1.20000, 80.0),
    "rue sainte croix": (48.12150, -1.21400, 250.0),
    "rue du bourg aux moines": (48.12280, -1.21750, 270.0),
    "rue de fougeres": (48.13000, -1.21400, 10.0),
    "boulevard des rochers": (48.11300, -1.20300, 150.0),
    "place du chateau": (48.12340, -1.21080, 0.0),
    "parc des tertres noirs": (48.12900, -1.21600, 0.0),
}
# And of Fougères, the demo's second commune (no name here is part of one of Vitré's).
FOUGERES_STREETS: dict[str, tuple[float, float, float]] = {
    "rue nationale": (48.35230, -1.19900, 90.0),
    "rue de la pinterie": (48.35300, -1.20450, 270.0),
    "rue de bonabry": (48.35950, -1.19350, 20.0),
}
METRES_PER_NUMBER = 4.0


class GazetteerGeocoder:
    """A fixed table of streets: no network, deterministic (demo and tests)."""

    def __init__(self, streets: dict[str, tuple[float, float, float]] | None = None) -> None:
        self._streets = dict({**VITRE_STREETS, **FOUGERES_STREETS} if streets is None
                             else streets)
        # Longest names first, so "rue de paris" never shadows a longer street name.
        self._names = sorted(self._streets, key=len, reverse=True)

    def locate(self, address: str, *, near: Point | None = None) -> GeoHit | None:
        """The street of the table named in ``address``, moved along it by the house number."""
        text = normalise(address)
        for name in self._names:
            position = text.find(name)
            if position < 0:
                continue
            lat, lon, bearing = self._streets[name]
            number = re.search(r"(\d+)\s*(bis|ter)?\s*$", text[:position].strip())
            if number is None:
                return GeoHit(lat, lon, name, "street")
            point = destination(lat, lon, int(number.group(1)) * METRES_PER_NUMBER, bearing)
            return GeoHit(point.lat, point.lon, f"{number.group(1)} {name}", "housenumber")
        return None


# --- Base Adresse Nationale -------------------------------------------------------------


class BanGeocoder:
    """api-adresse.data.gouv.fr through geopy's BANFrance.

    - timeout: each request gives up after ``timeout_s``;
    - rate limit: at most one request every ``min_delay_s`` (geopy's RateLimiter);
    - cache: the last ``cache_size`` answers, found or not found, by normalised address;
    - back-off: after a network failure, no request for ``backoff_s`` (the fallback is
      used at once instead of waiting for a timeout on every intake);
    - sanity: a hit farther than ``max_distance_m`` from ``near`` is a homonym elsewhere
      in France and is refused.
    """

    def __init__(
        self,
        *,
        timeout_s: float = 3.0,
        min_delay_s: float = 0.1,
        cache_size: int = 2048,
        backoff_s: float = 60.0,
        max_distance_m: float = 15_000.0,
        client: BANFrance | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client or BANFrance(timeout=timeout_s,
                                           user_agent="heurecivique (L'Heure Civique)")
        self._geocode = RateLimiter(self._client.geocode, min_delay_seconds=min_delay_s,
                                    max_retries=0, swallow_exceptions=False)
        self._cache: OrderedDict[str, GeoHit | None] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._backoff_s = backoff_s
        self._down_until = 0.0
        self._clock = clock
        self._max_distance_m = max_distance_m

    def locate(self, address: str, *, near: Point | None = None) -> GeoHit | None:
        """The BAN's answer (cached); None when not found, implausible or the network is down."""
        key = normalise(address)
        if not key:
            return None
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                hit = self._cache[key]
                return self._plausible(hit, near)
            if self._clock() < self._down_until:
                return None
        try:
            found = self._geocode(address, exactly_one=True)
        except GeopyError as error:
            log.warning("BAN geocoding unavailable (%s): using the fallback", error)
            with self._lock:
                self._down_until = self._clock() + self._backoff_s
            return None
        hit = None
        if found is not None:
            kind = (found.raw.get("properties") or {}).get("type", "")
            hit = GeoHit(found.latitude, found.longitude, found.address,
                         "housenumber" if kind == "housenumber" else "street")
        with self._lock:
            self._cache[key] = hit
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return self._plausible(hit, near)

    def _plausible(self, hit: GeoHit | None, near: Point | None) -> GeoHit | None:
        if hit is None or near is None:
            return hit
        if geopy_distance_m(Point(hit.lat, hit.lon), near) > self._max_distance_m:
            log.info("BAN hit %r too far from the commune: ignored", hit.label)
            return None
        return hit


@lru_cache(maxsize=4)
def get_geocoder(kind: str, timeout_s: float = 3.0, min_delay_s: float = 0.1) -> Geocoder:
    """The process-wide geocoder chosen by the settings (``HC_GEOCODER``)."""
    if kind == "ban":
        return BanGeocoder(timeout_s=timeout_s, min_delay_s=min_delay_s)
    if kind == "gazetteer":
        return GazetteerGeocoder()
    raise ValueError(f"unknown geocoder {kind!r} (expected 'gazetteer' or 'ban')")
