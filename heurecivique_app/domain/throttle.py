"""Login throttling rules: how long a key (an e-mail or a client address) must wait.

Pure arithmetic, no storage: ``services/login_throttle.py`` keeps the counters
in the database so every worker sees the same ones.

Why these numbers: a person who mistypes gets a few free tries, then short,
growing pauses that a human barely notices but that cut a guessing script to
a handful of tries per minute; past the lock threshold the key waits minutes,
longer at each new lock. A client address gets more room than one account,
because a town hall's tablets and a family's phones share one address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    """Thresholds of one kind of key.

    Attributes:
        free_failures: failures allowed without any wait.
        lock_after: failures that lock the key.
        max_delay: the longest wait between two tries before the lock.
        lock_for: the first lock's length; each later lock doubles it, up to ``max_lock``.
        max_lock: the longest lock.
        forget_after: failures older than this (since the last one) are forgotten.
    """

    free_failures: int
    lock_after: int
    max_delay: timedelta
    lock_for: timedelta
    max_lock: timedelta
    forget_after: timedelta

    def delay_after(self, failures: int) -> timedelta:
        """The wait imposed after ``failures`` consecutive failures (before any lock).

        1 s after the first failure past the free ones, then 2, 4, 8… up to ``max_delay``.
        """
        extra = failures - self.free_failures
        if extra <= 0:
            return timedelta(0)
        return min(timedelta(seconds=2 ** (extra - 1)), self.max_delay)

    def lock_length(self, locks: int) -> timedelta:
        """The length of the ``locks``-th lock (1 for the first)."""
        return min(self.lock_for * 2 ** max(locks - 1, 0), self.max_lock)


ACCOUNT_POLICY = ThrottlePolicy(
    free_failures=3, lock_after=10, max_delay=timedelta(seconds=30),
    lock_for=timedelta(minutes=15), max_lock=timedelta(hours=24),
    forget_after=timedelta(hours=1),
)
ADDRESS_POLICY = ThrottlePolicy(
    free_failures=10, lock_after=50, max_delay=timedelta(seconds=30),
    lock_for=timedelta(minutes=15), max_lock=timedelta(hours=6),
    forget_after=timedelta(hours=1),
)


def wait_left(until: datetime | None, now: datetime) -> int:
    """Whole seconds still to wait until ``until`` (0 if none or past), rounded up."""
    if until is None or until <= now:
        return 0
    return max(1, int(-(-(until - now).total_seconds() // 1)))
