"""The permission matrix: each role × each staff-facing service action × where it aims.

Three communes: A (the actors' own), B (another commune of A's département) and C
(another département). Every actor's account belongs to A. A cell is allowed exactly
when the role has the action and its reach holds the target commune (a coordinator
reaches A and B, a platform administrator every commune, everyone else A only); a
refused cell raises ``NotFound``, or ``NotAllowed`` for a role without the action at
all (that says nothing about the id). An allowed list is also checked to show the
target commune's own rows.

Actions on an id aim at the target's object. Actions on "the commune" (lists, intake,
exports, settings) aim at the commune the actor works on: the actor first chooses the
target (``services.actor.choose_commune``, as the console's selector does) and is then
read back from their cookie's session, as every page and download reads them.

One data set per module and database; each cell runs in a transaction rolled back.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import factories as f
import pytest
from scratch_db import migrate, truncate_all
from sqlalchemy.engine import Engine
from sqlmodel import Session

from heurecivique_app.adapters.db import make_engine
from heurecivique_app.domain.community import RelayReport
from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus, Role, VolunteerStatus
from heurecivique_app.domain.errors import NotAllowed, NotFound
from heurecivique_app.domain.models import Participation
from heurecivique_app.domain.stats import period_of
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import (
    audit_log,
    auth,
    beneficiaries,
    followup,
    geography,
    intake,
    matching,
    onboarding,
    pool,
    register,
    relays,
    retention,
    search,
    staff,
    stats,
    triage,
)
from heurecivique_app.services.actor import Actor, choose_commune
from heurecivique_app.services.missions import control, lifecycle

TZ = "Europe/Paris"
TARGETS = ("own", "same_departement", "other_departement")
ROLES = (Role.VOLUNTEER, Role.RELAY, Role.REFERENT, Role.COMMUNE_ADMIN, Role.DEPARTEMENT_ADMIN,
         Role.PLATFORM_ADMIN)
STAFF = {Role.REFERENT, Role.COMMUNE_ADMIN, Role.DEPARTEMENT_ADMIN, Role.PLATFORM_ADMIN}
ADMINS = {Role.COMMUNE_ADMIN, Role.DEPARTEMENT_ADMIN, Role.PLATFORM_ADMIN}
REACH = {Role.DEPARTEMENT_ADMIN: {"own", "same_departement"}, Role.PLATFORM_ADMIN: set(TARGETS)}


@dataclass
class Town:
    """One commune's rows the actions aim at."""

    id: int
    hood: int
    referent: int
    volunteer: int
    pending: int
    beneficiary: int
    open_mission: int
    past_mission: int
    draft: int
    report: int


@dataclass
class Data:
    towns: dict[str, Town]
    tokens: dict[Role, str] = field(default_factory=dict)


def _town(s: Session, departement) -> Town:
    town = f.commune(s, departement_=departement)
    hood = f.neighbourhood(s, commune_=town)
    ref = f.referent(s, commune_=town)
    vol = f.volunteer(s, neighbourhood_=hood)
    pending = f.volunteer(s, neighbourhood_=hood, status=VolunteerStatus.PENDING)
    person = f.beneficiary(s, neighbourhood_=hood)
    open_mission = f.mission(s, neighbourhood_=hood, beneficiary_=person)
    past = f.mission(s, neighbourhood_=hood, beneficiary_=person, status=MissionStatus.FULL,
                     starts_at=utcnow() - timedelta(days=2), accepted_count=1)
    s.add(Participation(mission_id=past.id, volunteer_id=vol.id,
                        status=ParticipationStatus.ACCEPTED))
    draft = f.mission(s, neighbourhood_=hood, beneficiary_=person, status=MissionStatus.DRAFT)
    relay = f.user(s, neighbourhood_=hood, role=Role.RELAY)
    report = RelayReport(commune_id=town.id, neighbourhood_id=hood.id, relay_id=relay.id,
                         kind="issue", category="comfort", title="Lampadaire éteint",
                         description="Rue sombre le soir.", status="new")
    s.add(report)
    s.flush()
    return Town(town.id, hood.id, ref.id, vol.id, pending.id, person.id, open_mission.id,
                past.id, draft.id, report.id)


