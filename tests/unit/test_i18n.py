"""Every marked string is extracted and translated into French; formatting follows locale."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.pofile import read_po

from heurecivique_app.i18n import (
    catalog,
    format_phone,
    format_when,
    negotiate,
    read_cookie,
    translate,
)

ROOT = Path(__file__).resolve().parents[2]


def _extract(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg",
         "-k", "T", "-k", "N_", "-k", "_tr", "-k", "translate", "-o", str(pot), "heurecivique_app"],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {str(message.id) for message in read_po(handle) if message.id}


def test_every_marked_string_has_a_french_translation(tmp_path):
    po_path = ROOT / "heurecivique_app/i18n/locales/fr/LC_MESSAGES/messages.po"
    with po_path.open("rb") as handle:
        french = {str(m.id): str(m.string) for m in read_po(handle) if m.id and not m.fuzzy}
    missing = sorted(m for m in _extract(tmp_path) if not french.get(m))
    assert not missing, f"run scripts/i18n.sh, then translate: {missing}"


def test_english_catalog_knows_every_string(tmp_path):
    english = catalog("en")
    assert _extract(tmp_path) <= set(english)


def test_placeholders_survive_translation():
    text = translate("{actor} accepted “{title}”", "fr", actor="Camille", title="Courses")
    assert "Camille" in text and "Courses" in text


def test_locale_negotiation_prefers_the_cookie_then_the_browser_then_french():
    assert negotiate("hc_locale=en; other=1", "fr-FR") == "en"
    assert negotiate(None, "en-GB,en;q=0.9") == "en"
    assert negotiate("hc_locale=de", "de-DE") == "fr"
    assert read_cookie("a=1; hc_session=xyz", "hc_session") == "xyz"
    assert read_cookie(None, "hc_session") is None


def test_dates_are_formatted_in_the_users_language_and_the_communes_time_zone():
    moment = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # already February 1st in Paris
    assert format_when(moment, "fr", "Europe/Paris") == "dimanche 1 février, 00:30"
    assert format_when(moment, "en", "Europe/Paris") == "Sunday 1 February, 00:30"


def test_phone_numbers_are_shown_the_french_way():
    assert format_phone("+33299751234") == "02 99 75 12 34"
