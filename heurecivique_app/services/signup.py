"""A resident signs up as a volunteer on the commune's site, then confirms their e-mail.

The page asks for the form in five steps (:data:`SIGNUP_STEPS`), each one
checked by :func:`check_step` before the next, which writes nothing. The last
step posts the whole form: everything is checked again (every field's error at
once) and written in one transaction: the account, the volunteer profile
(pending until a referent meets them), the charter approval, the audit entry
and the event for the referent's console. Nothing is created half-way.

Whether an e-mail already has an account must not show (issue #14): a new
address and a taken one get the same answer, the same page and the same work
(the password is hashed, one e-mail is written). A new sign-up creates the
account unconfirmed and e-mails a single-use link, valid 24 hours
(``/api/auth/confirm``, stored hashed); following it confirms the address and
logs in. A taken address creates nothing: its owner is told by e-mail (or, if
that account is itself still unconfirmed, sent a fresh link).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from heurecivique_app.adapters.geocoding import Geocoder
from heurecivique_app.adapters.passwords import hash_password
from heurecivique_app.domain import events
from heurecivique_app.domain.charter import CHARTER_VERSION
from heurecivique_app.domain.enums import Role, VolunteerStatus
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.form_data import ticked, ticked_names
from heurecivique_app.domain.geo import Point, area_for_point
from heurecivique_app.domain.insurance import INSURANCE_VERSION
from heurecivique_app.domain.models import (
    Commune,
    EmailConfirmation,
    Neighbourhood,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.notifications import DEFAULT_TIMEZONE, MessageKind
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    form_id,
    form_text,
    french_phone,
    link_token_shape,
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
from heurecivique_app.jobs.queue import enqueue_rows, job_row
from heurecivique_app.services import auth, notices, notifications
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit
from heurecivique_app.services.geography import areas, neighbourhood_for_point

CONFIRMATION_HOURS = 24


# The job kind that writes a confirmation link and sends it (jobs/kinds.py). The raw
# token exists only in that job's memory and in the e-mail: the job table holds
# the account id and the site's address, never a usable link.
CONFIRMATION_LINK_JOB = "signup.confirmation_link"


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
    # Also offer to help in the other communes of the département (the département pool).
    departement_pool: bool = False

    @staticmethod
    def fields_from(form: Mapping[str, Any]) -> dict[str, Any]:
        """The profile fields of a submitted form (checkbox names as the pages write them)."""
        boxes = {str(key) for key in form if ticked(form, key)}
        availability: dict[str, list[str]] = {}
        for day in WEEKDAYS:
            parts = [p for p in DAY_PARTS if availability_field(day, p) in boxes]
            if parts:
                availability[day] = parts
        skills = ticked_names(form, "skill_")
        return {
            "display_name": form_text(form, "display_name"),
            "phone": form_text(form, "phone"),
            "neighbourhood_id": form_text(form, "neighbourhood_id"),
            "address": form_text(form, "address"),
            "skills": skills,
            "skills_note": form_text(form, "skills_note"),
            "availability": availability,
            "max_distance_km": form_text(form, "max_distance_km"),
            "departement_pool": ticked(form, "departement_pool"),
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
            charter_approved=ticked(form, "charter"),
            locale=locale,
        )


def find_commune(session: Session, slug: str) -> Commune | None:
    """The commune of the poster's link; without one, the only commune if there is one."""
    if slug:
        return session.exec(select(Commune).where(Commune.slug == slug)).first()
    communes = session.exec(select(Commune).limit(2)).all()
    return communes[0] if len(communes) == 1 else None


def commune_for_address(session: Session, *, address: str, geocoder: Geocoder) -> Commune:
    """The commune a new volunteer lives in: the one whose neighbourhoods hold their address.

    For a deployment of several communes, when the sign-up link named none.

    Raises:
        ValidationFailed: on ``home_address``, empty, not found, or in no commune here.
    """
    check = FormCheck()
    check.take("home_address", lambda: required_text(address, max_length=255,
                                                     kind=TextKind.LINE))
    clean = check.result()
    hit = geocoder.locate(clean["home_address"])
    if hit is not None:
        for commune in session.exec(select(Commune).order_by(col(Commune.id))).all():
            if area_for_point(areas(session, commune.id or 0), Point(hit.lat, hit.lon)):
                return commune
    raise ValidationFailed({"home_address": N_(
        "This address is in none of the communes here: choose yours in the list.")})


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


