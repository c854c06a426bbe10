"""Property-based tests: every service that takes user input, fed anything.

Any JSON value can reach a service through the websocket (a hand-made event),
so each field receives, besides plausible values: None, empty and huge texts,
control characters, lone surrogates, bidi and zero-width characters, numbers,
booleans, lists and dicts. Whatever arrives, the service either succeeds or
refuses with a DomainError whose message exists in the French catalog — never
another exception — and a refusal writes nothing (the row counts of every table
are compared around each example). After every example the database
invariants hold, and whatever was stored is clean text.

Profiles (``HYPOTHESIS_PROFILE``): ``ci`` (default; few examples, derandomised,
so the whole suite stays fast and repeatable) and ``deep`` (many random examples,
to hunt locally).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import factories as f
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scratch_db import row_counts
from sqlalchemy import String, func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.community import RelayReport
from heurecivique_app.domain.enums import (
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.models import HourEntry, Mission, Participation
from heurecivique_app.domain.types import utcnow
from heurecivique_app.i18n import catalog, translate
from heurecivique_app.services import (
    accounts,
    auth,
    collective,
    followup,
    geography,
    intake,
    matching,
    notifications,
    pool,
    public,
    relays,
    search,
    signup,
    triage,
    volunteer_home,
    volunteering,
)
from heurecivique_app.services.missions import confirmation, control, participation

TZ = "Europe/Paris"

settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "deep", max_examples=300, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "ci"))

# Characters that broke something somewhere once, or could.
SPECIALS = ["\x00", "\r\n", "\r", "\n", "\t", "\x1b", "\x7f", "\u202e", "\u2066", "\u200b",
            "\u200d", "\ufeff", "\u2028", "\ud800", "\udfff", "=", "+", "-", "@", "%", "_",
            "'", '"', "\\", "null", "<script>", "é", "\U0001f600", " "]
hostile_text = st.lists(
    st.one_of(st.text(max_size=6), st.sampled_from(SPECIALS),
              st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"])),
    max_size=10,
).map("".join)
huge_text = st.sampled_from(["x" * 100_000, "é" * 3000, " " * 5000, "\u200b" * 3000,
                             "9" * 5000])
anything = st.one_of(
    st.none(), st.just(""), hostile_text, huge_text,
    st.integers(), st.integers(min_value=2**31, max_value=2**70), st.floats(),
    st.booleans(), st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=1),
)


def spoiled(valid: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``valid`` with up to three fields replaced by anything, or by their valid value
    with a special character slipped in; and maybe one field left out."""

    def tainted(key: str) -> st.SearchStrategy[str]:
        base = str(valid[key] or "")
        return st.tuples(st.sampled_from(SPECIALS), st.integers(0, len(base))).map(
            lambda cut: base[:cut[1]] + cut[0] + base[cut[1]:])

    keys = sorted(valid)
    change = st.one_of(*[st.tuples(st.just(k), st.one_of(tainted(k), anything)) for k in keys])
    return st.tuples(st.lists(change, max_size=3), st.sets(st.sampled_from(keys), max_size=1)
                     ).map(lambda picked: {k: v for k, v in {**valid, **dict(picked[0])}.items()
                                           if k not in picked[1]})


# --- checks around each example ----------------------------------------------------------


def _translated(message: str, params: dict[str, Any]) -> None:
    french = catalog("fr")
    assert message in french and french[message] != message, f"untranslated: {message!r}"
    for locale in ("fr", "en"):
        shown = translate(message, locale, **params)
        assert "{" not in shown, f"placeholder left in {shown!r}"


def assert_translated(error: DomainError) -> None:
    """The refusal says something in French and English, placeholders filled."""
    _translated(error.message, error.params)
    if isinstance(error, ValidationFailed):
        assert error.errors
        for name, message in error.errors.items():
            _translated(message, error.field_params.get(name, {}))


def _bad_char(char: str, *, multiline: bool) -> bool:
    if char in "\n\t":
        return not multiline
    return (unicodedata.category(char) in {"Cc", "Cs"}
            or "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069")


def assert_clean(values: dict[str, Any], *, multiline: set[str], table: str) -> None:
    """Stored text holds no control, surrogate or bidi character, and is never the word
    "None" (no example types it: it can only come from a null turned into text)."""
    for name, value in values.items():
        if isinstance(value, str):
            assert value != "None", (table, name)
            assert not any(_bad_char(c, multiline=name in multiline) for c in value), (
                table, name, value)


