"""A resident signs up as a volunteer on the commune's site, then is logged in.

Everything is checked first (every field's error at once) and written in one
transaction: the account, the volunteer profile (pending until a referent
meets them), the charter approval, the audit entry and the event for the
referent's console. Nothing is created half-way.

Logging in after sign-up: the page gets a one-time, two-minute *handoff* code
and posts it to ``/api/auth/handoff``, which sets the HttpOnly session cookie
(the code is stored hashed and cannot itself serve as a session cookie).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from sqlmodel import Session, select

from heurecivique_app.adapters.geocoding import Geocoder
from heurecivique_app.adapters.passwords import hash_password
from heurecivique_app.domain import events
from heurecivique_app.domain.charter import CHARTER_VERSION
from heurecivique_app.domain.enums import Role, VolunteerStatus
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.geo import Point
from heurecivique_app.domain.models import (
    Commune,
    Neighbourhood,
    User,
    UserSession,
    VolunteerProfile,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    form_id,
    form_text,
    french_phone,
    optional_text,
    required_text,
)
from heurecivique_app.domain.volunteering import (
    DAY_PARTS,
    WEEKDAYS,
    availability_field,
    clean_availability,
    clean_distance,
    clean_email,
    clean_password,
    clean_skills,
)
from heurecivique_app.services import auth
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit
from heurecivique_app.services.geography import areas, neighbourhood_for_point

HANDOFF_MINUTES = 2


@dataclass
class ProfileForm:
    """The parts of the sign-up form that the account page edits too."""

    display_name: str = ""
    phone: str = ""
    neighbourhood_id: str = ""
    address: str = ""
    skills: list[str] = field(default_factory=list)
    skills_note: str = ""
    availability: dict[str, list[str]] = field(default_factory=dict)
    max_distance_km: str = "2"

    @staticmethod
    def fields_from(form: Mapping[str, Any]) -> dict[str, Any]:
        """The profile fields of a submitted form (checkbox names as the pages write them)."""
        ticked = {key for key, value in form.items()
                  if str(value).lower() in {"on", "true", "1", "yes"}}
        availability: dict[str, list[str]] = {}
        for day in WEEKDAYS:
            parts = [p for p in DAY_PARTS if availability_field(day, p) in ticked]
            if parts:
                availability[day] = parts
        skills = [key.removeprefix("skill_") for key in ticked if key.startswith("skill_")]
        return {
            "display_name": form_text(form, "display_name"),
            "phone": form_text(form, "phone"),
            "neighbourhood_id": form_text(form, "neighbourhood_id"),
            "address": form_text(form, "address"),
            "skills": skills,
            "skills_note": form_text(form, "skills_note"),
            "availability": availability,
            "max_distance_km": form_text(form, "max_distance_km"),
        }

    @classmethod
    def from_form(cls, form: Mapping[str, Any]) -> ProfileForm:
        """The form as the page posted it; every value is checked by the service."""
        return cls(**cls.fields_from(form))


@dataclass
class SignupForm(ProfileForm):
    """The sign-up form: the profile plus the account and the charter's approval."""

    commune_slug: str = ""
    email: str = ""
    password: str = ""
    charter_approved: bool = False
    locale: str = "fr"

    @classmethod
    def from_form(cls, form: Mapping[str, Any], *, commune_slug: str = "",
                  locale: str = "fr") -> SignupForm:
        """The form as the page posted it, with the commune of its link and the language."""
        return cls(
            **ProfileForm.fields_from(form),
            commune_slug=commune_slug,
            email=form_text(form, "email"),
            password=form_text(form, "password"),
            charter_approved=str(form.get("charter", "")).lower() in {"on", "true", "1"},
            locale=locale,
        )


def find_commune(session: Session, slug: str) -> Commune | None:
    """The commune of the poster's link; without one, the only commune if there is one."""
    if slug:
        return session.exec(select(Commune).where(Commune.slug == slug)).first()
    communes = session.exec(select(Commune).limit(2)).all()
    return communes[0] if len(communes) == 1 else None


def _neighbourhood(session: Session, commune_id: int, raw: str) -> Neighbourhood | None:
    if not str(raw).strip():
        return None
    hood_id = form_id(raw)
    hood = session.get(Neighbourhood, hood_id) if hood_id else None
    if hood is None or hood.commune_id != commune_id:
        raise FieldError(N_("Choose a neighbourhood from the list."))
    return hood


def _home_point(session: Session, commune_id: int, address: str,
                geocoder: Geocoder) -> Point | None:
    commune_areas = areas(session, commune_id)
    near = None
    if commune_areas:
        near = Point(sum(a.lat for a in commune_areas) / len(commune_areas),
                     sum(a.lon for a in commune_areas) / len(commune_areas))
    hit = geocoder.locate(address, near=near)
    return Point(hit.lat, hit.lon) if hit else None


