"""The volunteer app's use cases: sign-up, charter, proposals, cancel, confirm, pause,
export and deletion — on SQLite and PostgreSQL."""

from __future__ import annotations

import email
import json
import re
from datetime import datetime, timedelta

import factories as f
import pytest
from privacy_scan import PrivateData
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.geocoding import GeoHit
from heurecivique_app.adapters.mail import EmlOutbox
from heurecivique_app.domain.charter import CHARTER_VERSION
from heurecivique_app.domain.enums import (
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    Role,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import DomainError, NotFound, ValidationFailed
from heurecivique_app.domain.events import take_pending
from heurecivique_app.domain.insurance import INSURANCE_VERSION
from heurecivique_app.domain.models import (
    AuditEntry,
    HourEntry,
    Mission,
    Participation,
    User,
    UserSession,
    VolunteerProfile,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.jobs.kinds import KINDS
from heurecivique_app.jobs.runner import JobContext, Runner
from heurecivique_app.services import (
    accounts,
    auth,
    signup,
    volunteer_home,
    volunteering,
)
from heurecivique_app.services.missions import confirmation, participation
from heurecivique_app.settings import Settings

TZ = "Europe/Paris"
SITE = "https://heure.example.fr"


class FakeGeocoder:
    """Knows one street, placed at the neighbourhood factory's centre."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def locate(self, address: str, *, near=None):
        self.calls.append(address)
        if "Baudrairie" in address:
            return GeoHit(48.1239, -1.2089, address, "housenumber")
        return None


def good_form(town, hood, **changes) -> signup.SignupForm:
    form = {
        "display_name": "Aline Durand", "email": "Aline.Durand@example.fr",
        "phone": "06 12 34 56 78", "password": "une-longue-phrase",
        "neighbourhood_id": str(hood.id), "address": "",
        "skill_shopping": "on", "skill_collective_event": "on",
        "skills_note": "Je sais réparer un vélo", "avail_sat_morning": "on",
        "avail_wed_evening": "on", "max_distance_km": "2", "charter": "on",
    }
    form.update(changes)
    return signup.SignupForm.from_form({k: v for k, v in form.items() if v is not None},
                                       commune_slug=town.slug, locale="fr")


class Outbox:
    """The job runner's e-mails, written as .eml files: sign-up queues them (jobs/)."""

    def __init__(self, engine: Engine, folder) -> None:
        self.engine = engine
        self.box = EmlOutbox(folder)
        self.settings = Settings.from_env({"HC_DATA_DIR": str(folder)})

    def mails(self, at: datetime | None = None) -> list[str]:
        """Run every due job (at ``at``), then read what was written so far (oldest first)."""
        Runner(JobContext(engine=self.engine, mailer=self.box, settings=self.settings,
                          clock=(lambda: at) if at else utcnow),
               KINDS, worker="test").run_until_idle()
        root = self.box.root
        return [p.read_text() for p in sorted(root.glob("*.eml"))] if root.exists() else []


@pytest.fixture
def outbox(db_engine, tmp_path) -> Outbox:
    return Outbox(db_engine, tmp_path)


def mails(box: Outbox) -> list[str]:
    return box.mails()


def plain_text(mail: str) -> str:
    """The plain-text part of an e-mail (the other is its HTML alternative)."""
    message = email.message_from_string(mail)
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def link_token(mail: str) -> str:
    """The token of the confirmation link in an e-mail."""
    return re.search(r"/api/auth/confirm\?token=([\w-]+)", plain_text(mail)).group(1)


@pytest.fixture
def world(db_engine: Engine) -> f.World:
    with session_scope(db_engine) as s:
        return f.world(s)


def test_sign_up_creates_a_pending_volunteer_with_the_charter(db_engine, world, outbox) -> None:
    with session_scope(db_engine) as s:
        user = signup.sign_up(s, site_url=SITE, geocoder=f.GEOCODER,
                              form=good_form(world.commune, world.neighbourhood))
        pending = [e.kind for e in take_pending(s)]
        user_id = user.id
    assert pending == ["volunteer.signed_up"]
    with session_scope(db_engine) as s:
        user = s.get(User, user_id)
        profile = s.get(VolunteerProfile, user_id)
        assert user.email == "aline.durand@example.fr" and user.phone == "+33612345678"
        assert user.role == Role.VOLUNTEER and user.neighbourhood_id == world.neighbourhood.id
        assert not user.email_confirmed
        assert profile.status == VolunteerStatus.PENDING
        assert profile.skills == ["shopping", "collective_event"]
        assert profile.availability == {"wed": ["evening"], "sat": ["morning"]}
        assert profile.charter_version == CHARTER_VERSION and profile.charter_accepted_at
        # The civil-liability rule (the charter's article 7), in its version (issue 19).
        assert profile.insurance_version == INSURANCE_VERSION
        assert profile.insurance_accepted_at == profile.charter_accepted_at
        # Refused like a wrong password until the link is followed (services/auth.py).
        with pytest.raises(DomainError, match="Wrong email or password"):
            auth.authenticate(s, email="aline.durand@example.fr", password="une-longue-phrase")
    (mail,) = mails(outbox)
    assert "To: aline.durand@example.fr" in mail
    with session_scope(db_engine) as s:
        assert signup.confirm_email(s, token=link_token(mail), ttl_hours=1)
    with session_scope(db_engine) as s:
        assert s.get(User, user_id).email_confirmed
        assert auth.authenticate(s, email="aline.durand@example.fr",
                                 password="une-longue-phrase").id == user_id


def test_bad_sign_up_shows_every_error_and_writes_nothing(db_engine, world, outbox) -> None:
    before = row_counts(db_engine)
    form = good_form(world.commune, world.neighbourhood, phone="12", email="pas-un-email",
                     password="court", charter=None, skill_shopping=None,
                     skill_collective_event=None, neighbourhood_id="", max_distance_km="99")
    with pytest.raises(ValidationFailed) as failed, session_scope(db_engine) as s:
        signup.sign_up(s, site_url=SITE, form=form, geocoder=FakeGeocoder())
    assert set(failed.value.errors) == {"phone", "email", "password", "charter", "skills",
                                        "neighbourhood_id", "max_distance_km"}
    assert row_counts(db_engine) == before
    assert mails(outbox) == []


def test_taken_email_is_not_revealed_and_its_owner_is_told(db_engine, world, outbox) -> None:
    before = row_counts(db_engine)
    with session_scope(db_engine) as s:
        result = signup.sign_up(s, site_url=SITE, geocoder=f.GEOCODER,
                                form=good_form(world.commune, world.neighbourhood,
                                               email=world.volunteer.email.upper()))
    assert result is None
    (mail,) = mails(outbox)
    assert f"To: {world.volunteer.email}" in mail and "/api/auth/confirm" not in mail
    with session_scope(db_engine) as s:
        entry = s.exec(select(AuditEntry).where(
            AuditEntry.action == "volunteer.signup_email_taken")).one()
        assert entry.entity_id == world.volunteer.id
    after = row_counts(db_engine)
    assert after.pop("audit_entry") == before.pop("audit_entry") + 1
    assert after.pop("job") == before.pop("job") + 1  # the e-mail to the owner
    assert after == before  # no account, profile, link or anything else
    # A bad form with a taken e-mail shows the same errors as with a new one, no more.
    with pytest.raises(ValidationFailed) as failed, session_scope(db_engine) as s:
        signup.sign_up(s, site_url=SITE, geocoder=f.GEOCODER,
                       form=good_form(world.commune, world.neighbourhood, phone="12",
                                      email=world.volunteer.email))
    assert set(failed.value.errors) == {"phone"} and len(mails(outbox)) == 1


def test_address_is_geocoded_privately_and_gives_the_neighbourhood(db_engine, world,
                                                                   outbox) -> None:
    geocoder = FakeGeocoder()
    with session_scope(db_engine) as s:
        user = signup.sign_up(s, site_url=SITE, form=good_form(
            world.commune, world.neighbourhood, neighbourhood_id="",
            address="3 rue Baudrairie, Vitré"), geocoder=geocoder)
        user_id = user.id
    with session_scope(db_engine) as s:
        profile = s.get(VolunteerProfile, user_id)
        assert s.get(User, user_id).neighbourhood_id == world.neighbourhood.id
        assert (profile.home_lat, profile.home_lon) == (48.1239, -1.2089)
    # An address nowhere in the commune, without a neighbourhood: refused, nothing written.
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as failed, session_scope(db_engine) as s:
        signup.sign_up(s, site_url=SITE, form=good_form(world.commune, world.neighbourhood,
                                         email="autre@example.fr", neighbourhood_id="",
                                         address="1 chemin inconnu"), geocoder=geocoder)
    assert set(failed.value.errors) == {"neighbourhood_id"}
    assert row_counts(db_engine) == before
    assert len(mails(outbox)) == 1  # the first sign-up's link only



def test_new_and_taken_emails_get_the_same_answer(db_engine, world, tmp_path) -> None:
    """Both raise nothing and write exactly one e-mail, from the same sender, to the address."""
    answers = {}
    for kind, address in (("new", "nouvelle@example.fr"), ("taken", world.volunteer.email)):
        box = Outbox(db_engine, tmp_path / kind)
        with session_scope(db_engine) as s:
            signup.sign_up(s, site_url=SITE, geocoder=f.GEOCODER,
                           form=good_form(world.commune, world.neighbourhood, email=address))
        (mail,) = mails(box)
        message = email.message_from_string(mail)
        assert message["To"] == address
        answers[kind] = message["From"]
    assert answers["new"] == answers["taken"]


def test_unconfirmed_owner_signing_up_again_gets_a_fresh_link(db_engine, world, outbox) -> None:
    for _ in range(2):
        with session_scope(db_engine) as s:
            signup.sign_up(s, site_url=SITE, geocoder=f.GEOCODER,
                           form=good_form(world.commune, world.neighbourhood))
    first, second = mails(outbox)
    with session_scope(db_engine) as s:
        assert s.exec(select(func.count()).select_from(User)
                      .where(User.email == "aline.durand@example.fr")).one() == 1
        assert signup.confirm_email(s, token=link_token(second), ttl_hours=1)
    assert link_token(first) != link_token(second)


def test_confirmation_link_is_single_use_and_not_a_session(db_engine, world, outbox) -> None:
    with session_scope(db_engine) as s:
        signup.sign_up(s, site_url=SITE, geocoder=f.GEOCODER,
                       form=good_form(world.commune, world.neighbourhood))
    token = link_token(mails(outbox)[0])
    with session_scope(db_engine) as s:
        assert auth.actor_for_token(s, token) is None
        assert signup.confirmation_is_usable(s, token=token)
        assert signup.confirmation_is_usable(s, token=token)  # looking changes nothing
        session_token = signup.confirm_email(s, token=token, ttl_hours=1)
    with session_scope(db_engine) as s:
        user = s.exec(select(User).where(User.email == "aline.durand@example.fr")).one()
        assert auth.actor_for_token(s, session_token).user_id == user.id
        assert not signup.confirmation_is_usable(s, token=token)
        assert signup.confirm_email(s, token=token, ttl_hours=1) is None
        assert signup.confirm_email(s, token="", ttl_hours=1) is None
        assert signup.confirm_email(s, token="made-up", ttl_hours=1) is None


def test_confirmation_link_expires_after_24_hours(db_engine, world, outbox) -> None:
    signed_up = utcnow()
    with session_scope(db_engine) as s:
        signup.sign_up(s, site_url=SITE, geocoder=f.GEOCODER, now=signed_up,
                       form=good_form(world.commune, world.neighbourhood))
    # The link is written when its e-mail leaves; the 24 hours count from then.
    sent = signed_up + timedelta(minutes=3)
    token = link_token(outbox.mails(at=sent)[0])
    late = sent + timedelta(hours=signup.CONFIRMATION_HOURS)
    with session_scope(db_engine) as s:
        assert signup.confirmation_is_usable(s, token=token, now=late - timedelta(minutes=1))
        assert not signup.confirmation_is_usable(s, token=token, now=late)
        assert signup.confirm_email(s, token=token, ttl_hours=1, now=late) is None
    with session_scope(db_engine) as s:
        user = s.exec(select(User).where(User.email == "aline.durand@example.fr")).one()
        assert not user.email_confirmed


def test_a_new_charter_version_is_asked_again_before_accepting(db_engine, world) -> None:
    me = world.volunteer_actor
    with session_scope(db_engine) as s:
        s.get(VolunteerProfile, me.user_id).charter_version = "2019-01"
    with pytest.raises(participation.CharterOutdated), session_scope(db_engine) as s:
        participation.accept_mission(s, actor=me, mission_id=world.mission.id)
    with session_scope(db_engine) as s:
        assert s.get(Mission, world.mission.id).accepted_count == 0
        volunteering.approve_charter(s, actor=me)
    with session_scope(db_engine) as s:
        accepted = participation.accept_mission(s, actor=me, mission_id=world.mission.id)
        assert accepted.status == "full"
        assert s.get(VolunteerProfile, me.user_id).charter_version == CHARTER_VERSION


def test_pending_volunteer_joins_collective_actions_only(db_engine, world) -> None:
    with session_scope(db_engine) as s:
        newbie = f.actor(f.volunteer(s, neighbourhood_=world.neighbourhood,
                                     status=VolunteerStatus.PENDING))
        action = f.mission(s, neighbourhood_=world.neighbourhood, kind=MissionKind.COLLECTIVE,
                           capacity=5)
    with (pytest.raises(DomainError, match="A referent must meet you before you"),
          session_scope(db_engine) as s):
        participation.accept_mission(s, actor=newbie, mission_id=world.mission.id)
    with session_scope(db_engine) as s:
        joined = participation.accept_mission(s, actor=newbie, mission_id=action.id)
        assert joined.accepted_count == 1


def test_a_proposed_mission_shows_on_my_home_and_can_be_accepted_or_declined(
    db_engine, world
) -> None:
    me = world.volunteer_actor
    with session_scope(db_engine) as s:
        other = f.mission(s, neighbourhood_=world.neighbourhood)
        for mission_id in (world.mission.id, other.id):
            s.add(Participation(mission_id=mission_id, volunteer_id=me.user_id,
                                status=ParticipationStatus.PROPOSED))
    with session_scope(db_engine) as s:
        proposed = {c.id for c in volunteer_home.proposed_to_me(s, actor=me)}
        nearby = {c.id for c in volunteer_home.missions_near_me(s, actor=me, timezone=TZ)}
    assert proposed == {world.mission.id, other.id} and not proposed & nearby
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=me, mission_id=world.mission.id)
        participation.decline_mission(s, actor=me, mission_id=other.id, reason="Absente ce jour-là")
    with session_scope(db_engine) as s:
        rows = {p.mission_id: p for p in s.exec(
            select(Participation).where(Participation.volunteer_id == me.user_id))}
        assert rows[world.mission.id].status == ParticipationStatus.ACCEPTED
        assert rows[other.id].status == ParticipationStatus.DECLINED
        assert rows[other.id].reason == "Absente ce jour-là"
        assert volunteer_home.proposed_to_me(s, actor=me) == []


def test_cancel_before_the_cut_off_with_a_reason_and_refused_after(db_engine, world) -> None:
    me = world.volunteer_actor
    with session_scope(db_engine) as s:
        soon = f.mission(s, neighbourhood_=world.neighbourhood,
                         starts_at=utcnow() + timedelta(hours=5))
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=me, mission_id=world.mission.id)
        participation.accept_mission(s, actor=me, mission_id=soon.id)
    with pytest.raises(ValidationFailed) as no_reason, session_scope(db_engine) as s:
        participation.withdraw(s, actor=me, mission_id=world.mission.id, reason=" ",
                               cutoff_hours=24)
    assert set(no_reason.value.errors) == {"reason"}
    with pytest.raises(DomainError) as late, session_scope(db_engine) as s:
        participation.withdraw(s, actor=me, mission_id=soon.id, reason="Malade", cutoff_hours=24)
    assert "phone" in late.value.message
    with session_scope(db_engine) as s:
        participation.withdraw(s, actor=me, mission_id=world.mission.id, reason="Un imprévu",
                            cutoff_hours=24)
        kinds = [e.kind for e in take_pending(s)]
    assert "participation.cancelled" in kinds
    with session_scope(db_engine) as s:
        mission = s.get(Mission, world.mission.id)
        part = s.exec(select(Participation).where(Participation.mission_id == mission.id)).one()
        assert mission.status == MissionStatus.OPEN and mission.accepted_count == 0
        assert part.status == ParticipationStatus.CANCELLED and part.reason == "Un imprévu"
        assert s.get(Mission, soon.id).accepted_count == 1
        assert s.exec(select(AuditEntry).where(
            AuditEntry.action == "participation.cancelled")).one().detail["reason"] == "Un imprévu"


