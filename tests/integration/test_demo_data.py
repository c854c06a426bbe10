"""The Vitré demo data: idempotent seeding, and missions consistent with their status."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel
from sqlmodel import select as sm_select

from heurecivique_app import manage
from heurecivique_app.adapters.db import make_engine, session_scope
from heurecivique_app.demo.seed import DEMO_PASSWORD, load_demo_data
from heurecivique_app.domain.enums import (
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    Role,
    VolunteerStatus,
)
from heurecivique_app.domain.geo import APPROX_MIN_OFFSET_M, distance_m
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.models import (
    Beneficiary,
    Commune,
    GeoSource,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.rules import name_in_public_text
from heurecivique_app.services import auth
from heurecivique_app.services.actor import actor_of
from heurecivique_app.services.pool import PoolFilter, search_pool

ROOT = Path(__file__).resolve().parents[2]
TZ = "Europe/Paris"


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in SQLModel.metadata.tables.items()
        }


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Engine, dict[str, int]]]:
    """A fresh SQLite file seeded twice through manage.seed; yields url, engine, counts.

    Shared by the read-only tests below (seeding is the slow part).
    """
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    first = manage.seed(url)
    assert first.created_anything
    engine = make_engine(url)
    counts = _row_counts(engine)
    second = manage.seed(url)
    assert not second.created_anything, second.created
    assert second.totals == first.totals
    yield url, engine, counts
    engine.dispose()


def test_seeding_twice_creates_nothing_new(seeded) -> None:
    _url, engine, counts_after_first = seeded
    assert _row_counts(engine) == counts_after_first
    assert counts_after_first["mission"] >= 30
    assert counts_after_first["neighbourhood"] == 7 + 3  # Vitré's, then Fougères'
    assert counts_after_first["commune"] == 2
    assert counts_after_first["beneficiary"] >= 10


def test_no_public_text_of_the_demo_names_its_beneficiary(seeded) -> None:
    _url, engine, _counts = seeded
    with Session(engine) as session:
        rows = session.exec(sm_select(Mission, Beneficiary)
                            .join(Beneficiary, Beneficiary.id == Mission.beneficiary_id)).all()
    assert len(rows) > 10
    named = [(m.title, m.description) for m, b in rows
             if name_in_public_text(b.full_name, f"{m.title} {m.description}")]
    assert named == []


def test_every_status_and_missions_consistent_with_it(seeded) -> None:
    _url, engine, _counts = seeded
    with Session(engine) as session:
        missions = session.exec(sm_select(Mission)).all()
        accepted = Counter(session.exec(
            sm_select(Participation.mission_id)
            .where(Participation.status == ParticipationStatus.ACCEPTED)).all())
        hours: dict[int, set[int]] = {}
        for entry in session.exec(sm_select(HourEntry)).all():
            hours.setdefault(entry.mission_id, set()).add(entry.volunteer_id)
        participants: dict[int, set[int]] = {}
        for part in session.exec(sm_select(Participation).where(
                Participation.status == ParticipationStatus.ACCEPTED)).all():
            participants.setdefault(part.mission_id, set()).add(part.volunteer_id)
        hoods = {h.id: h for h in session.exec(sm_select(Neighbourhood)).all()}
        people = {b.id: b for b in session.exec(sm_select(Beneficiary)).all()}

    assert {m.status for m in missions} == {s.value for s in MissionStatus}
    assert any(m.kind == MissionKind.COLLECTIVE and m.capacity > 1 for m in missions)
    for m in missions:
        assert m.accepted_count == accepted[m.id], m.title
        assert m.accepted_count <= m.capacity, m.title
        # Every demo address is in the gazetteer: a private point, and a public area
        # around an offset centre that contains it without revealing it.
        assert m.geo_source == GeoSource.ADDRESS and m.exact_lat is not None, m.title
        offset = distance_m(m.exact_lat, m.exact_lon, m.approx_lat, m.approx_lon)
        assert APPROX_MIN_OFFSET_M - 1 <= offset <= m.approx_radius_m, m.title
        hood = hoods[m.neighbourhood_id]
        assert distance_m(hood.lat, hood.lon, m.exact_lat, m.exact_lon) <= hood.radius_m + 300
        if m.beneficiary_id is not None:
            assert m.exact_address == people[m.beneficiary_id].address
        if m.status == MissionStatus.FULL:
            assert m.accepted_count == m.capacity == accepted[m.id], m.title
        elif m.status == MissionStatus.OPEN:
            assert m.accepted_count < m.capacity, m.title
        if m.status in (MissionStatus.DONE, MissionStatus.CLOSED):
            assert participants.get(m.id), m.title
            assert hours.get(m.id) == participants[m.id], m.title
        else:
            assert m.id not in hours, m.title
        if m.status in (MissionStatus.DRAFT, MissionStatus.CANCELLED, MissionStatus.EXPIRED):
            assert m.accepted_count == 0, m.title


def test_demo_accounts_log_in_with_their_roles_and_neighbourhoods(seeded) -> None:
    _url, engine, _counts = seeded
    expected = {
        "referent@vitre.demo": (Role.REFERENT, None),
        "volontaire@vitre.demo": (Role.VOLUNTEER, "centre-historique"),
        "voisine@vitre.demo": (Role.VOLUNTEER, "centre-historique"),
        "volontaire2@vitre.demo": (Role.VOLUNTEER, "rachapt"),
        "relais@vitre.demo": (Role.RELAY, None),
    }
    with Session(engine) as session:
        for email, (role, slug) in expected.items():
            user = auth.authenticate(session, email=email, password=DEMO_PASSWORD)
            assert user.role == role
            if slug is not None:
                assert session.get(Neighbourhood, user.neighbourhood_id).slug == slug
            if role == Role.VOLUNTEER:
                profile = session.get(VolunteerProfile, user.id)
                assert profile.status == VolunteerStatus.ACTIVE
                assert profile.charter_version and profile.charter_accepted_at
        camille = session.exec(
            sm_select(User).where(User.email == "volontaire@vitre.demo")).one()
        assert camille.display_name == "Camille Martin"
        # Her hour this month starts empty, so what she does in the demo shows plainly.
        this_month = month_key(datetime.now(UTC), TZ)
        assert not session.exec(sm_select(HourEntry).where(
            HourEntry.volunteer_id == camille.id, HourEntry.month == this_month)).all()
        statuses = Counter(p.status for p in session.exec(
            sm_select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
            .where(User.commune_id == camille.commune_id)).all())
    # Vitré's validation queue has several people waiting for their interview.
    assert statuses[VolunteerStatus.PENDING] == 4
    assert statuses[VolunteerStatus.PAUSED] == 1
    assert statuses[VolunteerStatus.ACTIVE] >= 15


def test_boards_of_the_demo_accounts_have_open_missions_ahead(seeded) -> None:
    _url, engine, _counts = seeded
    soon = datetime.now(UTC) + timedelta(days=2)
    with Session(engine) as session:
        for slug in ("centre-historique", "rachapt"):
            hood = session.exec(sm_select(Neighbourhood).where(Neighbourhood.slug == slug)).one()
            ahead = session.exec(sm_select(Mission).where(
                Mission.neighbourhood_id == hood.id,
                Mission.status == MissionStatus.OPEN,
                Mission.kind == MissionKind.INDIVIDUAL,
                Mission.starts_at >= soon)).all()
            assert len(ahead) >= 2, slug
        # A just-filled mission is on the centre board for the "taken" card.
        hood = session.exec(
            sm_select(Neighbourhood).where(Neighbourhood.slug == "centre-historique")).one()
        assert session.exec(sm_select(Mission).where(
            Mission.neighbourhood_id == hood.id, Mission.status == MissionStatus.FULL)).all()


def test_dates_follow_now_and_a_later_load_adds_nothing(tmp_path: Path) -> None:
    """A late-evening ``now``: open missions still at least two days ahead."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    manage.migrate(url)
    engine = make_engine(url)
    now = datetime(2025, 3, 14, 22, 45, tzinfo=UTC)  # 23:45 in Vitré
    try:
        with session_scope(engine) as session:
            load_demo_data(session, timezone=TZ, now=now)
        counts = _row_counts(engine)
        with session_scope(engine) as session:
            later = load_demo_data(session, timezone=TZ, now=now + timedelta(days=40))
        assert not later.created_anything
        assert _row_counts(engine) == counts
        with Session(engine) as session:
            missions = session.exec(sm_select(Mission)).all()
            entries = session.exec(sm_select(HourEntry)).all()
    finally:
        engine.dispose()
    # A full mission may be past its date: the referent's follow-up is then due.
    assert any(m.status == MissionStatus.FULL and m.starts_at < now for m in missions)
    for m in missions:
        if m.status in (MissionStatus.OPEN, MissionStatus.DRAFT):
            assert m.starts_at > now, m.title
        elif m.status == MissionStatus.FULL:
            assert m.accepted_count > 0, m.title
        else:
            assert m.starts_at < now, m.title
        if m.status == MissionStatus.OPEN and m.kind == MissionKind.INDIVIDUAL:
            assert m.starts_at >= now + timedelta(days=2), m.title
        assert m.created_at <= now and m.updated_at <= now + timedelta(days=1), m.title
    starts = {m.id: m.starts_at for m in missions}
    assert all(e.month == month_key(starts[e.mission_id], TZ) for e in entries)


