"""The ranking of volunteers for a mission, and the reasons it gives (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from heurecivique_app.domain.availability import (
    clean_availability,
    day_part,
    skills_key,
    slot_of,
    slots_key,
    slots_of,
)
from heurecivique_app.domain.duplicates import (
    is_likely_duplicate,
    normalise_address,
    normalise_name,
)
from heurecivique_app.domain.matching import (
    Candidate,
    Need,
    assess,
    may_be_offered,
    rank,
    reasons,
    score,
)

# Vitré's centre; 0.009° of latitude is about 1 km.
LAT, LON = 48.1236, -1.2085
NEED = Need(category="shopping", collective=False, lat=LAT, lon=LON, slots=(("sat", "morning"),))


def volunteer(n: int, **kw) -> Candidate:
    base = Candidate(volunteer_id=n, name=f"V{n}", status="active", skills=("shopping",),
                     slots=("sat:morning",), max_distance_km=2.0, lat=LAT + 0.0045, lon=LON)
    return base._replace(**kw)


def test_a_better_fit_ranks_first_on_each_criterion() -> None:
    ideal = volunteer(1)
    assert assess(ideal, NEED).score > assess(volunteer(2, skills=("diy",)), NEED).score
    assert assess(ideal, NEED).score > assess(volunteer(3, slots=()), NEED).score
    assert assess(ideal, NEED).score > assess(volunteer(4, lat=LAT + 0.015), NEED).score
    assert assess(ideal, NEED).score > assess(volunteer(5, minutes_this_month=60), NEED).score
    assert assess(ideal, NEED).score > assess(volunteer(6, recent_declines=2), NEED).score


def test_the_load_is_spread_to_those_who_have_not_given_their_hour() -> None:
    busy, fresh = volunteer(1, minutes_this_month=120), volunteer(2)
    assert [f.candidate.volunteer_id for f in rank([busy, fresh], NEED)] == [2, 1]


@pytest.mark.parametrize(("candidate", "collective", "eligible"), [
    (volunteer(1, status="paused"), False, False),
    (volunteer(1, status="paused"), True, False),
    (volunteer(1, status="pending"), False, False),
    (volunteer(1, status="pending"), True, True),
    (volunteer(1, lat=LAT + 0.03), False, False),  # ~3.3 km, goes up to 2
    (volunteer(1, lat=LAT + 0.03, max_distance_km=5), False, True),
    (volunteer(1, lat=None, lon=None), False, True),  # unknown distance does not exclude
], ids=["paused", "paused-collective", "pending", "pending-collective", "too-far",
        "far-but-willing", "no-point"])
def test_who_may_be_suggested(candidate: Candidate, collective: bool, eligible: bool) -> None:
    need = replace(NEED, collective=collective)
    assert assess(candidate, need).eligible is eligible
    assert (score(candidate, need) is not None) is eligible
    assert [f.candidate.volunteer_id for f in rank([candidate], need)] == ([1] if eligible else [])


def test_volunteers_already_involved_are_listed_first_as_such() -> None:
    proposed = volunteer(7, participation="proposed", lat=LAT + 0.05)  # even if too far now
    best = volunteer(8)
    fits = rank([best, proposed], NEED)
    assert [f.candidate.volunteer_id for f in fits] == [7, 8]
    assert not may_be_offered(fits[0]) and may_be_offered(fits[1])
    assert [r.kind for r in reasons(fits[0], NEED)][-1] == "participation"


def test_limit_keeps_the_best_in_order() -> None:
    pool = [volunteer(n, lat=LAT + n * 0.0001) for n in range(1, 101)]
    fits = rank(pool, NEED, limit=5)
    assert [f.candidate.volunteer_id for f in fits] == [1, 2, 3, 4, 5]


def test_reasons_explain_every_criterion_with_parameters() -> None:
    fit = assess(volunteer(1, minutes_this_month=30, recent_declines=1), NEED)
    by_kind = {r.kind: r for r in reasons(fit, NEED)}
    assert set(by_kind) == {"skill", "availability", "distance", "load", "declines"}
    assert by_kind["skill"].good and by_kind["skill"].params == {"skill": "Shopping"}
    assert by_kind["availability"].params == {"day": "Saturday", "part": "morning"}
    assert by_kind["availability"].translated == ("day", "part")
    assert by_kind["distance"].params == {"km": 0.5, "max": 2.0}
    assert by_kind["load"].params == {"minutes": 30}
    assert by_kind["declines"].params == {"count": 1} and by_kind["declines"].good is False
    unfit = assess(volunteer(2, skills=(), slots=()), NEED)
    assert [r.good for r in reasons(unfit, NEED)][:2] == [False, False]


def test_any_preferred_date_counts_for_availability() -> None:
    need = replace(NEED, slots=(("mon", "evening"), ("sat", "morning")))
    fit = assess(volunteer(1), need)
    assert fit.slot == ("sat", "morning")


def test_a_start_time_maps_to_the_local_weekday_and_part_of_day() -> None:
    # Saturday 5 December 2026, 10:30 UTC is 11:30 in Paris (morning); 17:30 UTC is evening.
    assert slot_of(datetime(2026, 12, 5, 10, 30, tzinfo=UTC), "Europe/Paris") == ("sat", "morning")
    assert slot_of(datetime(2026, 12, 5, 17, 30, tzinfo=UTC), "Europe/Paris") == ("sat", "evening")
    # 23:30 UTC on Saturday is already Sunday in Paris.
    assert slot_of(datetime(2026, 12, 5, 23, 30, tzinfo=UTC), "Europe/Paris") == ("sun", "morning")
    assert [day_part(h) for h in (0, 11, 12, 17, 18, 23)] == [
        "morning", "morning", "afternoon", "afternoon", "evening", "evening"]
    twice = [datetime(2026, 12, 5, 9, tzinfo=UTC)] * 2
    assert slots_of(twice, "Europe/Paris") == (("sat", "morning"),)
    with pytest.raises(ValueError):
        slot_of(datetime(2026, 12, 5, 9), "Europe/Paris")


def test_availability_is_cleaned_to_known_days_and_parts() -> None:
    raw = {"sat": ["evening", "morning", "night"], "xyz": ["morning"], "mon": []}
    assert clean_availability(raw) == {"sat": ["morning", "evening"]}
    assert slots_key({"sun": ["evening"], **raw}) == "sat:morning sat:evening sun:evening"
    assert skills_key(["visit", "shopping", "visit", " "]) == "visit shopping"


def test_score_and_assessment_agree() -> None:
    for candidate in (volunteer(1), volunteer(2, skills=(), minutes_this_month=20),
                      volunteer(3, recent_declines=5, lat=None, lon=None)):
        assert score(candidate, NEED) == pytest.approx(assess(candidate, NEED).score)


@pytest.mark.parametrize(("other", "same"), [
    (("Jeanne Leroux", "+33299750000", "somewhere else"), True),  # name + phone
    (("MME jeanne  leroux", None, "12, R. Baudrairie 35500 VITRÉ"), True),  # name + address
    (("Jeanne Leroux", "+33612345678", "1 rue de Paris"), False),  # a namesake
    (("Jean Leroux", "+33299750000", "12 rue Baudrairie, 35500 Vitré"), False),  # other name
], ids=["phone", "address", "namesake", "other-name"])
def test_likely_duplicates_need_the_name_and_a_phone_or_address(other, same) -> None:
    name, phone, address = other
    assert is_likely_duplicate(
        name="Mme Jeanne Leroux", phone="+33299750000", address="12 rue Baudrairie, 35500 Vitré",
        other_name=name, other_phone=phone, other_address=address) is same


def test_normalisation_ignores_civility_case_accents_and_abbreviations() -> None:
    assert normalise_name("Mme Hélène LE-GOFF") == normalise_name("helene le goff")
    assert normalise_address("3 bd des Rochers") == normalise_address("3, Boulevard des rochers")
    assert normalise_name("") == ""


def test_suggestion_rows_are_translated_with_their_parameters() -> None:
    from heurecivique_app.presenters.pool import suggestion_row

    fit = assess(volunteer(1, minutes_this_month=30, participation="proposed"), NEED)
    french = suggestion_row(fit, NEED, "fr")
    assert french["skill"] == "A la compétence « Courses »"
    assert french["availability"] == "Disponible : Samedi matin"  # one weekday vocabulary
    assert french["distance"] == "à 0,5 km (se déplace jusqu’à 2 km)"
    assert french["participation_tone"] == "neutral" and french["declines"] == ""
    assert french["can_offer"] == ""  # already proposed
    english = suggestion_row(fit, NEED, "en")
    assert english["distance"] == "0.5 km away (goes up to 2 km)"
    assert english["skill_tone"] == "good" and english["load_tone"] == "neutral"