def _check_person(check: FormCheck, form: ProfileForm) -> None:
    check.take("display_name", lambda: required_text(form.display_name, max_length=120,
                                                      kind=TextKind.NAME))
    check.take("phone", lambda: french_phone(form.phone, required=True))


def _check_place(session: Session, check: FormCheck, form: ProfileForm, *, commune_id: int,
                 geocoder: Geocoder) -> None:
    """Where the volunteer lives and how far they go; geocode the address if there is one.

    Adds ``neighbourhood`` (from the list, else from the address) and ``home``
    (the private point, or None) to the clean values.
    """
    check.take("neighbourhood_id", lambda: _neighbourhood(session, commune_id,
                                                          form.neighbourhood_id))
    check.take("address", lambda: optional_text(form.address, max_length=255,
                                                 kind=TextKind.LINE))
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


def _check_skills(check: FormCheck, form: ProfileForm) -> None:
    check.take("skills", lambda: clean_skills(form.skills))
    check.take("skills_note", lambda: optional_text(form.skills_note, max_length=500))


def _check_availability(check: FormCheck, form: ProfileForm) -> None:
    check.take("availability", lambda: clean_availability(form.availability))


def check_profile(session: Session, check: FormCheck, form: ProfileForm, *, commune_id: int,
                  geocoder: Geocoder) -> None:
    """Check the profile fields into ``check``; geocode the address if there is one.

    Adds ``neighbourhood`` (from the list, else from the address) and ``home``
    (the private point, or None) to the clean values.
    """
    _check_person(check, form)
    _check_place(session, check, form, commune_id=commune_id, geocoder=geocoder)
    _check_skills(check, form)
    _check_availability(check, form)


def _approved(ticked: bool) -> bool:
    if not ticked:
        raise FieldError(N_("Approve the charter to sign up."))
    return True


# --- the sign-up's steps ----------------------------------------------------------------


class SignupStep(StrEnum):
    """The sign-up page's steps, in order (the page shows one at a time)."""

    ABOUT = "about"
    PLACE = "place"
    SKILLS = "skills"
    AVAILABILITY = "availability"
    CHARTER = "charter"


SIGNUP_STEPS: tuple[SignupStep, ...] = tuple(SignupStep)

# The form fields each step holds: where the page shows an error of the whole form's check.
STEP_FIELDS: dict[SignupStep, tuple[str, ...]] = {
    SignupStep.ABOUT: ("display_name", "email", "phone", "password"),
    SignupStep.PLACE: ("neighbourhood_id", "address", "max_distance_km", "departement_pool"),
    SignupStep.SKILLS: ("skills", "skills_note"),
    SignupStep.AVAILABILITY: ("availability",),
    SignupStep.CHARTER: ("charter",),
}


def _check_about(check: FormCheck, form: SignupForm) -> None:
    _check_person(check, form)
    check.take("email", lambda: clean_email(form.email))
    check.take("password", lambda: clean_password(form.password))


def _check_step(session: Session, check: FormCheck, step: SignupStep, form: SignupForm, *,
                commune_id: int, geocoder: Geocoder) -> None:
    if step is SignupStep.ABOUT:
        _check_about(check, form)
    elif step is SignupStep.PLACE:
        _check_place(session, check, form, commune_id=commune_id, geocoder=geocoder)
    elif step is SignupStep.SKILLS:
        _check_skills(check, form)
    elif step is SignupStep.AVAILABILITY:
        _check_availability(check, form)
    else:
        check.take("charter", lambda: _approved(form.charter_approved))


def _signup_commune(session: Session, slug: str) -> int:
    commune = find_commune(session, slug.strip())
    if commune is None or commune.id is None:
        raise ValidationFailed({"commune": N_("This commune's sign-up link is not valid.")})
    return commune.id