def check_profile(session: Session, check: FormCheck, form: ProfileForm, *, commune_id: int,
                  geocoder: Geocoder) -> None:
    """Check the profile fields into ``check``; geocode the address if there is one.

    Adds ``neighbourhood`` (from the list, else from the address) and ``home``
    (the private point, or None) to the clean values.
    """
    check.take("display_name", lambda: required_text(form.display_name, max_length=120,
                                                      kind=TextKind.NAME))
    check.take("phone", lambda: french_phone(form.phone, required=True))
    check.take("neighbourhood_id", lambda: _neighbourhood(session, commune_id,
                                                          form.neighbourhood_id))
    check.take("address", lambda: optional_text(form.address, max_length=255,
                                                 kind=TextKind.LINE))
    check.take("skills", lambda: clean_skills(form.skills))
    check.take("skills_note", lambda: optional_text(form.skills_note, max_length=500))
    check.take("availability", lambda: clean_availability(form.availability))
    check.take("max_distance_km", lambda: clean_distance(form.max_distance_km))
    if "neighbourhood_id" in check.errors or "address" in check.errors:
        return
    hood, address = check.clean["neighbourhood_id"], check.clean["address"]
    home = None
    if address:
        home = _home_point(session, commune_id, address, geocoder)
    if hood is None and home is not None:
        hood = neighbourhood_for_point(session, commune_id=commune_id, point=home)
    if hood is None:
        check.errors["neighbourhood_id"] = (
            N_("Your address could not be placed in a neighbourhood: choose one.") if address
            else N_("Choose your neighbourhood, or give your address."))
        return
    check.clean["neighbourhood"] = hood
    check.clean["home"] = home


def _approved(ticked: bool) -> bool:
    if not ticked:
        raise FieldError(N_("Approve the charter to sign up."))
    return True


def sign_up(session: Session, *, form: SignupForm, geocoder: Geocoder,
            on_taken: Callable[[User], None] | None = None) -> User | None:
    """Create the volunteer's account and pending profile, with the charter approved.

    An e-mail that already has an account is not refused on the form, which
    would tell anyone who has an account: the form is checked the same way,
    the password hashed all the same (the same time), nothing is created, the
    attempt is audited and, once that is committed, ``on_taken`` is called with the
    owner (the page has them told by e-mail).

    Returns:
        The new user; None when the e-mail already had an account.

    Raises:
        ValidationFailed: with every field's error; nothing is written.
    """
    commune = find_commune(session, form.commune_slug.strip())
    if commune is None or commune.id is None:
        raise ValidationFailed({"commune": N_("This commune's sign-up link is not valid.")})
    check = FormCheck()
    check.take("email", lambda: clean_email(form.email))
    check.take("password", lambda: clean_password(form.password))
    check.take("charter", lambda: _approved(form.charter_approved))
    check_profile(session, check, form, commune_id=commune.id, geocoder=geocoder)
    clean = check.result()
    password_hash = hash_password(clean["password"])
    owner = session.exec(select(User).where(User.email == clean["email"])).first()
    if owner is not None:
        audit(session, actor=None, action="volunteer.signup_email_taken", entity="user",
              entity_id=owner.id, commune_id=owner.commune_id)
        if on_taken is not None:  # told once the attempt is committed, like any mail
            events.on_commit(session, partial(on_taken, owner))
        return None
    now = utcnow()
    hood: Neighbourhood = clean["neighbourhood"]
    home: Point | None = clean["home"]
    user = User(
        commune_id=commune.id, email=clean["email"],
        password_hash=password_hash, display_name=clean["display_name"],
        phone=clean["phone"], role=Role.VOLUNTEER, neighbourhood_id=hood.id,
        locale=form.locale if form.locale in {"fr", "en"} else "fr",
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    session.add(VolunteerProfile(
        user_id=user.id, status=VolunteerStatus.PENDING, skills=clean["skills"],
        skills_note=clean["skills_note"], availability=clean["availability"],
        max_distance_km=clean["max_distance_km"], charter_version=CHARTER_VERSION,
        charter_accepted_at=now, home_address=clean["address"],
        home_lat=home.lat if home else None, home_lon=home.lon if home else None,
    ))
    actor = Actor.from_user(user)
    audit(session, actor=actor, action="volunteer.signed_up", entity="user",
          entity_id=user.id, commune_id=commune.id, charter_version=CHARTER_VERSION)
    events.record(session, events.DomainEvent(
        kind="volunteer.signed_up", commune_id=commune.id, actor_name=user.display_name,
        data={"neighbourhood": hood.name}))
    session.flush()
    return user


# --- logging in right after sign-up ------------------------------------------------------


def _handoff_digest(code: str) -> str:
    # Distinct from a session token's digest: a handoff code is never a valid cookie.
    return hashlib.sha256(f"handoff:{code}".encode()).hexdigest()


def open_handoff(session: Session, *, user: User) -> str:
    """A one-time code, valid two minutes, that the sign-up page exchanges for a cookie."""
    assert user.id is not None
    code = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_handoff_digest(code), user_id=user.id,
                            expires_at=utcnow() + timedelta(minutes=HANDOFF_MINUTES)))
    return code


def redeem_handoff(session: Session, *, code: str, ttl_hours: int) -> str | None:
    """The raw session token for the code's user (the code is used up), or None."""
    if not code:
        return None
    row = session.exec(
        select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == _handoff_digest(code))
    ).first()
    if row is None:
        return None
    handoff, user = row
    if handoff.revoked_at is not None or handoff.expires_at <= utcnow() or not user.is_active:
        return None
    handoff.revoked_at = utcnow()
    session.add(handoff)
    return auth.open_session(session, user=user, ttl_hours=ttl_hours)

