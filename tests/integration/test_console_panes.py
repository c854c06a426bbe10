"""The console's panes: bounded lists, counts of every item, and the paginated missions list.

On SQLite and PostgreSQL: each pane reads at most its limit (a LIMIT in every read of
missions), its heading counts them all (one statement, scoped to the commune), and
/console/missions pages through every match without repeating or skipping one.
"""

from __future__ import annotations

from datetime import timedelta

import factories as f
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.community import RelayReport
from heurecivique_app.domain.enums import MissionStatus, VolunteerStatus
from heurecivique_app.domain.event_kinds import EventKind
from heurecivique_app.domain.models import AuditEntry
from heurecivique_app.domain.types import utcnow
from heurecivique_app.presenters.missions import ACTIVITY_TEXTS, PANE_LIMITS, console_vars
from heurecivique_app.services import dashboard, search
from heurecivique_app.services.actor import Actor

TZ = "UTC"
WAITING = PANE_LIMITS["waiting"] + 5  # more than the pane lists


@pytest.fixture
def busy(db_engine: Engine):
    """A commune with more of everything than its panes list, and a neighbour commune."""
    with session_scope(db_engine) as s:
        w = f.world(s, title="Attente 00")
        now = utcnow()
        for n in range(1, WAITING):  # the world's mission waits too
            f.mission(s, neighbourhood_=w.neighbourhood, title=f"Attente {n:02d}",
                      created_by_id=w.referent.id)
        for n in range(3):
            f.mission(s, neighbourhood_=w.neighbourhood, title=f"Passée {n}",
                      status=MissionStatus.FULL, accepted_count=1,
                      starts_at=now - timedelta(days=n + 1))
        f.mission(s, neighbourhood_=w.neighbourhood, title="Brouillon",
                  status=MissionStatus.DRAFT)
        for _ in range(2):
            f.volunteer(s, neighbourhood_=w.neighbourhood, status=VolunteerStatus.PENDING)
        relay = f.volunteer(s, neighbourhood_=w.neighbourhood)
        for n in range(4):
            s.add(RelayReport(commune_id=w.commune.id, neighbourhood_id=w.neighbourhood.id,
                              relay_id=relay.id, kind="issue", category="comfort",
                              title=f"Banc {n}"))
        for _ in range(3):
            s.add(AuditEntry(commune_id=w.commune.id, actor_id=w.referent.id,
                             action=EventKind.MISSION_PUBLISHED, entity="mission",
                             entity_id=w.mission.id))
        # Not worded by the feed: not counted either.
        s.add(AuditEntry(commune_id=w.commune.id, actor_id=w.referent.id,
                         action="mission.geocoded", entity="mission", entity_id=w.mission.id))
        # Yesterday's: in the feed, not in today's count.
        s.add(AuditEntry(commune_id=w.commune.id, actor_id=w.referent.id,
                         action=EventKind.MISSION_PUBLISHED, entity="mission",
                         entity_id=w.mission.id, at=now - timedelta(days=1, hours=1)))
        # Another commune's, of every kind: never counted here.
        other = f.mission(s, title="Ailleurs", status=MissionStatus.FULL, accepted_count=1,
                          starts_at=now - timedelta(days=1))
        f.mission(s, title="Ailleurs en attente")
        s.add(AuditEntry(commune_id=other.commune_id, action=EventKind.MISSION_PUBLISHED,
                         entity="mission", entity_id=other.id))
    return w


def test_each_pane_lists_at_most_its_limit_and_counts_every_item(db_engine, busy):
    with session_scope(db_engine) as s:
        counts = dashboard.pane_counts(s, commune_id=busy.commune.id, timezone=TZ,
                                       activity_actions=ACTIVITY_TEXTS)
        shown = console_vars(s, busy.commune.id, "fr", TZ)
    assert counts == dashboard.PaneCounts(
        today=0, followups=3, waiting=WAITING, pending=2, reports=4,
        missions=WAITING + 3 + 1, activity_today=3)
    assert len(shown["waiting"]) == PANE_LIMITS["waiting"] < WAITING
    # The longest waiting first: the oldest created.
    assert [m["title"] for m in shown["waiting"][:2]] == ["Attente 00", "Attente 01"]
    assert [m["title"] for m in shown["followups"]] == ["Passée 2", "Passée 1", "Passée 0"]
    assert len(shown["new_reports"]) == 4
    assert len(shown["activity"]) == 4  # yesterday's too; never the one it cannot word
    # The headings' figures, in the locale's digits.
    assert shown["counts"] == {"today": "0", "followups": "3", "waiting": str(WAITING),
                               "pending": "2", "reports": "4",
                               "missions": str(WAITING + 4),
                               "activity_today": "3 aujourd’hui"}


