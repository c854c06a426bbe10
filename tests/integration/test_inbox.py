"""The notification centre: every message to a person lands in their centre, in the same
transaction as its cause, once; only they read it and mark it read — SQLite and PostgreSQL."""

from __future__ import annotations

import factories as f
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import (
    add_event_publisher,
    remove_event_publisher,
    session_scope,
)
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.event_kinds import EventKind
from heurecivique_app.domain.events import DomainEvent
from heurecivique_app.domain.inbox import InboxItem
from heurecivique_app.domain.notifications import MessageKind
from heurecivique_app.presenters.inbox import inbox_row
from heurecivique_app.realtime.channels import channels_for
from heurecivique_app.services import accounts, inbox, matching, notifications

TZ = "Europe/Paris"


@pytest.fixture
def world(db_engine: Engine) -> f.World:
    with session_scope(db_engine) as s:
        return f.world(s)


@pytest.fixture
def published():
    seen: list[DomainEvent] = []
    add_event_publisher(seen.extend)
    yield seen
    remove_event_publisher(seen.extend)


def _items(engine: Engine) -> list[InboxItem]:
    with session_scope(engine) as s:
        return list(s.exec(select(InboxItem).order_by(InboxItem.id)))


def _propose(engine: Engine, w: f.World) -> None:
    with session_scope(engine) as s:
        matching.propose_mission(s, actor=w.referent_actor, mission_id=w.mission.id,
                                 volunteer_ids=[w.volunteer.id], timezone=TZ)


def test_a_proposal_lands_in_the_volunteers_centre_with_a_link(db_engine, world,
                                                                 published) -> None:
    _propose(db_engine, world)
    [item] = _items(db_engine)
    assert (item.user_id, item.kind, item.read_at) == (world.volunteer.id,
                                                       MessageKind.PROPOSAL, None)
    fr = inbox_row(item, "fr", TZ)
    assert fr["title"] == f"Une mission pour vous : {world.mission.title}"
    assert world.referent.display_name in fr["text"] and fr["unread"] == "1"
    assert fr["href"] == f"/missions/{world.mission.id}"
    assert inbox_row(item, "en", TZ)["title"] == f"A mission for you: {world.mission.title}"
    # After commit, the signal goes to the volunteer's own channel and nobody else's.
    [signal] = [e for e in published if e.kind == EventKind.INBOX_CHANGED]
    assert channels_for(signal) == {f"inbox:{world.volunteer.id}"}
    with session_scope(db_engine) as s:
        assert inbox.unread_count(s, actor=world.volunteer_actor) == 1
        assert inbox.unread_count(s, actor=world.referent_actor) == 0


def test_nothing_lands_when_the_cause_rolls_back_and_a_retry_lands_once(db_engine, world,
                                                                        published) -> None:
    with pytest.raises(RuntimeError), session_scope(db_engine) as s:
        matching.propose_mission(s, actor=world.referent_actor, mission_id=world.mission.id,
                                 volunteer_ids=[world.volunteer.id], timezone=TZ)
        raise RuntimeError("the request failed after the proposal")
    assert _items(db_engine) == [] and published == []
    look = {"name": "X", "colour": "#000000"}  # a caller that does not name the commune
    for _ in range(2):
        with session_scope(db_engine) as s:
            notifications.notify(s, kind=MessageKind.REMINDER, event="reminder:test",
                                 user_ids=iter([world.volunteer.id, world.volunteer.id]),
                                 params={}, commune=look, timezone=TZ)
    assert len(_items(db_engine)) == 1


def test_account_e_mails_and_the_morning_summary_stay_out_of_the_centre(db_engine,
                                                                        world) -> None:
    with session_scope(db_engine) as s:
        notifications.notify(s, kind=MessageKind.ACCOUNT_EXISTS, event="exists:1",
                             user_ids=[world.volunteer.id], params={"login_url": "x"},
                             commune=notifications.commune_look(s, world.commune.id),
                             timezone=TZ)
        # It names beneficiaries and their phones: no copy in a centre's rows.
        notifications.notify(s, kind=MessageKind.MORNING_SUMMARY, event="summary:1",
                             user_ids=[world.referent.id],
                             params={"visits": [{"beneficiary": "Mme X",
                                                 "phone": "+33299750000"}]},
                             commune=notifications.commune_look(s, world.commune.id),
                             timezone=TZ)
    assert _items(db_engine) == []


def test_only_its_owner_marks_a_message_read(db_engine, world, published) -> None:
    _propose(db_engine, world)
    [item] = _items(db_engine)
    for stranger in (world.referent_actor,):
        with pytest.raises(NotFound), session_scope(db_engine) as s:
            inbox.mark_read(s, actor=stranger, item_id=str(item.id))
    for junk in ("", "abc", "-1", None, str(item.id + 1000)):
        with pytest.raises(NotFound), session_scope(db_engine) as s:
            inbox.mark_read(s, actor=world.volunteer_actor, item_id=junk)
    published.clear()
    with session_scope(db_engine) as s:
        inbox.mark_read(s, actor=world.volunteer_actor, item_id=str(item.id))
        assert inbox.unread_count(s, actor=world.volunteer_actor) == 0
    # The other tabs of the volunteer hear it too (their bell goes down).
    assert [channels_for(e) for e in published] == [{f"inbox:{world.volunteer.id}"}]
    with session_scope(db_engine) as s:
        [row] = inbox.latest(s, actor=world.volunteer_actor)
        assert inbox_row(row, "fr", TZ)["unread"] == ""
        assert inbox.latest(s, actor=world.referent_actor) == []


def test_mark_all_read_and_erasure(db_engine, world) -> None:
    look = {"name": "X", "colour": "#000000"}
    with session_scope(db_engine) as s:
        for n in range(3):
            notifications.notify(s, kind=MessageKind.REMINDER, event=f"reminder:{n}",
                                 user_ids=[world.volunteer.id],
                                 params={"title": "T", "starts_at": "2026-12-06T09:00:00+00:00",
                                         "neighbourhood": "N", "mission_id": 1},
                                 commune=look, timezone=TZ)
    with session_scope(db_engine) as s:
        assert inbox.mark_all_read(s, actor=world.volunteer_actor) == 3
        assert inbox.unread_count(s, actor=world.volunteer_actor) == 0
        assert inbox.mark_all_read(s, actor=world.volunteer_actor) == 0
    with session_scope(db_engine) as s:
        accounts.delete_account(s, actor=world.volunteer_actor)
    assert _items(db_engine) == []
