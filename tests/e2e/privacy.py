"""What a browser may not receive, read from the server's database, and a scanner for it.

A journey records everything its page receives (:class:`Traffic`: every
websocket frame, every HTTP body that is not a static asset), then asks
:func:`private_data` which beneficiaries' private fields that viewer may not
see, and ``PrivateData.leaks`` (tests/privacy_scan.py) where any of them
appears: full names, addresses, access notes, phones in any usual French
format, the exact point of a beneficiary's mission.

The oracle is the database and the scheme's rule, not the app's own code:
staff see their commune's beneficiaries, a volunteer the beneficiaries of the
missions they accepted, and nobody else anyone.
"""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import factories as f
from playwright.sync_api import Page, Response
from privacy_scan import POINT_TOLERANCE, PrivateData
from sqlmodel import Session, create_engine, select

from heurecivique_app.adapters.db import make_engine, session_scope
from heurecivique_app.domain.enums import STAFF_ROLES, MissionStatus, ParticipationStatus
from heurecivique_app.domain.models import (
    Beneficiary,
    Departement,
    Mission,
    Neighbourhood,
    Participation,
    User,
)

_STAFF = {role.value for role in STAFF_ROLES}
Mark = tuple[int, int]  # (frames, bodies) received so far
OTHER_COMMUNE_BENEFICIARY = "Germaine Trochu"


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
                math.isclose(mission.exact_lat, lat, abs_tol=POINT_TOLERANCE)
                and math.isclose(mission.exact_lon, lon, abs_tol=POINT_TOLERANCE)
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

    def payloads(self, since: Mark = (0, 0), until: Mark | None = None) -> list[str]:
        """What came between two marks (by default: everything)."""
        until = until or self.mark()
        return (self.frames[since[0]:until[0]]
                + [body for _url, body in self.bodies[since[1]:until[1]]])

    def wait_for_state(self, page: Page, since: Mark, seconds: float = 15) -> None:
        """Until a state update (a socket.io event, "42…") came after ``since``.

        A pre-rendered page shows its buttons before its websocket has brought
        anything: a scan taken then would look at nothing.
        """
        deadline = time.monotonic() + seconds
        while not any(frame.startswith("42") for frame in self.frames[since[0]:]):
            assert time.monotonic() < deadline, "no state update reached the page"
            page.wait_for_timeout(100)  # lets Playwright deliver the frames it holds

    def mark(self) -> Mark:
        """A point in time, for :meth:`payloads` (what came after it)."""
        return len(self.frames), len(self.bodies)


def assert_nothing_private(traffic: Traffic, database: Path, viewer_email: str | None,
                           since: Mark = (0, 0), until: Mark | None = None) -> None:
    """No private field the viewer may not see is in what the page received.

    Also fails when the page received no frame at all (the scan would prove
    nothing) or when a body could not be read.
    """
    hidden = private_data(database, viewer_email)
    assert hidden, "the database holds no beneficiary to look for"
    until = until or traffic.mark()
    assert traffic.frames[since[0]:until[0]], "the page received no websocket frame to scan"
    assert traffic.errors == [], f"answers the scan could not read: {traffic.errors}"
    leaks = hidden.leaks(traffic.payloads(since, until))
    assert leaks == [], f"private data reached {viewer_email or 'a visitor'}: {leaks}"


def add_another_communes_beneficiary(database: Path) -> str:
    """A beneficiary of a second commune, with a draft mission at her door; her name.

    The demo has one commune, where staff may see every beneficiary: she is what
    no account of it may receive. Idempotent (every journey may call it).
    """
    engine = make_engine(f"sqlite:///{database}")
    try:
        with session_scope(engine) as session:
            if session.exec(select(Beneficiary).where(
                    Beneficiary.full_name == OTHER_COMMUNE_BENEFICIARY)).first() is None:
                town = f.commune(session, departement_=session.exec(select(Departement)).first(),
                                 insee_code="35107", name="Étrelles", slug="etrelles")
                hood = f.neighbourhood(session, commune_=town, slug="bourg", name="Le Bourg",
                                       lat=48.0622, lon=-1.1947)
                person = f.beneficiary(
                    session, neighbourhood_=hood, full_name=OTHER_COMMUNE_BENEFICIARY,
                    phone="02 61 91 01 99", address="5 rue de la Gare, 35370 Étrelles",
                    access_notes="Chien dans la cour : sonner au portail.")
                f.mission(session, beneficiary_=person, status=MissionStatus.DRAFT,
                          title="Visite à Étrelles", exact_lat=48.06301, exact_lon=-1.19322)
    finally:
        engine.dispose()
    return OTHER_COMMUNE_BENEFICIARY