def test_the_feed_keeps_its_lines_for_events_it_can_word(db_engine, busy):
    with session_scope(db_engine) as s:
        for _ in range(20):  # a burst of events the feed does not show
            s.add(AuditEntry(commune_id=busy.commune.id, action="mission.geocoded",
                             entity="mission", entity_id=busy.mission.id))
    with session_scope(db_engine) as s:
        shown = console_vars(s, busy.commune.id, "en", TZ)
    assert len(shown["activity"]) == 4


def test_every_read_of_missions_for_the_console_is_bounded(db_engine, busy):
    statements: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        statements.append(" ".join(statement.split()).upper())

    event.listen(db_engine, "before_cursor_execute", record)
    try:
        with session_scope(db_engine) as s:
            console_vars(s, busy.commune.id, "fr", TZ)
    finally:
        event.remove(db_engine, "before_cursor_execute", record)
    reads = [q for q in statements if q.startswith("SELECT") and " FROM MISSION" in q]
    assert reads
    unbounded = [q for q in reads if "LIMIT" not in q and "COUNT(" not in q]
    assert unbounded == []


def _staff(world) -> Actor:
    return world.referent_actor


def test_the_missions_list_pages_through_every_match_once(db_engine, busy):
    with session_scope(db_engine) as s:
        everything = search.missions(s, actor=_staff(busy), filters=search.Filters(),
                                     timezone=TZ)
        pages = [search.missions_page(s, actor=_staff(busy), filters=search.Filters(),
                                      timezone=TZ, page=n, page_size=10) for n in (1, 2, 3)]
    total = WAITING + 4
    assert len(everything) == total
    assert [(p.total, p.pages, p.page) for p in pages] == [(total, 3, n) for n in (1, 2, 3)]
    assert [len(p.lines) for p in pages] == [10, 10, total - 20]
    seen = [line.id for p in pages for line in p.lines]
    assert seen == [line.id for line in everything]  # same order, none twice, none missed


def test_a_page_out_of_range_gives_the_nearest_and_filters_count_only_matches(db_engine, busy):
    with session_scope(db_engine) as s:
        last = search.missions_page(s, actor=_staff(busy), filters=search.Filters(),
                                    timezone=TZ, page=99, page_size=10)
        first = search.missions_page(s, actor=_staff(busy), filters=search.Filters(),
                                     timezone=TZ, page=0, page_size=10)
        passed = search.missions_page(s, actor=_staff(busy), timezone=TZ, page=1,
                                      filters=search.parse_filters({"q": "passée"}))
        drafts = search.missions_page(s, actor=_staff(busy), timezone=TZ, page=1,
                                      filters=search.parse_filters({"status": "draft"}))
        none = search.missions_page(s, actor=_staff(busy), timezone=TZ, page=4,
                                    filters=search.parse_filters({"q": "introuvable"}))
    assert (last.page, last.pages) == (3, 3) and last.lines
    assert first.page == 1 and len(first.lines) == 10
    assert (passed.total, passed.pages) == (3, 1)
    assert sorted(line.title for line in passed.lines) == ["Passée 0", "Passée 1", "Passée 2"]
    assert [line.title for line in drafts.lines] == ["Brouillon"]
    assert (none.total, none.pages, none.page, none.lines) == (0, 1, 1, [])


def test_the_missions_list_stays_staff_only_and_in_the_commune(db_engine, busy):
    from heurecivique_app.domain.errors import NotAllowed

    with pytest.raises(NotAllowed), session_scope(db_engine) as s:
        search.missions_page(s, actor=busy.volunteer_actor, filters=search.Filters(),
                             timezone=TZ)
    with session_scope(db_engine) as s:
        titles = [line.title for line in search.missions_page(
            s, actor=_staff(busy), filters=search.Filters(), timezone=TZ,
            page_size=100).lines]
    assert "Ailleurs" not in titles and "Ailleurs en attente" not in titles
