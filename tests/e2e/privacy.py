"""What a browser may not receive, read from the server's database, and a scanner for it.

A journey records everything its page receives (:class:`Traffic`: every
websocket frame, every HTTP body that is not a static asset), then asks
:func:`private_data` which beneficiaries' private fields that viewer may not
see, and :meth:`PrivateData.leaks` where any of them appears: full names,
addresses (whole and street with number), access notes, phone numbers in any
usual French format (+33 6 12 34 56 78, 06 12 34 56 78, 0612345678,
06.12.34.56.78, 0033…) and the exact point of a beneficiary's mission.

The oracle is the database and the scheme's rule, not the app's own code:
staff see their commune's beneficiaries, a volunteer the beneficiaries of the
missions they accepted, and nobody else anyone.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, Response
from sqlmodel import Session, create_engine, select

from heurecivique_app.domain.enums import STAFF_ROLES, ParticipationStatus
from heurecivique_app.domain.models import Beneficiary, Mission, Neighbourhood, Participation, User

# "+33 2 61 91 01 01", "0033261910101", "02 61 91 01 01", "0261910101", "02.61.91.01.01"…
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)33[\s.\-]?(?:\(0\)[\s.\-]?)?|0)"
                    r"[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")
_DECIMAL = re.compile(r"-?\d{1,3}\.\d{3,}")
# Within about 10 m: an exact point rounded to four decimals is still the address.
_POINT_TOLERANCE = 1e-4
_STAFF = {role.value for role in STAFF_ROLES}


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
                numbers = [float(n) for n in _DECIMAL.findall(text)]
                for who, lat, lon in self.points:
                    if (any(math.isclose(n, lat, abs_tol=_POINT_TOLERANCE) for n in numbers)
                            and any(math.isclose(n, lon, abs_tol=_POINT_TOLERANCE)
                                    for n in numbers)):
                        found.add(f"{who} exact point: {lat}, {lon}")
        return sorted(found)


def database(app_server) -> Path:
    """The SQLite file the e2e server runs on (see conftest.AppServer)."""
    return app_server.data_dir / "e2e.db"


def private_data(database: Path, viewer_email: str | None = None) -> PrivateData:
    """What ``viewer_email`` (None: a visitor, not logged in) may not receive, now.

    Read when the journey is over, so the beneficiaries that other tests (or
    this journey) entered meanwhile are in it too.
    """
    engine = create_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            return _hidden_from(session, viewer_email)
    finally:
        engine.dispose()


def _hidden_from(session: Session, viewer_email: str | None) -> PrivateData:
    viewer = (session.exec(select(User).where(User.email == viewer_email)).first()
              if viewer_email else None)
    if viewer_email and viewer is None:
        raise AssertionError(f"no account {viewer_email} in the database")
    visible: set[int] = set()
    if viewer is not None and viewer.role in _STAFF:
        visible = set(session.exec(select(Beneficiary.id)
                                   .where(Beneficiary.commune_id == viewer.commune_id)).all())
    elif viewer is not None:
        visible = {bid for bid in session.exec(
            select(Mission.beneficiary_id).join(Participation,
                                                Participation.mission_id == Mission.id)
            .where(Participation.volunteer_id == viewer.id,
                   Participation.status == ParticipationStatus.ACCEPTED)).all() if bid}
    # A mission placed at its neighbourhood's centre shows a public point, not a secret.
    centres = [(h.lat, h.lon) for h in session.exec(select(Neighbourhood)).all()]
    hidden = PrivateData()
    people = {p.id: p for p in session.exec(select(Beneficiary)).all() if p.id not in visible}
    for person in people.values():
        hidden.add_beneficiary(person)
    for mission in session.exec(select(Mission).where(Mission.beneficiary_id != None)).all():  # noqa: E711
        person = people.get(mission.beneficiary_id)
        if person is None:
            continue
        hidden.add_address(person.full_name, mission.exact_address)
        if mission.exact_lat is not None and mission.exact_lon is not None and not any(
                math.isclose(mission.exact_lat, lat, abs_tol=_POINT_TOLERANCE)
                and math.isclose(mission.exact_lon, lon, abs_tol=_POINT_TOLERANCE)
                for lat, lon in centres):
            hidden.points.append((person.full_name, mission.exact_lat, mission.exact_lon))
    return hidden


class Traffic:
    """Everything a page receives from the app from now on: websocket frames and
    the bodies of HTTP answers (documents, API answers, exports), not static assets."""

    def __init__(self, page: Page) -> None:
        self.frames: list[str] = []
        self.bodies: list[tuple[str, str]] = []
        self.errors: list[str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("response", self._response)

    def _frame(self, frame: str | bytes) -> None:
        text = frame.decode(errors="replace") if isinstance(frame, bytes) else str(frame)
        if text[:1] == "4":  # socket.io messages; engine.io pings ("2"/"3") hold nothing
            self.frames.append(text)

    def _response(self, response: Response) -> None:
        kind = response.headers.get("content-type", "")
        if "/_next/" in response.url or not re.search(r"html|json|csv|text/plain", kind):
            return
        if response.status in (204, 301, 302, 303, 304, 307, 308):
            return
        try:
            self.bodies.append((response.url, response.text()))
        except Exception as error:  # noqa: BLE001 - the scan must say what it could not read
            self.errors.append(f"{response.url}: {error}")

    def payloads(self, since: tuple[int, int] = (0, 0)) -> list[str]:
        frames, bodies = since
        return self.frames[frames:] + [body for _url, body in self.bodies[bodies:]]

    def mark(self) -> tuple[int, int]:
        """A point in time, for :meth:`payloads` (what came after it)."""
        return len(self.frames), len(self.bodies)


def assert_nothing_private(traffic: Traffic, database: Path, viewer_email: str | None,
                           since: tuple[int, int] = (0, 0)) -> None:
    """No private field the viewer may not see is in what the page received.

    Also fails when the page received no frame at all (the scan would prove
    nothing) or when a body could not be read.
    """
    hidden = private_data(database, viewer_email)
    assert hidden, "the database holds no beneficiary to look for"
    assert traffic.frames[since[0]:], "the page received no websocket frame to scan"
    assert traffic.errors == [], f"answers the scan could not read: {traffic.errors}"
    leaks = hidden.leaks(traffic.payloads(since))
    assert leaks == [], f"private data reached {viewer_email or 'a visitor'}: {leaks}"
