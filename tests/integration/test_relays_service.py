"""Relays report needs and issues; the referent triages them — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import factories as f
import pytest
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.community import RelayReport, ReportStatus
from heurecivique_app.domain.enums import Channel, MissionKind, MissionStatus, Role
from heurecivique_app.domain.errors import (
    InvalidTransition,
    NotAllowed,
    NotFound,
    ValidationFailed,
)
from heurecivique_app.domain.models import AuditEntry, Mission, User
from heurecivique_app.domain.notifications import Job
from heurecivique_app.domain.rules import IntakeAnswers
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import relays, triage
from heurecivique_app.services.intake import NeedForm

TZ = "Europe/Paris"


@pytest.fixture
def town(db_engine: Engine) -> dict:
    """A commune with two neighbourhoods, a referent, a relay of the first one only."""
    with session_scope(db_engine) as s:
        hood = f.neighbourhood(s, name="Rachapt")
        commune = s.get(f.Commune, hood.commune_id)
        other = f.neighbourhood(s, commune_=commune, name="Saint-Martin")
        ref = f.referent(s, commune_=commune)
        relay = f.volunteer(s, neighbourhood_=hood)
        relays.assign_neighbourhoods(s, actor=f.actor(ref), user_id=relay.id,
                                     neighbourhood_ids=[hood.id],
                                     enrolment={"birth_date": "1980-05-01"})
        s.refresh(relay)
        foreign_ref = f.referent(s)  # another commune's referent
        return {"engine": db_engine, "hood": hood.id, "other": other.id,
                "ref": f.actor(ref), "relay": f.actor(relay), "foreign": f.actor(foreign_ref)}


def _need(hood_id: int, **changes) -> NeedForm:
    form = NeedForm(
        category="shopping", title="Courses du samedi", neighbourhood_id=str(hood_id),
        beneficiary_name="Marcel Dubreuil", beneficiary_phone="02 61 91 35 99",
        address="4 rue de Rachapt, 35500 Vitré", consent=True,
        preferred_date=(utcnow() + timedelta(days=4)).date().isoformat(),
        preferred_time="10:00", duration_minutes="60",
        answers=IntakeAnswers(replaces_professional=False, recurring=False, urgent=False,
                              insurance_acknowledged=True),
    )
    for name, value in changes.items():
        setattr(form, name, value)
    return form


def test_assigning_makes_a_relay_of_the_communes_neighbourhoods_only(town) -> None:
    with session_scope(town["engine"]) as s:
        assert town["relay"].role == Role.RELAY
        assert [h.id for h in relays.relay_neighbourhoods(s, relay_id=town["relay"].user_id)] \
            == [town["hood"]]
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "relay.assigned")).first()
        panel = relays.relay_candidates(s, actor=town["ref"])
        assert (panel[0].user_id, panel[0].neighbourhood_names) == (town["relay"].user_id,
                                                                    ("Rachapt",))
    with (pytest.raises(NotFound, match="This item no longer exists"),
          session_scope(town["engine"]) as s):
        relays.assign_neighbourhoods(s, actor=town["foreign"], user_id=town["relay"].user_id,
                                     neighbourhood_ids=[town["hood"]])
    with (pytest.raises(NotAllowed, match="You are not allowed to do this"),
          session_scope(town["engine"]) as s):
        relays.assign_neighbourhoods(s, actor=town["relay"], user_id=town["relay"].user_id,
                                     neighbourhood_ids=[town["hood"], town["other"]])
    with session_scope(town["engine"]) as s:  # an empty set takes the role back
        relays.assign_neighbourhoods(s, actor=town["ref"], user_id=town["relay"].user_id,
                                     neighbourhood_ids=[])
        assert s.get(User, town["relay"].user_id).role == Role.VOLUNTEER


def test_a_relays_need_is_a_draft_in_the_queue_never_on_the_board(town) -> None:
    with session_scope(town["engine"]) as s:
        report = relays.report_need(s, actor=town["relay"], form=_need(town["hood"]),
                                    timezone=TZ, **f.GEO)
        mission = s.get(Mission, report.mission_id)
        assert mission.status == MissionStatus.DRAFT and mission.channel == Channel.RELAY
        assert report.status == ReportStatus.NEW
    with session_scope(town["engine"]) as s:
        queue = relays.commune_reports(s, actor=town["ref"])
        assert [v.title for v in queue] == ["Courses du samedi"]
        mine = relays.my_reports(s, actor=town["relay"])
        assert mine[0].status == ReportStatus.NEW


def test_a_relay_cannot_rewrite_a_known_beneficiarys_details(town) -> None:
    with session_scope(town["engine"]) as s:
        hood = s.get(f.Neighbourhood, town["hood"])
        known = f.beneficiary(s, neighbourhood_=hood, full_name="Marcel Dubreuil",
                              phone="+33261913599", address="1 rue Vraie, Vitré")
        known_id = known.id
    with session_scope(town["engine"]) as s:
        report = relays.report_need(s, actor=town["relay"], form=_need(town["hood"]),
                                    timezone=TZ, **f.GEO)
        mission = s.get(Mission, report.mission_id)
        assert mission.beneficiary_id == known_id
        assert mission.exact_address == "4 rue de Rachapt, 35500 Vitré"
    with session_scope(town["engine"]) as s:
        assert s.get(f.Beneficiary, known_id).address == "1 rue Vraie, Vitré"


@pytest.mark.parametrize("changes, field", [
    ({"answers": IntakeAnswers(False, False, True, True)}, "urgent"),
    ({"answers": IntakeAnswers(True, False, False, True)}, "replaces_professional"),
    ({"consent": False}, "consent"),
    ({"beneficiary_phone": "12"}, "beneficiary_phone"),
    ("other", "neighbourhood_id"),
])
def test_a_refused_need_writes_nothing(town, changes, field) -> None:
    form = _need(town["other"]) if changes == "other" else _need(town["hood"], **changes)
    before = row_counts(town["engine"])
    with pytest.raises(ValidationFailed) as failure, session_scope(town["engine"]) as s:
        relays.report_need(s, actor=town["relay"], form=form, timezone=TZ, **f.GEO)
    assert field in failure.value.errors
    assert row_counts(town["engine"]) == before


def test_only_relays_report(town) -> None:
    with (pytest.raises(NotAllowed, match="You are not allowed to do this"),
          session_scope(town["engine"]) as s):
        relays.report_issue(s, actor=town["ref"], form=relays.IssueForm(
            category="comfort", title="x", neighbourhood_id=str(town["hood"])))


def test_issue_fields_are_checked_together(town) -> None:
    before = row_counts(town["engine"])
    with pytest.raises(ValidationFailed) as failure, session_scope(town["engine"]) as s:
        relays.report_issue(s, actor=town["relay"], form=relays.IssueForm(
            category="weather", title="", neighbourhood_id=str(town["other"]), lat="95",
            lon="", photo_name="../../etc/passwd"))
    assert set(failure.value.errors) == {"category", "title", "neighbourhood_id", "lat",
                                         "photo"}
    assert row_counts(town["engine"]) == before


def _issue(town, **kw) -> int:
    form = relays.IssueForm(category="safety", title="Passage piéton effacé",
                            description="Devant l'école.", neighbourhood_id=str(town["hood"]),
                            lat="48,12671", lon="-1.21098", **kw)
    with session_scope(town["engine"]) as s:
        report = relays.report_issue(s, actor=town["relay"], form=form)
        assert (report.lat, report.lon) == (48.12671, -1.21098)
        return report.id


def _forwards(s) -> list[Job]:
    """The e-mails to the technical services (the staff and the relay get their own)."""
    return [job for job in s.exec(select(Job).order_by(Job.id)).all()
            if job.payload.get("kind") == "report_forward"]


def test_forward_enqueues_one_mail_and_the_relay_sees_the_answer(town) -> None:
    report_id = _issue(town)
    with session_scope(town["engine"]) as s:
        triage.forward(s, actor=town["ref"], report_id=report_id, note="Marquage jeudi.",
                       to="st@mairie.example")
    with (pytest.raises(InvalidTransition, match="This report has already been dealt"),
          session_scope(town["engine"]) as s):
        triage.forward(s, actor=town["ref"], report_id=report_id, note="", to="x@y.z")
    with session_scope(town["engine"]) as s:
        [job] = _forwards(s)  # not twice; sent by the job runner
        # Besides: the staff heard of the new report, the relay is e-mailed the answer.
        assert sorted(j.payload["kind"] for j in s.exec(select(Job)).all()) == [
            "relay_report", "report_answer", "report_forward"]
        assert job.payload["to"] == "st@mairie.example"
        assert job.payload["params"]["place"].endswith("(48.12671, -1.21098)")
        mine = relays.my_reports(s, actor=town["relay"])
        assert (mine[0].status, mine[0].answer) == (ReportStatus.FORWARDED, "Marquage jeudi.")
        actions = s.exec(select(AuditEntry.action).where(
            AuditEntry.entity == "relay_report")).all()
        assert actions == ["report.created", "report.forwarded"]


def test_the_mail_leaves_only_once_the_forward_is_committed(town) -> None:
    report_id = _issue(town)
    with pytest.raises(RuntimeError, match="after the forward"), \
            session_scope(town["engine"]) as s:
        triage.forward(s, actor=town["ref"], report_id=report_id, note="", to="st@x.example")
        raise RuntimeError("something failed after the forward")  # the unit of work rolls back
    with session_scope(town["engine"]) as s:
        assert _forwards(s) == []  # the outbox row went with the rollback
        triage.forward(s, actor=town["ref"], report_id=report_id, note="", to="st@x.example")
    with session_scope(town["engine"]) as s:
        assert [job.payload["to"] for job in _forwards(s)] == ["st@x.example"]


def test_an_issue_becomes_a_collective_mission_draft(town) -> None:
    report_id = _issue(town)
    with session_scope(town["engine"]) as s:
        mission = triage.turn_into_mission(s, actor=town["ref"], report_id=report_id,
                                           timezone=TZ)
        assert (mission.kind, mission.status) == (MissionKind.COLLECTIVE, MissionStatus.DRAFT)
        assert mission.starts_at > utcnow()
        assert s.get(RelayReport, report_id).mission_id == mission.id
    with (pytest.raises(InvalidTransition, match="This report has already been dealt"),
          session_scope(town["engine"]) as s):
        triage.turn_into_mission(s, actor=town["ref"], report_id=report_id, timezone=TZ)


def test_close_needs_an_answer_and_is_final(town) -> None:
    report_id = _issue(town)
    with pytest.raises(ValidationFailed) as empty, session_scope(town["engine"]) as s:
        triage.close(s, actor=town["ref"], report_id=report_id, answer="  ")
    assert set(empty.value.errors) == {"answer"}
    with session_scope(town["engine"]) as s:
        triage.close(s, actor=town["ref"], report_id=report_id, answer="Réparé, merci !")
    with (pytest.raises(InvalidTransition, match="This report has already been dealt"),
          session_scope(town["engine"]) as s):
        triage.close(s, actor=town["ref"], report_id=report_id, answer="Encore")


def test_other_communes_and_relays_cannot_triage(town) -> None:
    report_id = _issue(town)
    with (pytest.raises(NotFound, match="This item no longer exists"),
          session_scope(town["engine"]) as s):
        triage.close(s, actor=town["foreign"], report_id=report_id, answer="Non")
    with (pytest.raises(NotAllowed, match="You are not allowed to do this"),
          session_scope(town["engine"]) as s):
        triage.close(s, actor=town["relay"], report_id=report_id, answer="Moi-même")
    with (pytest.raises(NotAllowed, match="You are not allowed to do this"),
          session_scope(town["engine"]) as s):
        relays.commune_reports(s, actor=town["relay"])


def test_csv_export_lists_the_reports_and_keeps_typed_formulas_as_text(town) -> None:
    _issue(town)
    with session_scope(town["engine"]) as s:
        relays.report_issue(s, actor=town["relay"], form=relays.IssueForm(
            category="comfort", title="=HYPERLINK(\"http://evil.example\";\"Voir\")",
            description="@SUM(1+1)", neighbourhood_id=str(town["hood"])))
    with session_scope(town["engine"]) as s:
        data = triage.export_csv(s, actor=town["ref"])
    assert data.startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read the accents
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                               delimiter=";")
    assert header[:3] == ["id", "date", "neighbourhood"]
    by_title = {row[5]: row for row in rows}
    assert "Rachapt" in by_title["Passage piéton effacé"]
    injected = by_title["'=HYPERLINK(\"http://evil.example\";\"Voir\")"]
    assert injected[6] == "'@SUM(1+1)"
