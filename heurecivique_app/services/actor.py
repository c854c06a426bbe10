"""Who is acting, as decided by the server from the session cookie, and where they may act.

The roles' reach (``domain.enums.Role``):

- a volunteer, a relay, a referent, a commune administrator: their own commune;
- a département coordinator (``departement_admin``): every commune of their
  commune's département;
- a platform administrator: every commune.

``Actor.commune_id`` is the commune the console works on: the user's own, or for
those who reach several the one they chose (stored on their login session,
``services.actor.choose_commune``, checked again on every read). Objects of a
commune outside the reach answer ``NotFound``, never "forbidden", so ids reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import MANY_COMMUNE_ROLES, STAFF_ROLES, Role
from heurecivique_app.domain.errors import NotAllowed, NotFound
from heurecivique_app.domain.models import Commune, User, UserSession


@dataclass(frozen=True)
class Actor:
    """Who acts, as the server decided from the session cookie: never from the client.

    Attributes:
        commune_id: the commune the actor works on (their own unless they chose another
            one of their reach).
        home_commune_id: the commune their account belongs to (0: the same as commune_id).
        reach: the communes whose data they may see and run (empty: ``{commune_id}``).
    """

    user_id: int
    role: Role
    commune_id: int
    display_name: str
    neighbourhood_id: int | None
    locale: str
    home_commune_id: int = 0
    reach: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:  # noqa: D105 - the defaults that follow commune_id
        if not self.home_commune_id:
            object.__setattr__(self, "home_commune_id", self.commune_id)
        if not self.reach:
            object.__setattr__(self, "reach", frozenset({self.commune_id}))

    @classmethod
    def from_user(cls, user: User) -> Actor:
        """The actor a user row stands for, reaching their own commune only.

        ``actor_of`` gives coordinators and platform administrators their whole reach.
        """
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
        """Whether they run a commune's console (referent, administrator, coordinator)."""
        return self.role in STAFF_ROLES

    def sees(self, commune_id: int | None) -> bool:
        """Whether the commune is within their reach.

        Their own, for everyone but coordinators and platform administrators.
        """
        return commune_id in self.reach

    def runs(self, commune_id: int | None) -> bool:
        """Whether they run that commune's console."""
        return self.is_staff and self.sees(commune_id)

    @property
    def is_own_staff(self) -> bool:
        """Staff working on their own commune (not a coordinator visiting another one)."""
        return self.is_staff and self.commune_id == self.home_commune_id


def reach_of(session: Session, user: User) -> frozenset[int]:
    """The communes a user's role lets them run (their own for most roles)."""
    if user.role == Role.PLATFORM_ADMIN:
        return frozenset(session.exec(select(Commune.id)).all())
    if user.role == Role.DEPARTEMENT_ADMIN:
        home = select(Commune.departement_id).where(Commune.id == user.commune_id)
        return frozenset(session.exec(
            select(Commune.id).where(col(Commune.departement_id).in_(home))).all())
    return frozenset({user.commune_id})


def actor_of(session: Session, user: User, working_commune_id: int | None = None) -> Actor:
    """The actor a user stands for, with their whole reach.

    ``working_commune_id`` (the commune chosen on the login session) is taken only if
    it is within the reach of a role that reaches several; otherwise the user's own.
    """
    base = Actor.from_user(user)
    reach = reach_of(session, user) | {user.commune_id}
    working = (working_commune_id
               if user.role in MANY_COMMUNE_ROLES and working_commune_id in reach
               else user.commune_id)
    return Actor(user_id=base.user_id, role=base.role, commune_id=working,
                 display_name=base.display_name, neighbourhood_id=base.neighbourhood_id,
                 locale=base.locale, home_commune_id=user.commune_id, reach=reach)


def require_staff(actor: Actor, commune_id: int) -> None:
    """Only staff whose reach holds the commune may go on.

    Raises:
        NotAllowed: not a staff role at all (a volunteer, a relay).
        NotFound: staff of a commune out of their reach (ids reveal nothing).
    """
    if not actor.is_staff:
        raise NotAllowed()
    if not actor.sees(commune_id):
        raise NotFound()


def require_volunteer(actor: Actor) -> None:
    """Only volunteers and relays (who volunteer too) may go on."""
    if actor.role not in {Role.VOLUNTEER, Role.RELAY}:
        raise NotAllowed()


@dataclass(frozen=True)
class CommuneChoice:
    """A commune a coordinator may work on, for the console's selector."""

    commune_id: int
    name: str


def communes_in_reach(session: Session, *, actor: Actor) -> list[CommuneChoice]:
    """The communes the actor may work on, by name (one for most staff)."""
    if not actor.is_staff:
        raise NotAllowed()
    rows = session.exec(select(Commune.id, Commune.name)
                        .where(col(Commune.id).in_(sorted(actor.reach)))
                        .order_by(Commune.name)).all()
    return [CommuneChoice(commune_id, name) for commune_id, name in rows]


def choose_commune(session: Session, *, actor: Actor, session_digest: str,
                   commune_id: int) -> None:
    """Work on another commune of the actor's reach from now on, in this login session.

    Kept on the server (``user_session.commune_id``): every page and download of the
    session then works on it, and ``actor_of`` checks it again on each read.

    Raises:
        NotFound: a commune out of reach (or the actor's role reaches one commune only).
    """
    if not actor.is_staff or actor.role not in MANY_COMMUNE_ROLES:
        raise NotFound()
    if not actor.sees(commune_id):
        raise NotFound()
    login = session.exec(select(UserSession).where(
        UserSession.token_hash == session_digest, UserSession.user_id == actor.user_id)).first()
    if login is None:
        raise NotFound()
    login.commune_id = commune_id
    session.add(login)
