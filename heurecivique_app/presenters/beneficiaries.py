"""A beneficiary's record page, translated. No reflex.

Private data (contact, notes): only ever computed for the commune's staff, after
the service checked who asks (``services.beneficiaries``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from heurecivique_app.domain.privacy import ERASURE_CHANNEL_LABELS, NOTICE_VERSION
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_duration, format_phone, format_when, translate
from heurecivique_app.presenters.labels import category_label, status_label
from heurecivique_app.services.beneficiaries import BeneficiaryRecord


class BeneficiaryFacts(TypedDict):
    """What the record says of the person (staff only); dates as text, "" when none."""

    id: str
    name: str
    phone: str  # E.164, for the tel: link
    phone_label: str
    address: str
    access_notes: str
    notes: str
    neighbourhood_id: str
    neighbourhood: str
    consent: str
    notice: str  # the information notice's version they were given
    notice_current: str  # "1" when it is the version in force
    consent_by: str
    created: str
    contact_erased: str
    pseudonymised: str
    erased_label: str
    merged_into: str
    merged_from: str
    editable: str  # "1" unless pseudonymised or merged into another record


class NeedRow(TypedDict):
    """One need of the person, linking to its mission page."""

    id: str
    title: str
    category: str
    status: str
    when: str
    volunteers: str
    minutes: str
    href: str
    insurance: str


class BeneficiaryRecordVars(TypedDict):
    """The record page's vars."""

    person: BeneficiaryFacts
    needs: list[NeedRow]


def record_vars(record: BeneficiaryRecord, locale: str, timezone: str
                ) -> BeneficiaryRecordVars:
    """The page's vars: ``person`` (facts as text) and ``needs`` (one row per need)."""

    def when(moment: datetime | None) -> str:
        return format_when(moment, locale, timezone) if moment else ""

    erased = translate(N_("Erased"), locale)
    person = BeneficiaryFacts(
        id=str(record.id), name=record.full_name,
        phone=record.phone, phone_label=format_phone(record.phone) if record.phone else "",
        address=record.address, access_notes=record.access_notes, notes=record.notes,
        neighbourhood_id=str(record.neighbourhood_id), neighbourhood=record.neighbourhood,
        consent=when(record.consent_at),
        notice=(translate(N_("version {version}"), locale, version=record.notice_version)
                if record.notice_version else translate(N_("not recorded"), locale)),
        notice_current="1" if record.notice_version == NOTICE_VERSION else "",
        consent_by=record.consent_by,
        created=when(record.created_at),
        contact_erased=when(record.contact_erased_at),
        pseudonymised=when(record.pseudonymised_at),
        erased_label=erased,
        merged_into=str(record.merged_into_id or ""),
        merged_from=", ".join(f"#{i}" for i in record.merged_from),
        editable="" if record.pseudonymised_at or record.merged_into_id else "1",
    )
    needs = [NeedRow(
        id=str(n.mission_id), title=n.title,
        category=category_label(n.category, locale),
        status=status_label(n.status, locale), when=when(n.starts_at),
        volunteers=", ".join(n.volunteers) or translate(N_("No volunteer"), locale),
        minutes=format_duration(n.minutes, locale) if n.minutes else "",
        href=f"/console/missions/{n.mission_id}",
        insurance=(translate(N_("Insurance rule acknowledged (version {version})"), locale,
                             version=n.insurance_version) if n.insurance_version else ""),
    ) for n in record.needs]
    return BeneficiaryRecordVars(person=person, needs=needs)


def erasure_channel_options() -> dict[str, str]:
    """The erasure form's choices (message ids)."""
    return dict(ERASURE_CHANNEL_LABELS)
