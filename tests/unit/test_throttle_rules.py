"""The throttle's arithmetic: free tries, doubling delays, growing locks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from heurecivique_app.domain.throttle import ACCOUNT_POLICY, ThrottlePolicy, wait_left

POLICY = ThrottlePolicy(free_failures=3, lock_after=10, max_delay=timedelta(seconds=10),
                        lock_for=timedelta(minutes=15), max_lock=timedelta(hours=1),
                        forget_after=timedelta(hours=1))


def test_delays_double_after_the_free_tries_up_to_the_cap() -> None:
    assert [POLICY.delay_after(n).total_seconds() for n in range(9)] == \
           [0, 0, 0, 0, 1, 2, 4, 8, 10]


def test_locks_double_up_to_the_cap() -> None:
    assert [POLICY.lock_length(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=1), timedelta(hours=1)]


def test_wait_left_rounds_up_and_never_goes_negative() -> None:
    now = datetime(2026, 12, 4, 12, tzinfo=UTC)
    assert wait_left(None, now) == 0
    assert wait_left(now - timedelta(seconds=5), now) == 0
    assert wait_left(now + timedelta(milliseconds=200), now) == 1
    assert wait_left(now + timedelta(seconds=90, milliseconds=1), now) == 91


def test_the_account_policy_locks_before_a_script_gets_far() -> None:
    # Time a script spends before the lock, trying as soon as allowed: well under a minute
    # of guessing, which is what makes the lock (not the delays) the real limit.
    total = sum((ACCOUNT_POLICY.delay_after(n) for n in range(ACCOUNT_POLICY.lock_after)),
                timedelta(0))
    assert timedelta(0) < total < timedelta(minutes=5)
