"""Pure rules of notifications: quiet hours, back-off, the reminder's schedule, templates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from heurecivique_app.adapters.mail import Mail, PermanentFailure, _envelope, compose
from heurecivique_app.domain.notifications import (
    MAX_ATTEMPTS,
    MessageKind,
    outside_quiet_hours,
    retry_delay,
)
from heurecivique_app.jobs.kinds import (
    EXPIRY_SCAN,
    REMINDER_SCAN,
    next_expiry_scan,
    next_reminder_scan,
)
from heurecivique_app.presenters.emails import Context, render

PARIS = ZoneInfo("Europe/Paris")


def _paris(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(("moment", "expected"), [
    (_paris(4, 8, 0), _paris(4, 8, 0)),  # the quiet hours end at 08:00
    (_paris(4, 20, 59), _paris(4, 20, 59)),
    (_paris(4, 21, 0), _paris(5, 8, 0)),  # and start at 21:00
    (_paris(4, 23, 30), _paris(5, 8, 0)),
    (_paris(5, 3, 0), _paris(5, 8, 0)),
])
def test_quiet_hours_move_mail_to_eight(moment: datetime, expected: datetime) -> None:
    assert outside_quiet_hours(moment.astimezone(UTC), "Europe/Paris") == expected


def test_quiet_hours_follow_the_local_clock_across_summer_time() -> None:
    # 20:30 UTC is 22:30 in summer (quiet) but 21:30 in winter (quiet too); 19:30 UTC
    # is 21:30 in summer but 20:30 in winter.
    assert outside_quiet_hours(datetime(2026, 7, 1, 19, 30, tzinfo=UTC), "Europe/Paris") == \
        datetime(2026, 7, 2, 8, 0, tzinfo=PARIS)
    winter = datetime(2026, 12, 1, 19, 30, tzinfo=UTC)
    assert outside_quiet_hours(winter, "Europe/Paris") == winter


def test_back_off_doubles_then_stays_at_an_hour() -> None:
    delays = [retry_delay(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert delays[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert delays[-1] == timedelta(hours=1) and delays == sorted(delays)


def test_the_reminder_scan_runs_daily_at_five_pm() -> None:
    assert next_reminder_scan(_paris(4, 16, 59), "Europe/Paris") == (
        _paris(4, 17), f"{REMINDER_SCAN}:2026-12-04")
    assert next_reminder_scan(_paris(4, 17, 0), "Europe/Paris") == (
        _paris(5, 17), f"{REMINDER_SCAN}:2026-12-05")


def _ctx(locale: str, **kw) -> Context:
    return Context(locale=locale, timezone="Europe/Paris", commune_name="Vitré",
                   commune_colour=kw.pop("colour", "#0f766e"), app_url="https://h.example",
                   **kw)


PROPOSAL = {"mission_id": 7, "title": "Courses <urgent>", "starts_at": "2026-12-05T09:00:00+00:00",
            "neighbourhood": "Rachapt", "referent": "Léa"}


def test_a_proposal_in_french_and_english() -> None:
    fr = render(MessageKind.PROPOSAL, _ctx("fr", name="Camille"), PROPOSAL)
    en = render(MessageKind.PROPOSAL, _ctx("en", name="Camille"), PROPOSAL)
    assert fr.subject == "Une mission pour vous : Courses <urgent>"
    assert en.subject == "A mission for you: Courses <urgent>"
    assert fr.text.startswith("Bonjour Camille,") and "samedi 5 décembre, 10:00" in fr.text
    assert "Saturday 5 December, 10:00" in en.text
    assert "https://h.example/missions/7" in fr.text
    # The HTML part escapes what people typed and wears the commune's colour.
    assert "Courses &lt;urgent&gt;" in fr.html and "<urgent>" not in fr.html
    assert "background:#0f766e" in fr.html and "Vitré" in fr.html


def test_an_unsubscribe_footer_only_when_there_is_a_link() -> None:
    bare = render(MessageKind.PROPOSAL, _ctx("fr"), PROPOSAL)
    linked = render(MessageKind.PROPOSAL, _ctx("fr", unsubscribe_url="https://h.example/u/1"),
                    PROPOSAL)
    assert "Ne plus recevoir" not in bare.text
    assert "Ne plus recevoir ces e-mails : https://h.example/u/1" in linked.text
    assert 'href="https://h.example/u/1"' in linked.html


def test_a_colour_that_is_not_a_colour_falls_back() -> None:
    html = render(MessageKind.PROPOSAL, _ctx("fr", colour="red;x:url(evil)"), PROPOSAL).html
    assert "evil" not in html


def test_compose_derives_the_message_id_from_the_delivery_key() -> None:
    mail = Mail(sender="HC <noreply@vitre.example>", to="a@example.org", subject="S",
                text="t", html="<p>t</p>", idempotency_key="proposal:1|2|email")
    first, again = compose(mail), compose(mail)
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@vitre.example>")
    assert [p.get_content_type() for p in first.walk()] == [
        "multipart/alternative", "text/plain", "text/html"]
    with pytest.raises(PermanentFailure):
        compose(Mail(sender="x@y.z", to="not an address", subject="S", text="t"))


def test_a_title_with_line_breaks_cannot_add_a_header() -> None:
    # A relay report's title typed before titles were one-line (ASVS 1.3.11).
    message = compose(Mail(sender="x@y.z", to="st@mairie.example",
                           subject="Trou\r\nBcc: evil@example.org\nrue", text="t"))
    raw = bytes(message).decode()
    assert message["Subject"] == "Trou Bcc: evil@example.org rue"
    assert message["Bcc"] is None and "\nBcc:" not in raw


def test_the_expiry_scan_runs_every_quarter_of_an_hour() -> None:
    assert next_expiry_scan(_paris(4, 16, 59), "Europe/Paris") == (
        _paris(4, 17), f"{EXPIRY_SCAN}:2026-12-04T16:00")
    assert next_expiry_scan(_paris(4, 17, 0), "Europe/Paris")[0] == _paris(4, 17, 15)


CHANGE = {**PROPOSAL, "duration_minutes": 90, "reason": "Sa fille est venue"}


@pytest.mark.parametrize(("kind", "fr_subject", "fr_text", "en_subject", "en_text"), [
    (MessageKind.MISSION_CHANGED, "Mission modifiée : Courses <urgent>",
     "samedi 5 décembre, 10:00 (1 h 30)", "Mission changed: Courses <urgent>",
     "Saturday 5 December, 10:00 (1 h 30)"),
    (MessageKind.MISSION_CANCELLED, "Mission annulée : Courses <urgent>",
     "Motif : Sa fille est venue", "Mission cancelled: Courses <urgent>",
     "The reason: Sa fille est venue"),
    (MessageKind.TAKEN_OFF, "Vous ne participez plus à : Courses <urgent>",
     "Merci de ne pas vous y rendre", "You no longer take part in: Courses <urgent>",
     "Please do not go there"),
    (MessageKind.HANDED_TO_YOU, "La mission vous est confiée : Courses <urgent>",
     "Léa vous confie la mission", "A mission is yours: Courses <urgent>",
     "Léa gave you the mission"),
])
def test_the_referents_changes_in_french_and_english(kind, fr_subject, fr_text, en_subject,
                                                     en_text) -> None:
    fr = render(kind, _ctx("fr", name="Camille"), CHANGE)
    en = render(kind, _ctx("en", name="Camille"), CHANGE)
    assert (fr.subject, en.subject) == (fr_subject, en_subject)
    assert fr_text in fr.text and en_text in en.text
    assert "<urgent>" not in fr.html


@pytest.mark.parametrize("subject", [
    "Une nouvelle mission près de chez vous : Courses pour Mme Lefèvre à Vitré — samedi",
    "é" * 80,  # 160 bytes: four encoded words, none splitting a character
    " ".join(["Mission « été » 🌻"] * 5),
])
def test_a_non_ascii_subject_is_encoded_words_on_one_line(subject: str) -> None:
    raw = compose(Mail(sender="Mairie de Vitré <noreply@vitre.example>", to="a@vitre.example",
                       subject=subject, text="t")).as_bytes(policy=None)
    [line] = [line for line in raw.split(b"\n") if line.startswith(b"Subject:")]
    words = line.removeprefix(b"Subject: ").split(b" ")
    assert all(w.startswith(b"=?utf-8?b?") and len(w) <= 75 for w in words)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == subject


def test_the_envelope_is_read_from_the_headers_only_for_a_composed_message() -> None:
    message = compose(Mail(sender="Mairie de Vitré <noreply@vitre.example>",
                           to="a@vitre.example", subject="S", text="t"))
    assert _envelope(message) == ("noreply@vitre.example", ["a@vitre.example"])
    message["Cc"] = "b@vitre.example"  # anything else: smtplib reads the headers itself
    assert _envelope(message) == (None, None)
