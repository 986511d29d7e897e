"""The priority team's channel: registration, request cards and their Universal
Actions, the weekly digest, overview and statistics, and requester notices."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.dialogs import DialogContext
from msrest.exceptions import HttpOperationError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.connector import http_status
from bot.handler import MedvirkBot, person_key
from bot.turns import (
    JsonText,
    card_activity,
    card_result,
    error_result,
    is_admin,
    locale_of,
    positive_id,
)
from dialogs.cards.channel import (
    RequestView,
    age_in_days,
    digest_card,
    request_card,
    stats_card,
)
from dialogs.commands import Match
from dialogs.i18n import t
from scheduler.runner import parse_weekly
from storage import claims, outbox, reports
from storage.claims import Actor, MoveRefused
from storage.domain import Status
from storage.models import PriorityChannel, Request

log = logging.getLogger(__name__)

CHANNEL_LOCALE = "nb"
MEMBER_CACHE_SECONDS = 300
VERBS = ("claim", "release", "assign", "set_status", "refresh")


def view_of(request: Request) -> RequestView:
    return RequestView(
        id=request.id,
        reference=request.reference,
        title=request.title or "",
        unit=request.unit or "",
        assignment_type=request.assignment_type,
        level=request.level,
        participant_profile=request.participant_profile,
        participant_count=request.participant_count,
        start_date=request.start_date,
        end_date=request.end_date,
        needed_by=request.needed_by,
        meeting_format=request.meeting_format,
        workload=request.workload or "",
        requester_name=request.requester_name or "",
        status=request.status,
        owner_name=request.owner_name,
        decline_reason=request.decline_reason,
        created_at=request.created_at,
    )


class TeamMembership:
    """Is this person in the registered team? Asked of Teams, cached briefly."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], tuple[float, bool]] = {}

    async def is_member(self, ctx: TurnContext, team_id: str, aad_object_id: str) -> bool:
        key = (team_id, aad_object_id)
        hit = self._cache.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        try:
            await TeamsInfo.get_team_member(ctx, team_id, aad_object_id)
            member = True
        except HttpOperationError as error:
            if http_status(error) not in (403, 404):
                raise
            member = False
        self._cache[key] = (time.monotonic() + MEMBER_CACHE_SECONDS, member)
        return member


