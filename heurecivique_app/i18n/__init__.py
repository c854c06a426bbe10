"""Translations (babel .po catalogs, French default, English second) and formatting.

Message ids are the English source text. Components mark static labels with
``T()`` (see components/text.py); the domain marks messages with ``N_()``;
states translate dynamic text with :func:`translate`. Catalogs are read from
the .po files at start-up, so no compile step is needed.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from babel import Locale, negotiate_locale
from babel.dates import format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

SUPPORTED_LOCALES = ("fr", "en")
DEFAULT_LOCALE = "fr"
LOCALE_COOKIE = "hc_locale"
LOCALES_DIR = Path(__file__).parent / "locales"


@lru_cache(maxsize=len(SUPPORTED_LOCALES))
def catalog(locale: str) -> dict[str, str]:
    """Every message id of the catalog mapped to its translation (or itself)."""
    path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=locale)
    return {
        str(message.id): (str(message.string) or str(message.id))
        for message in po
        if message.id and not message.fuzzy
    }


def translate(message: str, locale: str, **params: Any) -> str:
    """Translate a message id and fill its ``{name}`` placeholders."""
    text = catalog(locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE).get(
        message, message
    )
    return text.format(**params) if params else text


def negotiate(cookie_header: str | None, accept_language: str | None) -> str:
    """The user's locale: the explicit choice (cookie), else the browser's, else French."""
    chosen = read_cookie(cookie_header, LOCALE_COOKIE)
    if chosen in SUPPORTED_LOCALES:
        return chosen
    preferred = [
        part.split(";")[0].strip().replace("-", "_")
        for part in (accept_language or "").split(",")
        if part.strip()
    ]
    return negotiate_locale(preferred, SUPPORTED_LOCALES, sep="_") or DEFAULT_LOCALE


def read_cookie(cookie_header: str | None, name: str) -> str | None:
    """One cookie's value from a raw Cookie header."""
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


@lru_cache(maxsize=1024)
def format_when(moment: datetime, locale: str, timezone: str) -> str:
    """A mission's date and time in the user's language and the commune's time zone.

    Cached: a mission's alerts and reminders word the same moment for every recipient.
    """
    return format_datetime(moment, "EEEE d MMMM, HH:mm", tzinfo=ZoneInfo(timezone),
                           locale=Locale.parse(locale))


def format_datetime_short(moment: datetime, locale: str, timezone: str) -> str:
    """A full date and time with the year, for logs and registers: 04/12/2026 17:05."""
    return format_datetime(moment, "dd/MM/yyyy HH:mm", tzinfo=ZoneInfo(timezone),
                           locale=Locale.parse(locale))


def format_duration(minutes: int, locale: str) -> str:
    """'1 h 30', '45 min' — the same short form in both languages."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest:02d}"
    if hours:
        return f"{hours} h"
    return f"{rest} min"


def format_phone(e164: str) -> str:
    """A stored +33… number as people write it in France: 02 99 75 12 34."""
    try:
        number = phonenumbers.parse(e164, "FR")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def format_distance(metres: float, locale: str) -> str:
    """'600 m', '1,2 km' (fr) / '1.2 km' (en): rounded as people say it."""
    from heurecivique_app.domain.geo import rounded_distance_m

    rounded = rounded_distance_m(metres)
    if rounded < 1000:
        return f"{rounded} m"
    km = rounded / 1000
    pattern = "#,##0.#" if km < 10 else "#,##0"
    return f"{format_decimal(km, format=pattern, locale=Locale.parse(locale))} km"
