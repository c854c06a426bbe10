"""Accountability: the audit log's viewer (filters, the commune's entries only) and its
CSV export (audited), the register of processings and its PDF from the app's own
settings — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from datetime import date, timedelta

import factories as f
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.api import accountability as api_accountability
from heurecivique_app.domain.errors import NotAllowed, ValidationFailed
from heurecivique_app.domain.models import AuditEntry, User
from heurecivique_app.domain.types import utcnow
from heurecivique_app.presenters.register import register_rows
from heurecivique_app.services import audit_log, auth, register, retention
from heurecivique_app.services.audit import audit

TZ = "Europe/Paris"


@pytest.fixture
def towns(db_engine: Engine):
    with session_scope(db_engine) as s:
        here, there = f.world(s), f.world(s)
        audit(s, actor=here.referent_actor, action="mission.published", entity="mission",
              entity_id=here.mission.id, commune_id=here.commune.id)
        audit(s, actor=here.volunteer_actor, action="mission.accepted", entity="mission",
              entity_id=here.mission.id, commune_id=here.commune.id)
        audit(s, actor=None, action="retention.purged", entity="purge_run", entity_id=1,
              commune_id=here.commune.id, missions=2)
        audit(s, actor=there.referent_actor, action="mission.published", entity="mission",
              entity_id=there.mission.id, commune_id=there.commune.id)
        old = AuditEntry(commune_id=here.commune.id, actor_id=here.referent.id,
                         action="need.created", entity="mission", entity_id=here.mission.id,
                         at=utcnow() - timedelta(days=40))
        s.add(old)
    return here, there


def _entries(db_engine, actor, **data) -> list[audit_log.AuditLine]:
    with session_scope(db_engine) as s:
        return audit_log.audit_entries(s, actor=actor, wanted=audit_log.parse_filter(data),
                                       timezone=TZ)


def test_the_viewer_shows_the_communes_entries_with_filters(db_engine, towns) -> None:
    here, there = towns
    ref = here.referent_actor
    everything = _entries(db_engine, ref)
    assert {e.action for e in everything} == {"mission.published", "mission.accepted",
                                              "retention.purged", "need.created"}
    assert all(e.entity_id != there.mission.id for e in everything)
    assert [e.actor_name for e in _entries(db_engine, ref, action="mission.accepted")] == [
        here.volunteer.display_name]
    assert [e.action for e in _entries(db_engine, ref, who="system")] == ["retention.purged"]
    assert {e.action for e in _entries(db_engine, ref, who=str(here.referent.id))} == {
        "mission.published", "need.created"}
    recent = _entries(db_engine, ref, **{"from": (date.today() - timedelta(days=7)).isoformat()})
    assert "need.created" not in {e.action for e in recent}
    old = _entries(db_engine, ref, to=(date.today() - timedelta(days=30)).isoformat())
    assert [e.action for e in old] == ["need.created"]
    with session_scope(db_engine) as s:
        assert [n for _, n in audit_log.audit_people(s, actor=ref)] == sorted(
            [here.referent.display_name, here.volunteer.display_name])


@pytest.mark.parametrize("data", [{"action": "mission.exploded"}, {"who": "abc"},
                                  {"from": "2026-13-01"}, {"entity": "'; drop"},
                                  {"from": "2026-12-10", "to": "2026-12-01"}])
def test_bad_filters_are_refused_by_name(data) -> None:
    with pytest.raises(ValidationFailed) as caught:
        audit_log.parse_filter(data)
    assert set(caught.value.errors) <= {"action", "who", "entity", "from", "to"}


def test_only_staff_read_the_log(db_engine, towns) -> None:
    here, _ = towns
    with pytest.raises(NotAllowed), session_scope(db_engine) as s:
        audit_log.audit_entries(s, actor=here.volunteer_actor,
                                wanted=audit_log.AuditFilter(), timezone=TZ)


@pytest.fixture
def client(db_engine: Engine, monkeypatch) -> TestClient:
    @contextmanager
    def scope():
        with session_scope(db_engine) as session:
            yield session

    monkeypatch.setattr(api_accountability, "session_scope", scope)
    return TestClient(Starlette(routes=api_accountability.routes))


def _cookie(engine: Engine, user_id: int) -> dict[str, str]:
    with session_scope(engine) as s:
        token = auth.open_session(s, user=s.get(User, user_id), ttl_hours=1)
    return {auth.SESSION_COOKIE: token}


def test_the_csv_export_is_filtered_and_audited(db_engine, client, towns) -> None:
    here, _ = towns
    assert client.get("/api/audit.csv").status_code == 403
    client.cookies = _cookie(db_engine, here.volunteer.id)
    assert client.get("/api/audit.csv").status_code == 403
    assert client.get("/api/register.pdf").status_code == 403
    client.cookies = _cookie(db_engine, here.referent.id)
    assert client.get("/api/audit.csv?action=nope").status_code == 400
    response = client.get("/api/audit.csv?action=mission.accepted",
                          headers={"accept-language": "fr"})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")),
                               delimiter=";"))
    assert [(r["Qui"], r["Action"]) for r in rows] == [(here.volunteer.display_name,
                                                        "mission.accepted")]
    with session_scope(db_engine) as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "audit.exported")).one()
        assert entry.actor_id == here.referent.id and entry.detail["rows"] == 1


def test_the_register_follows_the_communes_settings(db_engine, client, towns) -> None:
    here, _ = towns
    with session_scope(db_engine) as s:
        retention.update_retention(s, actor=here.referent_actor, mission_contact_days="45",
                                   inactive_months="36")
        processings = register.commune_register(s, actor=here.referent_actor,
                                                contact_visible_hours=48, session_hours=336,
                                                charter_version="2024-01")
    rows = register_rows(processings, "fr")
    beneficiaries = rows[0]
    assert "45 jours" in beneficiaries["retention"] and "36 mois" in beneficiaries["retention"]
    assert "48 heures" in beneficiaries["recipients"]
    assert all(value for row in rows for value in row.values())
    client.cookies = _cookie(db_engine, here.referent.id)
    response = client.get("/api/register.pdf")
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
