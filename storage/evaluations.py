"""The evaluation of a completed request, and "what your input changed".

When the owner completes a request (`open_for`), the requester and every
accepted participant are asked: the requester for `rating` (1–5), `impact`
(what the participants' input changed, ≤ 1000) and `would_use_again`; a
participant for `rating` (1–5, how they were included), `fee_info_clear` and
`comment` (≤ 1000). Free text follows the identity-number rule. Once the
requester has described the impact, each participant is sent that text.

Unanswered, an evaluation is reminded at most twice, `REMINDER_AFTER` apart,
and only in the day (08:00–20:00 local): a reminder falling at night waits for
the morning (`due_reminders`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Evaluation, Invitation, Participant, Request
from storage.domain.evaluations import EVALUATIONS, EvaluationStatus
from storage.domain.fields import free_text
from storage.domain.invitations import InvitationStatus
from storage.domain.participants import ParticipantStatus
from storage.domain.refusal import Refused
from storage.notifications import EvaluationAsked, ImpactShared, record
from storage.pool import key_of, reached_by

REQUESTER = "requester"
TEXT_MAX = 1000
MAX_REMINDERS = 2
REMINDER_AFTER = timedelta(days=3)
DAY_STARTS = time(8, 0)
DAY_ENDS = time(20, 0)


def participant_respondent(participant_id: int) -> str:
    return f"participant:{participant_id}"


def in_the_day(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment`, or the next 08:00 local if it falls outside 08:00–20:00."""
    local = moment.astimezone(zone)
    if local.time() < DAY_STARTS:
        return datetime.combine(local.date(), DAY_STARTS, zone)
    if local.time() >= DAY_ENDS:
        return datetime.combine(local.date() + timedelta(days=1), DAY_STARTS, zone)
    return moment


def _target(request: Request, evaluation: Evaluation) -> str | None:
    if evaluation.participant_id is None:
        return request.requester_aad_id or request.requester_user_id
    return key_of(evaluation.participant_id)


async def open_for(session: AsyncSession, request: Request, *, now: datetime) -> int:
    """Ask the requester and each accepted participant (reachable in Teams or by
    e-mail) for their evaluation. Returns how many were asked."""
    participants = list(
        await session.scalars(
            select(Participant)
            .join(Invitation, Invitation.participant_id == Participant.id)
            .where(
                Invitation.request_id == request.id, Invitation.status == InvitationStatus.ACCEPTED
            )
            .order_by(Participant.id)
        )
    )
    asked: list[Evaluation] = []
    if request.requester_aad_id or request.requester_user_id:
        asked.append(
            Evaluation(
                request_id=request.id,
                desk_id=request.desk_id,
                respondent=REQUESTER,
                participant_id=None,
            )
        )
    for participant in participants:
        if participant.status != ParticipantStatus.LEFT and reached_by(participant) != "phone":
            asked.append(
                Evaluation(
                    request_id=request.id,
                    desk_id=request.desk_id,
                    respondent=participant_respondent(participant.id),
                    participant_id=participant.id,
                )
            )
    for evaluation in asked:
        evaluation.status = EvaluationStatus.ASKED
        evaluation.asked_at = now
        evaluation.reminders_sent = 0
        # Moved into the day when it falls due (`due_reminders`).
        evaluation.next_reminder_at = now + REMINDER_AFTER
        session.add(evaluation)
    await session.flush()
    await record(
        session, *(EvaluationAsked(t, e.id) for e in asked if (t := _target(request, e))), now=now
    )
    return len(asked)


async def requester_evaluation(session: AsyncSession, request_id: int) -> Evaluation | None:
    return await session.scalar(
        select(Evaluation).where(
            Evaluation.request_id == request_id, Evaluation.respondent == REQUESTER
        )
    )


def _rating(raw: Any) -> int:
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if text not in ("1", "2", "3", "4", "5"):
        raise Refused("evaluation.error.rating", field="rating")
    return int(text)


def _yes_no(raw: Any, field: str) -> bool:
    if raw in ("yes", True):
        return True
    if raw in ("no", False):
        return False
    raise Refused("evaluation.error.yes_no", field=field)