def _build(engine: Engine) -> Data:
    with Session(engine) as s:
        home_departement, far_departement = f.departement(s), f.departement(s)
        data = Data({"own": _town(s, home_departement),
                     "same_departement": _town(s, home_departement),
                     "other_departement": _town(s, far_departement)})
        own = s.get(f.Commune, data.towns["own"].id)
        hood = s.get(f.Neighbourhood, data.towns["own"].hood)
        for role in ROLES:
            person = (f.user(s, neighbourhood_=hood, role=role) if role == Role.RELAY
                      else f.volunteer(s, neighbourhood_=hood) if role == Role.VOLUNTEER
                      else f.user(s, commune_=own, role=role))
            data.tokens[role] = auth.open_session(s, user=person, ttl_hours=24)
        s.commit()
    return data


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                               marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[tuple[Engine, Data]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'matrix.db'}"
        migrate(url)
    else:
        url = request.getfixturevalue("pg_migrated_url")
    engine = make_engine(url)
    if request.param == "postgres":
        truncate_all(engine)
    yield engine, _build(engine)
    engine.dispose()


# --- the actions ----------------------------------------------------------------------------

Call = Callable[[Session, Actor, Town], Any]


@dataclass(frozen=True)
class Action:
    """One service action: ``on_commune`` ones aim at the commune the actor works on."""

    call: Call
    admins_only: bool = False
    on_commune: bool = False
    # For lists: does the answer show the target commune's rows?
    shows: Callable[[Any, Town], bool] | None = None


def _need(town: Town) -> intake.NeedForm:
    return intake.NeedForm(
        category="shopping", title="Courses", description="Fruits au marché",
        neighbourhood_id=str(town.hood), beneficiary_name="Mme Odile Quéré",
        beneficiary_phone="02 99 75 00 01", address="3 rue Baudrairie, 35500 Vitré",
        consent=True, preferred_date=(date.today() + timedelta(days=7)).isoformat(),
        preferred_time="10:00", beneficiary_choice="new",
        answers=intake.IntakeAnswers(replaces_professional=False, recurring=False,
                                     urgent=False, insurance_acknowledged=True))


YEAR = period_of("year", anchor=date.today())
FILTERS = search.Filters()

