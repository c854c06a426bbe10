"""The council's printable report: the text extracted from its PDF gives the database's figures."""

from __future__ import annotations

from contextlib import contextmanager

import pypdfium2 as pdfium
import pytest
from sqlalchemy import func
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.testclient import TestClient
from test_stats_service import NOW, TZ, YEAR, data  # noqa: F401 - the hand-built data set

from heurecivique_app.adapters.council_report import council_report
from heurecivique_app.adapters.db import session_scope
from heurecivique_app.api import stats as api_stats
from heurecivique_app.domain.community import SuccessStory
from heurecivique_app.domain.models import HourEntry, Mission, User
from heurecivique_app.presenters.stats import SHADES, commune_markers, report_text
from heurecivique_app.services import auth, stats


def pdf_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_the_report_states_the_databases_figures(db_engine, data):  # noqa: F811
    with session_scope(db_engine) as s:
        s.add(SuccessStory(commune_id=data.a, title="Un jardin partagé",
                           text="Trois voisins ont remis en état le jardin de la résidence."))
    with session_scope(db_engine) as s:
        report = stats.commune_stats(s, actor=data.referent_a, commune_id=data.a,
                                     filters=stats.StatsFilter(YEAR), timezone=TZ, now=NOW)
        stories = stats.success_stories(s, scope=report.scope)
        # The figures, straight from the raw rows.
        minutes = s.exec(select(func.sum(HourEntry.minutes))
                         .join(Mission, Mission.id == HourEntry.mission_id)
                         .where(Mission.commune_id == data.a,
                                col(HourEntry.month).like("2025-%"))).one()
        created = s.exec(select(func.count()).select_from(Mission)
                         .where(Mission.commune_id == data.a, Mission.status != "draft",
                                col(Mission.created_at) >= YEAR.bounds(TZ)[0],
                                col(Mission.created_at) < YEAR.bounds(TZ)[1])).one()
    text = pdf_text(council_report(report_text(report, stories, "fr")))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Évaluation de Argentré" in text
    assert "Du 2025-01-01 au 2025-12-31" in text
    assert f"Heures données {minutes / 60:.1f}".replace(".", ",") in lines
    assert f"Missions créées {created}" in lines
    assert "Bénéficiaires aidés 2" in lines
    assert "Taux de pourvoi 57 %" in lines
    assert "Satisfaction des bénéficiaires 4,0 / 5" in lines
    assert "Heures données par mois, par catégorie" in text  # a chart's title
    assert "Un jardin partagé" in text and "remis en état" in text
    # Anonymous: no beneficiary's or volunteer's name in it.
    assert "Bénéficiaire" not in text.replace("Bénéficiaires", "")
    assert "Personne " not in text


def test_the_coordinators_report_hides_small_counts(db_engine, data):  # noqa: F811
    with session_scope(db_engine) as s:
        report = stats.departement_stats(s, actor=data.coordinator,
                                         filters=stats.StatsFilter(YEAR), timezone=TZ, now=NOW)
    text = pdf_text(council_report(report_text(report, [], "fr")))
    assert "Évaluation du département" in text
    assert "Bénéficiaires aidés moins de 5" in [" ".join(x.split()) for x in text.splitlines()]
    assert "Heures données 9,0" in [" ".join(x.split()) for x in text.splitlines()]


@pytest.fixture
def client(db_engine, monkeypatch) -> TestClient:
    @contextmanager
    def scope():
        with session_scope(db_engine) as session:
            yield session

    monkeypatch.setattr(api_stats, "session_scope", scope)
    return TestClient(Starlette(routes=api_stats.routes))


def _cookie(engine, user_id: int) -> dict[str, str]:
    with session_scope(engine) as s:
        token = auth.open_session(s, user=s.get(User, user_id), ttl_hours=1)
    return {auth.SESSION_COOKIE: token}


def test_routes_give_the_pdf_and_csv_to_staff_and_nothing_to_others(db_engine, client,
                                                                     data):  # noqa: F811
    query = "?start=2025-01-01&end=2025-12-31"
    assert client.get("/api/stats/report.pdf" + query).status_code == 403
    client.cookies = _cookie(db_engine, data.volunteer.user_id)
    assert client.get("/api/stats/report.pdf" + query).status_code == 404
    assert client.get("/api/stats/months.csv" + query).status_code == 404
    client.cookies = _cookie(db_engine, data.referent_a.user_id)
    pdf = client.get("/api/stats/report.pdf" + query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "Missions créées 7" in [" ".join(x.split()) for x in pdf_text(pdf.content)
                                   .splitlines()]
    table = client.get("/api/stats/channels.csv" + query)
    assert table.status_code == 200
    assert "Appel téléphonique;4;2;50 %" in table.content.decode("utf-8-sig")
    assert client.get("/api/stats/communes.csv" + query).status_code == 404  # not a département
    assert client.get("/api/stats/months.csv?period=week").status_code == 400
    # The coordinator: the département, counts under 5 hidden.
    client.cookies = _cookie(db_engine, data.coordinator.user_id)
    communes = client.get("/api/stats/communes.csv" + query + "&scope=departement")
    assert communes.status_code == 200
    assert "Balazé;1,0;moins de 5" in communes.content.decode("utf-8-sig")


def test_the_departements_map_shades_communes_by_hours(db_engine, data):  # noqa: F811
    with session_scope(db_engine) as s:
        report = stats.departement_stats(s, actor=data.coordinator,
                                         filters=stats.StatsFilter(YEAR), timezone=TZ, now=NOW)
        points = stats.commune_points(s, scope=report.scope)
    assert set(points) == {data.a, data.b}
    markers = {m["label"]: m["colour"] for m in commune_markers(report, points, "fr")}
    # Argentré gave the most (8 h): the darkest; Balazé's 1 h: the lightest.
    assert markers == {"Argentré : 8,0 h": SHADES[-1], "Balazé : 1,0 h": SHADES[0]}
