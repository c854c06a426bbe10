"""Intake of a need by a referent: a valid need is written whole, a refused one not at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import factories as f
import pytest
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import (
    add_event_publisher,
    remove_event_publisher,
    session_factory,
    session_scope,
)
from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.errors import NotAllowed, PossibleDuplicates, ValidationFailed
from heurecivique_app.domain.events import DomainEvent
from heurecivique_app.domain.geo import distance_m
from heurecivique_app.domain.models import AuditEntry, Beneficiary, Mission
from heurecivique_app.domain.rules import IntakeAnswers
from heurecivique_app.domain.types import utcnow
from heurecivique_app.i18n import translate
from heurecivique_app.services.intake import NeedForm, create_need

TZ = "Europe/Paris"
GOOD_ANSWERS = IntakeAnswers(
    replaces_professional=False, recurring=False, urgent=False, insurance_acknowledged=True
)


@pytest.fixture
def setup(db_engine: Engine) -> dict:
    with session_scope(db_engine) as s:
        hood = f.neighbourhood(s)
        town_ref = f.referent(s, commune_=s.get(f.Commune, hood.commune_id))
        other_hood = f.neighbourhood(s)  # another commune's neighbourhood
        vol = f.volunteer(s, neighbourhood_=hood)
    return {"hood": hood, "referent": town_ref, "other_hood": other_hood, "volunteer": vol}


def good_form(hood_id: int, **changes) -> NeedForm:
    form = NeedForm(
        category="shopping",
        title="Courses du samedi",
        description="Pack d'eau et fruits au marché",
        neighbourhood_id=str(hood_id),
        channel="phone",
        beneficiary_name="Mme Jeanne Leroux",
        beneficiary_phone="02 99 75 00 00",
        address="12 rue Baudrairie, 35500 Vitré",
        access_notes="Interphone cassé, frapper",
        consent=True,
        preferred_date=(utcnow() + timedelta(days=7)).date().isoformat(),
        preferred_time="10:00",
        duration_minutes="60",
        answers=GOOD_ANSWERS,
    )
    return replace(form, **changes)


@pytest.fixture
def published() -> list[DomainEvent]:
    """Collects the events the adapter publishes after commit."""
    collected: list[DomainEvent] = []

    def publisher(events: list[DomainEvent]) -> None:
        collected.extend(events)

    add_event_publisher(publisher)
    yield collected
    remove_event_publisher(publisher)


def test_valid_need_creates_beneficiary_mission_audit_and_event(
    db_engine: Engine, setup: dict, published: list[DomainEvent]
) -> None:
    before = row_counts(db_engine)
    actor = f.actor(setup["referent"])
    with session_factory(db_engine)() as s:
        mission = create_need(s, actor=actor, form=good_form(setup["hood"].id),
                              publish=True, timezone=TZ, **f.GEO)
        mission_id = mission.id
        assert published == []  # recorded, not yet published: the transaction is open
        s.commit()

    assert [e.kind for e in published] == ["mission.published"]
    event = published[0]
    assert event.mission_id == mission_id
    assert event.neighbourhood_id == setup["hood"].id
    assert event.commune_id == actor.commune_id
    assert "address" not in str(event.data) and "Baudrairie" not in str(event.data)

    after = row_counts(db_engine)
    # The evaluation's summaries (stats_*) are kept on every commit (services.stats_upkeep).
    changed = {t: after[t] - before[t] for t in after
               if after[t] != before[t] and not t.startswith("stats_")}
    # The job: the one fan-out of the alerts for new missions near home (services.alerts).
    assert changed == {"beneficiary": 1, "mission": 1, "audit_entry": 1, "job": 1}

    with session_scope(db_engine) as s:
        stored = s.get(Mission, mission_id)
        person = s.get(Beneficiary, stored.beneficiary_id)
        audit = s.exec(select(AuditEntry).where(AuditEntry.entity_id == mission_id)).one()
        assert stored.status == MissionStatus.OPEN
        assert stored.capacity == 1 and stored.accepted_count == 0
        assert stored.exact_address == "12 rue Baudrairie, 35500 Vitré"
        # The address is located (offline gazetteer) but only an offset area is public.
        assert stored.geo_source == "address" and stored.exact_lat is not None
        offset = distance_m(stored.exact_lat, stored.exact_lon, stored.approx_lat,
                            stored.approx_lon)
        assert 50 < offset < stored.approx_radius_m
        assert person.phone == "+33299750000"
        assert person.full_name == "Mme Jeanne Leroux"
        assert audit.action == "need.created" and audit.actor_id == actor.user_id
        # 10:00 in Paris, stored as aware UTC.
        assert stored.starts_at.utcoffset() == timedelta(0)
        assert stored.starts_at.hour in (8, 9)


def test_draft_need_is_announced_to_the_console_only(
    db_engine: Engine, setup: dict, published: list[DomainEvent]
) -> None:
    with session_scope(db_engine) as s:
        mission = create_need(s, actor=f.actor(setup["referent"]),
                              form=good_form(setup["hood"].id), publish=False, timezone=TZ, **f.GEO)
    assert mission.status == MissionStatus.DRAFT
    assert [(e.kind, e.neighbourhood_id) for e in published] == [("need.created", None)]


def test_rolled_back_need_publishes_nothing(
    db_engine: Engine, setup: dict, published: list[DomainEvent]
) -> None:
    before = row_counts(db_engine)
    with session_factory(db_engine)() as s:
        create_need(s, actor=f.actor(setup["referent"]), form=good_form(setup["hood"].id),
                    publish=True, timezone=TZ, **f.GEO)
        s.rollback()
        s.commit()  # a later, empty commit must not flush the dropped events
    assert published == []
    assert row_counts(db_engine) == before


def test_a_known_person_is_shown_and_reused_only_once_picked(
    db_engine: Engine, setup: dict
) -> None:
    actor = f.actor(setup["referent"])
    with session_scope(db_engine) as s:
        first = create_need(s, actor=actor, form=good_form(setup["hood"].id),
                            publish=True, timezone=TZ, **f.GEO)
    again = good_form(setup["hood"].id, title="Visite", category="visit",
                      beneficiary_name="mme JEANNE LEROUX", beneficiary_phone="+33 2 99 75 00 00",
                      address="3 place du Château, 35500 Vitré")
    before = row_counts(db_engine)
    with pytest.raises(PossibleDuplicates) as warned, session_scope(db_engine) as s:
        create_need(s, actor=actor, form=again, publish=True, timezone=TZ, **f.GEO)
    assert [m.id for m in warned.value.matches] == [first.beneficiary_id]
    assert warned.value.matches[0].missions == 1
    assert row_counts(db_engine) == before  # nothing written until the referent chooses

    with session_scope(db_engine) as s:
        second = create_need(s, actor=actor, form=replace(
            again, beneficiary_choice=str(first.beneficiary_id)), publish=True,
            timezone=TZ, **f.GEO)
        person = s.get(Beneficiary, second.beneficiary_id)
        assert person.address == "3 place du Château, 35500 Vitré"  # updated as just told
    assert second.beneficiary_id == first.beneficiary_id


def test_a_confirmed_new_person_is_created_despite_the_likeness(
    db_engine: Engine, setup: dict
) -> None:
    actor = f.actor(setup["referent"])
    with session_scope(db_engine) as s:
        first = create_need(s, actor=actor, form=good_form(setup["hood"].id),
                            publish=True, timezone=TZ, **f.GEO)
    with session_scope(db_engine) as s:
        second = create_need(s, actor=actor, form=good_form(
            setup["hood"].id, beneficiary_phone="06 12 34 56 78", beneficiary_choice="new"),
            publish=True, timezone=TZ, **f.GEO)
    assert second.beneficiary_id != first.beneficiary_id


def test_a_namesake_elsewhere_is_not_a_duplicate(db_engine: Engine, setup: dict) -> None:
    actor = f.actor(setup["referent"])
    with session_scope(db_engine) as s:
        first = create_need(s, actor=actor, form=good_form(setup["hood"].id),
                            publish=True, timezone=TZ, **f.GEO)
    with session_scope(db_engine) as s:
        second = create_need(s, actor=actor, form=good_form(
            setup["hood"].id, beneficiary_phone="06 12 34 56 78",
            address="40 rue de Paris, 35500 Vitré"), publish=True, timezone=TZ, **f.GEO)
    assert second.beneficiary_id != first.beneficiary_id


def test_another_communes_person_cannot_be_picked(db_engine: Engine, setup: dict) -> None:
    with session_scope(db_engine) as s:
        stranger = f.beneficiary(s, neighbourhood_=setup["other_hood"])
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as info, session_scope(db_engine) as s:
        create_need(s, actor=f.actor(setup["referent"]), form=good_form(
            setup["hood"].id, beneficiary_choice=str(stranger.id)), publish=True,
            timezone=TZ, **f.GEO)
    assert list(info.value.errors) == ["beneficiary_choice"]
    assert row_counts(db_engine) == before


def test_every_preferred_date_is_kept_and_the_earliest_starts(
    db_engine: Engine, setup: dict
) -> None:
    later = (utcnow() + timedelta(days=9)).date().isoformat()
    sooner = (utcnow() + timedelta(days=3)).date().isoformat()
    with session_scope(db_engine) as s:
        mission = create_need(s, actor=f.actor(setup["referent"]), form=good_form(
            setup["hood"].id, other_dates=((later, "15:00"), (sooner, "09:30"), ("", ""))),
            publish=True, timezone=TZ, **f.GEO)
        stored = s.get(Mission, mission.id)
        assert len(stored.preferred_starts) == 3
        assert stored.starts_at.date().isoformat() == sooner
        assert datetime.fromisoformat(stored.preferred_starts[0]) == stored.starts_at
        assert stored.preferred_starts[0].endswith("+00:00")  # stored as UTC
        audit = s.exec(select(AuditEntry).where(AuditEntry.entity_id == mission.id)).one()
        assert audit.detail["preferred_starts"] == stored.preferred_starts


def test_a_past_other_date_is_refused(db_engine: Engine, setup: dict) -> None:
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as info, session_scope(db_engine) as s:
        create_need(s, actor=f.actor(setup["referent"]), form=good_form(
            setup["hood"].id, other_dates=(("2020-01-01", "10:00"),)), publish=True,
            timezone=TZ, **f.GEO)
    assert list(info.value.errors) == ["other_dates"]
    assert row_counts(db_engine) == before


BROKEN_RULES = [
    ({"replaces_professional": True}, "replaces_professional"),
    ({"recurring": True}, "recurring"),
    ({"urgent": True}, "urgent"),
    ({"insurance_acknowledged": False}, "insurance_acknowledged"),
]


@pytest.mark.parametrize(("answers", "field"), BROKEN_RULES, ids=[b[1] for b in BROKEN_RULES])
def test_each_broken_rule_is_refused_and_nothing_written(
    db_engine: Engine, setup: dict, published: list[DomainEvent], answers: dict, field: str
) -> None:
    before = row_counts(db_engine)
    form = good_form(setup["hood"].id, answers=replace(GOOD_ANSWERS, **answers))
    with pytest.raises(ValidationFailed) as info, session_scope(db_engine) as s:
        create_need(s, actor=f.actor(setup["referent"]), form=form, publish=True,
                    timezone=TZ, **f.GEO)
    assert list(info.value.errors) == [field]
    assert info.value.errors[field]
    assert row_counts(db_engine) == before
    assert published == []


@pytest.mark.parametrize(("changes", "field", "hint"), [
    ({"beneficiary_phone": "123"}, "beneficiary_phone", "French phone number"),
    ({"beneficiary_phone": ""}, "beneficiary_phone", "required"),
    ({"preferred_date": "2020-01-15"}, "starts_at", "future"),
    ({"preferred_date": "15/01/2030"}, "starts_at", "valid date"),
    ({"title": "   "}, "title", "required"),
    ({"address": ""}, "address", "required"),
    ({"consent": False}, "consent", "consent"),
    ({"category": "plumbing"}, "category", "category"),
    ({"duration_minutes": "5"}, "duration_minutes", "range"),
], ids=["phone", "no-phone", "past-date", "bad-date", "title", "address", "consent",
        "category", "duration"])
def test_invalid_field_is_refused_and_nothing_written(
    db_engine: Engine, setup: dict, changes: dict, field: str, hint: str
) -> None:
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as info, session_scope(db_engine) as s:
        create_need(s, actor=f.actor(setup["referent"]),
                    form=good_form(setup["hood"].id, **changes), publish=True, timezone=TZ, **f.GEO)
    assert list(info.value.errors) == [field]
    assert hint in info.value.errors[field]
    assert row_counts(db_engine) == before


def test_all_errors_are_reported_together(db_engine: Engine, setup: dict) -> None:
    form = good_form(setup["hood"].id, beneficiary_phone="123", preferred_date="2020-01-15",
                     answers=replace(GOOD_ANSWERS, urgent=True))
    with pytest.raises(ValidationFailed) as info, session_scope(db_engine) as s:
        create_need(s, actor=f.actor(setup["referent"]), form=form, publish=True,
                    timezone=TZ, **f.GEO)
    assert set(info.value.errors) == {"beneficiary_phone", "starts_at", "urgent"}


def test_neighbourhood_of_another_commune_is_refused(db_engine: Engine, setup: dict) -> None:
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as info, session_scope(db_engine) as s:
        create_need(s, actor=f.actor(setup["referent"]),
                    form=good_form(setup["other_hood"].id), publish=True, timezone=TZ, **f.GEO)
    assert list(info.value.errors) == ["neighbourhood_id"]
    assert row_counts(db_engine) == before


def test_a_volunteer_cannot_record_a_need(db_engine: Engine, setup: dict) -> None:
    before = row_counts(db_engine)
    with (pytest.raises(NotAllowed, match="You are not allowed to do this"),
          session_scope(db_engine) as s):
        create_need(s, actor=f.actor(setup["volunteer"]), form=good_form(setup["hood"].id),
                    publish=True, timezone=TZ, **f.GEO)
    assert row_counts(db_engine) == before


def test_a_public_text_naming_the_person_is_refused_saying_which_name(
    db_engine: Engine, setup: dict
) -> None:
    before = row_counts(db_engine)
    form = good_form(setup["hood"].id, title="Courses pour Mme Leroux",
                     description="Jeanne aime le pain de seigle")
    with pytest.raises(ValidationFailed) as info, session_scope(db_engine) as s:
        create_need(s, actor=f.actor(setup["referent"]), form=form, publish=True, timezone=TZ,
                    **f.GEO)
    shown = info.value.translated(lambda message, **params: translate(message, "fr", **params))
    assert set(shown) == {"title", "description"}
    assert "Leroux" in shown["title"] and "Jeanne" in shown["description"]
    assert "public" in shown["title"]  # says why, in French
    assert row_counts(db_engine) == before


def test_a_null_field_is_never_stored_as_the_text_none(db_engine: Engine, setup: dict) -> None:
    fields = {name: getattr(good_form(setup["hood"].id), name) for name in (
        "category", "title", "neighbourhood_id", "channel", "beneficiary_name",
        "beneficiary_phone", "address", "preferred_date", "preferred_time", "duration_minutes")}
    data = {**fields, "description": None, "access_notes": None, "consent": "on",
            "insurance_acknowledged": "on", "preferred_date_2": None}
    with session_scope(db_engine) as s:
        mission = create_need(s, actor=f.actor(setup["referent"]),
                              form=NeedForm.from_form(data), publish=False, timezone=TZ, **f.GEO)
        assert mission.description == ""
        assert s.get(Beneficiary, mission.beneficiary_id).access_notes == ""
    with pytest.raises(ValidationFailed) as info, session_scope(db_engine) as s:
        create_need(s, actor=f.actor(setup["referent"]), publish=False, timezone=TZ, **f.GEO,
                    form=NeedForm.from_form({**data, "title": None}))
    assert info.value.errors["title"] == "This field is required."
