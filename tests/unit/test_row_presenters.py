"""The typed rows of the staff record, match, intake, roster, home and public pages.

Each presenter returns exactly its TypedDict's keys (a page reading a key the row
lacks fails tests/unit/test_pages_build.py), translated and formatted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import get_type_hints

from heurecivique_app.domain.hours import MonthlyHour
from heurecivique_app.domain.matching import Candidate, Need, assess
from heurecivique_app.domain.models import Mission, Neighbourhood
from heurecivique_app.presenters.charter import CharterArticle, charter_articles
from heurecivique_app.presenters.emails import MailProblemRow, problem_rows
from heurecivique_app.presenters.hours import MonthRow, hour_label, month_row, streak_label
from heurecivique_app.presenters.intake import KnownPersonRow, known_person_row
from heurecivique_app.presenters.options import Option, neighbourhood_options, option
from heurecivique_app.presenters.pool import (
    MatchedMission,
    ParticipationRow,
    PoolListRow,
    RecordVars,
    SuggestionRow,
    VolunteerDetail,
    mission_summary,
    pool_row,
    record_vars,
    suggestion_row,
)
from heurecivique_app.presenters.public import StoryRow, story_row
from heurecivique_app.services.intake import BeneficiaryMatch
from heurecivique_app.services.notifications import DeliveryProblem
from heurecivique_app.services.pool import HistoryItem, PoolRow, VolunteerRecord
from heurecivique_app.services.public import StoryView

TZ = "Europe/Paris"
WHEN = datetime(2026, 6, 12, 8, 30, tzinfo=UTC)  # 10:30 in Paris


def keys_of(row_type: type) -> set[str]:
    return set(get_type_hints(row_type))


def pool_line(minutes: int = 45) -> PoolRow:
    return PoolRow(volunteer_id=12, name="Camille Martin", neighbourhood="Rachapt",
                   status="active", skills=["shopping", "visit"],
                   availability={"sat": ["morning"], "xyz": ["noon"]},
                   minutes_this_month=minutes)


def test_a_pool_row_is_translated_and_links_to_the_record() -> None:
    row = pool_row(pool_line(), "fr")
    assert set(row) == keys_of(PoolListRow)
    assert row["status_label"] == "Actif" and row["skills"] == "Courses, Visite de convivialité"
    assert row["availability"] == "Samedi matin"  # an unknown day is left out
    assert row["month"] == "45 min" and row["href"] == "/console/volunteers/12"
    assert pool_row(pool_line(0), "en")["month"] == "Nothing yet"


def test_a_record_has_the_list_row_and_what_only_the_record_shows() -> None:
    record = VolunteerRecord(
        row=pool_line(), email="c@example.org", phone="06 12 34 56 78", skills_note="",
        max_distance_km=2.5, charter_accepted_at=WHEN, validated_at=None, validated_by="",
        validation_note="Rencontrée en mairie", minutes_total=0,
        history=[HistoryItem(mission_id=3, title="Courses", starts_at=WHEN,
                             status="waitlisted", minutes=None)])
    shown = record_vars(record, "fr", TZ)
    assert set(shown) == keys_of(RecordVars)
    assert set(shown["volunteer"]) == keys_of(VolunteerDetail) > keys_of(PoolListRow)
    volunteer = shown["volunteer"]
    assert volunteer["max_distance"] == "2,5 km" and volunteer["validated"] == ""
    assert "10:30" in volunteer["charter"] and volunteer["total"] == "Rien pour l’instant"
    (line,) = shown["history"]
    assert set(line) == keys_of(ParticipationRow)
    assert line["status"] == "Liste d’attente" and line["minutes"] == ""
    assert shown["note"] == "Rencontrée en mairie"


def test_a_suggestion_row_has_every_reason_kind_even_those_not_given() -> None:
    need = Need(category="shopping", collective=False, lat=48.1236, lon=-1.2085,
                slots=(("sat", "morning"),))
    candidate = Candidate(volunteer_id=4, name="V4", status="active", skills=("shopping",),
                          slots=("sat:morning",), max_distance_km=2.0, lat=48.128, lon=-1.2085)
    row = suggestion_row(assess(candidate, need), need, "en")
    assert set(row) == keys_of(SuggestionRow)
    assert row["id"] == "4" and row["can_offer"] == "1" and row["state"] == ""
    assert row["declines"] == "" and row["declines_tone"] == ""
    assert row["skill_tone"] == "good"


def test_the_matched_mission_says_whether_it_is_still_open() -> None:
    mission = Mission(id=9, commune_id=1, neighbourhood_id=1, title="Courses", kind="individual",
                      category="shopping", status="open", starts_at=WHEN, capacity=3,
                      accepted_count=1)
    head = mission_summary(mission, 2, "fr", TZ)
    assert set(head) == keys_of(MatchedMission)
    assert head["open"] == "1" and head["dates"] == "2" and head["category"] == "Courses"
    assert head["places"] == "Places restantes : 2"
    mission.status = "full"
    assert mission_summary(mission, 1, "en", TZ)["open"] == ""


def test_mail_problems_say_whether_the_mail_is_tried_again() -> None:
    rows = problem_rows([DeliveryProblem(kind="proposal", at=WHEN, error="550 no such user",
                                         final=True),
                         DeliveryProblem(kind="reminder", at=WHEN, error="timeout",
                                         final=False)], "en", TZ)
    assert all(set(row) == keys_of(MailProblemRow) for row in rows)
    assert rows[0]["state"].startswith("Refused for good") and rows[0]["error"].startswith("550")
    assert rows[1]["state"].startswith("Not delivered yet")


def test_a_known_person_is_offered_with_their_phone_formatted() -> None:
    match = BeneficiaryMatch(id=5, full_name="Yvonne Lemarié", phone="+33299000000",
                             address="14 rue Baudrairie", neighbourhood="Centre", missions=2)
    row = known_person_row(match, "fr")
    assert set(row) == keys_of(KnownPersonRow)
    assert row["id"] == "5" and row["phone"] == "02 99 00 00 00"
    assert row["missions"] == "2 besoin(s) précédent(s)"
    assert known_person_row(BeneficiaryMatch(6, "A", "", "", "", 0), "en")["phone"] == ""


def test_options_carry_the_id_as_text() -> None:
    hoods = [Neighbourhood(id=3, commune_id=1, name="Rachapt", slug="rachapt")]
    assert neighbourhood_options(hoods) == [{"id": "3", "name": "Rachapt"}]
    assert set(option(7, "Camille")) == keys_of(Option)


def test_the_hour_is_told_month_by_month() -> None:
    row = month_row(MonthlyHour(month="2026-04", minutes=75), "fr")
    assert set(row) == keys_of(MonthRow)
    assert row == {"month": "avril 2026", "given": "1 h 15", "met": "1"}
    assert month_row(MonthlyHour(month="2026-03", minutes=20), "en")["met"] == ""
    assert hour_label(30, "en") == "30 min given this month out of your hour"
    assert streak_label(2, "fr").startswith("2 mois")


def test_a_story_shows_its_photo_only_when_there_is_one() -> None:
    with_photo = story_row(StoryView(id=4, title="Jardin", text="Merci", photo_name="a.jpg",
                                     created_at=WHEN))
    assert set(with_photo) == keys_of(StoryRow)
    assert with_photo["photo"] == "/api/stories/4/photo"
    assert story_row(StoryView(5, "T", "x", None, WHEN))["photo"] == ""


def test_charter_articles_are_typed_rows() -> None:
    assert all(set(article) == keys_of(CharterArticle) for article in charter_articles("en"))


# --- the accountability and beneficiary record pages ---------------------------------------


def test_audit_rows_and_filters_are_typed() -> None:
    from heurecivique_app.presenters.audit import (
        AuditRow,
        action_options,
        audit_row,
        people_options,
    )
    from heurecivique_app.services.audit_log import AuditLine

    row = audit_row(AuditLine(id=1, at=WHEN, actor_name="", action="mission.published",
                              entity="mission", entity_id=None, detail={}), "en", TZ)
    assert set(row) == keys_of(AuditRow)
    assert row["who"] == "The app (scheduled job)"
    assert row["entity_id"] == "" and row["detail"] == ""
    assert all(set(o) == keys_of(Option) for o in action_options())
    assert people_options([(3, "Claire")], "en") == [
        {"id": "system", "name": "The app (scheduled job)"}, {"id": "3", "name": "Claire"}]


def test_the_privacy_page_rows_name_no_one() -> None:
    from heurecivique_app.domain.privacy import PurgeRun
    from heurecivique_app.presenters.register import (
        ErasureLine,
        PurgeRunRow,
        erasure_line,
        purge_run_row,
    )
    from heurecivique_app.services.retention import ErasureRow

    line = erasure_line(ErasureRow(id=2, beneficiary_id=8, initials="Y. L.",
                                   channel_label="By phone", received_at=WHEN, done_at=WHEN,
                                   done_by="Claire"), "en", TZ)
    assert set(line) == keys_of(ErasureLine)
    assert line["who"] == "Y. L." and line["href"] == "/console/beneficiaries/8"
    run = purge_run_row(PurgeRun(id=5, ran_at=WHEN, as_of=WHEN, missions_purged=3,
                                 contacts_erased=1, beneficiaries_pseudonymised=0), "en", TZ)
    assert set(run) == keys_of(PurgeRunRow)
    assert (run["missions"], run["contacts"], run["people"]) == ("3", "1", "0")


def test_a_beneficiary_record_is_typed_facts_and_needs() -> None:
    from heurecivique_app.presenters.beneficiaries import (
        BeneficiaryFacts,
        BeneficiaryRecordVars,
        NeedRow,
    )
    from heurecivique_app.presenters.beneficiaries import record_vars as beneficiary_vars
    from heurecivique_app.services.beneficiaries import BeneficiaryRecord, NeedLine

    record = BeneficiaryRecord(
        id=4, full_name="Yvonne Lemarié", phone="", address="14 rue Baudrairie",
        access_notes="", notes="", neighbourhood_id=2, neighbourhood="Centre",
        consent_at=WHEN, notice_version="", consent_by="Claire", created_at=WHEN,
        contact_erased_at=None, pseudonymised_at=None, merged_into_id=None, merged_from=(),
        needs=(NeedLine(mission_id=9, title="Courses", category="shopping", status="done",
                        starts_at=WHEN, volunteers=(), minutes=None),))
    shown = beneficiary_vars(record, "en", TZ)
    assert set(shown) == keys_of(BeneficiaryRecordVars)
    assert set(shown["person"]) == keys_of(BeneficiaryFacts)
    assert shown["person"]["editable"] == "1" and shown["person"]["phone_label"] == ""
    (need,) = shown["needs"]
    assert set(need) == keys_of(NeedRow)
    assert need["volunteers"] == "No volunteer" and need["href"] == "/console/missions/9"


def test_the_register_has_a_name_and_every_column() -> None:
    from heurecivique_app.domain.register import RegisterSettings, processing_register
    from heurecivique_app.presenters.register import COLUMNS, RegisterRow, register_rows

    rows = register_rows(processing_register(RegisterSettings(
        mission_contact_days=30, inactive_months=24, contact_visible_hours=24,
        session_hours=12, notice_version="1", insurance_version="1", charter_version="1")),
        "fr")
    assert rows and all(set(row) == keys_of(RegisterRow) for row in rows)
    assert keys_of(RegisterRow) == {"name"} | {key for key, _ in COLUMNS}
