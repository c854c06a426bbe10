"""A referent's message to a group of volunteers: who receives it, its checks, its pace,
the audit log, and its deliveries (e-mail and notification centre) — SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import factories as f
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import MissionKind, ParticipationStatus, VolunteerStatus
from heurecivique_app.domain.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.group_messages import MAX_LENGTH, PER_HOUR, Audience
from heurecivique_app.domain.inbox import InboxItem
from heurecivique_app.domain.models import AuditEntry, Participation
from heurecivique_app.domain.notifications import Job, MessageKind
from heurecivique_app.domain.types import utcnow
from heurecivique_app.i18n import translate
from heurecivique_app.presenters.inbox import inbox_row
from heurecivique_app.services import group_messages

TZ = "Europe/Paris"


@dataclass
class Town:
    world: f.World
    other_hood: f.Neighbourhood
    neighbour: f.User  # an active volunteer of the other neighbourhood
    pending: f.User  # awaiting the interview: still reached
    paused: f.User  # on a break: never reached
    collective: f.Mission
    elsewhere: f.World  # another commune


@pytest.fixture
def town(db_engine: Engine) -> Town:
    with session_scope(db_engine) as s:
        w = f.world(s)
        hood = f.neighbourhood(s, commune_=w.commune)
        neighbour = f.volunteer(s, neighbourhood_=hood)
        pending = f.volunteer(s, neighbourhood_=w.neighbourhood, status=VolunteerStatus.PENDING)
        paused = f.volunteer(s, neighbourhood_=w.neighbourhood, status=VolunteerStatus.PAUSED)
        collective = f.mission(s, neighbourhood_=hood, kind=MissionKind.COLLECTIVE, capacity=5)
        s.add(Participation(mission_id=w.mission.id, volunteer_id=w.volunteer.id,
                            status=ParticipationStatus.ACCEPTED))
        for person in (neighbour, pending):
            s.add(Participation(mission_id=collective.id, volunteer_id=person.id,
                                status=ParticipationStatus.ACCEPTED))
        elsewhere = f.world(s)
        return Town(w, hood, neighbour, pending, paused, collective, elsewhere)


def _group(engine: Engine, actor, audience, target_id=0) -> set[int]:
    with session_scope(engine) as s:
        return set(group_messages.group(s, actor=actor, audience=audience,
                                        target_id=target_id).user_ids)


def test_each_audience_holds_the_communes_reachable_volunteers(db_engine, town) -> None:
    w, referent = town.world, town.world.referent_actor
    assert _group(db_engine, referent, Audience.POOL) == {
        w.volunteer.id, town.neighbour.id, town.pending.id}
    assert _group(db_engine, referent, "neighbourhood", str(w.neighbourhood.id)) == {
        w.volunteer.id, town.pending.id}
    assert _group(db_engine, referent, "mission", str(w.mission.id)) == {w.volunteer.id}
    assert _group(db_engine, referent, "collective", str(town.collective.id)) == {
        town.neighbour.id, town.pending.id}


def test_another_communes_groups_are_not_found(db_engine, town) -> None:
    referent, there = town.world.referent_actor, town.elsewhere
    for audience, target in (("mission", there.mission.id),
                             ("neighbourhood", there.neighbourhood.id),
                             ("collective", town.world.mission.id),  # not a collective one
                             ("mission", town.collective.id),  # nor an individual one
                             ("mission", "abc"), ("everyone", 0)):
        with pytest.raises(NotFound), session_scope(db_engine) as s:
            group_messages.group(s, actor=referent, audience=audience, target_id=target)
        with pytest.raises(NotFound), session_scope(db_engine) as s:
            group_messages.send(s, actor=referent, audience=audience, target_id=target,
                                text="Bonjour", timezone=TZ)
    # The other commune's referent sees only their own pool.
    assert _group(db_engine, there.referent_actor, Audience.POOL) == {there.volunteer.id}
    with pytest.raises(NotAllowed), session_scope(db_engine) as s:
        group_messages.send(s, actor=town.world.volunteer_actor, audience="pool", target_id=0,
                            text="Bonjour", timezone=TZ)


def test_a_message_is_audited_mailed_and_in_each_centre(db_engine, town) -> None:
    w = town.world
    with session_scope(db_engine) as s:
        count = group_messages.send(s, actor=w.referent_actor, audience="mission",
                                    target_id=str(w.mission.id),
                                    text="  Rendez-vous à 9 h devant la mairie.  ", timezone=TZ)
    assert count == 1
    with session_scope(db_engine) as s:
        [entry] = s.exec(select(AuditEntry).where(
            AuditEntry.action == "message.group_sent")).all()
        assert (entry.actor_id, entry.entity, entry.entity_id) == (w.referent.id, "mission",
                                                                   w.mission.id)
        assert entry.detail == {"recipients": 1, "text": "Rendez-vous à 9 h devant la mairie."}
        [job] = s.exec(select(Job)).all()
        assert (job.user_id, job.payload["kind"]) == (w.volunteer.id, MessageKind.GROUP_MESSAGE)
        [item] = s.exec(select(InboxItem)).all()
    row = inbox_row(item, "fr", TZ)
    assert item.user_id == w.volunteer.id
    assert row["title"] == f"Un message de {w.referent.display_name}, de la mairie"
    assert row["text"] == "Rendez-vous à 9 h devant la mairie."
    assert row["href"] == f"/missions/{w.mission.id}"


REQUIRED = "Ce champ est obligatoire."


@pytest.mark.parametrize(("text", "said"), [
    ("", REQUIRED), ("   ", REQUIRED), (None, REQUIRED),
    ("x" * (MAX_LENGTH + 1), f"Ce texte est trop long : {MAX_LENGTH} caractères au plus."),
    (42, "Cette valeur n'est pas du texte."),
])
def test_an_empty_or_too_long_message_is_refused_with_its_reason(db_engine, town, text, said):
    with pytest.raises(ValidationFailed) as refused, session_scope(db_engine) as s:
        group_messages.send(s, actor=town.world.referent_actor, audience="pool", target_id=0,
                            text=text, timezone=TZ)
    assert refused.value.translated(lambda m, **p: translate(m, "fr", **p)) == {"text": said}
    with session_scope(db_engine) as s:
        assert s.exec(select(InboxItem)).all() == []
        assert s.exec(select(Job)).all() == []


def test_a_group_of_nobody_is_refused(db_engine, town) -> None:
    with session_scope(db_engine) as s:
        hood = f.neighbourhood(s, commune_=town.world.commune)
    with pytest.raises(DomainError) as refused, session_scope(db_engine) as s:
        group_messages.send(s, actor=town.world.referent_actor, audience="neighbourhood",
                            target_id=hood.id, text="Bonjour", timezone=TZ)
    assert translate(refused.value.message, "fr") == (
        "Personne ne recevrait ce message : choisissez un autre groupe.")


def test_a_referent_sends_at_most_so_many_per_hour(db_engine, town) -> None:
    referent, start = town.world.referent_actor, utcnow()
    for n in range(PER_HOUR):
        with session_scope(db_engine) as s:
            group_messages.send(s, actor=referent, audience="pool", target_id=0,
                                text=f"Message {n}", timezone=TZ, now=start)
    with pytest.raises(DomainError) as refused, session_scope(db_engine) as s:
        group_messages.send(s, actor=referent, audience="pool", target_id=0, text="Encore",
                            timezone=TZ, now=start + timedelta(minutes=30))
    assert translate(refused.value.message, "fr", **refused.value.params).startswith(
        f"Vous avez envoyé {PER_HOUR} messages")
    # Another referent of the commune is not held back by the first one's messages.
    with session_scope(db_engine) as s:
        other = f.actor(f.referent(s, commune_=town.world.commune))
    with session_scope(db_engine) as s:
        group_messages.send(s, actor=other, audience="pool", target_id=0, text="Moi aussi",
                            timezone=TZ, now=start + timedelta(minutes=30))
    # An hour after the first ones, the first referent may write again.
    with session_scope(db_engine) as s:
        group_messages.send(s, actor=referent, audience="pool", target_id=0, text="Enfin",
                            timezone=TZ, now=start + timedelta(minutes=61))


@pytest.mark.postgres
def test_two_sends_at_once_cannot_pass_the_limit_together(pg_engine) -> None:
    with session_scope(pg_engine) as s:
        w = f.world(s)
    referent = w.referent_actor
    for n in range(PER_HOUR - 1):
        with session_scope(pg_engine) as s:
            group_messages.send(s, actor=referent, audience="pool", target_id=0,
                                text=f"Message {n}", timezone=TZ)
    gate = threading.Barrier(2)

    def one(n: int) -> str:
        try:
            with session_scope(pg_engine) as s:
                gate.wait()
                group_messages.send(s, actor=referent, audience="pool", target_id=0,
                                    text=f"À la fois {n}", timezone=TZ)
                time.sleep(0.3)  # the other one is waiting for the referent's row meanwhile
            return "sent"
        except DomainError:
            return "refused"

    with ThreadPoolExecutor(2) as pool:
        assert sorted(pool.map(one, range(2))) == ["refused", "sent"]
