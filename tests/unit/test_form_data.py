"""One rule for a ticked box, whichever form it is in."""

from __future__ import annotations

import pytest

from heurecivique_app.domain.form_data import ticked, ticked_ids, ticked_names


@pytest.mark.parametrize("value", ["on", "ON", "true", "1", "yes", True])
def test_ticked_values(value) -> None:
    assert ticked({"consent": value}, "consent")


@pytest.mark.parametrize("form", [{}, {"consent": ""}, {"consent": "off"}, {"consent": "0"},
                                  {"consent": False}, {"consent": None}, {"other": "on"}])
def test_unticked(form) -> None:
    assert not ticked(form, "consent")


def test_ticked_names_keep_the_form_order() -> None:
    form = {"skill_walk": "on", "title": "x", "skill_visit": "on", "skill_diy": ""}
    assert ticked_names(form, "skill_") == ["walk", "visit"]


def test_ticked_ids_ignore_names_without_a_number() -> None:
    form = {"hood-3": "on", "hood-x": "on", "hood-": "on", "hood-12": "true", "hood-5": ""}
    assert ticked_ids(form, "hood-") == [3, 12]
