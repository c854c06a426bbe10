"""A volunteer's status machine: pausing is one rule, whoever asks."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from heurecivique_app.domain.enums import VolunteerStatus as V
from heurecivique_app.domain.volunteer_status import after_pause_request, can_change

MET = datetime(2026, 3, 1, tzinfo=UTC)
# Written out by hand (not derived from TRANSITIONS) so a change there is noticed.
ALLOWED = {
    (V.PENDING, V.ACTIVE), (V.PENDING, V.PAUSED),
    (V.ACTIVE, V.PAUSED),
    (V.PAUSED, V.ACTIVE), (V.PAUSED, V.PENDING),
}


@pytest.mark.parametrize(("current", "target"), sorted(itertools.product(V, V)))
def test_transition_matrix(current: V, target: V) -> None:
    assert can_change(current, target) is ((current, target) in ALLOWED)


@pytest.mark.parametrize(("current", "paused", "validated_at", "expected"), [
    (V.ACTIVE, True, MET, V.PAUSED),
    (V.PENDING, True, None, V.PAUSED),      # a break before the interview
    (V.PAUSED, False, MET, V.ACTIVE),       # met by a referent: active again
    (V.PAUSED, False, None, V.PENDING),     # not met yet: still waiting for it
    (V.PAUSED, True, MET, None),            # already paused: nothing to do
    (V.ACTIVE, False, MET, None),           # not paused: nothing to resume
    (V.PENDING, False, None, None),
])
def test_pause_request(current: V, paused: bool, validated_at: datetime | None,
                       expected: V | None) -> None:
    assert after_pause_request(current, paused=paused, validated_at=validated_at) == expected
