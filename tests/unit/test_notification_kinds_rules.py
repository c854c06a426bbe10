"""Pure rules of the kinds of issue 17 item 5: every template in French and English, the
alerts' cap, the kinds each role is offered, the schedules of the new recurring jobs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from heurecivique_app.domain.alerts import ALERT_MODES, ALERTS_PER_DAY, AlertMode, under_cap
from heurecivique_app.domain.notifications import (
    OPT_IN_KINDS,
    OPTIONAL_KINDS,
    STAFF_KINDS,
    MessageKind,
    kinds_offered,
)
from heurecivique_app.i18n import translate
from heurecivique_app.jobs.kinds import (
    ALERT_DIGEST,
    MORNING_SUMMARY,
    UNSTAFFED_SCAN,
    next_digest,
    next_morning_summary,
    next_unstaffed_scan,
)
from heurecivique_app.presenters.emails import UNSUBSCRIBE_QUESTION, Context, render

PARIS = ZoneInfo("Europe/Paris")
MISSION = {"mission_id": 7, "title": "Courses <urgent>", "neighbourhood": "Centre",
           "starts_at": "2026-12-05T09:00:00+00:00", "duration_minutes": 90}
PARAMS = {
    MessageKind.CONFIRMED: MISSION,
    MessageKind.WAITLIST_PLACE: MISSION,
    MessageKind.VALIDATED: {},
    MessageKind.MISSION_ALERT: {**MISSION, "category": "shopping"},
    MessageKind.ALERT_DIGEST: {"missions": [MISSION, {**MISSION, "mission_id": 8}]},
    MessageKind.HOUR_NUDGE: {"month": "2026-12"},
    MessageKind.REPORT_ANSWER: {"report_id": 3, "title": "Banc", "answer": "Réparé",
                                "status": "closed"},
    MessageKind.WITHDRAWAL: {**MISSION, "volunteer": "Camille", "reason": "Malade",
                             "places_left": 1},
    MessageKind.PROBLEM_REPORTED: {**MISSION, "volunteer": "Camille", "problem": "Absente"},
    MessageKind.UNSTAFFED: MISSION,
    MessageKind.RELAY_REPORT: {"report_id": 3, "relay": "Paul", "title": "Banc",
                               "report_kind": "issue", "neighbourhood": "Centre"},
    MessageKind.AWAITING_VALIDATION: {"volunteer_id": 9, "volunteer": "Aline"},
    MessageKind.MORNING_SUMMARY: {"day": "2026-12-05", "visits": [
        {**MISSION, "beneficiary": "Mme Rault", "phone": "+33299750000", "volunteers": []},
        {**MISSION, "beneficiary": "M. Piel", "phone": "", "volunteers": ["Camille"]}]},
}


def _ctx(locale: str, unsubscribe: str = "") -> Context:
    return Context(locale=locale, timezone="Europe/Paris", commune_name="Vitré",
                   commune_colour="#0f766e", app_url="https://h.example", name="Léa",
                   unsubscribe_url=unsubscribe)


@pytest.mark.parametrize("kind", list(PARAMS))
def test_every_new_kind_renders_in_french_and_english(kind: str) -> None:
    fr, en = (render(kind, _ctx(lang), PARAMS[kind]) for lang in ("fr", "en"))
    assert fr.subject and en.subject and fr.subject != en.subject
    assert fr.text != en.text and "<urgent>" not in fr.html  # escaped in HTML
    assert "Bonjour Léa" in fr.text and "Hello Léa" in en.text


def test_the_morning_summary_lists_each_visit_with_its_phone() -> None:
    text = render(MessageKind.MORNING_SUMMARY, _ctx("fr"), PARAMS[MessageKind.MORNING_SUMMARY]
                  ).text
    assert "Mme Rault, 02 99 75 00 00" in text and "Volontaire : personne pour l’instant" in text
    assert "M. Piel, —" in text and "Volontaire : Camille" in text


def test_the_footer_names_the_staff_or_the_volunteer() -> None:
    staff = render(MessageKind.WITHDRAWAL, _ctx("fr", "https://h.example/u/1"),
                   PARAMS[MessageKind.WITHDRAWAL]).text
    volunteer = render(MessageKind.CONFIRMED, _ctx("fr", "https://h.example/u/1"), MISSION).text
    assert "membre de l’équipe de la mairie" in staff and "volontaire" not in staff.split("--")[1]
    assert "en tant que volontaire" in volunteer


def test_every_kind_that_can_be_stopped_has_its_question() -> None:
    assert set(OPTIONAL_KINDS) | set(OPT_IN_KINDS) <= set(UNSUBSCRIBE_QUESTION)


def test_each_role_is_offered_its_own_kinds() -> None:
    assert MessageKind.REPORT_ANSWER in kinds_offered("relay")
    assert MessageKind.REPORT_ANSWER not in kinds_offered("volunteer")
    assert set(kinds_offered("referent")) == set(STAFF_KINDS)
    assert set(kinds_offered("commune_admin")) == set(STAFF_KINDS)
    assert all(kind in OPTIONAL_KINDS for role in ("volunteer", "relay", "referent")
               for kind in kinds_offered(role))


def test_at_most_a_few_alerts_a_day() -> None:
    assert ALERTS_PER_DAY == 3
    # The account page and the alert e-mail say the same figure.
    assert f"{ALERTS_PER_DAY}" in translate(ALERT_MODES[AlertMode.INSTANT], "fr")
    assert under_cap("2026-12-04", ALERTS_PER_DAY - 1, "2026-12-04")
    assert not under_cap("2026-12-04", ALERTS_PER_DAY, "2026-12-04")
    assert under_cap("2026-12-03", ALERTS_PER_DAY, "2026-12-04")  # a new day


def test_the_new_recurring_jobs_schedules() -> None:
    evening = datetime(2026, 12, 4, 18, 30, tzinfo=PARIS)
    assert next_digest(evening, "Europe/Paris") == (
        datetime(2026, 12, 5, 18, 0, tzinfo=PARIS), f"{ALERT_DIGEST}:2026-12-05")
    assert next_morning_summary(evening, "Europe/Paris") == (
        datetime(2026, 12, 5, 8, 0, tzinfo=PARIS), f"{MORNING_SUMMARY}:2026-12-05")
    due, key = next_unstaffed_scan(evening, "Europe/Paris")
    assert due == datetime(2026, 12, 4, 19, 0, tzinfo=PARIS)
    assert key == f"{UNSTAFFED_SCAN}:2026-12-04T18"  # UTC hour: unique across summer time
