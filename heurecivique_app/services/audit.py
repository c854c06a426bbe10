"""The audit log: who did what, when."""

from __future__ import annotations

from sqlmodel import Session

from heurecivique_app.domain.models import AuditEntry
from heurecivique_app.services.actor import Actor


def audit(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    commune_id: int | None,
    **detail: object,
) -> None:
    """Add an audit entry to the current transaction."""
    session.add(
        AuditEntry(
            commune_id=commune_id,
            actor_id=actor.user_id if actor else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
    )
