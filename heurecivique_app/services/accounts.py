"""The volunteer's account: edit the profile, download my data, delete my account.

Deleting erases the person (name, email, phone, password, home, free texts) and
revokes every login, but keeps the hour ledger and the participations, now
anonymous, so the commune's statistics stay right.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from heurecivique_app.adapters.geocoding import Geocoder, GeoHit
from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus, VolunteerStatus
from heurecivique_app.domain.errors import NotAllowed
from heurecivique_app.domain.models import (
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    UserSession,
    VolunteerProfile,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import FormCheck
from heurecivique_app.services import alerts, email_change, inbox, push
from heurecivique_app.services.actor import Actor, require_volunteer
from heurecivique_app.services.audit import audit
from heurecivique_app.services.missions import participation
from heurecivique_app.services.signup import ProfileForm, check_profile

# What a deleted account is called in the referent's history (no one in particular).
DELETED_NAME = "Anonyme"


def _mine(session: Session, actor: Actor) -> tuple[User, VolunteerProfile]:
    require_volunteer(actor)
    user = session.get(User, actor.user_id)
    profile = session.get(VolunteerProfile, actor.user_id)
    if user is None or profile is None or not user.is_active:
        raise NotAllowed()
    return user, profile


def my_profile(session: Session, *, actor: Actor) -> tuple[User, VolunteerProfile]:
    """The volunteer's own account and profile (for their own account page only)."""
    return _mine(session, actor)


def update_profile(session: Session, *, actor: Actor, form: ProfileForm,
                   geocoder: Geocoder) -> VolunteerProfile:
    """Save the profile form; the home point is recomputed only if the address changed.

    Raises:
        ValidationFailed: with every field's error; nothing is written.
    """
    user, profile = _mine(session, actor)
    check = FormCheck()
    unchanged_address = (isinstance(form.address, str)
                         and form.address.strip() == profile.home_address)
    check_profile(session, check, form, commune_id=user.commune_id,
                  geocoder=_Known(profile) if unchanged_address else geocoder)
    clean = check.result()
    hood: Neighbourhood = clean["neighbourhood"]
    user.display_name = clean["display_name"]
    user.phone = clean["phone"]
    user.neighbourhood_id = hood.id
    profile.skills = clean["skills"]
    profile.skills_note = clean["skills_note"]
    profile.availability = clean["availability"]
    profile.max_distance_km = clean["max_distance_km"]
    profile.departement_pool = form.departement_pool is True
    profile.home_address = clean["address"]
    home = clean["home"]
    profile.home_lat = home.lat if home else None
    profile.home_lon = home.lon if home else None
    session.add(user)
    session.add(profile)
    audit(session, actor=actor, action="volunteer.profile_updated", entity="user",
          entity_id=user.id, commune_id=user.commune_id)
    return profile


class _Known:
    """A geocoder that answers with the point already stored (the address did not change)."""

    def __init__(self, profile: VolunteerProfile) -> None:
        self._profile = profile

    def locate(self, address: str, *, near: object = None) -> GeoHit | None:
        if self._profile.home_lat is None or self._profile.home_lon is None:
            return None
        return GeoHit(self._profile.home_lat, self._profile.home_lon, address, "stored")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def export_data(session: Session, *, actor: Actor) -> dict[str, Any]:
    """Everything the app holds about the volunteer, as JSON-ready data.

    Other people's private data (a beneficiary's name, address or phone) is left out.
    """
    user, profile = _mine(session, actor)
    hood = session.get(Neighbourhood, user.neighbourhood_id) if user.neighbourhood_id else None
    rows = session.exec(
        select(Participation, Mission).join(Mission, Mission.id == Participation.mission_id)
        .where(Participation.volunteer_id == user.id).order_by(Mission.starts_at)
    ).all()
    hours = session.exec(select(HourEntry).where(HourEntry.volunteer_id == user.id)
                         .order_by(HourEntry.month)).all()
    return {
        "account": {
            "name": user.display_name, "email": user.email, "phone": user.phone,
            "locale": user.locale, "created_at": _iso(user.created_at),
            "neighbourhood": hood.name if hood else None,
        },
        "volunteer_profile": {
            "status": profile.status, "skills": profile.skills,
            "skills_note": profile.skills_note, "availability": profile.availability,
            "max_distance_km": profile.max_distance_km, "home_address": profile.home_address,
            "departement_pool": profile.departement_pool,
            "charter_version": profile.charter_version,
            "charter_accepted_at": _iso(profile.charter_accepted_at),
            "validated_at": _iso(profile.validated_at),
        },
        "participations": [
            {
                "mission": mission.title, "starts_at": _iso(mission.starts_at),
                "status": part.status, "reason": part.reason,
                "confirmed_at": _iso(part.confirmed_at),
                "reported_minutes": part.reported_minutes, "feedback": part.feedback,
                "problem": part.problem,
            }
            for part, mission in rows
        ],
        "hours": [{"month": entry.month, "minutes": entry.minutes} for entry in hours],
        "notification_devices": push.devices_export(session, user_id=user.id),
    }


_NOT_YET_ANSWERED = (ParticipationStatus.WAITLISTED, ParticipationStatus.PROPOSED)


def delete_account(session: Session, *, actor: Actor) -> None:
    """Erase the volunteer's personal data and logins; keep anonymous hours and history.

    Places still held on upcoming missions are given back first, and waiting-list
    places and proposals are withdrawn, so no mission waits for someone who no
    longer exists.
    """
    user, profile = _mine(session, actor)
    upcoming = session.exec(
        select(Participation.mission_id).join(Mission, Mission.id == Participation.mission_id)
        .where(Participation.volunteer_id == user.id,
               Participation.status == ParticipationStatus.ACCEPTED,
               col(Mission.status).in_([MissionStatus.OPEN.value, MissionStatus.FULL.value]))
    ).all()
    for mission_id in upcoming:
        participation.decline_mission(session, actor=actor, mission_id=mission_id)
    now = utcnow()
    for part in session.exec(select(Participation)
                             .where(Participation.volunteer_id == user.id)).all():
        part.reason = part.feedback = part.problem = ""
        if part.status in _NOT_YET_ANSWERED:  # never promoted nor awaited any more
            part.status = ParticipationStatus.CANCELLED
            part.updated_at = now
        session.add(part)
    for login in session.exec(select(UserSession).where(UserSession.user_id == user.id,
                                                        UserSession.revoked_at == None)  # noqa: E711
                              ).all():
        login.revoked_at = now
        session.add(login)
    email_change.forget_requests(session, user_id=user.id)
    alerts.forget(session, user_id=user.id)
    inbox.forget(session, user_id=user.id)
    push.forget_devices(session, user_id=user.id)
    user.display_name = DELETED_NAME
    user.email = f"deleted-{user.id}-{secrets.token_hex(6)}@deleted.invalid"
    user.phone = None
    user.password_hash = "!deleted"
    user.is_active = False
    profile.status = VolunteerStatus.PAUSED
    profile.skills = []
    profile.skills_note = ""
    profile.availability = {}
    profile.home_address = ""
    profile.home_lat = profile.home_lon = None
    profile.validation_note = ""
    session.add(user)
    session.add(profile)
    audit(session, actor=actor, action="volunteer.deleted", entity="user", entity_id=user.id,
          commune_id=user.commune_id)
    session.flush()