def _text(raw: Any, field: str) -> str | None:
    try:
        return free_text(raw, max_length=TEXT_MAX)
    except Refused as error:
        raise Refused(error.key, field=field, **error.params) from None


@dataclass(frozen=True)
class Answered:
    evaluation: Evaluation
    # It was answered before: nothing changed.
    repeated: bool
    # The participants were sent the requester's impact text.
    impact_sent: int = 0


async def answer(
    session: AsyncSession,
    evaluation_id: int,
    raw: dict[str, Any],
    *,
    participant_id: int | None,
    via: str,
    now: datetime,
) -> Answered:
    """The answer of the evaluation's own respondent (`participant_id` None: the
    requester, whom the caller has checked). Validated whole before anything is
    written; answered once."""
    evaluation = await session.get(Evaluation, evaluation_id)
    if evaluation is None or evaluation.participant_id != participant_id:
        raise Refused("evaluation.error.not_yours")
    if not EVALUATIONS.may(evaluation.status, EvaluationStatus.ANSWERED):
        return Answered(evaluation, repeated=True)
    rating = _rating(raw.get("rating"))
    if participant_id is None:
        impact = _text(raw.get("impact"), "impact")
        again = _yes_no(raw.get("would_use_again"), "would_use_again")
        evaluation.impact, evaluation.would_use_again = impact, again
    else:
        clear = _yes_no(raw.get("fee_info_clear"), "fee_info_clear")
        comment = _text(raw.get("comment"), "comment")
        evaluation.fee_info_clear, evaluation.comment = clear, comment
    evaluation.rating = rating
    evaluation.status = EVALUATIONS.transition(evaluation.status, EvaluationStatus.ANSWERED)
    evaluation.answered_at = now
    evaluation.answered_via = via
    evaluation.next_reminder_at = None
    sent = 0
    if participant_id is None and evaluation.impact:
        sent = await _send_impact(session, evaluation, now=now)
    elif participant_id is not None:
        participant = await session.get(Participant, participant_id)
        if participant is not None:
            participant.last_active_at = now
    await session.flush()
    return Answered(evaluation, repeated=False, impact_sent=sent)


async def _send_impact(session: AsyncSession, evaluation: Evaluation, *, now: datetime) -> int:
    """Each participant of the request hears what their input changed."""
    participants = list(
        await session.scalars(
            select(Participant)
            .join(Invitation, Invitation.participant_id == Participant.id)
            .where(
                Invitation.request_id == evaluation.request_id,
                Invitation.status == InvitationStatus.ACCEPTED,
                Participant.status != ParticipantStatus.LEFT,
            )
        )
    )
    told = [
        ImpactShared(key_of(p.id), evaluation.request_id, p.id)
        for p in participants
        if reached_by(p) != "phone"
    ]
    await record(session, *told, now=now)
    return len(told)


async def due_reminders(session: AsyncSession, *, now: datetime, zone: ZoneInfo) -> int:
    """Remind the unanswered whose time has come, in the day only; at most
    `MAX_REMINDERS` each. Returns how many were reminded."""
    due = list(
        await session.scalars(
            select(Evaluation)
            .where(
                Evaluation.status == EvaluationStatus.ASKED,
                Evaluation.next_reminder_at.is_not(None),
                Evaluation.next_reminder_at <= now,
            )
            .order_by(Evaluation.id)
            .limit(500)
        )
    )
    reminded = []
    for evaluation in due:
        daytime = in_the_day(now, zone)
        if daytime != now:
            evaluation.next_reminder_at = daytime  # not at night: in the morning
            continue
        request = await session.get(Request, evaluation.request_id)
        target = _target(request, evaluation) if request is not None else None
        evaluation.reminders_sent += 1
        evaluation.next_reminder_at = (
            now + REMINDER_AFTER if evaluation.reminders_sent < MAX_REMINDERS else None
        )
        if target:
            reminded.append(EvaluationAsked(target, evaluation.id, evaluation.reminders_sent))
    await record(session, *reminded, now=now)
    return len(reminded)
