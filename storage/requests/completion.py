"""The owner's status move and what a request done opens, in the same
transaction: the requester files each participant's fee claim, and everyone
evaluates.

Above the request's moves, fee claims and evaluations: a move knows nothing
of what follows it, and the claims and evaluations nothing of moves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import evaluations
from storage import fee_claims as claims
from storage.db.models import Request
from storage.domain.requests import Status
from storage.requests.moves import Actor, move_status


async def set_status(
    session: AsyncSession,
    request_id: int,
    actor: Actor,
    target: Status,
    *,
    now: datetime,
    comment: str | None = None,
) -> Request:
    request = await move_status(session, request_id, actor, target, now=now, comment=comment)
    if target is Status.COMPLETED:
        await claims.open_for(session, request, now=now)
        await evaluations.open_for(session, request, now=now)
    return request
