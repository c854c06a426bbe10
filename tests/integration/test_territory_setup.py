"""A first start in production: a commune, its neighbourhoods and its first admin from the
command line, on an empty database without demo data — and refusals that write nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from scratch_db import row_counts
from sqlmodel import select

from heurecivique_app import manage
from heurecivique_app.adapters.db import make_engine, session_scope
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.models import Commune, Departement, Neighbourhood
from heurecivique_app.services import auth, territory

VITRE = ["create-commune", "--departement", "35", "--departement-name", "Ille-et-Vilaine",
         "--insee", "35360", "--name", "Vitré", "--colour", "#0F766E",
         "--phone", "02 99 75 05 05", "--email", "mairie@vitre.example"]


def run(tmp_path: Path, *args: str, password: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}"}
    env.pop("HC_ADMIN_PASSWORD", None)
    if password:
        env["HC_ADMIN_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "heurecivique_app.manage", *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_an_empty_database_gets_a_commune_a_neighbourhood_and_an_admin(tmp_path) -> None:
    made = run(tmp_path, *VITRE)
    assert made.returncode == 0, made.stderr
    assert "/c/vitre" in made.stdout
    hood = run(tmp_path, "add-neighbourhood", "--commune", "vitre", "--name", "Centre-ville",
               "--lat", "48.1236", "--lon", "-1.2086", "--radius", "800")
    assert hood.returncode == 0, hood.stderr
    admin = run(tmp_path, "create-admin", "--commune", "vitre", "--email", "Elise@Vitre.example",
                "--name", "Élise Martin", password="une phrase de passe")
    assert admin.returncode == 0, admin.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'prod.db'}")
    try:
        with session_scope(engine) as s:
            commune = s.exec(select(Commune)).one()
            assert (commune.name, commune.slug, commune.theme_color, commune.contact_phone) == (
                "Vitré", "vitre", "#0f766e", "+33299750505")
            assert s.exec(select(Departement)).one().code == "35"
            assert s.exec(select(Neighbourhood)).one().slug == "centre-ville"
            user = auth.authenticate(s, email="elise@vitre.example",
                                     password="une phrase de passe")
            assert (user.role, user.commune_id) == ("commune_admin", commune.id)
        counts = row_counts(engine)
        assert counts["mission"] == counts["beneficiary"] == 0  # no demo data
    finally:
        engine.dispose()


def test_refusals_say_why_in_french_and_write_nothing(tmp_path) -> None:
    assert run(tmp_path, *VITRE).returncode == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'prod.db'}")
    before = row_counts(engine)
    again = run(tmp_path, *VITRE)  # the same slug and INSEE code
    assert again.returncode == 1
    assert "slug:" in again.stderr and "insee_code:" in again.stderr
    wrong = run(tmp_path, "create-commune", "--departement", "35", "--insee", "44109",
                "--name", "Nantes", "--colour", "bleu")
    assert wrong.returncode == 1
    assert "insee_code: Indiquez le code INSEE" in wrong.stderr
    assert "colour:" in wrong.stderr
    english = run(tmp_path, "--lang", "en", "add-neighbourhood", "--commune", "vitre",
                  "--name", "Centre", "--lat", "north", "--lon", "-1.2")
    assert english.returncode == 1 and "lat: Enter a number" in english.stderr
    nobody = run(tmp_path, "create-admin", "--commune", "nulle-part", "--email", "a@b.fr",
                 "--name", "A", password="une phrase de passe")
    assert nobody.returncode == 1 and "commune:" in nobody.stderr
    short = run(tmp_path, "create-admin", "--commune", "vitre", "--email", "a@b.fr",
                "--name", "A", password="court")
    assert short.returncode == 1 and "password:" in short.stderr
    assert row_counts(engine) == before
    engine.dispose()


@pytest.mark.parametrize(("departement", "insee", "ok"), [
    ("35", "35360", True), ("2A", "2A004", True), ("974", "97411", True),
    ("35", "44109", False), ("96", "96001", False), ("35", "3536", False),
    ("2A", "2B033", False), ("35", "35A60", False)])
def test_insee_codes_belong_to_their_departement(db_engine, departement, insee, ok) -> None:
    form = territory.CommuneForm(departement_code=departement, departement_name="D",
                                 insee_code=insee, name=f"Commune {insee}")
    with session_scope(db_engine) as s:
        if ok:
            assert territory.create_commune(s, form=form).insee_code == insee
        else:
            with pytest.raises(ValidationFailed) as refused:
                territory.create_commune(s, form=form)
            wrong = "departement_code" if departement == "96" else "insee_code"
            assert set(refused.value.errors) == {wrong}


def test_the_command_line_parser_knows_the_three_commands() -> None:
    parser = manage._parser()
    for command in ("create-commune", "add-neighbourhood", "create-admin"):
        assert command in parser.format_help()
