"""The commune an installed app is branded for (public.home_commune, HC_COMMUNE)."""

from __future__ import annotations

import factories as f
import pytest
from sqlalchemy.engine import Engine

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.presenters import pwa
from heurecivique_app.services import public


def test_the_named_commune_else_the_first(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        assert public.home_commune(s) is None  # an empty database: no branding
        first = f.commune(s, name="Vitré", theme_color="#8c1d40")
        second = f.commune(s, name="Fougères", theme_color="#0b6e4f")
        first_slug, second_slug = first.slug, second.slug
    with session_scope(db_engine) as s:
        assert public.home_commune(s).slug == first_slug
        named = public.home_commune(s, slug=second_slug)
        assert pwa.manifest(named, "fr")["theme_color"] == "#0b6e4f"
        assert pwa.manifest(named, "fr")["name"] == "L'Heure Civique à Fougères"
        with pytest.raises(NotFound, match="This item no longer exists"):
            public.home_commune(s, slug="nowhere")