# Free-text columns where a line break or a tab is expected.
MULTILINE = {"description", "skills_note", "feedback", "problem", "reason", "answer", "text",
             "access_notes", "incident", "validation_note", "note"}


def assert_invariants(engine: Engine) -> None:
    """What must hold whatever was done: every stored text is clean (see assert_clean),
    places taken match the participations, the time credited for one mission stays
    between 15 minutes and 8 hours."""
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            texts = [c for c in table.columns if isinstance(c.type, String)]
            for row in conn.execute(sa_select(*texts)).mappings() if texts else ():
                assert_clean(dict(row), multiline=MULTILINE, table=table.name)
    with Session(engine) as s:
        accepted = dict(s.exec(
            select(Participation.mission_id, func.count())
            .where(Participation.status == ParticipationStatus.ACCEPTED)
            .group_by(Participation.mission_id)).all())
        for mission in s.exec(select(Mission)).all():
            assert mission.accepted_count == accepted.get(mission.id, 0) <= mission.capacity
        for entry in s.exec(select(HourEntry)).all():
            assert 15 <= entry.minutes <= 480


def attempt(town: dict[str, Any], call: Callable[[Session], Any]) -> Any:
    """Run ``call`` in a unit of work: its result, or None after a clean refusal.

    Counts both outcomes in ``town["seen"]``: each test checks that its examples
    reached the success path as well as refusals.
    """
    engine = town["engine"]
    before = row_counts(engine)
    try:
        with session_scope(engine) as s:
            result = call(s)
    except DomainError as error:
        assert_translated(error)
        assert row_counts(engine) == before, "a refusal wrote something"
        result = None
    town["seen"]["refused" if result is None else "done"] += 1
    assert_invariants(engine)
    return result


class NoGeocoder:
    """No network in tests: no address is ever located (the neighbourhood is chosen)."""

    def locate(self, address: str, *, near=None):
        return None


def _future_day(days: int = 7) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


# --- the world each test works in ----------------------------------------------------------


@pytest.fixture
def town(db_engine: Engine) -> dict[str, Any]:
    """A commune, its referent, an active volunteer, a relay, a need that took place with
    the volunteer, a future open need, a relay's issue report."""
    with session_scope(db_engine) as s:
        w = f.world(s)
        past = f.mission(s, neighbourhood_=w.neighbourhood, created_by_id=w.referent.id,
                         starts_at=utcnow() - timedelta(days=1),
                         status=MissionStatus.FULL, accepted_count=1)
        s.add(Participation(mission_id=past.id, volunteer_id=w.volunteer.id,
                            status=ParticipationStatus.ACCEPTED))
        relay = f.volunteer(s, neighbourhood_=w.neighbourhood)
        pending = f.volunteer(s, neighbourhood_=w.neighbourhood, status=VolunteerStatus.PENDING)
        relays.assign_neighbourhoods(s, actor=w.referent_actor, user_id=relay.id,
                                     neighbourhood_ids=[w.neighbourhood.id],
                                     enrolment={"birth_date": "1980-05-01"})
        s.refresh(relay)
        report = relays.report_issue(s, actor=f.actor(relay), form=relays.IssueForm(
            category="safety", title="Passage piéton effacé",
            neighbourhood_id=str(w.neighbourhood.id)))
        action = f.mission(s, neighbourhood_=w.neighbourhood, created_by_id=w.referent.id,
                           kind=MissionKind.COLLECTIVE, capacity=5, accepted_count=1,
                           starts_at=utcnow() - timedelta(hours=3))
        s.add(Participation(mission_id=action.id, volunteer_id=w.volunteer.id,
                            status=ParticipationStatus.ACCEPTED))
        return {"action": action.id, "volunteer": w.volunteer.id, "relay_id": relay.id,
                "engine": db_engine, "slug": w.commune.slug, "hood": str(w.neighbourhood.id),
                "ref": w.referent_actor, "vol": w.volunteer_actor, "relay": f.actor(relay),
                "open": w.mission.id, "past": past.id, "report": report.id,
                "pending": pending.id, "seen": Counter()}


