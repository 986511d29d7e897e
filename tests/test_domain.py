import pytest

from storage.domain.lifecycle import TransitionRefused
from storage.domain.requests import (
    FINAL_STATUSES,
    TRANSITIONS,
    Status,
    next_owner_statuses,
    transition,
)

S = Status

LEGAL = [
    (S.SUBMITTED, S.CLAIMED),
    (S.CLAIMED, S.SUBMITTED),  # released
    (S.CLAIMED, S.IN_PROGRESS),
    (S.CLAIMED, S.MATCHED),
    (S.IN_PROGRESS, S.MATCHED),
    (S.MATCHED, S.AGREEMENT_SIGNED),
    (S.AGREEMENT_SIGNED, S.COMPLETED),
    (S.SUBMITTED, S.CANCELLED),
    (S.CLAIMED, S.CANCELLED),
    (S.IN_PROGRESS, S.CANCELLED),
]


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_legal_moves(current: Status, target: Status) -> None:
    move = transition(current, target)
    assert (move.from_status, move.to_status) == (current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.SUBMITTED, S.COMPLETED),
        (S.SUBMITTED, S.MATCHED),
        (S.MATCHED, S.CANCELLED),  # the requester may cancel only before matched
        (S.AGREEMENT_SIGNED, S.CANCELLED),
        (S.COMPLETED, S.SUBMITTED),
        (S.DECLINED, S.CLAIMED),
        (S.CANCELLED, S.SUBMITTED),
        (S.SUBMITTED, S.SUBMITTED),
    ],
)
def test_illegal_moves_are_refused(current: Status, target: Status) -> None:
    with pytest.raises(TransitionRefused) as err:
        transition(current, target)
    assert err.value.key == "error.transition.illegal"


def test_decline_needs_a_reason() -> None:
    with pytest.raises(TransitionRefused) as err:
        transition(S.CLAIMED, S.DECLINED, comment="   ")
    assert err.value.key == "error.transition.reason_required"
    assert transition(S.CLAIMED, S.DECLINED, comment="Ingen passende").comment == "Ingen passende"


def test_every_status_is_in_the_table_and_ends_are_final() -> None:
    assert set(TRANSITIONS) == set(Status)
    assert FINAL_STATUSES == {S.COMPLETED, S.DECLINED, S.CANCELLED}


def test_every_status_is_reachable_from_submitted() -> None:
    seen, todo = {S.SUBMITTED}, [S.SUBMITTED]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(Status)


def test_owner_choices_follow_the_lifecycle() -> None:
    assert next_owner_statuses(S.CLAIMED) == [S.IN_PROGRESS, S.MATCHED, S.DECLINED]
    assert next_owner_statuses(S.MATCHED) == [S.AGREEMENT_SIGNED, S.DECLINED]
    assert next_owner_statuses(S.COMPLETED) == []
