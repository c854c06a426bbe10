"""The mission state machine: the full matrix of moves, and the refusals' messages."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from heurecivique_app.domain.enums import MissionStatus as S
from heurecivique_app.domain.errors import InvalidTransition
from heurecivique_app.domain.lifecycle import (
    can_transition,
    check_transition,
    expires,
    status_after_acceptance,
    takes_volunteers,
    under_control,
)

# Written out by hand (not derived from lifecycle.TRANSITIONS) so a change there is noticed.
ALLOWED = {
    (S.DRAFT, S.OPEN), (S.DRAFT, S.CANCELLED),
    (S.OPEN, S.FULL), (S.OPEN, S.DONE), (S.OPEN, S.CANCELLED), (S.OPEN, S.EXPIRED),
    (S.FULL, S.OPEN), (S.FULL, S.DONE), (S.FULL, S.CANCELLED),
    (S.DONE, S.CLOSED),
}
ALL_PAIRS = list(itertools.product(S, S))
FORBIDDEN = [pair for pair in ALL_PAIRS if pair not in ALLOWED]


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transition(current: S, target: S) -> None:
    assert can_transition(current, target)
    assert check_transition(current.value, target.value) is target


@pytest.mark.parametrize(("current", "target"), [
    (S.CLOSED, S.OPEN), (S.CANCELLED, S.OPEN), (S.EXPIRED, S.OPEN), (S.DONE, S.OPEN),
    (S.DRAFT, S.FULL), (S.DRAFT, S.DONE), (S.OPEN, S.CLOSED), (S.FULL, S.EXPIRED),
    (S.DONE, S.DONE), (S.OPEN, S.OPEN), (S.CANCELLED, S.CANCELLED), (S.CLOSED, S.DRAFT),
])
def test_forbidden_transition_raises_with_message(current: S, target: S) -> None:
    assert not can_transition(current, target)
    with pytest.raises(InvalidTransition) as info:
        check_transition(current.value, target.value)
    error = info.value
    assert isinstance(error.message, str) and error.message.strip()
    assert str(error) == error.message
    assert error.params == {"current": current.value, "target": target.value}


def test_whole_matrix_matches_the_documented_table() -> None:
    actual = {pair for pair in ALL_PAIRS if can_transition(*pair)}
    assert actual == ALLOWED
    assert len(FORBIDDEN) == len(S) ** 2 - len(ALLOWED)


def test_terminal_statuses_have_no_way_out() -> None:
    for terminal in (S.CLOSED, S.CANCELLED, S.EXPIRED):
        assert not any(can_transition(terminal, target) for target in S)


def test_refusal_explains_the_target() -> None:
    with pytest.raises(InvalidTransition) as info:
        check_transition("draft", "done")
    assert "marked as done" in info.value.message
    with pytest.raises(InvalidTransition) as info:
        check_transition("open", "closed")
    assert "closed" in info.value.message


def test_unknown_status_is_rejected() -> None:
    with pytest.raises(ValueError):
        can_transition("open", "teleported")


@pytest.mark.parametrize(("accepted", "capacity", "expected"), [
    (0, 1, S.OPEN), (1, 1, S.FULL), (2, 3, S.OPEN), (3, 3, S.FULL), (4, 3, S.FULL),
])
def test_status_after_acceptance(accepted: int, capacity: int, expected: S) -> None:
    assert status_after_acceptance(accepted, capacity) is expected


NOON = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def test_a_mission_takes_volunteers_only_before_it_starts() -> None:
    assert takes_volunteers(NOON, NOON - timedelta(seconds=1))
    assert not takes_volunteers(NOON, NOON)
    assert not takes_volunteers(NOON, NOON + timedelta(days=10))


@pytest.mark.parametrize(("status", "taken", "after_start", "expected"), [
    (S.OPEN, 0, True, True),  # nobody took it and it is past: it leaves the boards
    (S.OPEN, 0, False, False),  # still to come
    (S.OPEN, 2, True, False),  # a collective action some joined: it takes place
    (S.FULL, 1, True, False),
    (S.DRAFT, 0, True, False),  # never published: nothing to expire
    (S.CANCELLED, 0, True, False),
])
def test_which_missions_expire(status: S, taken: int, after_start: bool,
                               expected: bool) -> None:
    now = NOON + (timedelta(minutes=1) if after_start else -timedelta(minutes=1))
    assert expires(status, taken, NOON, now) is expected
    if expected:
        assert can_transition(status, S.EXPIRED)


def test_the_referent_controls_a_mission_until_it_is_over() -> None:
    assert {s for s in S if under_control(s)} == {S.DRAFT, S.OPEN, S.FULL}
