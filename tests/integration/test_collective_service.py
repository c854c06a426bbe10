"""Creating a collective action, its waiting list, exports and commune scoping."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import factories as f
import pytest
from openpyxl import load_workbook
from scratch_db import row_counts
from sqlalchemy.engine import Engine

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.spreadsheets import to_csv, to_xlsx
from heurecivique_app.domain.enums import MissionKind, MissionStatus
from heurecivique_app.domain.errors import NotAllowed, ValidationFailed
from heurecivique_app.domain.models import Commune, Mission
from heurecivique_app.domain.types import utcnow
from heurecivique_app.presenters.exports import beneficiaries_table
from heurecivique_app.services import collective, search
from heurecivique_app.services.missions import participation

TZ = "Europe/Paris"


def form(hood_id: int, **kw) -> collective.CollectiveForm:
    values = {"title": "Nettoyage des berges", "category": "cleanup",
              "neighbourhood_id": str(hood_id), "place": "Parc des Tertres Noirs",
              "date": (utcnow() + timedelta(days=5)).date().isoformat(), "time": "09:30",
              "duration_minutes": "120", "capacity": "1", "skills": ["gardening"]}
    values.update(kw)
    return collective.CollectiveForm(**values)


def test_a_collective_action_waitlists_then_promotes_on_a_cancellation(db_engine: Engine):
    with session_scope(db_engine) as s:
        hood = f.neighbourhood(s)
        ref = f.actor(f.referent(s, commune_=s.get(Commune, hood.commune_id)))
        first, second = (f.actor(f.volunteer(s, neighbourhood_=hood)) for _ in range(2))
        action = collective.create_collective(s, actor=ref, form=form(hood.id), timezone=TZ,
                                              **f.GEO)
        action_id = action.id
        assert action.skills_wanted == ["gardening"] and action.kind == MissionKind.COLLECTIVE
    for actor in (first, second):
        with session_scope(db_engine) as s:
            participation.accept_mission(s, actor=actor, mission_id=action_id)
    with session_scope(db_engine) as s:
        lines = {line.user_id: line for line in collective.roster(s, action_id)}
        assert (lines[first.user_id].status, lines[second.user_id].status) == (
            "accepted", "waitlisted")
        assert lines[second.user_id].position == 1
    with session_scope(db_engine) as s:
        participation.decline_mission(s, actor=first, mission_id=action_id)
    with session_scope(db_engine) as s:
        lines = {line.user_id: line.status for line in collective.roster(s, action_id)}
        assert lines == {second.user_id: "accepted"}
        stored = s.get(Mission, action_id)
        assert (stored.accepted_count, stored.status) == (1, MissionStatus.FULL)


def test_bad_collective_input_is_refused_and_writes_nothing(db_engine: Engine):
    with session_scope(db_engine) as s:
        w = f.world(s)
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as caught, session_scope(db_engine) as s:
        collective.create_collective(
            s, actor=w.referent_actor, timezone=TZ, **f.GEO,
            form=form(w.neighbourhood.id, capacity="0", place="", date="2020-01-01",
                      skills=["juggling"], category="shopping"))
    assert set(caught.value.errors) == {"capacity", "place", "date", "skills", "category"}
    assert row_counts(db_engine) == before
    with (pytest.raises(NotAllowed, match="You are not allowed to do this"),
          session_scope(db_engine) as s):
        collective.create_collective(s, actor=w.volunteer_actor, timezone=TZ,
                                     form=form(w.neighbourhood.id),
                                     **f.GEO)


def test_search_sees_only_the_actors_commune_and_applies_the_filters(db_engine: Engine):
    with session_scope(db_engine) as s:
        here, there = f.world(s, title="Courses à Vitré"), f.world(s, title="Courses ailleurs")
        f.mission(s, neighbourhood_=here.neighbourhood, title="Visite", category="visit")
    with session_scope(db_engine) as s:
        everything = search.missions(s, actor=here.referent_actor, filters=search.Filters(),
                                     timezone=TZ)
        assert {line.title for line in everything} == {"Courses à Vitré", "Visite"}
        filtered = search.missions(s, actor=here.referent_actor, timezone=TZ,
                                   filters=search.parse_filters({"category": "shopping",
                                                                 "q": "vitré"}))
        assert [line.title for line in filtered] == ["Courses à Vitré"]
        people = search.beneficiaries(s, actor=here.referent_actor, filters=search.Filters())
        names = {p.full_name for p in people}
        assert here.beneficiary.full_name in names and len(names) == 2
        assert there.beneficiary.full_name not in names
        with pytest.raises(NotAllowed, match="You are not allowed to do this"):
            search.volunteers(s, actor=here.volunteer_actor, filters=search.Filters())


def test_filters_refuse_bad_values():
    with pytest.raises(ValidationFailed) as caught:
        search.parse_filters({"status": "nope", "date_from": "31/12/2026"})
    assert set(caught.value.errors) == {"status", "date_from"}


def test_csv_starts_with_a_bom_and_accents_round_trip_xlsx_opens_back(db_engine: Engine):
    with session_scope(db_engine) as s:
        w = f.world(s)
        w.beneficiary.full_name = "Mme Hélène Lemarié"
        s.add(w.beneficiary)
        s.flush()
        lines = search.beneficiaries(s, actor=w.referent_actor, filters=search.Filters())
    headers, rows = beneficiaries_table(lines, "fr", TZ)
    data = to_csv(headers, rows)
    assert data[:3] == b"\xef\xbb\xbf"
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0][1] == "Nom et prénom"
    assert parsed[1][1] == "Mme Hélène Lemarié"
    book = load_workbook(io.BytesIO(to_xlsx(headers, rows, title="beneficiaires")))
    sheet = book.active
    assert sheet.cell(row=2, column=2).value == "Mme Hélène Lemarié"
    assert sheet.cell(row=1, column=1).value == headers[0]


# Every start that makes a spreadsheet program evaluate a cell (OWASP CSV injection).
FORMULAS = ["=HYPERLINK(\"http://evil.example\")", "+33+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("typed", FORMULAS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_a_formula_typed_in_a_field_stays_text_in_both_files(typed: str):
    rows = [[7, typed, "Mme Lemarié", -4]]
    parsed = list(csv.reader(io.StringIO(to_csv(["n", "a", "b", "c"], rows).decode("utf-8-sig"),
                                         newline=""), delimiter=";"))
    sheet = load_workbook(io.BytesIO(to_xlsx(["n", "a", "b", "c"], rows, title="t"))).active
    assert parsed[1] == ["7", "'" + typed, "Mme Lemarié", "-4"]  # numbers stay numbers
    number, text, name, negative = (sheet.cell(row=2, column=c).value for c in (1, 2, 3, 4))
    assert (number, name, negative) == (7, "Mme Lemarié", -4)
    # (a carriage return comes back from the file as a line feed: only its place matters)
    assert text[0] == "'" and text[2:] == typed[1:]
    assert sheet.cell(row=2, column=2).data_type == "s"  # a string, never a formula
