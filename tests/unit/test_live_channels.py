"""Which viewers a committed change reaches."""

from heurecivique_app.domain.events import DomainEvent
from heurecivique_app.realtime.channels import channels_for, parse

# The referent's own pages of mission 9 (follow-up, matching) follow every change of it.
STAFF = {"followup:9", "match:9"}


def test_a_mission_change_reaches_its_board_its_page_and_the_communes_consoles():
    event = DomainEvent(kind="mission.accepted", commune_id=2, neighbourhood_id=5, mission_id=9)
    assert channels_for(event) == {"console:2", "board:5", "mission:9", "roster:9", "stats:2",
                                   *STAFF}


def test_waiting_list_moves_reach_the_consoles_and_the_roster_but_no_board():
    for kind in ("mission.waitlisted", "mission.promoted", "attendance.recorded"):
        event = DomainEvent(kind=kind, commune_id=2, neighbourhood_id=5, mission_id=9)
        assert channels_for(event) == {"console:2", "roster:9", "stats:2", *STAFF}


def test_a_follow_up_reaches_only_the_consoles():
    event = DomainEvent(kind="mission.followed_up", commune_id=2, neighbourhood_id=5,
                        mission_id=9)
    assert channels_for(event) == {"console:2", "stats:2", *STAFF}


def test_a_direct_assignment_changes_the_board_and_the_roster_like_an_acceptance():
    event = DomainEvent(kind="mission.assigned", commune_id=2, neighbourhood_id=5, mission_id=9)
    assert channels_for(event) == {"console:2", "board:5", "mission:9", "roster:9", "stats:2",
                                   *STAFF}


def test_a_new_draft_need_reaches_only_the_consoles():
    event = DomainEvent(kind="need.created", commune_id=2, neighbourhood_id=None, mission_id=9)
    assert channels_for(event) == {"console:2", "stats:2", *STAFF}


def test_changes_that_no_board_shows_fan_out_to_nobody():
    for kind in ("volunteer.profile_updated", "auth.login"):
        assert channels_for(DomainEvent(kind=kind, commune_id=2, neighbourhood_id=5)) == set()


def test_console_only_changes_reach_the_consoles_and_no_board():
    for kind in ("report.created", "volunteer.signed_up", "participation.problem",
                 "mission.proposed", "volunteer.validated"):
        event = DomainEvent(kind=kind, commune_id=2, neighbourhood_id=5, mission_id=9)
        assert channels_for(event) == {"console:2", "stats:2", *STAFF}


def test_channel_names_parse_back():
    assert parse("board:12") == ("board", 12)


def test_the_referents_control_of_a_mission_reaches_every_page_of_it():
    for kind in ("mission.edited", "mission.cancelled", "mission.volunteer_removed",
                 "mission.handed_over", "mission.expired"):
        event = DomainEvent(kind=kind, commune_id=2, neighbourhood_id=5, mission_id=9)
        assert channels_for(event) == {"console:2", "board:5", "mission:9", "roster:9", "stats:2",
                                       *STAFF}


def test_a_mission_moved_to_another_neighbourhood_leaves_its_old_board():
    event = DomainEvent(kind="mission.edited", commune_id=2, neighbourhood_id=5, mission_id=9,
                        data={"moved_from": 4})
    assert {"board:4", "board:5"} <= channels_for(event)
def test_every_change_a_console_or_board_shows_moves_the_evaluation_dashboards():
    for kind in ("mission.closed", "mission.accepted", "volunteer.signed_up", "report.created"):
        event = DomainEvent(kind=kind, commune_id=7, neighbourhood_id=5, mission_id=9)
        assert "stats:7" in channels_for(event)
    assert parse("stats:7") == ("stats", 7)
