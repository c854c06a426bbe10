"""Minors as relays: their date of birth, a parent's consent under 15, what they may not do.

A minor (under 18) never receives a beneficiary's contact and never takes an
individual mission at someone's home: collective actions and reports only. The
services that hand out contacts (``selectors.mission_detail``) or places
(``participation.accept_mission``, ``matching.propose_mission`` and
``assign_volunteer``) ask here. A person whose date of birth is unknown (accounts
made before it was asked) counts as an adult.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import MissionKind
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.models import Mission, User
from heurecivique_app.domain.privacy import (
    ADULT_AGE,
    PARENTAL_CONSENT_AGE,
    ConsentMethod,
    ParentalConsent,
    age_on,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    form_text,
    one_of,
    required_text,
)
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit

MINOR_AT_HOME = N_(
    "A volunteer under 18 cannot help someone at home: collective actions and reports only."
)
# The youngest a relay may be (the youth council starts at 11).
YOUNGEST = 11


def _today() -> date:
    return utcnow().date()


def minors_among(session: Session, user_ids: Iterable[int], today: date | None = None
                 ) -> set[int]:
    """Which of these people are under 18 (unknown birth date: an adult)."""
    ids = list(user_ids)
    if not ids:
        return set()
    day = today or _today()
    return {uid for uid, born in session.exec(select(User.id, User.birth_date).where(
        col(User.id).in_(ids), col(User.birth_date).is_not(None))).all()
        if uid is not None and born is not None and age_on(born, day) < ADULT_AGE}


def is_minor(session: Session, user_id: int, today: date | None = None) -> bool:
    """Whether this person is under 18."""
    return bool(minors_among(session, [user_id], today))


def at_home(mission: Mission) -> bool:
    """An individual mission: help given at a beneficiary's home."""
    return mission.kind == MissionKind.INDIVIDUAL or mission.beneficiary_id is not None


def refuse_minors_at_home(session: Session, mission: Mission, user_ids: Iterable[int]) -> None:
    """Raise if the mission is at someone's home and one of these people is a minor.

    Raises:
        DomainError: ``MINOR_AT_HOME``; nothing is written.
    """
    if at_home(mission) and minors_among(session, user_ids):
        raise DomainError(MINOR_AT_HOME)


def _birth_date(value: object, today: date) -> date:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise FieldError(N_("The date of birth is asked when a resident becomes a relay."))
    try:
        born = date.fromisoformat(text)
    except ValueError as exc:
        raise FieldError(N_("Enter a date, e.g. 2026-12-31.")) from exc
    if not YOUNGEST <= age_on(born, today) <= 110:
        raise FieldError(N_("A relay is {youngest} years old or more."), youngest=YOUNGEST)
    return born


def _given_on(value: object, today: date) -> date:
    text = value.strip() if isinstance(value, str) else ""
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise FieldError(N_("Enter a date, e.g. 2026-12-31.")) from exc
    if day > today:
        raise FieldError(N_("The date cannot be in the future."))
    return day


def check_enrolment(session: Session, *, actor: Actor, person: User,
                    form: Mapping[str, object]) -> tuple[date | None, dict | None]:
    """The relay's date of birth and, under 15, the parent's consent, from the form.

    ``form`` keys: ``birth_date``, ``parent_name``, ``parent_method``, ``parent_given_on``.
    A date of birth already on file is kept unless another is typed.

    Raises:
        ValidationFailed: a field is missing or wrong; nothing is written.
    """
    today = _today()
    check = FormCheck()
    typed = form_text(form, "birth_date")
    if person.birth_date is not None and not (isinstance(typed, str) and typed.strip()):
        born: date | None = person.birth_date
    else:
        check.take("birth_date", lambda: _birth_date(typed, today))
        born = check.clean.get("birth_date")
    parent = None
    if born is not None and age_on(born, today) < PARENTAL_CONSENT_AGE and \
            session.get(ParentalConsent, person.id) is None:
        check.take("parent_name", lambda: required_text(
            form_text(form, "parent_name"), max_length=120, kind=TextKind.NAME))  # type: ignore[arg-type]
        check.take("parent_method", lambda: one_of(
            form_text(form, "parent_method"), ConsentMethod,  # type: ignore[arg-type]
            N_("Say how the parent gave their consent.")))
        check.take("parent_given_on", lambda: _given_on(form_text(form, "parent_given_on"),
                                                        today))
        parent = {k: check.clean.get(k) for k in ("parent_name", "parent_method",
                                                  "parent_given_on")}
    check.result()
    return born, parent


def record_enrolment(session: Session, *, actor: Actor, person: User, born: date | None,
                     parent: dict | None) -> None:
    """Store what :func:`check_enrolment` cleaned, audited."""
    if born is not None and person.birth_date != born:
        person.birth_date = born
        session.add(person)
    if parent is not None:
        session.add(ParentalConsent(
            user_id=person.id, parent_name=parent["parent_name"],
            method=parent["parent_method"], given_on=parent["parent_given_on"],
            recorded_by_id=actor.user_id))
        session.flush()
        audit(session, actor=actor, action="relay.parental_consent", entity="user",
              entity_id=person.id, commune_id=person.commune_id,
              method=parent["parent_method"], given_on=parent["parent_given_on"].isoformat())