ACTIONS: dict[str, Action] = {
    # intake
    "intake.create_need": Action(
        lambda s, a, t: intake.create_need(s, actor=a, form=_need(t), publish=False,
                                           timezone=TZ, **f.GEO), on_commune=True,
        shows=lambda m, t: m.commune_id == t.id),
    # matching
    "matching.suggest": Action(lambda s, a, t: matching.suggest(
        s, actor=a, mission_id=t.open_mission, timezone=TZ)),
    "matching.propose": Action(lambda s, a, t: matching.propose_mission(
        s, actor=a, mission_id=t.open_mission, volunteer_ids=[t.volunteer], timezone=TZ)),
    "matching.assign": Action(lambda s, a, t: matching.assign_volunteer(
        s, actor=a, mission_id=t.open_mission, volunteer_id=t.volunteer, timezone=TZ)),
    # mission control
    "lifecycle.publish": Action(lambda s, a, t: lifecycle.publish_mission(
        s, actor=a, mission_id=t.draft)),
    "control.cancel": Action(lambda s, a, t: control.cancel_mission(
        s, actor=a, mission_id=t.open_mission, reason="Aide trouvée ailleurs", timezone=TZ)),
    "control.place_holders": Action(lambda s, a, t: control.place_holders(
        s, actor=a, mission_id=t.past_mission)),
    "geography.placement": Action(lambda s, a, t: geography.placement(
        s, actor=a, mission_id=t.open_mission)),
    # the pool and a volunteer's record
    "pool.search": Action(
        lambda s, a, t: pool.search_pool(s, actor=a, wanted=pool.PoolFilter(), timezone=TZ),
        on_commune=True, shows=lambda found, t: t.volunteer in {r.volunteer_id
                                                               for r in found[0]}),
    "pool.record": Action(lambda s, a, t: pool.volunteer_record(
        s, actor=a, volunteer_id=t.volunteer, timezone=TZ)),
    "pool.validate": Action(lambda s, a, t: pool.validate_volunteer(
        s, actor=a, volunteer_id=t.pending, charter_checked=True, note="Vue au CCAS",
        charter_version="2024-01")),
    "relays.assign": Action(lambda s, a, t: relays.assign_neighbourhoods(
        s, actor=a, user_id=t.volunteer, neighbourhood_ids=[], enrolment=None)),
    # beneficiaries
    "beneficiaries.record": Action(lambda s, a, t: beneficiaries.beneficiary_record(
        s, actor=a, beneficiary_id=t.beneficiary)),
    "beneficiaries.update": Action(lambda s, a, t: beneficiaries.record_notice_read(
        s, actor=a, beneficiary_id=t.beneficiary)),
    "search.beneficiaries": Action(
        lambda s, a, t: search.beneficiaries(s, actor=a, filters=FILTERS), on_commune=True,
        shows=lambda rows, t: t.beneficiary in {r.id for r in rows}),
    # follow-up
    "followup.view": Action(lambda s, a, t: followup.followup_view(
        s, actor=a, mission_id=t.past_mission)),
    "followup.record": Action(lambda s, a, t: followup.record_followup(
        s, actor=a, mission_id=t.past_mission, timezone=TZ,
        form=followup.FollowUpForm(beneficiary_called=True, went_well="yes", minutes="60"))),
    # relays' reports
    "relays.reports": Action(
        lambda s, a, t: relays.commune_reports(s, actor=a), on_commune=True,
        shows=lambda rows, t: t.report in {r.id for r in rows}),
    "triage.close": Action(lambda s, a, t: triage.close(
        s, actor=a, report_id=t.report, answer="Transmis aux services techniques.")),
    # staff administration
    "staff.list": Action(lambda s, a, t: staff.staff_of(s, actor=a), admins_only=True,
                         on_commune=True,
                         shows=lambda people, t: t.referent in {p.user_id for p in people}),
    "staff.invite": Action(
        lambda s, a, t: staff.invite(s, actor=a, email=f"new{t.id}@example.org",
                                     name="Nouvelle Recrue", role="referent",
                                     site_url="http://test"),
        admins_only=True, on_commune=True, shows=lambda inv, t: inv.commune_id == t.id),
    "staff.deactivate": Action(lambda s, a, t: staff.set_active(
        s, actor=a, user_id=t.referent, active=False), admins_only=True),
    # the commune's settings (name, colours, contacts, neighbourhoods: services/onboarding)
    "onboarding.commune": Action(lambda s, a, t: onboarding.managed_commune(
        s, actor=a, commune_id=t.id), admins_only=True),
    # exports and registers
    "search.missions": Action(
        lambda s, a, t: search.missions(s, actor=a, filters=FILTERS, timezone=TZ),
        on_commune=True, shows=lambda rows, t: t.open_mission in {r.id for r in rows}),
    "triage.export_csv": Action(lambda s, a, t: triage.export_csv(s, actor=a),
                                on_commune=True),
    "register.processing": Action(lambda s, a, t: register.commune_register(
        s, actor=a, contact_visible_hours=48, session_hours=24, charter_version="2024-01"),
        on_commune=True),
    "retention.settings": Action(lambda s, a, t: retention.update_retention(
        s, actor=a, mission_contact_days=30, inactive_months=24), on_commune=True),
    "retention.erasures": Action(lambda s, a, t: retention.erasure_register(s, actor=a),
                                 on_commune=True),
    # statistics and the audit log
    "stats.commune": Action(lambda s, a, t: stats.commune_stats(
        s, actor=a, commune_id=t.id, filters=stats.StatsFilter(YEAR), timezone=TZ)),
    "audit.entries": Action(
        lambda s, a, t: audit_log.audit_entries(s, actor=a, wanted=audit_log.AuditFilter(),
                                                timezone=TZ), on_commune=True),
}


def expected(role: Role, action: Action, target: str) -> set[type | str]:
    """What the cell must give: "allowed", or the refusals that say nothing."""
    able = role in (ADMINS if action.admins_only else STAFF)
    inside = target in REACH.get(role, {"own"})
    if able and inside:
        return {"allowed"}
    if able:
        return {NotFound}  # an id of a commune out of reach: as if it did not exist
    return {NotAllowed, NotFound}  # not their job anywhere: the id is not told either


def run(engine: Engine, data: Data, role: Role, action: Action, target: str) -> type | str:
    town = data.towns[target]
    token = data.tokens[role]
    with Session(engine) as s:
        try:
            if action.on_commune and target != "own":
                choose_commune(s, actor=auth.actor_for_token(s, token),
                               session_digest=auth.session_digest(token), commune_id=town.id)
            actor = auth.actor_for_token(s, token)
            assert actor is not None
            result = action.call(s, actor, town)
            if action.shows is not None:
                assert action.shows(result, town), "the list is not the target commune's"
            return "allowed"
        except (NotFound, NotAllowed) as refusal:
            return type(refusal)
        finally:
            s.rollback()


@pytest.mark.parametrize(("name", "role", "target"), [
    pytest.param(name, role, target, id=f"{name}-{role}-{target}")
    for name, role, target in itertools.product(ACTIONS, ROLES, TARGETS)])
def test_the_permission_matrix(world, name: str, role: Role, target: str) -> None:
    engine, data = world
    action = ACTIONS[name]
    assert run(engine, data, role, action, target) in expected(role, action, target)