def test_command_line_seed_is_repeatable(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "heurecivique_app.manage", *args],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    first = run("seed")
    assert first.returncode == 0, first.stderr
    assert "Demo data loaded" in first.stdout
    for email in ("referent@vitre.demo", "volontaire@vitre.demo", "voisine@vitre.demo",
                  "volontaire2@vitre.demo", "relais@vitre.demo"):
        assert email in first.stdout
    assert DEMO_PASSWORD in first.stdout
    again = run("seed")
    assert again.returncode == 0, again.stderr
    assert "nothing created" in again.stdout
    refused = run("reset-demo")
    assert refused.returncode == 2
    assert "--yes" in refused.stderr


def test_relays_reports_and_stories_of_the_demo(seeded) -> None:
    from heurecivique_app.domain.community import RelayReport, SuccessStory
    from heurecivique_app.services.relays import relay_neighbourhoods

    _url, engine, _counts = seeded
    with Session(engine) as session:
        lucas = session.exec(sm_select(User).where(User.email == "relais@vitre.demo")).one()
        hoods = [h.slug for h in relay_neighbourhoods(session, relay_id=lucas.id)]
        assert sorted(hoods) == ["rachapt", "sainte-croix"]
        assert session.get(Neighbourhood, lucas.neighbourhood_id).slug == "rachapt"
        reports = session.exec(sm_select(RelayReport)).all()
        assert {r.status for r in reports} == {"new", "mission", "forwarded", "closed"}
        for report in reports:  # a need points at its (relay-channel) mission
            if report.kind == "need":
                assert session.get(Mission, report.mission_id).title == report.title
            if report.status in ("forwarded", "closed"):
                assert report.answer
        assert len(session.exec(sm_select(SuccessStory)
                                .where(SuccessStory.commune_id == lucas.commune_id)).all()) == 2


