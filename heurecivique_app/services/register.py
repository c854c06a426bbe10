"""The commune's « registre des traitements », from its own periods and the deployment's."""

from __future__ import annotations

from sqlmodel import Session

from heurecivique_app.adapters import printables
from heurecivique_app.domain.insurance import INSURANCE_VERSION
from heurecivique_app.domain.privacy import NOTICE_VERSION
from heurecivique_app.domain.register import Processing, RegisterSettings, processing_register
from heurecivique_app.services import public
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.retention import retention_of


def commune_register(session: Session, *, actor: Actor, contact_visible_hours: int,
                     session_hours: int, charter_version: str) -> list[Processing]:
    """The register of the actor's commune (staff only); the deployment's figures are arguments."""
    require_staff(actor, actor.commune_id)
    policy = retention_of(session, actor.commune_id)
    return processing_register(RegisterSettings(
        mission_contact_days=policy.mission_contact_days,
        inactive_months=policy.inactive_months, contact_visible_hours=contact_visible_hours,
        session_hours=session_hours, notice_version=NOTICE_VERSION,
        insurance_version=INSURANCE_VERSION, charter_version=charter_version))


def register_pdf(session: Session, *, actor: Actor, title: str, subtitle: str,
                 columns: list[tuple[str, str]], rows: list[dict[str, str]],
                 locale: str) -> bytes:
    """The translated register (``presenters.register``) as a PDF with the commune's name."""
    require_staff(actor, actor.commune_id)
    commune = public.commune_by_id(session, actor.commune_id)
    return printables.register_pdf(commune, title=title, subtitle=subtitle, columns=columns,
                                   rows=rows, locale=locale)
