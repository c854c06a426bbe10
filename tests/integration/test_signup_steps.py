"""The sign-up in steps (issue 16): each step's fields checked on their own, with the
same rules as the whole form's, and nothing written before the last step."""

from __future__ import annotations

import factories as f
import pytest
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from test_volunteer_app import FakeGeocoder, Outbox, good_form

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.services import signup
from heurecivique_app.services.signup import SIGNUP_STEPS, STEP_FIELDS, SignupStep

SITE = "https://heure.example.fr"
# Every field wrong (or missing) at once: the whole form's check reports all of these.
BAD = {"display_name": "", "phone": "12", "email": "pas-un-email", "password": "court",
       "neighbourhood_id": "", "max_distance_km": "99", "skill_shopping": None,
       "skill_collective_event": None, "charter": None}
BAD_BY_STEP = {
    SignupStep.ABOUT: {"display_name", "phone", "email", "password"},
    SignupStep.PLACE: {"neighbourhood_id", "max_distance_km"},
    SignupStep.SKILLS: {"skills"},
    SignupStep.AVAILABILITY: set(),
    SignupStep.CHARTER: {"charter"},
}


@pytest.fixture
def world(db_engine: Engine) -> f.World:
    with session_scope(db_engine) as s:
        return f.world(s)


def errors_of(engine: Engine, form: signup.SignupForm, step: SignupStep) -> set[str]:
    try:
        with session_scope(engine) as s:
            signup.check_step(s, form=form, step=step, geocoder=FakeGeocoder())
    except ValidationFailed as failed:
        return set(failed.errors)
    return set()


def test_each_step_reports_its_own_fields_only(db_engine, world) -> None:
    form = good_form(world.commune, world.neighbourhood, **BAD)
    assert {step: errors_of(db_engine, form, step) for step in SIGNUP_STEPS} == BAD_BY_STEP
    # The same rules as the whole form's: its errors are the steps' errors together.
    with pytest.raises(ValidationFailed) as failed, session_scope(db_engine) as s:
        signup.sign_up(s, site_url=SITE, form=form, geocoder=FakeGeocoder())
    assert set(failed.value.errors) == set().union(*BAD_BY_STEP.values())
    assert all(signup.step_of(name) is not None for name in failed.value.errors)
    # And the messages are the whole form's, word for word (one rule, not a copy).
    with pytest.raises(ValidationFailed) as about, session_scope(db_engine) as s:
        signup.check_step(s, form=form, step=SignupStep.ABOUT, geocoder=FakeGeocoder())
    assert about.value.errors == {name: failed.value.errors[name]
                                  for name in BAD_BY_STEP[SignupStep.ABOUT]}


def test_a_step_takes_its_name_as_text(db_engine, world) -> None:
    form = good_form(world.commune, world.neighbourhood, phone="12")
    assert errors_of(db_engine, form, "about") == {"phone"}  # type: ignore[arg-type]
    with pytest.raises(ValueError), session_scope(db_engine) as s:
        signup.check_step(s, form=form, step="nowhere", geocoder=FakeGeocoder())


def test_the_steps_write_nothing_and_the_last_one_writes_the_account(db_engine, world,
                                                                     tmp_path) -> None:
    outbox = Outbox(db_engine, tmp_path)
    form = good_form(world.commune, world.neighbourhood)
    before = row_counts(db_engine)
    for step in SIGNUP_STEPS:
        assert errors_of(db_engine, form, step) == set()
    assert row_counts(db_engine) == before
    assert outbox.mails() == []
    with session_scope(db_engine) as s:
        user = signup.sign_up(s, site_url=SITE, form=form, geocoder=f.GEOCODER)
        assert user is not None and user.email == "aline.durand@example.fr"
    after = row_counts(db_engine)
    assert after["user"] == before["user"] + 1
    assert after["volunteer_profile"] == before["volunteer_profile"] + 1
    assert len(outbox.mails()) == 1


def test_the_first_step_does_not_tell_a_taken_email(db_engine, world, tmp_path) -> None:
    outbox = Outbox(db_engine, tmp_path)
    before = row_counts(db_engine)
    taken = good_form(world.commune, world.neighbourhood, email=world.volunteer.email)
    assert errors_of(db_engine, taken, SignupStep.ABOUT) == set()
    assert row_counts(db_engine) == before and outbox.mails() == []


def test_the_place_step_places_the_address_without_writing(db_engine, world) -> None:
    geocoder = FakeGeocoder()
    before = row_counts(db_engine)
    placed = good_form(world.commune, world.neighbourhood, neighbourhood_id="",
                       address="3 rue Baudrairie, Vitré")
    with session_scope(db_engine) as s:
        signup.check_step(s, form=placed, step=SignupStep.PLACE, geocoder=geocoder)
    assert geocoder.calls == ["3 rue Baudrairie, Vitré"]
    nowhere = good_form(world.commune, world.neighbourhood, neighbourhood_id="",
                        address="1 chemin inconnu")
    with pytest.raises(ValidationFailed) as failed, session_scope(db_engine) as s:
        signup.check_step(s, form=nowhere, step=SignupStep.PLACE, geocoder=geocoder)
    assert failed.value.errors == {
        "neighbourhood_id": "Your address could not be placed in a neighbourhood: choose one."}
    assert row_counts(db_engine) == before


def test_a_link_naming_no_commune_stops_the_first_step(db_engine, world) -> None:
    form = good_form(world.commune, world.neighbourhood)
    form.commune_slug = "nulle-part"
    assert errors_of(db_engine, form, SignupStep.ABOUT) == {"commune"}


def test_every_field_of_the_form_belongs_to_one_step() -> None:
    names = [name for fields in STEP_FIELDS.values() for name in fields]
    assert len(names) == len(set(names))
    assert set(STEP_FIELDS) == set(SIGNUP_STEPS)
    assert signup.step_of("charter") is SignupStep.CHARTER
    assert signup.step_of("commune") is None