def test_confirming_credits_my_hour_and_reports_the_problem(db_engine, world) -> None:
    me = world.volunteer_actor
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=me, mission_id=world.mission.id)
    bad = confirmation.Confirmation(minutes="5000", feedback="x" * 1001)
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as failed, session_scope(db_engine) as s:
        confirmation.confirm(s, actor=me, mission_id=world.mission.id, form=bad, timezone=TZ)
    assert set(failed.value.errors) == {"minutes", "feedback"}
    assert row_counts(db_engine) == before
    form = confirmation.Confirmation(minutes="45", feedback="Très bon accueil",
                                     problem="Le chien de la voisine est agressif")
    # Before the start nothing can be confirmed: hours are given, never promised.
    with pytest.raises(DomainError, match="not taken place yet"), session_scope(db_engine) as s:
        confirmation.confirm(s, actor=me, mission_id=world.mission.id, form=form, timezone=TZ)
    assert row_counts(db_engine) == before
    _started(db_engine, world.mission.id)
    with session_scope(db_engine) as s:
        confirmation.confirm(s, actor=me, mission_id=world.mission.id, form=form, timezone=TZ)
        kinds = [e.kind for e in take_pending(s)]
    assert {"mission.done", "participation.confirmed", "participation.problem"} <= set(kinds)
    with session_scope(db_engine) as s:
        part = s.exec(select(Participation)).one()
        assert part.confirmed_at and part.reported_minutes == 45
        assert part.problem.startswith("Le chien") and part.feedback == "Très bon accueil"
        summary = volunteer_home.hour_summary(s, volunteer_id=me.user_id, timezone=TZ)
        assert summary.this_month.minutes == 45 and summary.streak == 0
    with (pytest.raises(DomainError, match="You have already confirmed this"),
          session_scope(db_engine) as s):
        confirmation.confirm(s, actor=me, mission_id=world.mission.id, form=form, timezone=TZ)


