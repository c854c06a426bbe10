"""Web push's pure rules: which endpoints the server will POST to, the keys' shapes, the
page a notification opens, and what a notification says."""

from __future__ import annotations

from heurecivique_app.domain.notifications import MessageKind
from heurecivique_app.domain.push import endpoint_allowed, keys_valid, relative_url
from heurecivique_app.presenters.push import MAX_TEXT, push_message

P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


def test_only_https_push_services_by_name() -> None:
    assert endpoint_allowed("https://fcm.googleapis.com/fcm/send/abc")
    assert endpoint_allowed("https://updates.push.services.mozilla.com/wpush/v2/gAAA")
    assert endpoint_allowed("https://web.push.apple.com:443/QGx")
    for bad in ("http://fcm.googleapis.com/x", "https://127.0.0.1/x", "https://[::1]/x",
                "https://localhost/x", "https://printer.local/x", "https://intranet/x",
                "https://user:pw@push.example/x", "https://push.example:8080/x",
                "ftp://push.example/x", "", None, 42, "https://push.example/" + "a" * 1000):
        assert not endpoint_allowed(bad), bad


def test_keys_have_the_shapes_of_rfc_8291() -> None:
    assert keys_valid(P256DH, AUTH)
    assert not keys_valid(AUTH, AUTH)
    assert not keys_valid(P256DH, P256DH)
    assert not keys_valid(P256DH, "not base64!")
    assert not keys_valid(None, AUTH)


def test_a_notification_opens_a_page_of_this_site_only() -> None:
    assert relative_url("/missions/12") == "/missions/12"
    for bad in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x",
                None, "missions/12"):
        assert relative_url(bad) == "/home"


def test_the_notification_says_the_emails_subject_and_first_line() -> None:
    params = {"mission_id": 7, "title": "Courses", "starts_at": "2026-12-08T09:00:00+00:00",
              "neighbourhood": "Centre", "referent": "Léa", "reason": "x" * 400,
              "duration_minutes": 60}
    proposal = push_message(MessageKind.PROPOSAL, params, locale="fr", timezone="Europe/Paris",
                            commune_name="Vitré")
    assert proposal["title"] == "Une mission pour vous : Courses"
    assert "Léa" in proposal["body"] and proposal["url"] == "/missions/7"
    assert proposal["tag"] == "mission-7"
    cancelled = push_message(MessageKind.MISSION_CANCELLED, params, locale="en",
                             timezone="Europe/Paris", commune_name="Vitré")
    assert cancelled["url"] == "/home" and "x" * 50 not in cancelled["body"]
    assert len(cancelled["body"]) <= MAX_TEXT
