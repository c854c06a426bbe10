"""/api/exports/...: staff of the commune only, filters applied, CSV with a BOM, XLSX, audited."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager

import factories as f
import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.api import exports as api_exports
from heurecivique_app.domain.models import AuditEntry, User
from heurecivique_app.services import auth


@pytest.fixture
def client(db_engine: Engine, monkeypatch) -> TestClient:
    @contextmanager
    def scope():
        with session_scope(db_engine) as session:
            yield session

    monkeypatch.setattr(api_exports, "session_scope", scope)
    return TestClient(Starlette(routes=api_exports.routes))


def _cookie(engine: Engine, user_id: int) -> dict[str, str]:
    with session_scope(engine) as s:
        token = auth.open_session(s, user=s.get(User, user_id), ttl_hours=1)
    return {auth.SESSION_COOKIE: token}


@pytest.fixture
def towns(db_engine: Engine):
    with session_scope(db_engine) as s:
        here = f.world(s, title="Courses chez Hélène")
        here.beneficiary.full_name = "Hélène Ménard"
        s.add(here.beneficiary)
        f.mission(s, neighbourhood_=here.neighbourhood, title="Visite du jeudi",
                  category="visit")
        there = f.world(s, title="Mission d'ailleurs")
    return here, there


def test_non_staff_and_anonymous_get_nothing(db_engine, client, towns):
    here, _ = towns
    assert client.get("/api/exports/missions.csv").status_code == 403
    client.cookies = _cookie(db_engine, here.volunteer.id)
    for kind in ("missions", "beneficiaries", "volunteers"):
        assert client.get(f"/api/exports/{kind}.xlsx").status_code == 403
    assert client.get("/api/exports/users.csv").status_code == 404


def test_a_referent_exports_only_their_commune_with_the_lists_filters(db_engine, client, towns):
    here, there = towns
    client.cookies = _cookie(db_engine, here.referent.id)
    response = client.get("/api/exports/missions.csv", params={"category": "shopping"})
    assert response.status_code == 200
    assert response.content[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    titles = {row[1] for row in rows[1:]}
    assert titles == {"Courses chez Hélène"}  # the visit is filtered out, the other town unseen
    assert "Hélène Ménard" in rows[1]

    people = client.get("/api/exports/beneficiaries.xlsx")
    sheet = load_workbook(io.BytesIO(people.content)).active
    names = {sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)}
    assert "Hélène Ménard" in names and there.beneficiary.full_name not in names

    assert client.get("/api/exports/missions.csv",
                      params={"date_from": "not a date"}).status_code == 400
    with session_scope(db_engine) as s:
        logged = s.exec(select(AuditEntry).where(AuditEntry.action == "export.downloaded")).all()
    assert [(a.actor_id, a.entity, a.detail["format"]) for a in logged] == [
        (here.referent.id, "missions", "csv"), (here.referent.id, "beneficiaries", "xlsx")]