def test_fougeres_and_the_coordinator_of_the_demo(seeded) -> None:
    """The département's second commune, its referent, and the coordinator who reaches both."""
    _url, engine, _counts = seeded
    with Session(engine) as session:
        vitre = session.exec(sm_select(Commune).where(Commune.slug == "vitre")).one()
        fougeres = session.exec(sm_select(Commune).where(Commune.insee_code == "35115")).one()
        assert fougeres.name == "Fougères" and fougeres.departement_id == vitre.departement_id
        hoods = session.exec(sm_select(Neighbourhood.slug)
                             .where(Neighbourhood.commune_id == fougeres.id)).all()
        assert sorted(hoods) == ["bonabry", "chateau", "haute-ville"]
        ccas = auth.authenticate(session, email="ccas@fougeres.demo", password=DEMO_PASSWORD)
        assert (ccas.role, ccas.commune_id) == (Role.REFERENT, fougeres.id)
        boss = auth.authenticate(session, email="departement@ille-et-vilaine.demo",
                                 password=DEMO_PASSWORD)
        assert boss.role == Role.DEPARTEMENT_ADMIN
        assert actor_of(session, boss).reach == {vitre.id, fougeres.id}
        assert session.exec(sm_select(Mission).where(
            Mission.commune_id == fougeres.id, Mission.status == MissionStatus.OPEN)).all()
        # One Fougères volunteer offered to help elsewhere: in Vitré's pool, badged.
        referent = auth.authenticate(session, email="referent@vitre.demo",
                                     password=DEMO_PASSWORD)
        rows, _total = search_pool(session, actor=actor_of(session, referent),
                                   wanted=PoolFilter(), timezone=TZ)
        from_elsewhere = {r.name: r.home_commune for r in rows if r.home_commune}
        assert from_elsewhere == {"Yann Lebreton": "Fougères"}
