"""The request card's Universal Actions: claim, release, assign, set_status, refresh.

Each verb is one handler; the router's `TEAM_MEMBER` guard has let only members
of the priority team (and admins) through. A move runs in one transaction with
its audit and outbox rows; what the card says to the presser is translated
after the transaction, and the answer card is rendered once per distinct card.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.card_state import CHANNEL_LOCALE, Held, view_of
from bot.framework.messages import InvokeAnswer, card_answer, error_answer
from bot.framework.ports import Turn, positive_id
from bot.framework.router import PRIORITY_TEAM, Router
from dialogs.cards import escape_markdown
from dialogs.cards.requests import moved_card
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from storage import privacy
from storage.db import scope
from storage.db.models import Request
from storage.domain.fields import COMMENT_MAX, free_text
from storage.domain.refusal import Refused
from storage.domain.requests import Status
from storage.requests import completion, moves
from storage.requests.moves import Actor

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

# The request card lives in the priority channel: pressed there, by its team's members.
router = Router(guards=PRIORITY_TEAM)

# What a move does, given the session and who makes it: the request after it.
MakeMove = Callable[[AsyncSession, Actor], Awaitable[Request]]
# What to tell the presser: a catalog key and its parameters.
Said = tuple[str, dict[str, str]]


def _bad_request_id(turn: Turn) -> InvokeAnswer:
    return error_answer("bad_request_id", t(turn.locale, "channel.error.bad_request_id"))


def _answer(
    turn: Turn,
    services: Services,
    request: Request | None,
    notice: str | None,
    members: list[tuple[str, str]] | None = None,
) -> InvokeAnswer:
    if request is None:
        return error_answer("unknown_request", t(turn.locale, "channel.error.unknown_request"), 404)
    view = view_of(request, transfer_to=services.desks.others(request.desk_id, CHANNEL_LOCALE))
    body = services.card_answers.answer(
        view, now=services.clock.now(), notice=notice, members=members
    )
    return InvokeAnswer(body)


async def _read(services: Services, request_id: int) -> Request | None:
    """The request as committed, without a transaction."""
    async with services.db.reading() as session:
        return await scope.get(session, Request, request_id)


async def _move(
    turn: Turn, services: Services, request_id: int, make: MakeMove, said: Said
) -> InvokeAnswer:
    """Make a move, one at a time per request in this process, and answer with
    the card as it then stands."""
    async with services.moves_in_flight.hold(request_id) as held:
        return await _move_held(turn, services, held, request_id, make, said)


async def _move_held(
    turn: Turn, services: Services, held: Held, request_id: int, make: MakeMove, said: Said
) -> InvokeAnswer:
    actor = await services.access.actor(turn)
    request: Request | None
    refused: Refused | None = None
    # One transaction: the move with its audit and outbox rows, and the state the
    # answer shows. A refused move writes nothing (moves raise before any write).
    async with services.db.transaction() as session:
        try:
            request = await make(session, actor)
        except Refused as refusal:
            log.info("request %s: move refused (%s)", request_id, refusal.key)
            refused = refusal
            request = await scope.get(session, Request, request_id)
    if request is not None:
        held.moved(request)
    notice = refusal_text(turn.locale, refused) if refused else t(turn.locale, said[0], **said[1])
    return _answer(turn, services, request, notice)


@router.verb("refresh")
async def refresh(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return _bad_request_id(turn)
    request = await _read(services, request_id)
    if request is not None and request.owner_aad_id != turn.person.aad_object_id:
        # Someone other than its owner looked at it: on the read audit.
        async with services.db.transaction() as session:
            await privacy.record_read(
                session,
                reader=turn.person.key,
                what=f"refresh {request.reference}",
                via="teams",
                now=services.clock.now(),
            )
    return _answer(turn, services, request, None)


@router.verb("claim")
async def claim(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return _bad_request_id(turn)
    now = services.clock.now()
    async with services.moves_in_flight.hold(request_id) as held:
        # Taken already (all but the first press of a race): say by whom, from
        # the request as the press before left it, or after one read.
        current = held.latest or await _read(services, request_id)
        if current is None:
            return _answer(turn, services, None, None)
        try:
            moves.check_claimable(current)
        except Refused as refused:
            held.moved(current)
            return _answer(turn, services, current, refusal_text(turn.locale, refused))

        async def make(session: AsyncSession, actor: Actor) -> Request:
            return await moves.claim(session, request_id, actor, now=now)

        return await _move_held(
            turn, services, held, request_id, make, ("channel.claimed_by_you", {})
        )


@router.verb("release")
async def release(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return _bad_request_id(turn)
    now = services.clock.now()

    async def make(session: AsyncSession, actor: Actor) -> Request:
        return await moves.release(session, request_id, actor, now=now)

    return await _move(turn, services, request_id, make, ("channel.released", {}))


@router.verb("set_status")
async def set_status(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return _bad_request_id(turn)
    raw = data.get("status")
    if not isinstance(raw, str) or raw not in {s.value for s in Status}:
        current = await _read(services, request_id)
        return _answer(turn, services, current, t(turn.locale, "channel.error.bad_status"))
    target = Status(raw)
    try:
        # Stored as the decline reason, shown on the card and sent to the requester.
        comment = free_text(data.get("comment"), max_length=COMMENT_MAX)
    except Refused as refused:
        # Never echoed or logged: it may hold an identity number.
        log.info("request %s: comment refused (%s)", request_id, refused.key)
        current = await _read(services, request_id)
        return _answer(turn, services, current, refusal_text(turn.locale, refused))
    now = services.clock.now()

    async def make(session: AsyncSession, actor: Actor) -> Request:
        return await completion.set_status(
            session, request_id, actor, target, now=now, comment=comment
        )

    said = ("channel.moved", {"status": t(turn.locale, f"status.{target.value}")})
    return await _move(turn, services, request_id, make, said)


async def team_members(turn: Turn, team_id: str) -> list[tuple[str, str]]:
    """The team's members who can own a request (AAD id, name), by name."""
    roster = await turn.directory.team_roster(team_id)
    members = [(m.aad_object_id, m.name or m.aad_object_id) for m in roster if m.aad_object_id]
    return sorted(members, key=lambda m: m[1].casefold())


