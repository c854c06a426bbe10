"""Where a person's private data shows up in what a server sent: names, addresses (whole
and street with number), access notes, French phone numbers in any usual format
(+33 6 12 34 56 78, 06 12 34 56 78, 0612345678, 06.12.34.56.78, 0033…) and exact points.

Pure text work, shared by the e2e scans (tests/e2e/privacy.py, fed from the server's
database) and the service tests (fed from factories).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from heurecivique_app.domain.models import Beneficiary

# "+33 2 61 91 01 01", "0033261910101", "02 61 91 01 01", "0261910101", "02.61.91.01.01"…
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)33[\s.\-]?(?:\(0\)[\s.\-]?)?|0)"
                    r"[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")
_DECIMAL = re.compile(r"-?\d{1,3}\.\d{3,}")
# Within about 10 m: an exact point rounded to four decimals is still the address.
POINT_TOLERANCE = 1e-4


def national_phone(text: str) -> str:
    """The ten-digit national form of a French number ("0261910101"), "" if it is none."""
    digits = re.sub(r"\D", "", text)
    for prefix in ("00330", "0033", "330", "33"):  # "+33 (0)2…" keeps its trunk zero
        if digits.startswith(prefix) and len(digits) == len(prefix) + 9:
            digits = "0" + digits[len(prefix):]
            break
    return digits if len(digits) == 10 and digits.startswith("0") else ""


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _leaves(value: object) -> Iterator[str]:
    """Every string and number inside decoded JSON, keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif value is not None:
        yield str(value)


def readable(payload: str) -> str:
    """A payload as a reader sees it: JSON (a socket.io frame's too) decoded, so an
    escaped « \\u00e9 » or a split-up object cannot hide a value from the scan."""
    start = min((i for i in (payload.find("["), payload.find("{")) if i >= 0), default=-1)
    if start >= 0:
        try:
            return "\n".join(_leaves(json.loads(payload[start:])))
        except ValueError:
            pass
    return payload


@dataclass
class PrivateData:
    """The private fields a viewer may not receive, by whose they are."""

    # (whose, which field, value)
    texts: list[tuple[str, str, str]] = field(default_factory=list)
    # national phone number -> whose
    phones: dict[str, str] = field(default_factory=dict)
    # (whose, lat, lon) of the exact points of beneficiaries' missions
    points: list[tuple[str, float, float]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.texts or self.phones or self.points)

    def add_beneficiary(self, person: Beneficiary) -> None:
        who = person.full_name
        self.texts.append((who, "name", person.full_name))
        self.add_address(who, person.address)
        if len(person.access_notes.strip()) >= 8:  # "RAS" would match anything
            self.texts.append((who, "access notes", person.access_notes))
        if person.phone and (number := national_phone(person.phone)):
            self.phones[number] = who

    def add_address(self, who: str, address: str) -> None:
        if not address.strip():
            return
        self.texts.append((who, "address", address))
        street = address.split(",")[0].strip()
        if street != address.strip() and re.match(r"\d", street):  # "14 rue Baudrairie"
            self.texts.append((who, "street and number", street))

    def leaks(self, payloads: Iterable[str]) -> list[str]:
        """Each private value found in the payloads, as "whose field: value"."""
        found: set[str] = set()
        for payload in payloads:
            text = readable(payload)
            folded = _fold(text)
            for who, what, value in self.texts:
                if _fold(value) in folded:
                    found.add(f"{who} {what}: {value}")
            for match in _PHONE.finditer(text):
                if (who := self.phones.get(national_phone(match[0]))) is not None:
                    found.add(f"{who} phone: {match[0]}")
            if self.points:
                # A point is sent as a pair: [lat, lon], {"lat": …, "lon": …}, "lat, lon".
                numbers = [float(n) for n in _DECIMAL.findall(text)]
                pairs = list(zip(numbers, numbers[1:], strict=False))
                for who, lat, lon in self.points:
                    if any(math.isclose(a, lat, abs_tol=POINT_TOLERANCE)
                           and math.isclose(b, lon, abs_tol=POINT_TOLERANCE) for a, b in pairs):
                        found.add(f"{who} exact point: {lat}, {lon}")
        return sorted(found)
