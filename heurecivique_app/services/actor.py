"""Who is acting, as decided by the server from the session cookie."""

from __future__ import annotations

from dataclasses import dataclass

from heurecivique_app.domain.enums import STAFF_ROLES, Role
from heurecivique_app.domain.errors import NotAllowed
from heurecivique_app.domain.models import User


@dataclass(frozen=True)
class Actor:
    """Who acts, as the server decided from the session cookie: never from the client."""

    user_id: int
    role: Role
    commune_id: int
    display_name: str
    neighbourhood_id: int | None
    locale: str

    @classmethod
    def from_user(cls, user: User) -> Actor:
        """The actor a user row stands for."""
        assert user.id is not None
        return cls(
            user_id=user.id,
            role=Role(user.role),
            commune_id=user.commune_id,
            display_name=user.display_name,
            neighbourhood_id=user.neighbourhood_id,
            locale=user.locale,
        )

    @property
    def is_staff(self) -> bool:
        """Whether they run a commune's console (referent or administrator)."""
        return self.role in STAFF_ROLES


def require_staff(actor: Actor, commune_id: int) -> None:
    """Only referents and admins of the commune may go on."""
    if not actor.is_staff or actor.commune_id != commune_id:
        raise NotAllowed()


def require_volunteer(actor: Actor) -> None:
    """Only volunteers and relays (who volunteer too) may go on."""
    if actor.role not in {Role.VOLUNTEER, Role.RELAY}:
        raise NotAllowed()