def mission_ids(town: dict[str, Any], *names: str) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from([town[n] for n in names]), st.integers(), anything)


PROFILE = {"display_name": "Camille Martin", "phone": "06 12 34 56 78", "address": "",
           "skills_note": "Bricolage", "max_distance_km": "2", "skill_shopping": "on",
           "avail_sat_morning": "on"}


# --- the entry points ----------------------------------------------------------------------


def test_sign_up(town, tmp_path) -> None:
    valid = {**PROFILE, "neighbourhood_id": town["hood"], "email": "camille@vitre.fr",
             "password": "heure-civique-2026", "charter": "on"}

    @given(data=spoiled(valid))
    def run(data):
        form = signup.SignupForm.from_form(data, commune_slug=town["slug"])
        attempt(town, lambda s: signup.sign_up(s, form=form, site_url="http://localhost",
                                                        geocoder=NoGeocoder()))

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_account_edit(town) -> None:
    valid = {**PROFILE, "neighbourhood_id": town["hood"]}

    @given(data=spoiled(valid))
    def run(data):
        form = signup.ProfileForm.from_form(data)
        attempt(town, lambda s: accounts.update_profile(
            s, actor=town["vol"], form=form, geocoder=NoGeocoder()))

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


NEED = {"category": "shopping", "title": "Courses du samedi", "channel": "phone",
        "description": "Pack d'eau et fruits", "beneficiary_name": "Jeanne Leroux",
        "beneficiary_phone": "02 99 75 00 00", "address": "12 rue Baudrairie, Vitré",
        "access_notes": "Interphone cassé", "consent": "on", "preferred_time": "10:00",
        "duration_minutes": "60", "insurance_acknowledged": "on", "beneficiary_choice": "new",
        "preferred_date_2": ""}


