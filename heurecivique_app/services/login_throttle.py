"""Login throttling shared by every worker: counters in the ``login_throttle`` table.

Each attempt is counted under two keys, the e-mail typed (known or not, so a
lock says nothing about whether an account exists) and the client address.
``begin`` locks both rows (``SELECT … FOR UPDATE`` on PostgreSQL) until the
transaction ends, so parallel tries on one key from several workers are
counted one after the other instead of all passing the same check. On SQLite
there is one worker and the login route does not yield between check and
count, which gives the same order.

The rules (free tries, growing delays, locks) are in ``domain/throttle.py``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from heurecivique_app.domain.models import LoginThrottle
from heurecivique_app.domain.throttle import (
    ACCOUNT_POLICY,
    ADDRESS_POLICY,
    ThrottlePolicy,
    wait_left,
)


def email_key(email: str) -> str:
    """The row key of an e-mail: its digest, so unknown addresses are not stored."""
    normal = email.strip().lower()
    return "email:" + hashlib.sha256(normal.encode()).hexdigest()


def address_key(address: str) -> str:
    """The row key of a client address (hashed like e-mails: it is personal data)."""
    return "address:" + hashlib.sha256(address.encode()).hexdigest()


def _locked_row(session: Session, key: str) -> LoginThrottle:
    """The key's row, created if missing, locked for this transaction."""
    query = select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
    row = session.exec(query).first()
    if row is not None:
        return row
    try:
        with session.begin_nested():  # another worker may be inserting the same key
            session.add(LoginThrottle(key=key))
            session.flush()
    except IntegrityError:
        pass
    return session.exec(query).one()


def _forget_old(row: LoginThrottle, policy: ThrottlePolicy, now: datetime) -> None:
    """A finished lock or long-past failures start the count afresh (locks are remembered)."""
    if row.locked and row.blocked_until is not None and row.blocked_until <= now:
        row.failures, row.locked, row.blocked_until = 0, False, None
    elif (not row.locked and row.last_failure_at is not None
          and now - row.last_failure_at > policy.forget_after):
        row.failures, row.blocked_until = 0, None


@dataclass
class Attempt:
    """One login try holding its two counters until the transaction ends."""

    rows: list[tuple[LoginThrottle, ThrottlePolicy]]
    now: datetime
    # Filled by failed(): the kinds of key ("email", "address") that got locked by it.
    newly_locked: list[str] = field(default_factory=list)

    @property
    def retry_after(self) -> int:
        """Seconds before a try will be checked again (0: this one may be checked)."""
        return max(wait_left(row.blocked_until, self.now) for row, _ in self.rows)

    @property
    def locked(self) -> bool:
        """Whether a lock (not just a short delay) stops this try."""
        return any(row.locked and wait_left(row.blocked_until, self.now)
                   for row, _ in self.rows)

    def failed(self) -> None:
        """Count a wrong password: set the next delay, or lock the key."""
        for row, policy in self.rows:
            row.failures += 1
            row.last_failure_at = self.now
            if row.failures >= policy.lock_after:
                row.locks += 1
                row.locked = True
                row.blocked_until = self.now + policy.lock_length(row.locks)
                self.newly_locked.append(row.key.split(":", 1)[0])
            else:
                row.blocked_until = self.now + policy.delay_after(row.failures)

    def succeeded(self, session: Session) -> None:
        """The right password: the e-mail's counter is cleared; the address's decays alone.

        Keeping the address's count stops someone who owns one account from
        resetting it between guesses at others.
        """
        for row, _ in self.rows:
            if row.key.startswith("email:") or row.failures == 0:
                session.delete(row)


def begin(session: Session, *, email: str, address: str, now: datetime) -> Attempt:
    """Lock and read the counters of this e-mail and client address."""
    rows = []
    for key, policy in ((email_key(email), ACCOUNT_POLICY),
                        (address_key(address), ADDRESS_POLICY)):
        row = _locked_row(session, key)
        _forget_old(row, policy, now)
        rows.append((row, policy))
    return Attempt(rows=rows, now=now)


def clear_email(session: Session, *, email: str) -> bool:
    """Lift every delay and lock on an e-mail (a password reset calls this).

    Returns:
        True if there was a lock to lift.
    """
    row = session.get(LoginThrottle, email_key(email))
    if row is None:
        return False
    was_locked = row.locked
    session.delete(row)
    return was_locked
