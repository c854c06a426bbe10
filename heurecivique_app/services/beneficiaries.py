"""A beneficiary's record (``/console/beneficiaries/<id>``): read, correct, note, merge.

Staff of the person's commune only; another commune's id answers NotFound. Every
change is audited by field name, never with the values (the audit log is read by
more people than the record, and it outlives the erasures).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select, update

from heurecivique_app.domain.enums import ParticipationStatus
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.models import (
    Beneficiary,
    Mission,
    Neighbourhood,
    Participation,
    User,
)
from heurecivique_app.domain.privacy import NOTICE_VERSION
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
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit
from heurecivique_app.services.retention import beneficiary_in_commune

ERASED_RECORD = N_("This record was made anonymous: it can no longer be changed.")
MERGED_RECORD = N_("This record was merged into another one: change that one instead.")
SAME_RECORD = N_("Choose another record than this one.")
EDITABLE = ("full_name", "phone", "address", "access_notes", "neighbourhood_id", "notes")


@dataclass(frozen=True)
class NeedLine:
    """One need of the person, with who went (the visits)."""

    mission_id: int
    title: str
    category: str
    status: str
    starts_at: datetime
    volunteers: tuple[str, ...]
    minutes: int | None
    insurance_version: str = ""  # the civil-liability rule acknowledged at intake


@dataclass(frozen=True)
class BeneficiaryRecord:
    """Everything the commune's staff know about one person (private: staff only)."""

    id: int
    full_name: str
    phone: str
    address: str
    access_notes: str
    notes: str
    neighbourhood_id: int
    neighbourhood: str
    consent_at: datetime
    notice_version: str
    consent_by: str
    created_at: datetime
    contact_erased_at: datetime | None
    pseudonymised_at: datetime | None
    merged_into_id: int | None
    merged_from: tuple[int, ...]
    needs: tuple[NeedLine, ...]


def _needs(session: Session, person_id: int) -> tuple[NeedLine, ...]:
    missions = session.exec(select(Mission).where(Mission.beneficiary_id == person_id)
                            .order_by(col(Mission.starts_at).desc())).all()
    went: dict[int, list[tuple[str, int | None]]] = {}
    for mission_id, name, minutes in session.exec(
        select(Participation.mission_id, User.display_name, Participation.reported_minutes)
        .join(User, User.id == Participation.volunteer_id)
        .where(col(Participation.mission_id).in_([m.id for m in missions]),
               Participation.status == ParticipationStatus.ACCEPTED)
        .order_by(User.display_name)
    ).all():
        went.setdefault(mission_id, []).append((name, minutes))
    return tuple(NeedLine(
        mission_id=m.id or 0, title=m.title, category=m.category, status=m.status,
        starts_at=m.starts_at, volunteers=tuple(n for n, _ in went.get(m.id or 0, [])),
        minutes=next((mins for _, mins in went.get(m.id or 0, []) if mins), None),
        insurance_version=m.insurance_version,
    ) for m in missions)


def beneficiary_record(session: Session, *, actor: Actor, beneficiary_id: object
                       ) -> BeneficiaryRecord:
    """The person's record, their needs and visits (staff of their commune only).

    Raises:
        NotFound: no such person in the actor's commune.
        NotAllowed: not staff.
    """
    person = beneficiary_in_commune(session, actor, beneficiary_id)
    hood = session.get(Neighbourhood, person.neighbourhood_id)
    reader = session.get(User, person.consent_by_id) if person.consent_by_id else None
    merged_from = session.exec(select(Beneficiary.id).where(
        Beneficiary.merged_into_id == person.id).order_by(Beneficiary.id)).all()
    return BeneficiaryRecord(
        id=person.id or 0, full_name=person.full_name, phone=person.phone or "",
        address=person.address, access_notes=person.access_notes, notes=person.notes,
        neighbourhood_id=person.neighbourhood_id, neighbourhood=hood.name if hood else "",
        consent_at=person.consent_at, notice_version=person.notice_version,
        consent_by=reader.display_name if reader else "", created_at=person.created_at,
        contact_erased_at=person.contact_erased_at, pseudonymised_at=person.pseudonymised_at,
        merged_into_id=person.merged_into_id, merged_from=tuple(i for i in merged_from if i),
        needs=_needs(session, person.id or 0))


def _writable(session: Session, actor: Actor, beneficiary_id: object) -> Beneficiary:
    person = beneficiary_in_commune(session, actor, beneficiary_id)
    if person.pseudonymised_at is not None:
        raise DomainError(ERASED_RECORD)
    if person.merged_into_id is not None:
        raise DomainError(MERGED_RECORD)
    return person


