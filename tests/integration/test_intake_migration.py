"""Migration 0006: volunteers signed up before it get their search keys from their JSON."""

from __future__ import annotations

import pytest
from scratch_db import migrate
from sqlalchemy import create_engine, text


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{'sqlite' if request.param == 'sqlite' else 'pg'}_url")


def test_existing_profiles_get_their_skill_and_slot_keys(empty_url: str) -> None:
    migrate(empty_url, "0004_volunteer_profile")
    engine = create_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO departement (id, code, name) VALUES (1, '35', 'I')"))
            conn.execute(text(
                "INSERT INTO commune (id, departement_id, insee_code, name, slug, theme_color, "
                "contact_phone, contact_email) VALUES (1, 1, '35360', 'V', 'v', '#000', '', '')"))
            conn.execute(text(
                'INSERT INTO "user" (id, commune_id, email, password_hash, display_name, role, '
                "locale, is_active, created_at) VALUES (1, 1, 'a@b', 'x', 'A', 'volunteer', 'fr', "
                "true, CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO volunteer_profile (user_id, status, skills, availability, "
                "max_distance_km) VALUES (1, 'active', :skills, :slots, 2.0)"),
                {"skills": '["visit", "shopping"]',
                 "slots": '{"sat": ["evening", "morning"], "mon": ["afternoon"]}'})
        migrate(empty_url)
        with engine.connect() as conn:
            keys = conn.execute(text(
                "SELECT skills_key, slots_key FROM volunteer_profile")).one()
    finally:
        engine.dispose()
    assert tuple(keys) == ("visit shopping", "mon:afternoon sat:morning sat:evening")