def check_step(session: Session, *, form: SignupForm, step: SignupStep | str,
               geocoder: Geocoder) -> None:
    """Check the fields of one step of the sign-up form, before the page shows the next.

    The same checks as :func:`sign_up`'s, on that step's fields only (an error of a
    later step is not shown yet). Reads only: nothing is written or sent, and whether
    the e-mail has an account is not looked up (the last step answers the same anyway).

    Raises:
        ValidationFailed: with the step's fields' errors, or on ``commune`` for a link
            naming no commune.
    """
    commune_id = _signup_commune(session, form.commune_slug)
    check = FormCheck()
    _check_step(session, check, SignupStep(step), form, commune_id=commune_id,
                geocoder=geocoder)
    check.result()


def step_of(field_name: str) -> SignupStep | None:
    """The step whose fields include ``field_name`` (None: the commune, the whole form)."""
    return next((step for step, names in STEP_FIELDS.items() if field_name in names), None)


def sign_up(session: Session, *, form: SignupForm, site_url: str, geocoder: Geocoder,
            now: datetime | None = None) -> User | None:
    """Create the volunteer's unconfirmed account and pending profile; e-mail the link.

    An e-mail that already has an account is not refused on the form, which
    would tell anyone who has an account: the form is checked the same way,
    the password hashed all the same, nothing is created, the attempt is
    audited and the owner gets one e-mail instead of the new account's.

    Args:
        session: the unit of work; nothing is written unless the form is valid.
        form: the form as posted.
        site_url: the site's address, for the links in the e-mails. Exactly one
            e-mail is queued (jobs/) in this transaction whenever the form is valid.
        geocoder: places the address, if one is given.
        now: the time of the sign-up (tests set it).

    Returns:
        The new user; None when the e-mail already had an account. The page
        must not show the difference.

    Raises:
        ValidationFailed: with every field's error; nothing is written or sent.
    """
    now = now or utcnow()
    commune_id = _signup_commune(session, form.commune_slug)
    check = FormCheck()
    for step in SIGNUP_STEPS:  # every step's checks again: the page's are only a preview
        _check_step(session, check, step, form, commune_id=commune_id, geocoder=geocoder)
    clean = check.result()
    password_hash = hash_password(clean["password"])
    owner = session.exec(select(User).where(User.email == clean["email"])).first()
    if owner is not None:
        audit(session, actor=None, action="volunteer.signup_email_taken", entity="user",
              entity_id=owner.id, commune_id=owner.commune_id)
        if owner.email_confirmed:
            _tell_owner(session, site_url, owner, now)
        else:
            _send_link(session, site_url, owner, now, again=True)
        return None
    hood: Neighbourhood = clean["neighbourhood"]
    home: Point | None = clean["home"]
    user = User(
        commune_id=commune_id, email=clean["email"],
        password_hash=password_hash, display_name=clean["display_name"],
        phone=clean["phone"], role=Role.VOLUNTEER, neighbourhood_id=hood.id,
        locale=form.locale if form.locale in {"fr", "en"} else "fr",
        email_confirmed=False,
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    session.add(VolunteerProfile(
        user_id=user.id, status=VolunteerStatus.PENDING, skills=clean["skills"],
        skills_note=clean["skills_note"], availability=clean["availability"],
        max_distance_km=clean["max_distance_km"], charter_version=CHARTER_VERSION,
        charter_accepted_at=now, home_address=clean["address"],
        departement_pool=form.departement_pool is True,
        # The charter's article 7 is the civil-liability rule: approving the charter
        # acknowledges it, in the version of its text the sign-up page linked to.
        insurance_version=INSURANCE_VERSION, insurance_accepted_at=now,
        home_lat=home.lat if home else None, home_lon=home.lon if home else None,
    ))
    actor = Actor.from_user(user)
    audit(session, actor=actor, action="volunteer.signed_up", entity="user",
          entity_id=user.id, commune_id=commune_id, charter_version=CHARTER_VERSION,
          insurance_version=INSURANCE_VERSION)
    events.record(session, events.DomainEvent(
        kind="volunteer.signed_up", commune_id=commune_id, actor_name=user.display_name,
        data={"neighbourhood": hood.name}))
    _send_link(session, site_url, user, now)
    session.flush()
    return user


# --- the e-mails ------------------------------------------------------------------------


# A sign-up with an address that has an account e-mails its owner; repeated, it would
# flood their inbox: at most one such e-mail per address in each window (one job key).
REPEAT_WINDOW_MINUTES = 5


def _window(now: datetime) -> int:
    return int(now.timestamp()) // (REPEAT_WINDOW_MINUTES * 60)


def _tell_owner(session: Session, site_url: str, owner: User, now: datetime) -> None:
    """Queue an e-mail to the owner of an address someone tried to sign up with."""
    assert owner.id is not None
    notifications.notify(
        session, kind=MessageKind.ACCOUNT_EXISTS, user_ids=[owner.id],
        event=f"account_exists:{owner.id}:{_window(now)}",
        params={"login_url": f"{site_url}/login"},
        commune=notifications.commune_look(session, owner.commune_id), timezone="UTC",
        urgent=True, now=now)


def _send_link(session: Session, site_url: str, user: User, now: datetime, *,
               again: bool = False) -> None:
    """Queue the e-mail of a new confirmation link (the job writes the token).

    ``again``: the address signed up again before confirming: a fresh link, but at
    most one per window.
    """
    assert user.id is not None
    which = _window(now) if again else "first"
    enqueue_rows(session, [job_row(
        kind=CONFIRMATION_LINK_JOB, key=f"confirm:{user.id}:{which}",
        payload={"site_url": site_url,
                 "commune": notifications.commune_look(session, user.commune_id)},
        due_at=now, user_id=user.id)])


def new_confirmation_link(session: Session, *, user_id: int, site_url: str,
                          now: datetime | None = None) -> str | None:
    """Store a new single-use confirmation token (hashed); its link, to e-mail at once.

    Returns:
        The link, or None when the account is gone, closed or already confirmed.
    """
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.email_confirmed:
        return None
    token = secrets.token_urlsafe(32)
    session.add(EmailConfirmation(token_hash=_confirmation_digest(token), user_id=user_id,
                                  created_at=now,
                                  expires_at=now + timedelta(hours=CONFIRMATION_HOURS)))
    return f"{site_url}/api/auth/confirm?token={token}"


# --- following the link -----------------------------------------------------------------


def _confirmation_digest(token: str) -> str:
    # Distinct from a session token's digest: a link's token is never a valid cookie.
    return hashlib.sha256(f"confirm:{token}".encode()).hexdigest()


def _usable(session: Session, token: str,
            now: datetime) -> tuple[EmailConfirmation, User] | None:
    if not link_token_shape(token):
        return None
    row = session.exec(
        select(EmailConfirmation, User).join(User, User.id == EmailConfirmation.user_id)
        .where(EmailConfirmation.token_hash == _confirmation_digest(token))
    ).first()
    if row is None:
        return None
    link, user = row
    if link.used_at is not None or link.expires_at <= now or not user.is_active:
        return None
    return link, user


def confirmation_is_usable(session: Session, *, token: str,
                           now: datetime | None = None) -> bool:
    """Whether the link can still be followed (read only: the GET page asks this)."""
    return _usable(session, token, now or utcnow()) is not None


def confirm_email(session: Session, *, token: str, ttl_hours: int,
                  now: datetime | None = None, timezone: str = DEFAULT_TIMEZONE) -> str | None:
    """Use up the link, mark the e-mail confirmed and open a session.

    A confirmed volunteer now waits to be met: the commune's referents are e-mailed
    (not before: an address nobody confirms may be anybody's).

    Returns:
        The raw session token for the cookie; None if the link is unknown,
        expired or already used.
    """
    now = now or utcnow()
    found = _usable(session, token, now)
    if found is None:
        return None
    link, user = found
    link.used_at = now
    user.email_confirmed = True
    session.add_all([link, user])
    audit(session, actor=Actor.from_user(user), action="volunteer.email_confirmed",
          entity="user", entity_id=user.id, commune_id=user.commune_id)
    profile = session.get(VolunteerProfile, user.id)
    if profile is not None and profile.status == VolunteerStatus.PENDING:
        notices.awaiting_validation(session, person=user, timezone=timezone)
    return auth.open_session(session, user=user, ttl_hours=ttl_hours)
