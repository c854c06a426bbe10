"""Every page builds: a row key a page reads but its presenter's TypedDict lacks (a
typo, a renamed field) fails here, at build time, instead of blanking a cell in the
browser."""

from __future__ import annotations

import pytest

from heurecivique_app.heurecivique_app import app

PAGES = getattr(app, "_unevaluated_pages", {})


def test_the_app_registers_its_pages() -> None:
    assert {"index", "console", "home", "map"} <= set(PAGES)


@pytest.mark.parametrize("route", sorted(PAGES))
def test_page_builds(route: str) -> None:
    page = PAGES[route]
    component = page.component() if callable(page.component) else page.component
    assert component is not None