def _started(engine: Engine, mission_id: int) -> None:
    """Move the mission's start to a minute ago (it was accepted while in the future)."""
    with session_scope(engine) as s:
        mission = s.get(Mission, mission_id)
        mission.starts_at = utcnow() - timedelta(minutes=1)
        s.add(mission)


def test_streak_counts_months_in_a_row_with_the_hour(db_engine, world) -> None:
    me = world.volunteer_actor
    now = utcnow()
    with session_scope(db_engine) as s:
        this = volunteer_home.hour_summary(s, volunteer_id=me.user_id, timezone=TZ, now=now)
        months = [h.month for h in this.history]
        for month, minutes in zip(months[1:4], (60, 90, 30), strict=True):
            extra = f.mission(s, neighbourhood_=world.neighbourhood)
            s.add(HourEntry(volunteer_id=me.user_id, mission_id=extra.id, minutes=minutes,
                            month=month))
    with session_scope(db_engine) as s:
        summary = volunteer_home.hour_summary(s, volunteer_id=me.user_id, timezone=TZ, now=now)
    assert summary.streak == 2  # last month and the one before; the third had 30 min
    assert [h.minutes for h in summary.history[:4]] == [0, 60, 90, 30]


def test_pause_blocks_accepting_and_resume_restores_the_status(db_engine, world) -> None:
    me = world.volunteer_actor
    with session_scope(db_engine) as s:
        volunteering.set_paused(s, actor=me, paused=True)
        assert [e.kind for e in take_pending(s)] == ["volunteer.paused"]
    with (pytest.raises(DomainError, match="Your participation is paused"),
          session_scope(db_engine) as s):
        participation.accept_mission(s, actor=me, mission_id=world.mission.id)
    with session_scope(db_engine) as s:
        assert volunteering.set_paused(s, actor=me, paused=False).status == "active"
        participation.accept_mission(s, actor=me, mission_id=world.mission.id)


