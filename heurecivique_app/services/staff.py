"""A commune's staff, run by its administrators: invitations by e-mail and deactivation.

Only a commune administrator (or the département's coordinator, for the commune
they belong to) manages staff; anyone else is refused, and another commune's
people are ``NotFound``. An invitation's link is written by the job that sends
it (jobs/kinds.py): single use, 72 hours from the sending, only its SHA-256
stored. Following it, the invited person chooses a password and the account
is created, confirmed. A new invitation to the same address cancels the
earlier ones. A deactivated account cannot log in and its sessions end.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from heurecivique_app.adapters.passwords import hash_password
from heurecivique_app.domain.enums import STAFF_ROLES, Role
from heurecivique_app.domain.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.models import StaffInvitation, User, UserSession
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FormCheck,
    TextKind,
    link_token_shape,
    one_of,
    required_text,
)
from heurecivique_app.domain.volunteering import clean_email, clean_password
from heurecivique_app.jobs.queue import enqueue_rows, job_row
from heurecivique_app.services import notifications
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit

INVITATION_JOB = "staff.invitation"
INVITATION_HOURS = 72
ADMIN_ROLES = frozenset({Role.COMMUNE_ADMIN, Role.DEPARTEMENT_ADMIN, Role.PLATFORM_ADMIN})
# Whose account an administrator may switch off: never one that reaches further than theirs.
_RANK = {Role.REFERENT: 0, Role.COMMUNE_ADMIN: 1, Role.DEPARTEMENT_ADMIN: 2,
         Role.PLATFORM_ADMIN: 3}
# The roles an administrator may give; the département's coordinator is made elsewhere.
INVITABLE_ROLES = (Role.REFERENT, Role.COMMUNE_ADMIN)


def require_admin(actor: Actor) -> None:
    """Only administrators (the commune's, its coordinator, the platform's) manage staff."""
    if actor.role not in ADMIN_ROLES:
        raise NotAllowed()


@dataclass(frozen=True)
class StaffMember:
    """One person of the commune's staff, or one invitation still open."""

    user_id: int | None
    invitation_id: int | None
    name: str
    email: str
    role: str
    active: bool
    invited_at: datetime | None = None


def staff_of(session: Session, *, actor: Actor, now: datetime | None = None) -> list[StaffMember]:
    """The commune's staff accounts, then its open invitations (names in order)."""
    require_admin(actor)
    now = now or utcnow()
    people = session.exec(select(User).where(User.commune_id == actor.commune_id,
                                             col(User.role).in_(list(STAFF_ROLES)))
                          .order_by(User.display_name)).all()
    members = [StaffMember(user_id=u.id, invitation_id=None, name=u.display_name,
                           email=u.email, role=u.role, active=u.is_active) for u in people]
    for invite in _open_invitations(session, actor.commune_id, now):
        members.append(StaffMember(user_id=None, invitation_id=invite.id,
                                   name=invite.display_name, email=invite.email,
                                   role=invite.role, active=False,
                                   invited_at=invite.created_at))
    return members


def _open_invitations(session: Session, commune_id: int, now: datetime) -> list[StaffInvitation]:
    rows = session.exec(select(StaffInvitation).where(
        StaffInvitation.commune_id == commune_id, StaffInvitation.used_at == None,  # noqa: E711
        StaffInvitation.cancelled_at == None).order_by(StaffInvitation.display_name)).all()  # noqa: E711
    return [r for r in rows if r.expires_at is None or r.expires_at > now]


def invite(session: Session, *, actor: Actor, email: object, name: object, role: object,
           site_url: str, now: datetime | None = None) -> StaffInvitation:
    """Invite someone to the commune's staff: the e-mail is queued in this transaction.

    Raises:
        NotAllowed: the actor is not an administrator.
        ValidationFailed: a field is wrong, or the address already has an account;
            nothing is written.
    """
    require_admin(actor)
    return invite_to_commune(session, actor=actor, commune_id=actor.commune_id, email=email,
                             name=name, role=role, site_url=site_url, now=now)


def invite_to_commune(session: Session, *, actor: Actor, commune_id: int, email: object,
                      name: object, role: object, site_url: str,
                      now: datetime | None = None) -> StaffInvitation:
    """:func:`invite` to a given commune, which the caller checked ``actor`` may staff.

    services/onboarding.py uses it for a commune just created from the admin pages.
    """
    now = now or utcnow()
    check = FormCheck()
    check.take("email", lambda: clean_email(email if isinstance(email, str) else None))
    check.take("name", lambda: required_text(name if isinstance(name, str) else None,
                                             max_length=120, kind=TextKind.LINE))
    check.take("role", lambda: one_of(role if isinstance(role, str) else "",
                                      [str(r) for r in INVITABLE_ROLES],
                                      N_("Choose a value from the list.")))
    clean = check.result()
    if session.exec(select(User).where(User.email == clean["email"])).first():
        raise ValidationFailed({"email": N_("This e-mail address already has an account.")})
    for earlier in session.exec(select(StaffInvitation).where(
            StaffInvitation.email == clean["email"], StaffInvitation.used_at == None,  # noqa: E711
            StaffInvitation.cancelled_at == None)).all():  # noqa: E711
        earlier.cancelled_at = now
        session.add(earlier)
    invitation = StaffInvitation(commune_id=commune_id, email=clean["email"],
                                 display_name=clean["name"], role=clean["role"],
                                 invited_by=actor.user_id, created_at=now)
    session.add(invitation)
    session.flush()
    enqueue_rows(session, [job_row(
        kind=INVITATION_JOB, key=f"invitation:{invitation.id}", due_at=now,
        payload={"invitation_id": invitation.id, "site_url": site_url,
                 "inviter": actor.display_name, "locale": actor.locale,
                 "commune": notifications.commune_look(session, commune_id)})])
    audit(session, actor=actor, action="staff.invited", entity="staff_invitation",
          entity_id=invitation.id, commune_id=commune_id, role=clean["role"])
    return invitation


