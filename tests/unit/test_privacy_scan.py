"""The privacy scanner the e2e journeys rely on finds each private field in every usual form."""

from __future__ import annotations

import json

import pytest
from privacy_scan import PrivateData, national_phone, readable

from heurecivique_app.domain.models import Beneficiary


def _yvonne() -> PrivateData:
    hidden = PrivateData()
    hidden.add_beneficiary(Beneficiary(
        commune_id=1, neighbourhood_id=1, full_name="Yvonne Lemarié", phone="+33261910101",
        address="14 rue Baudrairie, 35500 Vitré",
        access_notes="Sonner longtemps, elle entend mal."))
    hidden.points.append(("Yvonne Lemarié", 48.123456, -1.208765))
    return hidden


@pytest.mark.parametrize("number", [
    "+33261910101", "+33 2 61 91 01 01", "0033261910101", "+33 (0)2 61 91 01 01",
    "02 61 91 01 01", "0261910101", "02.61.91.01.01", "02-61-91-01-01"])
def test_a_phone_is_found_in_any_usual_french_format(number: str) -> None:
    frame = "42/_event," + json.dumps(["event", {"delta": {"s": {"tel": f"Tél. {number}"}}}])
    assert _yvonne().leaks([frame]) == [f"Yvonne Lemarié phone: {number}"]


@pytest.mark.parametrize(("sent", "found"), [
    ("YVONNE LEMARIÉ", "Yvonne Lemarié name: Yvonne Lemarié"),
    ("chez 14 rue  Baudrairie", "Yvonne Lemarié street and number: 14 rue Baudrairie"),
    ("sonner longtemps, elle entend mal.",
     "Yvonne Lemarié access notes: Sonner longtemps, elle entend mal."),
    ('{"lat": 48.12346, "lon": -1.20877}', "Yvonne Lemarié exact point: 48.123456, -1.208765"),
])
def test_names_streets_notes_and_points_are_found_even_escaped(sent: str, found: str) -> None:
    # json.dumps escapes « é » as \\u00e9: the scan reads the decoded text.
    assert found in _yvonne().leaks([json.dumps({"value": sent})])


def test_public_data_is_not_taken_for_a_leak() -> None:
    public = ["Courses pour Mme Lemarié", "rue Baudrairie", "48.1236, -1.2085",
              "02 99 75 12 34", "M. Bouvier sort peu", "1733261910101999",
              # her latitude beside one point, her longitude beside another: no pair of hers
              "[48.12346, -1.3000], [48.2000, -1.20877]"]
    assert _yvonne().leaks(public) == []
    assert national_phone("12 34") == "" and readable("plain text") == "plain text"
