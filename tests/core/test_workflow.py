"""The shared workflow table: allowed moves lead to their state, others answer 409."""

from __future__ import annotations

from enum import StrEnum

import pytest

from app.core.workflow import Workflow, move
from app.errors import ProblemError


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


FLOW = Workflow(
    {
        "submit": move({State.DRAFT, State.RETURNED}, State.SUBMITTED),
        "approve": move(State.SUBMITTED, State.APPROVED),
        "return": move(State.SUBMITTED, State.RETURNED),
    }
)


def test_allowed_moves_lead_to_their_state() -> None:
    assert FLOW.next(State.DRAFT, "submit") is State.SUBMITTED
    assert FLOW.next(State.RETURNED, "submit") is State.SUBMITTED
    assert FLOW.next(State.SUBMITTED, "return") is State.RETURNED


@pytest.mark.parametrize(
    ("state", "action"),
    [(State.DRAFT, "approve"), (State.APPROVED, "submit"), (State.SUBMITTED, "publish")],
)
def test_other_moves_answer_409_naming_state_and_action(state: State, action: str) -> None:
    with pytest.raises(ProblemError) as caught:
        FLOW.next(state, action)
    assert caught.value.status == 409
    assert caught.value.kind == "workflow-not-allowed"
    assert caught.value.extensions == {"state": state.value, "action": action}


def test_actions_lists_what_is_possible_now() -> None:
    assert FLOW.actions(State.SUBMITTED) == ["approve", "return"]
    assert FLOW.actions(State.APPROVED) == []