class CardAnswers:
    """A card action's answer, rendered and serialised once per distinct card.

    When twenty people press "Claim" at once, nineteen get the very same
    "already taken by …" card; rendering and serialising it was a fifth of
    such a press's work. The key is everything the card shows (the request as
    viewed, the notice, the picker's members, the age in days), so any change
    renders anew.
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._answers: OrderedDict[tuple[Any, ...], JsonText] = OrderedDict()

    def answer(
        self,
        view: RequestView,
        *,
        now: Any,
        notice: str | None,
        members: list[tuple[str, str]] | None,
    ) -> JsonText:
        key = (view, notice, tuple(members) if members else None, age_in_days(view, now))
        text = self._answers.get(key)
        if text is None:
            card = request_card(CHANNEL_LOCALE, view, now=now, notice=notice, members=members)
            text = card_result(card).json_text()
            self._answers[key] = text
            if len(self._answers) > self._size:
                self._answers.popitem(last=False)
        else:
            self._answers.move_to_end(key)
        return text


class OneAtATime:
    """Moves on one request go one at a time in this process.

    The conditional UPDATE decides races across processes; this keeps twenty
    presses in one process from each taking a connection and queueing on the
    same row lock in the database. They queue here instead, and all but the
    first then find the request taken with a single read.
    """

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: Counter[int] = Counter()

    @asynccontextmanager
    async def hold(self, request_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(request_id, asyncio.Lock())
        self._holders[request_id] += 1
        try:
            async with lock:
                yield
        finally:
            self._holders[request_id] -= 1
            if not self._holders[request_id]:
                del self._holders[request_id], self._locks[request_id]


class ChannelCache:
    """The registered channel, read at most every few seconds (it rarely moves)."""

    TTL_SECONDS = 10.0

    def __init__(self, db: Any) -> None:
        self._db = db
        self._value: tuple[float, PriorityChannel | None] | None = None

    async def get(self) -> PriorityChannel | None:
        if self._value is not None and self._value[0] > time.monotonic():
            return self._value[1]
        async with self._db.sessions() as session:
            channel = await claims.priority_channel(session)
        self._value = (time.monotonic() + self.TTL_SECONDS, channel)
        return channel

    def forget(self) -> None:
        self._value = None


def register(bot: MedvirkBot) -> None:
    services = bot.services
    settings = services.settings
    db = services.db
    clock = services.clock
    membership = TeamMembership()
    channel_cache = ChannelCache(db)
    answers = CardAnswers()
    one_at_a_time = OneAtATime()
    sender = services.extras["sender"]

    # -- rendering at send time ---------------------------------------------------------------

    @sender.renderer(claims.CHANNEL_CARD)
    async def render_card(
        session: AsyncSession, args: dict[str, Any], locale: str
    ) -> dict[str, Any] | None:
        request = await session.get(Request, args["request_id"])
        if request is None:
            return None
        card = request_card(CHANNEL_LOCALE, view_of(request), now=clock.now())
        return card_activity(card).serialize()

    @sender.renderer(claims.NOTICE)
    async def render_notice(
        session: AsyncSession, args: dict[str, Any], locale: str
    ) -> dict[str, Any] | None:
        request = await session.get(Request, args["request_id"])
        if request is None:
            return None
        text = t(
            locale,
            f"notice.{args['event']}",
            reference=request.reference,
            title=request.title or "",
            actor=args.get("actor") or "",
            reason=request.decline_reason or "",
        )
        return {"type": "message", "text": text}

    @sender.renderer("digest")
    async def render_digest(
        session: AsyncSession, args: dict[str, Any], locale: str
    ) -> dict[str, Any] | None:
        return card_activity(await _digest_card(session)).serialize()

    async def _digest_card(session: AsyncSession) -> dict[str, Any]:
        now = clock.now()
        found = await reports.digest(session, now=now)
        return digest_card(
            CHANNEL_LOCALE,
            [view_of(r) for r in found.unclaimed],
            [view_of(r) for r in found.stale],
            now=now,
        )

    # -- channel commands ---------------------------------------------------------------------

    async def register_channel(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        locale = locale_of(ctx)
        if not await is_admin(ctx, settings):
            await ctx.send_activity(t(locale, "error.not_admin"))
            return
        data = ctx.activity.channel_data or {}
        team = (data.get("team") or {}).get("id")
        channel = (data.get("channel") or {}).get("id")
        if not team or not channel:
            await ctx.send_activity(t(locale, "channel.not_in_team"))
            return
        async with db.transaction() as session:
            await claims.register_channel(
                session,
                team_id=team,
                channel_id=channel,
                service_url=ctx.activity.service_url,
                tenant_id=(data.get("tenant") or {}).get("id"),
                by=person_key(ctx.activity),
                now=clock.now(),
            )
        channel_cache.forget()
        log.info("priority channel registered")
        await ctx.send_activity(t(locale, "channel.registered"))

    async def overview(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        async with db.sessions() as session:
            card = await _digest_card(session)
        await ctx.send_activity(card_activity(card))

    async def statistics(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        locale = locale_of(ctx)
        year = match.argument.strip()
        if not (year.isdigit() and len(year) == 4):
            await ctx.send_activity(t(locale, "stats.bad_year"))
            return
        async with db.sessions() as session:
            figures = await reports.year_figures(session, int(year), zone=settings.zone)
        await ctx.send_activity(card_activity(stats_card(locale, figures.as_dict())))

    bot.channel_commands["register_channel"] = register_channel
    bot.channel_commands["overview"] = overview
    bot.channel_commands["statistics"] = statistics

    # -- Universal Actions --------------------------------------------------------------------

    async def team_members(ctx: TurnContext, team_id: str) -> list[tuple[str, str]]:
        members: list[tuple[str, str]] = []
        token = None
        for _ in range(20):
            page = await TeamsInfo.get_paged_team_members(ctx, team_id, token, 500)
            for m in page.members or []:
                if getattr(m, "aad_object_id", None):
                    members.append((m.aad_object_id, m.name or m.aad_object_id))
            token = page.continuation_token
            if not token:
                break
        return sorted(members, key=lambda m: m[1].casefold())

    async def act(ctx: TurnContext, data: dict[str, Any], verb: str) -> InvokeResponse:
        locale = locale_of(ctx)
        request_id = positive_id(data, "request_id")
        if request_id is None:
            return error_result(
                "bad_request_id", t(locale, "channel.error.bad_request_id")
            ).response()
        user = ctx.activity.from_property
        aad = getattr(user, "aad_object_id", None) or ""
        channel = await channel_cache.get()
        if channel is None:
            return error_result("no_channel", t(locale, "channel.error.no_channel")).response()
        admin = await is_admin(ctx, settings)
        if not admin and not (aad and await membership.is_member(ctx, channel.team_id, aad)):
            return error_result("forbidden", t(locale, "channel.error.not_member"), 403).response()
        actor = Actor(aad, getattr(user, "name", None), admin)
        members: list[tuple[str, str]] | None = None
        if verb == "assign":
            members = await team_members(ctx, channel.team_id)
        show_picker = verb == "assign" and "assignee" not in data
        if verb == "refresh" or show_picker:
            # Nothing changes: read what is committed, without a transaction.
            async with db.reading() as session:
                request = await session.get(Request, request_id)
            notice = None
        else:
            async with one_at_a_time.hold(request_id):
                request, notice = await make_move(verb, request_id, actor, data, members, locale)
        if request is None:
            return error_result(
                "unknown_request", t(locale, "channel.error.unknown_request"), 404
            ).response()
        answer = answers.answer(
            view_of(request),
            now=clock.now(),
            notice=notice,
            members=members if show_picker else None,
        )
        return InvokeResponse(status=200, body=answer)

    def refusal(locale: str, refused: MoveRefused) -> str:
        params = dict(refused.params)
        if "status" in params:
            params["status"] = t(locale, f"status.{params['status']}")
        return t(locale, refused.code, **params)

    async def make_move(
        verb: str,
        request_id: int,
        actor: Actor,
        data: dict[str, Any],
        members: list[tuple[str, str]] | None,
        locale: str,
    ) -> tuple[Request | None, str | None]:
        """The request after the move (None if there is no such request), and
        what to tell the actor."""
        if verb == "claim":
            # Taken already (all but the first press of a race): say by whom
            # after one read, without a transaction.
            async with db.reading() as session:
                current = await session.get(Request, request_id)
            if current is None:
                return None, None
            try:
                claims.check_claimable(current)
            except MoveRefused as refused:
                return current, refusal(locale, refused)
        # One transaction: the move with its audit and outbox rows, and the state
        # the answer shows. A refused move writes nothing (claims raise before any write).
        async with db.transaction() as session:
            try:
                return await move(session, verb, request_id, actor, data, members, locale)
            except MoveRefused as refused:
                log.info("request %s: %s refused (%s)", request_id, verb, refused.code)
                return await session.get(Request, request_id), refusal(locale, refused)

    async def move(
        session: AsyncSession,
        verb: str,
        request_id: int,
        actor: Actor,
        data: dict[str, Any],
        members: list[tuple[str, str]] | None,
        locale: str,
    ) -> tuple[Request, str]:
        """Make the move `verb` asks for: the request after it, and what to tell the actor."""
        now = clock.now()
        if verb == "claim":
            request = await claims.claim(session, request_id, actor, now=now)
            return request, t(locale, "channel.claimed_by_you")
        if verb == "release":
            request = await claims.release(session, request_id, actor, now=now)
            return request, t(locale, "channel.released")
        if verb == "set_status":
            target = data.get("status")
            if target not in {s.value for s in Status}:
                raise MoveRefused("channel.error.bad_status")
            comment = data.get("comment") if isinstance(data.get("comment"), str) else None
            request = await claims.set_status(
                session, request_id, actor, Status(target), now=now, comment=comment
            )
            return request, t(locale, "channel.moved", status=t(locale, f"status.{target}"))
        if verb == "assign" and "assignee" in data:
            names = dict(members or [])
            assignee = data.get("assignee")
            if not isinstance(assignee, str) or assignee not in names:
                raise MoveRefused("channel.error.bad_assignee")
            request = await claims.assign(
                session,
                request_id,
                actor,
                owner_aad_id=assignee,
                owner_name=names[assignee],
                now=now,
            )
            return request, t(locale, "channel.assigned", owner=names[assignee])
        raise MoveRefused("error.bad_card_data")  # not a move

    for verb in VERBS:
        bot.invoke_verbs[verb] = _bind(act, verb)

    # -- the requester's cancel ---------------------------------------------------------------

    async def cancel_request(ctx: TurnContext, dc: DialogContext, value: dict[str, Any]) -> None:
        locale = locale_of(ctx)
        request_id = positive_id(value, "request_id")
        if request_id is None:
            await ctx.send_activity(t(locale, "channel.error.bad_request_id"))
            return
        try:
            async with db.transaction() as session:
                request = await claims.cancel_by_requester(
                    session, request_id, person_key(ctx.activity), now=clock.now()
                )
                reference = request.reference
        except MoveRefused as refused:
            await ctx.send_activity(refusal(locale, refused))
            return
        await ctx.send_activity(t(locale, "notice.cancelled_by_you", reference=reference))

    bot.submit_actions["cancel_request"] = cancel_request

    # -- the weekly digest --------------------------------------------------------------------

    async def weekly_digest() -> None:
        now = clock.now()
        year, week, _ = now.astimezone(settings.zone).isocalendar()
        async with db.transaction() as session:
            channel = await claims.priority_channel(session)
            if channel is None:
                return
            # One digest a week, however many processes run the job.
            await outbox.enqueue(
                session,
                now=now,
                target_kind="channel",
                target_key=channel.channel_id,
                payload={"render": "digest", "args": {}},
                dedupe_key=f"digest:{year}-W{week:02d}",
            )

    services.extras["weekly_digest"] = weekly_digest
    services.extras["scheduler"].cron(
        "weekly_digest", parse_weekly(settings.digest_cron, settings.zone), weekly_digest
    )


def _bind(act: Any, verb: str) -> Any:
    async def handler(ctx: TurnContext, data: dict[str, Any]) -> InvokeResponse:
        return await act(ctx, data, verb)

    return handler
