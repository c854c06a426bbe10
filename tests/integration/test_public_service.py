"""The public site's selectors (counters, stories) and the referent's success stories."""

from __future__ import annotations

from datetime import UTC, datetime

import factories as f
import pytest
from scratch_db import row_counts
from sqlalchemy.engine import Engine

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import MissionStatus, VolunteerStatus
from heurecivique_app.domain.errors import NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.models import HourEntry
from heurecivique_app.services import public

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PHOTO = "0123456789abcdef0123456789abcdef.jpg"


def test_counters_count_only_the_communes_figures(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s, status=MissionStatus.DONE)
        f.volunteer(s, neighbourhood_=w.neighbourhood, status=VolunteerStatus.PENDING)
        earlier = f.mission(s, neighbourhood_=w.neighbourhood, status=MissionStatus.CLOSED)
        for mission, month, minutes in ((w.mission, "2026-11", 45), (earlier, "2026-03", 90)):
            s.add(HourEntry(volunteer_id=w.volunteer.id, mission_id=mission.id,
                            minutes=minutes, month=month))
        elsewhere = f.world(s, status=MissionStatus.DONE)  # another commune
        s.add(HourEntry(volunteer_id=elsewhere.volunteer.id, mission_id=elsewhere.mission.id,
                        minutes=600, month="2026-11"))
        commune_id = w.commune.id
    with session_scope(db_engine) as s:
        figures = public.counters(s, commune_id=commune_id, timezone="Europe/Paris", now=NOW)
    assert figures == public.Counters(volunteers=1, minutes_this_month=45,
                                      minutes_this_year=135, actions_done=2)


def test_stories_show_a_photo_only_with_consent(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        town = f.commune(s)
        ref = f.actor(f.referent(s, commune_=town))
        commune_id = town.id
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as failure, session_scope(db_engine) as s:
        public.publish_story(s, actor=ref, title="Noël", text="Mille boîtes.",
                             photo_name=PHOTO, photo_consent=False)
    assert set(failure.value.errors) == {"photo_consent"}
    with pytest.raises(ValidationFailed) as failure, session_scope(db_engine) as s:
        public.publish_story(s, actor=ref, title=" ", text="", photo_name="../x.jpg")
    assert set(failure.value.errors) == {"title", "text", "photo"}
    assert row_counts(db_engine) == before
    with session_scope(db_engine) as s:
        story = public.publish_story(s, actor=ref, title="Noël", text="Mille boîtes.",
                                     photo_name=PHOTO, photo_consent=True)
        public.publish_story(s, actor=ref, title="Sans photo", text="Un café.")
        story_id = story.id
    with session_scope(db_engine) as s:
        shown = public.stories(s, commune_id=commune_id)
        assert {v.title: v.photo_name for v in shown} == {"Noël": PHOTO, "Sans photo": None}
        assert public.story_photo_name(s, story_id=story_id) == PHOTO


def test_only_staff_publish_and_unknown_communes_are_not_found(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s)
        volunteer = w.volunteer_actor
        slug = w.commune.slug
    with (pytest.raises(NotAllowed, match="You are not allowed to do this"),
          session_scope(db_engine) as s):
        public.publish_story(s, actor=volunteer, title="Moi", text="Moi")
    with session_scope(db_engine) as s:
        assert public.commune_by_slug(s, slug).slug == slug
        with pytest.raises(NotFound, match="This item no longer exists"):
            public.commune_by_slug(s, "nowhere")


def test_the_departements_site_sums_its_communes_and_places_them(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s, status=MissionStatus.DONE)
        w.departement.join_text = "Écrivez au service des solidarités."
        second = f.commune(s, departement_=w.departement, name="Argentré")
        f.neighbourhood(s, commune_=second, lat=48.08, lon=-1.14)
        f.neighbourhood(s, commune_=second, lat=48.10, lon=-1.16)
        f.volunteer(s, neighbourhood_=f.neighbourhood(s, commune_=second))
        f.commune(s, departement_=w.departement, name="Bais")  # no neighbourhood yet
        f.world(s, status=MissionStatus.DONE)  # another département: not counted
        code = w.departement.code
    with session_scope(db_engine) as s:
        site = public.departement_site(s, code=code.lower(), timezone="Europe/Paris", now=NOW)
        with pytest.raises(NotFound):
            public.departement_site(s, code="99", timezone="Europe/Paris")
    assert site.join_text == "Écrivez au service des solidarités."
    names = [c.name for c, _, _ in site.communes]
    assert names == sorted(names) and len(names) == 3 and "Bais" in names
    places = {c.name: (lat, lon) for c, lat, lon in site.communes}
    assert places["Bais"] == (None, None)
    # The middle of its neighbourhoods (the factory puts the third at 48.1239, -1.2089).
    assert places["Argentré"][0] == pytest.approx((48.08 + 48.10 + 48.1239) / 3)
    assert (site.totals.volunteers, site.totals.actions_done) == (2, 1)