def _digest(token: str) -> str:
    return hashlib.sha256(f"invite:{token}".encode()).hexdigest()


def new_invitation_link(session: Session, *, invitation_id: int, site_url: str,
                        now: datetime | None = None) -> tuple[StaffInvitation, str] | None:
    """Write the invitation's token (hashed) and start its 72 hours; the job e-mails the link.

    Returns:
        The invitation and its link; None if it was used or cancelled meanwhile.
    """
    now = now or utcnow()
    invitation = session.get(StaffInvitation, invitation_id)
    if invitation is None or invitation.used_at or invitation.cancelled_at:
        return None
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _digest(token)
    invitation.expires_at = now + timedelta(hours=INVITATION_HOURS)
    session.add(invitation)
    return invitation, f"{site_url}/api/auth/invitation?token={token}"


def _usable(session: Session, token: object, now: datetime) -> StaffInvitation | None:
    if not link_token_shape(token):
        return None
    invitation = session.exec(select(StaffInvitation).where(
        StaffInvitation.token_hash == _digest(token))).first()
    if (invitation is None or invitation.used_at or invitation.cancelled_at
            or invitation.expires_at is None or invitation.expires_at <= now):
        return None
    return invitation


def invitation_for(session: Session, *, token: object,
                   now: datetime | None = None) -> StaffInvitation | None:
    """The invitation a link opens, if it can still be accepted (read only)."""
    return _usable(session, token, now or utcnow())


def accept(session: Session, *, token: object, password: object, repeat: object,
           now: datetime | None = None) -> User | None:
    """Create the invited person's account with the password they chose.

    Returns:
        The new account; None if the link is unknown, used, cancelled or expired.

    Raises:
        ValidationFailed: the password is refused; nothing is written.
    """
    now = now or utcnow()
    invitation = _usable(session, token, now)
    if invitation is None:
        return None
    check = FormCheck()
    check.take("password", lambda: clean_password(password if isinstance(password, str)
                                                  else None))
    clean = check.result()
    if repeat != clean["password"]:
        raise ValidationFailed({"repeat": N_("The two passwords are not the same.")})
    if session.exec(select(User).where(User.email == invitation.email)).first():
        return None  # someone made an account with this address since: the link is void
    user = User(commune_id=invitation.commune_id, email=invitation.email,
                display_name=invitation.display_name, role=invitation.role,
                password_hash=hash_password(clean["password"]), email_confirmed=True)
    session.add(user)
    invitation.used_at = now
    session.add(invitation)
    session.flush()
    audit(session, actor=Actor.from_user(user), action="staff.joined", entity="user",
          entity_id=user.id, commune_id=user.commune_id, invitation_id=invitation.id)
    return user


def cancel_invitation(session: Session, *, actor: Actor, invitation_id: int) -> None:
    """Withdraw an open invitation; its link stops working."""
    require_admin(actor)
    invitation = session.get(StaffInvitation, invitation_id)
    if invitation is None or not actor.sees(invitation.commune_id):
        raise NotFound()
    if invitation.used_at is None and invitation.cancelled_at is None:
        invitation.cancelled_at = utcnow()
        session.add(invitation)
        audit(session, actor=actor, action="staff.invitation_cancelled",
              entity="staff_invitation", entity_id=invitation.id,
              commune_id=invitation.commune_id)


def set_active(session: Session, *, actor: Actor, user_id: int, active: bool) -> None:
    """Deactivate a staff account (it cannot log in, its sessions end), or reactivate it.

    Raises:
        NotFound: not a staff account of the actor's commune.
        DomainError: an administrator deactivating themselves.
    """
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None or not actor.sees(user.commune_id) or user.role not in STAFF_ROLES:
        raise NotFound()
    if user.id == actor.user_id and not active:
        raise DomainError(N_("You cannot deactivate your own account."))
    if _RANK[Role(user.role)] > _RANK[actor.role]:
        raise NotAllowed()
    if user.is_active == active:
        return
    user.is_active = active
    session.add(user)
    if not active:
        for login in session.exec(select(UserSession).where(
                UserSession.user_id == user.id, UserSession.revoked_at == None)).all():  # noqa: E711
            login.revoked_at = utcnow()
            session.add(login)
    audit(session, actor=actor, action="staff.activated" if active else "staff.deactivated",
          entity="user", entity_id=user.id, commune_id=user.commune_id)