def test_export_holds_my_data_and_no_one_elses(db_engine, world) -> None:
    me = world.volunteer_actor
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=me, mission_id=world.mission.id)
    with session_scope(db_engine) as s:
        data = accounts.export_data(s, actor=me)
    assert data["account"]["email"] == world.volunteer.email
    assert data["participations"][0]["mission"] == world.mission.title
    text = repr(data)
    assert world.beneficiary.full_name not in text and world.mission.exact_address not in text
    # Even the beneficiary of a mission she accepted: name, address, notes, phone in any format.
    hidden = PrivateData()
    hidden.add_beneficiary(world.beneficiary)
    hidden.add_address(world.beneficiary.full_name, world.mission.exact_address)
    assert hidden.phones and hidden.leaks([json.dumps(data, ensure_ascii=False)]) == []


def test_delete_erases_the_person_and_keeps_anonymous_hours(db_engine, world) -> None:
    me = world.volunteer_actor
    with session_scope(db_engine) as s:
        done = f.mission(s, neighbourhood_=world.neighbourhood)
        login = auth.open_session(s, user=s.get(User, me.user_id), ttl_hours=1)
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=me, mission_id=done.id)
    _started(db_engine, done.id)
    with session_scope(db_engine) as s:
        confirmation.confirm(s, actor=me, mission_id=done.id, timezone=TZ,
                             form=confirmation.Confirmation("60", "Merci", "Rien"))
        participation.accept_mission(s, actor=me, mission_id=world.mission.id)
        prof = s.get(VolunteerProfile, me.user_id)
        prof.home_address, prof.home_lat, prof.home_lon = "3 rue Baudrairie", 48.1, -1.2
    with session_scope(db_engine) as s:
        accounts.delete_account(s, actor=me)
    with session_scope(db_engine) as s:
        user = s.get(User, me.user_id)
        profile = s.get(VolunteerProfile, me.user_id)
        assert world.volunteer.email not in user.email and user.email.endswith(".invalid")
        assert user.display_name == accounts.DELETED_NAME and user.phone is None
        assert not user.is_active and profile.home_address == "" and profile.home_lat is None
        assert auth.actor_for_token(s, login) is None
        assert all(x.revoked_at for x in s.exec(select(UserSession)
                                                .where(UserSession.user_id == me.user_id)))
        # The hour stays in the ledger; the held place went back to the board.
        assert sum(h.minutes for h in s.exec(select(HourEntry))) == 60
        assert s.get(Mission, world.mission.id).accepted_count == 0
        parts = s.exec(select(Participation).where(Participation.volunteer_id == me.user_id)).all()
        assert len(parts) == 2 and all(p.feedback == p.problem == "" for p in parts)