def update_beneficiary(session: Session, *, actor: Actor, beneficiary_id: object,
                       form: Mapping[str, object]) -> Beneficiary:
    """Correct the person's details and notes; the audit entry names the fields changed.

    Raises:
        NotFound: no such person in the actor's commune (or a neighbourhood of another).
        ValidationFailed: a field is wrong; nothing is written.
        DomainError: the record was made anonymous, or merged into another.
    """
    person = _writable(session, actor, beneficiary_id)

    def neighbourhood() -> int:
        hood_id = form_id(form_text(form, "neighbourhood_id"))
        hood = session.get(Neighbourhood, hood_id) if hood_id else None
        if hood is None or hood.commune_id != person.commune_id:
            raise FieldError(N_("Choose a neighbourhood of your commune."))
        return hood.id or 0

    check = FormCheck()
    check.take("full_name", lambda: required_text(form_text(form, "full_name"),  # type: ignore[arg-type]
                                                  max_length=120, kind=TextKind.NAME))
    check.take("phone", lambda: french_phone(form_text(form, "phone")))  # type: ignore[arg-type]
    check.take("address", lambda: optional_text(form_text(form, "address"),  # type: ignore[arg-type]
                                                max_length=255, kind=TextKind.LINE))
    check.take("access_notes", lambda: optional_text(form_text(form, "access_notes"),  # type: ignore[arg-type]
                                                     max_length=500))
    check.take("notes", lambda: optional_text(form_text(form, "notes"),  # type: ignore[arg-type]
                                              max_length=2000))
    check.take("neighbourhood_id", neighbourhood)
    clean = check.result()
    changed = [name for name in EDITABLE if getattr(person, name) != clean[name]]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, clean[name])
    if clean["phone"] or clean["address"]:
        person.contact_erased_at = None  # given again: kept again under the retention rules
    person.updated_at = utcnow()
    session.add(person)
    session.flush()
    audit(session, actor=actor, action="beneficiary.updated", entity="beneficiary",
          entity_id=person.id, commune_id=person.commune_id, fields=changed)
    return person


def record_notice_read(session: Session, *, actor: Actor, beneficiary_id: object
                       ) -> Beneficiary:
    """Note that the actor just read the current information notice to the person."""
    person = _writable(session, actor, beneficiary_id)
    person.notice_version = NOTICE_VERSION
    person.consent_by_id = actor.user_id
    person.consent_at = person.updated_at = utcnow()
    session.add(person)
    session.flush()
    audit(session, actor=actor, action="beneficiary.updated", entity="beneficiary",
          entity_id=person.id, commune_id=person.commune_id,
          fields=["notice_version"], notice_version=NOTICE_VERSION)
    return person


def merge_beneficiaries(session: Session, *, actor: Actor, keep_id: object,
                        duplicate_id: object) -> Beneficiary:
    """Merge a duplicate record into ``keep``: its needs move there, it stays as a trace.

    What ``keep`` lacks (phone, address, access notes) is taken from the duplicate,
    the notes are put together; the duplicate keeps its name (the history of who
    was merged) but no contact.

    Raises:
        NotFound: either id is no person of the actor's commune.
        ValidationFailed: the same record twice; nothing written.
        DomainError: either record was made anonymous or already merged.
    """
    keep = _writable(session, actor, keep_id)
    if form_id(duplicate_id) == keep.id:
        raise ValidationFailed({"duplicate_id": SAME_RECORD})
    other = _writable(session, actor, duplicate_id)
    keep.phone = keep.phone or other.phone
    keep.address = keep.address or other.address
    keep.access_notes = keep.access_notes or other.access_notes
    keep.notes = "\n".join(n for n in (keep.notes, other.notes) if n)[:2000]
    keep.consent_at = min(keep.consent_at, other.consent_at)
    keep.updated_at = utcnow()
    moved = list(session.exec(select(Mission.id).where(
        Mission.beneficiary_id == other.id)).all())
    session.exec(update(Mission).where(Mission.beneficiary_id == other.id)  # type: ignore[call-overload]
                 .values(beneficiary_id=keep.id))
    session.exec(update(Beneficiary).where(Beneficiary.merged_into_id == other.id)  # type: ignore[call-overload]
                 .values(merged_into_id=keep.id))
    other.merged_into_id = keep.id
    other.phone, other.address, other.access_notes, other.notes = None, "", "", ""
    other.updated_at = keep.updated_at
    session.add_all([keep, other])
    session.flush()
    audit(session, actor=actor, action="beneficiary.merged", entity="beneficiary",
          entity_id=keep.id, commune_id=keep.commune_id, merged=other.id, missions=moved)
    return keep
