"""The handlers' gates (state/base.py): the actor comes from the cookie, never the event.

``staff_only``, ``signed_in``, ``relay_only`` and ``page_load`` wrap a handler
``(self, actor, *args)`` into the event handler ``(self, *args)`` Reflex calls:
same kind of function (Reflex runs plain, generator, coroutine and async
generator handlers differently), same arguments and annotations without
``actor``, and a redirect instead of the handler for anyone else. The last tests
list every handler of the app's states: each one is behind a gate, or is one of
the few public ones named here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import get_type_hints

import pytest
import reflex as rx
from aio import run_in_own_loop

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import NotFound, ValidationFailed
from heurecivique_app.state.base import AppState, page_load, relay_only, signed_in, staff_only

STAFF, VOLUNTEER = object(), object()
STAFF_GATE = "page:" + ",".join(sorted(STAFF_ROLES))


class FakeState:
    """Who the cookie names, without a database: only what the gates call."""

    def __init__(self, actor: object | None, staff: bool = False) -> None:
        self.actor, self.staff = actor, staff

    def _actor(self):
        return self.actor

    def _staff(self):
        return self.actor if self.staff else None

    def _relay(self):
        return None

    def _load_identity(self, roles):
        if self.actor is None:
            return None, rx.redirect("/login?next=/here")
        if roles is not None and not self.staff:
            return None, rx.redirect("/")
        return self.actor, None


run = run_in_own_loop


def redirect_target(event) -> str:
    """The path of an ``rx.redirect`` event spec."""
    return dict((str(k), v) for k, v in event.args)["path"]._var_value


def test_a_plain_handler_gets_the_actor_and_keeps_its_arguments() -> None:
    @staff_only
    def publish(self, actor, mission_id: str, *, note: str = "") -> tuple:
        return actor, mission_id, note

    assert publish(FakeState(STAFF, staff=True), "7", note="n") == (STAFF, "7", "n")
    assert list(inspect.signature(publish).parameters) == ["self", "mission_id", "note"]
    assert "actor" not in publish.__annotations__
    assert get_type_hints(publish) == {"mission_id": str, "note": str, "return": tuple}
    assert publish.__name__ == "publish" and publish.__gate__ == "staff"


def test_anyone_else_is_sent_to_the_login_page_and_the_handler_never_runs() -> None:
    ran = []

    @staff_only
    def publish(self, actor, mission_id: str) -> None:
        ran.append(mission_id)

    for who in (FakeState(None), FakeState(VOLUNTEER, staff=False)):
        assert redirect_target(publish(who, "7")) == "/login"
    assert ran == []


def test_the_login_page_may_say_where_to_come_back() -> None:
    @signed_in(login="/login?next=/map")
    def show_home(self, actor) -> object:
        return actor

    assert redirect_target(show_home(FakeState(None))) == "/login?next=/map"
    assert show_home(FakeState(VOLUNTEER)) is VOLUNTEER
    relay_page = relay_only(lambda self, actor: actor)
    assert redirect_target(relay_page(FakeState(VOLUNTEER))) == "/login"  # not a relay


def test_a_generator_stays_a_generator() -> None:
    @signed_in
    def accept(self, actor):
        yield "pending"
        return actor

    assert inspect.isgeneratorfunction(accept)
    steps = accept(FakeState(VOLUNTEER))
    assert next(steps) == "pending"
    with pytest.raises(StopIteration) as end:
        next(steps)
    assert end.value.value is VOLUNTEER  # Reflex sends a generator's return value too
    refused = accept(FakeState(None))
    with pytest.raises(StopIteration) as end:
        next(refused)
    assert redirect_target(end.value.value) == "/login"


def test_coroutines_and_async_generators_stay_what_they_are() -> None:
    @staff_only
    async def upload(self, actor, files: list[rx.UploadFile]) -> object:
        return actor, files

    @signed_in
    async def stream(self, actor):
        yield actor

    assert inspect.iscoroutinefunction(upload) and inspect.isasyncgenfunction(stream)
    assert "files" in get_type_hints(upload)  # how Reflex finds an upload's parameter
    assert run(upload(FakeState(STAFF, staff=True), ["f"])) == (STAFF, ["f"])
    assert redirect_target(run(upload(FakeState(VOLUNTEER), []))) == "/login"

    async def collect(state):
        return [event async for event in stream(state)]

    assert run(collect(FakeState(VOLUNTEER))) == [VOLUNTEER]
    (refusal,) = run(collect(FakeState(None)))
    assert redirect_target(refusal) == "/login"


def test_a_page_load_refreshes_the_identity_and_checks_the_role() -> None:
    @page_load({"referent"})
    def load(self, actor) -> object:
        return actor

    assert load(FakeState(STAFF, staff=True)) is STAFF
    assert redirect_target(load(FakeState(VOLUNTEER))) == "/"
    assert redirect_target(load(FakeState(None))) == "/login?next=/here"
    assert load.__gate__ == "page:referent"


def test_the_actor_must_be_the_parameter_after_self() -> None:
    with pytest.raises(TypeError, match="actor"):
        staff_only(lambda self, mission_id: None)


# --- AppState._run ------------------------------------------------------------------------


class RunState:
    """What ``AppState._run`` uses: a unit of work and the translation."""

    locale = "fr"
    _run = AppState._run
    _tr = AppState._tr
    _error_text = AppState._error_text
    _field_errors = AppState._field_errors

    def __init__(self) -> None:
        self.sessions: list[str] = []

    def _unit_of_work(self):
        state = self

        class Scope:
            def __enter__(self):
                state.sessions.append("open")
                return "session"

            def __exit__(self, kind, error, trace):
                state.sessions.append("rolled back" if error else "committed")
                return False

        return Scope()


def test_run_gives_the_value_read_inside_the_unit_of_work() -> None:
    state = RunState()
    done = state._run(lambda session: (session, 42))
    assert done.ok and done.value == ("session", 42) and done.text == "" and done.fields == {}
    assert state.sessions == ["open", "committed"]


def test_run_translates_a_refusal_and_rolls_back() -> None:
    state = RunState()
    def refuse(session):
        raise NotFound()

    done = state._run(refuse)
    assert not done.ok and isinstance(done.error, NotFound) and done.value is None
    assert done.text == "Cet élément n’existe plus." and done.fields == {}
    assert state.sessions == ["open", "rolled back"]
    toast = str(done.toast().args)
    assert '["error"]' in toast and "Cet " in toast  # an error toast with the message


def test_run_translates_each_field_of_a_validation_failure() -> None:
    def refuse(session):
        raise ValidationFailed({"title": "This field is required."})

    done = RunState()._run(refuse)
    assert isinstance(done.error, ValidationFailed)
    assert done.text == "Veuillez corriger les champs signalés."
    assert done.fields == {"title": "Ce champ est obligatoire."}


def test_run_lets_a_programming_error_through() -> None:
    with pytest.raises(ZeroDivisionError):
        RunState()._run(lambda session: 1 / 0)


# --- every handler of the app -------------------------------------------------------------

# Handlers anyone may call: public pages, and one that only keeps what the tab typed.
PUBLIC = {
    "AppState.load_locale", "LoginState.load", "PublicState.load", "SignupState.load",
    "InfoState.load",  # /privacy and /insurance, public pages
    "DepartementState.load",  # /d/<code>, the département's public site
    "SignupState.submit", "SignupState.back",  # the sign-up's steps (nothing written)
    "SignupState.find_commune",  # the sign-up's commune from an address: public as it is
    "TriageState.set_answer",  # the text typed for a report, kept until "forward" or "close"
}


def app_handlers() -> dict[str, object]:
    for module in pkgutil.iter_modules(importlib.import_module("heurecivique_app.state")
                                       .__path__):
        importlib.import_module(f"heurecivique_app.state.{module.name}")
    found = {}

    def walk(cls) -> None:
        for name, handler in cls.event_handlers.items():
            fn = handler.fn
            if getattr(fn, "__module__", "").startswith("heurecivique_app."):
                found[f"{fn.__qualname__.split('.')[0]}.{name}"] = fn
        for sub in cls.get_substates():
            walk(sub)

    walk(AppState)
    return found


def test_every_handler_is_behind_a_gate_or_named_public() -> None:
    handlers = app_handlers()
    assert len(handlers) > 40
    ungated = {name for name, fn in handlers.items() if not hasattr(fn, "__gate__")}
    assert ungated == PUBLIC


def test_no_handler_takes_the_actor_from_the_event() -> None:
    for name, fn in app_handlers().items():
        assert "actor" not in inspect.signature(fn).parameters, name
        assert "actor" not in get_type_hints(fn), name


def test_staff_pages_load_for_staff_only() -> None:
    handlers = app_handlers()
    staff_pages = {name.split(".")[0] for name, fn in handlers.items()
                   if getattr(fn, "__gate__", "") == STAFF_GATE}
    assert {"ConsoleState", "MatchState", "PoolState", "VolunteerState", "TriageState",
            "FollowUpState", "IntakeState", "AttendanceState", "CollectiveFormState",
            "MissionListState", "BeneficiaryListState", "PlaceState", "BeneficiaryState",
            "AuditState", "PrivacyState"} <= staff_pages