def test_a_deleted_account_leaves_waiting_lists_and_is_never_promoted(db_engine) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s, kind=MissionKind.COLLECTIVE, capacity=1)
        leaving = f.actor(f.volunteer(s, neighbourhood_=w.neighbourhood))
    for actor in (w.volunteer_actor, leaving):  # the second one waits
        with session_scope(db_engine) as s:
            participation.accept_mission(s, actor=actor, mission_id=w.mission.id)
    with session_scope(db_engine) as s:
        accounts.delete_account(s, actor=leaving)
    with session_scope(db_engine) as s:
        participation.decline_mission(s, actor=w.volunteer_actor, mission_id=w.mission.id)
    with session_scope(db_engine) as s:
        mine = s.exec(select(Participation).where(
            Participation.volunteer_id == leaving.user_id)).one()
        assert mine.status == ParticipationStatus.CANCELLED
        assert s.get(Mission, w.mission.id).accepted_count == 0


@pytest.mark.parametrize("answer", ["accept", "decline", "cancel", "confirm"])
def test_a_draft_is_answered_like_a_missing_id_and_nothing_is_written(
        db_engine, answer: str) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s, status=MissionStatus.DRAFT)
    me = w.volunteer_actor
    calls = {
        "accept": lambda s, mission_id: participation.accept_mission(
            s, actor=me, mission_id=mission_id),
        "decline": lambda s, mission_id: participation.decline_mission(
            s, actor=me, mission_id=mission_id, reason="Pas libre"),
        "cancel": lambda s, mission_id: participation.withdraw(
            s, actor=me, mission_id=mission_id, reason="Malade", cutoff_hours=24),
        "confirm": lambda s, mission_id: confirmation.confirm(
            s, actor=me, mission_id=mission_id, timezone=TZ,
            form=confirmation.Confirmation("60", "", "")),
    }
    before = row_counts(db_engine)
    answers = []
    for mission_id in (w.mission.id, w.mission.id + 1000):  # the draft, then a missing id
        with pytest.raises(DomainError, match="no longer exists") as refused, \
                session_scope(db_engine) as s:
            calls[answer](s, mission_id)
        answers.append((type(refused.value), refused.value.message))
    assert answers[0] == answers[1] == (NotFound, "This item no longer exists.")
    assert row_counts(db_engine) == before
