"""State for a test, built on the domain (one transaction a step, no HTTP):
a participant with consent, a request in a given status, an accepted
invitation, a completed request whose fee claims are open. A test then drives
its own subject over HTTP; the way there is no part of it. (The steps' own
HTTP paths are tested where they are the subject: test_invitations,
test_documents, test_channel.)"""

from __future__ import annotations

from typing import Any

from storage import invitations, pool
from storage.domain.requests import Status
from storage.invitations import agreements
from storage.requests import completion, moves
from storage.requests.moves import Actor
from tests.support.channel import seed_request, setup_channel
from tests.support.participants import COORDINATOR, coordinator

OWNER = Actor(COORDINATOR[0], COORDINATOR[1])

# From a claimed request (in progress) to each status, by the owner's moves.
_WAY = {
    Status.IN_PROGRESS: (),
    Status.MATCHED: (Status.MATCHED,),
    Status.AGREEMENT_SIGNED: (Status.MATCHED, Status.AGREEMENT_SIGNED),
    Status.COMPLETED: (Status.MATCHED, Status.AGREEMENT_SIGNED, Status.COMPLETED),
}


async def participant_with_consent(db, clock, name: str, *, areas=(), **fields: Any) -> int:
    """`name` in the pool, having said yes to the consent by e-mail: their id.
    E-mail `<first name>@example.com` unless given."""
    values = pool.validate(
        {
            "name": name,
            "email": f"{name.split()[0].lower()}@example.com",
            "roles": "patient",
            "formats": "physical,digital",
            **fields,
        },
        areas=areas,
    )
    async with db.transaction() as session:
        participant = await pool.add(session, values, added_by="test", now=clock.now())
        await pool.consent(session, participant, channel="email", now=clock.now())
        return participant.id


async def request_in(db, clock, status: Status, *, owner: Actor = OWNER, **answers: Any) -> int:
    """A request submitted by Rita Rekvirent, claimed by `owner` and moved on
    to `status` (SUBMITTED: not claimed)."""
    request_id = await seed_request(db, clock, **answers)
    if status is Status.SUBMITTED:
        return request_id
    async with db.transaction() as session:
        await moves.claim(session, request_id, owner, now=clock.now())
        for step in _WAY[status]:
            await completion.set_status(session, request_id, owner, step, now=clock.now())
    return request_id


async def accepted_invitation(
    db, clock, request_id: int, participant_id: int, *, owner: Actor = OWNER, signed: bool = False
) -> int:
    """`participant_id` invited to `request_id` by its owner and saying yes on
    their page (and signing the documents, when `signed`): the invitation's id.
    The request is matched when enough have said yes."""
    async with db.transaction() as session:
        invited = await invitations.invite(
            session, request_id, participant_id, owner, now=clock.now(), days=14
        )
        invitation = invited.invitation
        await invitations.answer_invitation(
            session,
            invitations.Answerer(participant_id=participant_id),
            invitation.id,
            accept=True,
            via="page",
            now=clock.now(),
        )
        if signed:
            await agreements.sign(session, request_id, participant_id, via="page", now=clock.now())
        return invitation.id


async def completed_request(bot, clock, names: list[str]) -> tuple[int, dict[str, int]]:
    """The channel set up, a request claimed by the coordinator, `names` from
    the pool invited, saying yes and signing, the request completed: its fee
    claims and evaluations are open (their cards and mails delivered). The
    request's id and each name's participant id."""
    await setup_channel(bot)
    await coordinator(bot).say("hjelp")  # the owner's chat, for their notices
    request_id = await request_in(bot.db, clock, Status.IN_PROGRESS, participant_count=len(names))
    ids = {}
    for name in names:
        ids[name] = await participant_with_consent(
            bot.db, clock, name, areas=bot.services.settings.areas
        )
        await accepted_invitation(bot.db, clock, request_id, ids[name])
    async with bot.db.transaction() as session:
        # Matched once all have said yes: then each signs.
        for participant_id in ids.values():
            await agreements.sign(session, request_id, participant_id, via="page", now=clock.now())
        await completion.set_status(session, request_id, OWNER, Status.COMPLETED, now=clock.now())
    await bot.drain()
    return request_id, ids