@pytest.mark.parametrize("by", ["referent", "relay"])
def test_intake_and_relay_needs(town, by: str) -> None:
    valid = {**NEED, "neighbourhood_id": town["hood"], "preferred_date": _future_day()}

    @given(data=spoiled(valid), publish=st.booleans())
    def run(data, publish):
        form = intake.NeedForm.from_form(data)
        if by == "referent":
            attempt(town, lambda s: intake.create_need(
                s, actor=town["ref"], form=form, publish=publish, timezone=TZ,
                geocoder=NoGeocoder(), geo_salt="test"))
        else:
            attempt(town, lambda s: relays.report_need(
                s, actor=town["relay"], form=form, timezone=TZ, geocoder=NoGeocoder(),
                geo_salt="test"))

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_relay_issue_reports(town) -> None:
    valid = {"category": "comfort", "title": "Lampadaire éteint", "description": "Depuis lundi",
             "neighbourhood_id": town["hood"], "lat": "", "lon": "", "photo_name": None}

    @given(data=spoiled(valid))
    def run(data):
        form = relays.IssueForm(**{k: data.get(k, "") for k in valid})
        report = attempt(town, lambda s: relays.report_issue(
            s, actor=town["relay"], form=form))
        assert report is None or isinstance(report, RelayReport)

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_collective_actions(town) -> None:
    valid = {"title": "Nettoyage des berges", "category": "cleanup",
             "description": "Gants fournis", "neighbourhood_id": town["hood"],
             "place": "Place du marché", "date": _future_day(), "time": "14:00",
             "duration_minutes": "120", "capacity": "10", "skill_cleanup": "on"}

    @given(data=spoiled(valid), publish=st.booleans())
    def run(data, publish):
        form = collective.CollectiveForm.from_form(data)
        attempt(town, lambda s: collective.create_collective(
            s, actor=town["ref"], form=form, timezone=TZ, publish=publish,
            geocoder=NoGeocoder(), geo_salt="test"))

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_follow_up(town) -> None:
    valid = {"beneficiary_called": "on", "went_well": "yes", "minutes": "75",
             "beneficiary_satisfaction": "5", "volunteer_satisfaction": "4", "incident": ""}

    @given(data=spoiled(valid), mission_id=mission_ids(town, "past", "open"),
           close=st.booleans())
    def run(data, mission_id, close):
        form = followup.FollowUpForm.from_form(data)
        attempt(town, lambda s: followup.record_followup(
            s, actor=town["ref"], mission_id=mission_id, form=form, timezone=TZ, close=close))

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_volunteer_answers(town) -> None:
    answer = st.sampled_from(["confirm", "decline", "cancel", "accept"])

    @given(answer=answer, mission_id=mission_ids(town, "past", "open"),
           minutes=st.one_of(st.sampled_from(["60", "15", "480"]), anything),
           text=st.one_of(st.just("Merci"), anything))
    def run(answer, mission_id, minutes, text):
        me = town["vol"]
        calls = {
            "confirm": lambda s: confirmation.confirm(
                s, actor=me, mission_id=mission_id, timezone=TZ,
                form=confirmation.Confirmation(minutes=minutes, feedback=text, problem=text)),
            "decline": lambda s: participation.decline_mission(s, actor=me, mission_id=mission_id,
                                                      reason=text),
            "cancel": lambda s: participation.withdraw(s, actor=me, mission_id=mission_id,
                                                    reason=text, cutoff_hours=24),
            "accept": lambda s: participation.accept_mission(s, actor=me, mission_id=mission_id),
        }
        attempt(town, calls[answer])

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_triage_answers_and_stories(town) -> None:
    @given(action=st.sampled_from(["close", "forward", "story"]),
           report_id=mission_ids(town, "report"),
           text=st.one_of(st.just("Réparé, merci"), anything),
           title=st.one_of(st.just("Une belle action"), anything))
    def run(action, report_id, text, title):
        calls = {
            "close": lambda s: triage.close(s, actor=town["ref"], report_id=report_id,
                                            answer=text),
            "forward": lambda s: triage.forward(
                s, actor=town["ref"], report_id=report_id, note=text, to="st@mairie.example"),
            "story": lambda s: public.publish_story(s, actor=town["ref"], title=title,
                                                    text=text),
        }
        attempt(town, calls[action])

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_volunteer_validation_note(town) -> None:
    @given(note=st.one_of(st.just("Rencontrée le 3"), anything),
           volunteer_id=mission_ids(town, "pending"), checked=st.booleans())
    def run(note, volunteer_id, checked):
        attempt(town, lambda s: pool.validate_volunteer(
            s, actor=town["ref"], volunteer_id=volunteer_id, charter_checked=checked,
            note=note, charter_version="2024-01"))

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_pool_and_search_filters(town) -> None:
    pool_valid = {"text": "Camille", "skill": "shopping", "day": "sat", "part": "morning",
                  "status": "active", "neighbourhood_id": int(town["hood"])}
    search_valid = {"status": "open", "category": "shopping", "kind": "individual",
                    "neighbourhood_id": town["hood"], "date_from": "2026-01-01",
                    "date_to": "2030-12-31", "q": "Courses"}

    @given(wanted=spoiled(pool_valid), data=spoiled(search_valid))
    def run(wanted, data):
        attempt(town, lambda s: pool.search_pool(
            s, actor=town["ref"], wanted=pool.PoolFilter(**wanted), timezone=TZ))

        def lists(s):
            filters = search.parse_filters(data)
            search.missions(s, actor=town["ref"], filters=filters, timezone=TZ)
            search.beneficiaries(s, actor=town["ref"], filters=filters)
            return search.volunteers(s, actor=town["ref"], filters=filters)

        attempt(town, lists)

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_referent_actions_on_ids(town) -> None:
    # Ids, lists of ids and numbers as a hand-made websocket event could send them.
    ids = st.one_of(st.lists(mission_ids(town, "volunteer", "pending"), max_size=3), anything)

    @given(action=st.sampled_from(["propose", "assign", "attendance", "point", "relay"]),
           mission_id=mission_ids(town, "open", "action", "past"), some=ids,
           one=mission_ids(town, "volunteer", "pending"),
           number=st.one_of(st.sampled_from([60, 48.12, -1.2]), anything))
    def run(action, mission_id, some, one, number):
        ref = town["ref"]
        calls = {
            "propose": lambda s: matching.propose_mission(
                s, actor=ref, mission_id=mission_id, volunteer_ids=some, timezone=TZ),
            "assign": lambda s: matching.assign_volunteer(
                s, actor=ref, mission_id=mission_id, volunteer_id=one, timezone=TZ),
            "attendance": lambda s: collective.record_attendance(
                s, actor=ref, mission_id=mission_id, present=some, minutes=number,
                timezone=TZ),
            "point": lambda s: geography.set_mission_point(
                s, actor=ref, mission_id=mission_id, lat=number, lon=number, salt="test"),
            "relay": lambda s: relays.assign_neighbourhoods(
                s, actor=ref, user_id=town["relay_id"], neighbourhood_ids=some),
        }
        attempt(town, calls[action])

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_mission_edits(town) -> None:
    valid = {"title": "Courses du samedi", "description": "Pain et lait",
             "day": _future_day(), "hour": "10:30", "duration_minutes": "60", "capacity": "5",
             "address": "Place du marché", "neighbourhood_id": town["hood"]}

    @given(data=spoiled(valid), mission_id=mission_ids(town, "open", "action", "past"))
    def run(data, mission_id):
        form = control.MissionEdit.from_form(data)
        attempt(town, lambda s: control.edit_mission(
            s, actor=town["ref"], mission_id=mission_id, form=form, timezone=TZ,
            geocoder=NoGeocoder(), geo_salt="test"))

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]