@router.verb("assign")
async def assign(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return _bad_request_id(turn)
    desk = await services.access.desk_of_turn(turn)
    assert desk is not None and desk.team_id  # the PRIORITY_CHANNEL guard refuses without one
    members = await team_members(turn, desk.team_id)
    if "assignee" not in data:
        # Show the picker: nothing changes.
        return _answer(turn, services, await _read(services, request_id), None, members)
    names = dict(members)
    assignee = data.get("assignee")
    if not isinstance(assignee, str) or assignee not in names:
        current = await _read(services, request_id)
        return _answer(turn, services, current, t(turn.locale, "channel.error.bad_assignee"))
    now = services.clock.now()

    async def make(session: AsyncSession, actor: Actor) -> Request:
        return await moves.assign(
            session,
            request_id,
            actor,
            owner_aad_id=assignee,
            owner_name=names[assignee],
            now=now,
        )

    said = ("channel.assigned", {"owner": escape_markdown(names[assignee])})
    return await _move(turn, services, request_id, make, said)


@router.verb("ask_requester")
async def ask_requester(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    """The owner asks the requester a question (`data.question`); a commissioner
    outside Teams gets it by e-mail and replies to the owner's address."""
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return _bad_request_id(turn)
    desk = await services.access.desk_of_turn(turn)
    email = None
    if desk is not None and desk.team_id and turn.person.aad_object_id:
        roster = await turn.directory.team_roster(desk.team_id)
        me = [m for m in roster if m.aad_object_id == turn.person.aad_object_id]
        email = (me[0].email or me[0].user_principal_name) if me else None
    now = services.clock.now()

    async def make(session: AsyncSession, actor: Actor) -> Request:
        return await moves.ask_requester(
            session, request_id, actor, data.get("question"), owner_email=email, now=now
        )

    return await _move(turn, services, request_id, make, ("channel.asked", {}))


@router.verb("transfer")
async def transfer(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    """Its owner or an admin sends the request to another desk (`data.desk`, a
    code), with a reason (`data.reason`)."""
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return _bad_request_id(turn)
    now = services.clock.now()
    async with services.moves_in_flight.hold(request_id):
        actor = await services.access.actor(turn)
        try:
            async with services.db.transaction() as session:
                done = await moves.transfer(
                    session,
                    request_id,
                    actor,
                    to_desk=str(data.get("desk") or ""),
                    reason=data.get("reason"),
                    now=now,
                )
        except Refused as refused:
            if refused.key == scope.OTHER_DESK:
                raise
            current = await _read(services, request_id)
            return _answer(turn, services, current, refusal_text(turn.locale, refused))
    log.info("request %s: transferred to another desk", request_id)
    moved = moved_card(CHANNEL_LOCALE, done.request.reference, done.to_desk.name(CHANNEL_LOCALE))
    return card_answer(moved)
