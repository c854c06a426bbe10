"""Login throttling: 40 wrong passwords, growing delays, the lock, unlock by time and by reset.

The clock is injected (``now``), so waiting a lock out takes no real time.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import factories as f
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.models import AuditEntry, LoginThrottle, User
from heurecivique_app.domain.throttle import ACCOUNT_POLICY, ADDRESS_POLICY
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import auth

EMAIL = "claire@example.org"
ADDRESS = "203.0.113.7"


@pytest.fixture
def person(db_engine: Engine) -> User:
    with session_scope(db_engine) as s:
        return f.volunteer(s, email=EMAIL, display_name="Claire")


def attempt(engine: Engine, email: str, password: str, now: datetime,
            address: str = ADDRESS) -> auth.LoginOutcome:
    with session_scope(engine) as s:
        return auth.log_in(s, email=email, password=password, address=address, now=now)


def hammer(engine: Engine, email: str, start: datetime, tries: int = 40,
           address: str = ADDRESS) -> list:
    """A patient script's wrong passwords: each as soon as the last answer allows
    (at least a second apart) until the lock, then one a second; what each answer was."""
    answers, now = [], start
    for i in range(tries):
        answers.append(attempt(engine, email, f"guess-{i}", now, address))
        last = answers[-1]
        now += timedelta(seconds=1 if last.locked else max(1, last.retry_after))
    return answers


def actions(engine: Engine) -> Counter:
    with session_scope(engine) as s:
        return Counter(e.action for e in s.exec(select(AuditEntry)).all())


def test_forty_wrong_passwords_lock_the_account(db_engine: Engine, person: User) -> None:
    start = utcnow()
    answers = hammer(db_engine, EMAIL, start)

    assert all(a.user is None for a in answers)
    checked = [a for a in answers if a.checked]
    # Only up to the lock were passwords even checked; the rest were refused unread.
    assert len(checked) == ACCOUNT_POLICY.lock_after
    assert answers[-1].locked and answers[-1].retry_after > 10 * 60
    # The delays grew before the lock.
    waits = [a.retry_after for a in checked[:-1]]
    assert waits == sorted(waits) and waits[0] == 0 and waits[-1] > 1

    # The right password does not get in while locked.
    late = attempt(db_engine, EMAIL, f.PASSWORD, start + timedelta(minutes=3))
    assert late.user is None and late.locked and not late.checked

    seen = actions(db_engine)
    assert seen["auth.failed"] == ACCOUNT_POLICY.lock_after
    assert seen["auth.throttled"] == 40 - ACCOUNT_POLICY.lock_after + 1
    assert seen["auth.locked"] == 1
    assert seen["auth.login"] == 0
    with session_scope(db_engine) as s:
        failed = s.exec(select(AuditEntry).where(AuditEntry.action == "auth.failed")).first()
        assert failed.entity_id == person.id and failed.detail["address"] == ADDRESS


def test_a_script_trying_every_second_gets_few_guesses(db_engine: Engine,
                                                       person: User) -> None:
    start = utcnow()
    answers = [attempt(db_engine, EMAIL, f"guess-{i}", start + timedelta(seconds=i))
               for i in range(40)]
    # 40 tries in 40 seconds, but the growing delays let only a few be checked.
    assert sum(a.checked for a in answers) < ACCOUNT_POLICY.lock_after
    assert answers[-1].retry_after > 0


def test_unknown_email_is_answered_like_a_known_one(db_engine: Engine, person: User) -> None:
    start = utcnow()
    known = hammer(db_engine, EMAIL, start, tries=15)
    unknown = hammer(db_engine, "nobody@example.org", start, tries=15, address="192.0.2.1")
    assert [(a.retry_after, a.locked, a.checked) for a in known] == \
           [(a.retry_after, a.locked, a.checked) for a in unknown]
    # Nothing stores the unknown e-mail itself.
    with session_scope(db_engine) as s:
        stored = repr(s.exec(select(LoginThrottle)).all()) + repr(
            s.exec(select(AuditEntry)).all())
    assert "nobody@example.org" not in stored


def test_lock_ends_with_time_and_counts_again(db_engine: Engine, person: User) -> None:
    start = utcnow()
    hammer(db_engine, EMAIL, start)
    first_lock = ACCOUNT_POLICY.lock_length(1)
    still = attempt(db_engine, EMAIL, f.PASSWORD, start + timedelta(minutes=2))
    assert still.user is None and still.locked

    later = start + timedelta(minutes=3) + first_lock
    assert attempt(db_engine, EMAIL, f.PASSWORD, later).user is not None
    assert actions(db_engine)["auth.login"] == 0  # open_session writes it; not called here


def test_second_lock_lasts_longer(db_engine: Engine, person: User) -> None:
    start = utcnow()
    hammer(db_engine, EMAIL, start)
    after_first = start + timedelta(minutes=3) + ACCOUNT_POLICY.lock_length(1)
    again = hammer(db_engine, EMAIL, after_first)
    assert again[-1].locked
    assert again[-1].retry_after > ACCOUNT_POLICY.lock_length(1).total_seconds()


def test_password_reset_lifts_the_lock(db_engine: Engine, person: User) -> None:
    start = utcnow()
    hammer(db_engine, EMAIL, start)
    with session_scope(db_engine) as s:
        assert auth.clear_login_lock(s, user=s.get(User, person.id)) is True
    right = attempt(db_engine, EMAIL, f.PASSWORD, start + timedelta(minutes=3))
    assert right.user is not None and right.user.id == person.id
    assert actions(db_engine)["auth.unlocked"] == 1
    # Nothing to lift any more: no second audit entry.
    with session_scope(db_engine) as s:
        assert auth.clear_login_lock(s, user=s.get(User, person.id)) is False
    assert actions(db_engine)["auth.unlocked"] == 1


def test_a_right_password_clears_the_account_count(db_engine: Engine, person: User) -> None:
    start = utcnow()
    for i in range(ACCOUNT_POLICY.free_failures):
        assert attempt(db_engine, EMAIL, "wrong", start + timedelta(seconds=i)).retry_after == 0
    assert attempt(db_engine, EMAIL, f.PASSWORD, start + timedelta(seconds=10)).user
    # Back to the free tries, not one step from the next delay.
    for i in range(ACCOUNT_POLICY.free_failures):
        answer = attempt(db_engine, EMAIL, "wrong", start + timedelta(seconds=20 + i))
        assert answer.retry_after == 0


def test_one_address_trying_many_accounts_is_locked(db_engine: Engine, person: User) -> None:
    start = utcnow()
    tick = start
    # A different e-mail each time: no account count grows, the address's does.
    for i in range(ADDRESS_POLICY.lock_after + 5):
        tick = tick + timedelta(seconds=31)
        answer = attempt(db_engine, f"guess{i}@example.org", "wrong", tick)
    assert answer.locked and not answer.checked
    # The right password from that address waits; from another address it gets in.
    assert attempt(db_engine, EMAIL, f.PASSWORD, tick + timedelta(seconds=1)).user is None
    other = attempt(db_engine, EMAIL, f.PASSWORD, tick + timedelta(seconds=1),
                    address="198.51.100.9")
    assert other.user is not None
