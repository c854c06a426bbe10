"""T(): both translations are compiled into the page; the state carries no catalog."""

from __future__ import annotations

from heurecivique_app.components.text import T
from heurecivique_app.state.base import AppState


def test_a_label_carries_both_languages_chosen_by_the_locale() -> None:
    code = str(T("Install the app"))
    assert "Installer l'application" in code.replace("\\'", "'")
    assert "Install the app" in code and "locale" in code


def test_a_label_the_same_in_both_languages_is_a_plain_string() -> None:
    assert str(T("HeureCivique")) == '"HeureCivique"'


def test_no_catalog_in_the_state_sent_to_every_page() -> None:
    assert "t" not in AppState.get_fields()
