"""The states a record goes through (a school project, an equipment request, a training
registration, a site page…) and the moves between them, one small table per record kind.

A move that the current state does not allow answers 409 `workflow-not-allowed`, naming the
state and the move, so an app can refresh and show what is possible now."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from app.errors import ProblemError

S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class Move(Generic[S]):
    """An action allowed from some states, leading to one."""

    sources: frozenset[S]
    target: S


@dataclass(frozen=True, slots=True)
class Workflow(Generic[S]):
    moves: Mapping[str, Move[S]]

    def next(self, current: S, action: str) -> S:
        """The state `action` leads to from `current` (409 when it may not be taken)."""
        move = self.moves.get(action)
        if move is None or current not in move.sources:
            raise ProblemError(
                409,
                "workflow.not_allowed",
                kind="workflow-not-allowed",
                extensions={"state": current.value, "action": action},
            )
        return move.target

    def actions(self, current: S) -> list[str]:
        """The actions possible from `current`, for the app to offer."""
        return [name for name, move in self.moves.items() if current in move.sources]


def move(sources: set[S] | S, target: S) -> Move[S]:
    """A move from one state or several."""
    if isinstance(sources, set):
        return Move(frozenset(sources), target)
    return Move(frozenset({sources}), target)
