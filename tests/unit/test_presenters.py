"""The presenters: the typed rows pages show, translated and formatted, with no reflex."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import get_type_hints

import pytest

from heurecivique_app.domain.followup import MissionFollowUp, RecurringFlag
from heurecivique_app.domain.models import Mission
from heurecivique_app.presenters.followup import followup_vars
from heurecivique_app.presenters.labels import (
    categories_text,
    category_label,
    report_category_label,
    status_label,
)
from heurecivique_app.presenters.lists import (
    BeneficiaryListRow,
    MissionListRow,
    beneficiary_list_row,
    mission_list_row,
)
from heurecivique_app.presenters.map import MapMarker, MapRow, map_legend, map_marker, map_row
from heurecivique_app.presenters.missions import MissionRow, card_row
from heurecivique_app.presenters.reports import TriageRow, report_row, triage_row
from heurecivique_app.services.followup import FollowUpView, VolunteerAccount
from heurecivique_app.services.geography import NearbyCard
from heurecivique_app.services.relays import ReportView
from heurecivique_app.services.search import BeneficiaryLine, MissionLine
from heurecivique_app.services.selectors import MissionCard

TZ = "Europe/Paris"
WHEN = datetime(2026, 6, 12, 8, 30, tzinfo=UTC)  # 10:30 in Paris


def keys_of(row_type: type) -> set[str]:
    return set(get_type_hints(row_type))


def test_category_labels_translate_and_keep_unknown_codes() -> None:
    assert category_label("shopping", "fr") == "Courses"
    assert category_label("shopping", "en") == "Shopping"
    assert category_label("retired-code", "fr") == "retired-code"
    assert categories_text(["shopping", " visit "], "fr") == "Courses, Visite de convivialité"


def test_report_categories_are_issues_first_then_mission_categories() -> None:
    assert report_category_label("comfort", "fr").startswith("Confort")
    assert report_category_label("visit", "fr") == "Visite de convivialité"


def test_status_label() -> None:
    assert status_label("full", "fr") == "Bénévole trouvé"
    assert status_label("draft", "en") == "Draft"


def card(status: str = "open", places_left: int = 2) -> MissionCard:
    return MissionCard(id=7, title="Courses de Mme L.", category="shopping", status=status,
                       neighbourhood_id=3, neighbourhood_name="Centre", starts_at=WHEN,
                       duration_minutes=90, places_left=places_left, approx_lat=48.1,
                       approx_lon=-1.2)


def test_card_row_is_complete_and_translated() -> None:
    row = card_row(card(), "fr", TZ)
    assert set(row) == keys_of(MissionRow)
    assert row["category"] == "Courses"
    assert row["places"] == "Places restantes : 2"
    assert row["href"] == "/missions/7"
    assert "10:30" in row["when"]


@pytest.mark.parametrize(("status", "publish", "close"), [
    ("draft", True, False), ("open", False, False), ("full", False, True),
    ("done", False, False),
])
def test_card_row_console_actions_follow_the_status(status: str, publish: bool,
                                                    close: bool) -> None:
    row = card_row(card(status=status), "en", TZ)
    assert (row["can_publish"], row["can_close"]) == (publish, close)


def nearby(category: str, distance_m: float = 1500) -> NearbyCard:
    return NearbyCard(id=9, title="Promenade", category=category, neighbourhood_name="Gare",
                      starts_at=WHEN, duration_minutes=60, places_left=1,
                      approx_lat=48.1234567, approx_lon=-1.2345678, approx_radius_m=300,
                      distance_m=distance_m)


def test_map_row_marker_and_legend() -> None:
    walk, other = nearby("walk"), nearby("not-in-the-palette")
    row = map_row(walk, "fr", TZ)
    assert set(row) == keys_of(MapRow)
    assert row["colour"] == "#009e73" and row["category"] == "Promenade accompagnée"
    assert row["distance"].startswith("à ")
    marker = map_marker(walk, row)
    assert set(marker) == keys_of(MapMarker)
    assert marker["center"] == [48.123457, -1.234568]  # the approximate area, rounded
    assert marker["radius"] == 300 and marker["path"]["fillColor"] == "#009e73"
    assert map_row(other, "fr", TZ)["colour"] == "#555555"
    legend = map_legend([walk, other, nearby("shopping")], "en")
    # The categories present, in the palette's order; none for a colourless one.
    assert legend == [{"label": "Shopping", "colour": "#0072b2"},
                      {"label": "Walking together", "colour": "#009e73"}]


def report(status: str = "new", kind: str = "issue", lat: float | None = 48.12,
           photo: bool = True) -> ReportView:
    return ReportView(id=4, kind=kind, category="comfort", title="Lampadaire",
                      description="Éteint depuis lundi", status=status, answer="",
                      neighbourhood_name="Centre", has_photo=photo, lat=lat,
                      lon=-1.2 if lat is not None else None, relay_name="Léa",
                      created_at=WHEN, mission_id=None)


@pytest.mark.parametrize(("status", "kind", "mission", "forward", "close"), [
    ("new", "issue", True, True, True),
    ("new", "need", True, False, True),
    ("forwarded", "issue", False, False, True),
    ("closed", "issue", False, False, False),
])
def test_triage_row_actions(status: str, kind: str, mission: bool, forward: bool,
                            close: bool) -> None:
    row = triage_row(report(status=status, kind=kind), "fr", TZ)
    assert set(row) == keys_of(TriageRow)
    assert (row["can_mission"], row["can_forward"], row["can_close"]) == (
        mission, forward, close)


def test_triage_row_place_and_photo_only_when_there() -> None:
    located = triage_row(report(), "fr", TZ)
    assert located["point"] == "48.12000, -1.20000"
    assert located["map_href"].startswith("https://www.openstreetmap.org/?mlat=48.12")
    assert located["photo_href"] == "/api/reports/4/photo"
    bare = triage_row(report(lat=None, photo=False), "fr", TZ)
    assert (bare["point"], bare["map_href"], bare["photo_href"]) == ("", "", "")


def test_the_relay_sees_no_more_than_their_report() -> None:
    row = report_row(report(), "fr", TZ)
    assert "relay" not in row and "description" not in row and "photo_href" not in row


def test_list_rows() -> None:
    line = MissionLine(id=5, title="Visite", kind="individual", category="visit",
                       status="open", neighbourhood="Centre", starts_at=WHEN,
                       duration_minutes=60, capacity=1, accepted_count=0,
                       beneficiary="M. Martin", volunteers="", minutes_credited=0,
                       went_well=None, incident="")
    row = mission_list_row(line, "fr", TZ)
    assert set(row) == keys_of(MissionListRow)
    assert row["href"] == "/console/missions/5"
    assert row["category"] == "Visite de convivialité"
    person = BeneficiaryLine(id=2, full_name="Jeanne Martin", phone="", address="",
                             neighbourhood="Centre", needs=3, last_need=None,
                             recurring_category="shopping")
    brow = beneficiary_list_row(person, "fr", TZ)
    assert set(brow) == keys_of(BeneficiaryListRow)
    assert brow["recurring"] == "Courses" and brow["last"] == ""
    assert brow["href"] == "/console/beneficiaries/2"


def followup_view(record: MissionFollowUp | None = None, reported: int | None = None
                  ) -> FollowUpView:
    mission = Mission(id=11, commune_id=1, neighbourhood_id=3, category="shopping",
                      title="Courses", status="done", approx_lat=48.1, approx_lon=-1.2,
                      starts_at=WHEN, duration_minutes=90)
    volunteers = [VolunteerAccount(user_id=8, name="Paul", status="accepted",
                                   reported_minutes=reported, feedback="", problem="",
                                   attended=False, credited_minutes=None)]
    return FollowUpView(mission=mission, neighbourhood_name="Centre",
                        beneficiary_name="Mme L.", beneficiary_phone="+33299000000",
                        volunteers=volunteers, record=record,
                        recurring=RecurringFlag(category="shopping", count=3))


def test_followup_vars_prefill_the_form() -> None:
    page = followup_vars(followup_view(), "fr", TZ, now=WHEN - timedelta(days=30))
    assert page["form"]["minutes"] == "90"  # the planned time, nothing reported
    assert page["duplicate_default"] == "2026-06-19"  # a week after the mission
    assert page["volunteers"][0]["attended"] == "Absent"
    assert page["volunteers"][0]["status"] == "A une place"
    assert page["recurring_text"] != "" and page["beneficiary_phone_label"] != ""
    reported = followup_vars(followup_view(reported=45), "fr", TZ, now=WHEN)
    assert reported["form"]["minutes"] == "45"
    done = MissionFollowUp(mission_id=11, minutes=75, went_well=False,
                           beneficiary_called=True, beneficiary_satisfaction=4)
    recorded = followup_vars(followup_view(record=done, reported=45), "fr", TZ,
                             now=WHEN + timedelta(days=10))
    assert recorded["form"] == {"minutes": "75", "went_well": "no", "called": "1",
                                "beneficiary_satisfaction": "4",
                                "volunteer_satisfaction": "", "incident": ""}
    assert recorded["duplicate_default"] == "2026-06-29"  # a week after today