def test_mission_control_on_ids(town) -> None:
    # Ids and reasons as a hand-made websocket event could send them; cancelling last.
    @given(action=st.sampled_from(["take_off", "hand_over", "hand_over", "cancel"]),
           mission_id=mission_ids(town, "open", "action"),
           one=mission_ids(town, "volunteer", "pending", "relay_id"),
           other=mission_ids(town, "relay_id", "volunteer"),
           reason=st.one_of(st.just("Indisponible"), anything))
    def run(action, mission_id, one, other, reason):
        ref = town["ref"]
        calls = {
            "take_off": lambda s: control.take_off(
                s, actor=ref, mission_id=mission_id, volunteer_id=one, reason=reason,
                timezone=TZ),
            "hand_over": lambda s: control.hand_over(
                s, actor=ref, mission_id=mission_id, from_volunteer_id=one,
                to_volunteer_id=other, reason=reason, timezone=TZ),
            "cancel": lambda s: control.cancel_mission(
                s, actor=ref, mission_id=mission_id, reason=reason, timezone=TZ),
        }
        attempt(town, calls[action])

    run()
    assert town["seen"]["refused"], town["seen"]


def test_login_and_confirmation_links(town) -> None:
    # A refused login is written down (throttle counts, audit): no row-count check here,
    # but never a crash, and the database stays clean.
    @given(email=st.one_of(st.just("camille@vitre.fr"), anything),
           password=st.one_of(st.just("heure-civique"), anything),
           address=st.one_of(st.just("127.0.0.1"), hostile_text),
           token=st.one_of(st.just("abc"), anything))
    def run(email, password, address, token):
        try:
            with session_scope(town["engine"]) as s:
                outcome = auth.log_in(s, email=email, password=password, address=address)
                assert outcome.user is None or outcome.user.email == email
                assert signup.confirm_email(s, token=token, ttl_hours=24) is None
        except DomainError as error:
            assert_translated(error)
        assert_invariants(town["engine"])

    run()


def test_volunteer_reads_and_choices(town) -> None:
    # What a volunteer's page hands a service from its own vars, which a hand-made event
    # can set to anything: home filters, the map's centre and radius, e-mail choices,
    # pausing, and a one-click unsubscribe link's token.
    @given(action=st.sampled_from(["home", "map", "choices", "pause", "unsubscribe"]),
           a=anything, b=anything, c=anything)
    def run(action, a, b, c):
        me = town["vol"]
        calls = {
            "home": lambda s: volunteer_home.missions_near_me(
                s, actor=me, timezone=TZ, filters=volunteer_home.NearbyFilter(a, b, c)),
            "map": lambda s: geography.nearby_cards(s, actor=me, lat=a, lon=b, radius_m=c,
                                                    limit=100),
            "choices": lambda s: notifications.set_preferences(
                s, actor=me, enabled=a if isinstance(a, dict) else {"reminder": a}),
            "pause": lambda s: volunteering.set_paused(s, actor=me, paused=a),
            "unsubscribe": lambda s: notifications.unsubscribe(s, secret="test", token=a),
        }
        attempt(town, calls[action])

    run()
    assert town["seen"]["done"] and town["seen"]["refused"], town["seen"]
