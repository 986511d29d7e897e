"""An evaluation's lifecycle: asked (and reminded) until answered, once."""

from __future__ import annotations

from enum import StrEnum

from storage.domain.lifecycle import Lifecycle


class EvaluationStatus(StrEnum):
    ASKED = "asked"
    ANSWERED = "answered"


EVALUATIONS: Lifecycle[EvaluationStatus] = Lifecycle(
    "evaluation",
    {
        EvaluationStatus.ASKED: frozenset({EvaluationStatus.ANSWERED}),
        EvaluationStatus.ANSWERED: frozenset(),
    },
)
