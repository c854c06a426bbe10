"""The design system (components/ui.py): its classes, and no component library on any page."""

from __future__ import annotations

import pytest
import reflex as rx
from reflex_components_radix.themes.base import RadixThemesComponent

from heurecivique_app.components import ui
from heurecivique_app.components.layout import notice
from heurecivique_app.heurecivique_app import app

PAGES = getattr(app, "_unevaluated_pages", {})


def _walk(component):
    yield component
    for child in getattr(component, "children", []):
        yield from _walk(child)
    for inner in getattr(component, "_get_components_in_props", lambda: [])():
        yield from _walk(inner)


def _class(component) -> str:
    return str(component.class_name)


@pytest.mark.parametrize("route", sorted(PAGES))
def test_no_page_uses_radix_themes(route: str) -> None:
    """Radix Themes' components need its 83 kB stylesheet: not one may come back."""
    page = PAGES[route]
    root = page.component() if callable(page.component) else page.component
    radix = {type(c).__name__ for c in _walk(root) if isinstance(c, RadixThemesComponent)}
    assert radix == set()


def test_the_radix_check_sees_a_radix_component() -> None:
    assert any(isinstance(c, RadixThemesComponent) for c in _walk(rx.el.div(rx.button("x"))))


@pytest.mark.parametrize(("colour", "tone"), [
    ("red", "tone-error"), ("green", "tone-success"), ("amber", "tone-warning"),
    (None, "tone-info"), ("violet", "tone-info")])
def test_a_notice_shows_its_tone(colour, tone) -> None:
    assert tone in _class(ui.callout("x", color_scheme=colour))


def test_the_pages_notice_takes_the_tone_the_state_chose() -> None:
    rendered = str(notice().render())
    assert "notice_tone" in rendered and '"tone-"' in rendered


def test_a_grid_gets_one_class_per_breakpoint() -> None:
    classes = _class(ui.grid("a", columns=rx.breakpoints(initial="1", sm="2", md="4")))
    assert classes.split() == ["grid", "gap-3", "cols-1", "sm-cols-2", "md-cols-4"]


def test_a_controlled_field_is_debounced_and_an_uncontrolled_one_is_not() -> None:
    class Form(rx.State):
        value: str = ""

        @rx.event
        def set_value(self, value: str) -> None:
            self.value = value

    assert type(ui.input(value=Form.value, on_change=Form.set_value)).__name__ == "DebounceInput"
    assert type(ui.input(name="plain")).__name__ == "Input"


def test_a_link_to_an_app_path_routes_on_the_client() -> None:
    link = ui.link("Carte", href="/map")
    assert type(link).__name__ == "ReactRouterLink"
    assert "link" in _class(link).split()
