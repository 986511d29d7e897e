"""What the outbox sends for requests: the channel card, the requester's
notices, and the weekly digest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.card_state import CHANNEL_LOCALE, view_of
from bot.framework.messages import Mail, Message, Recipient
from bot.framework.notifications import Notification, Sending
from bot.framework.router import Router
from bot.out.person_links import commissioner_mail
from bot.settings import Settings
from dialogs.cards import escape_markdown
from dialogs.cards.requests import digest_card, moved_card, request_card
from dialogs.i18n import LOCALES, t
from storage import desks, notifications, reports
from storage.db import scope
from storage.db.models import DEFAULT_DESK_ID, Desk, Request
from storage.notifications import DigestDue
from storage.outbox import Render
from storage.requests import escalation

if TYPE_CHECKING:
    from bot.services import Services

router = Router()


async def render_card(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    request = await session.get(Request, args["request_id"])
    if request is None:
        return None
    thread = args.get("thread")
    if thread is not None and thread != request.channel_conversation_id:
        return None  # a post it has left (another desk's now): not edited back
    others = desks.elsewhere(await sending.desks.all(session), request.desk_id, CHANNEL_LOCALE)
    view = view_of(request, transfer_to=others)
    return Message(card=request_card(CHANNEL_LOCALE, view, now=sending.clock.now()))


async def render_moved(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    request = await session.get(Request, args["request_id"])
    desk = await session.get(Desk, args["desk_id"])
    if request is None or desk is None:
        return None
    return Message(card=moved_card(CHANNEL_LOCALE, request.reference, desk.name(CHANNEL_LOCALE)))


def _worded(
    locale: str, key: str, request: Request, escape: Callable[[str], str], **said: str | None
) -> str:
    """A notice about `request` in `locale`; what people typed through `escape`
    (Teams renders markdown in a text message: there it stays text)."""
    fields = {name: escape(value or "") for name, value in said.items()}
    return t(locale, key, reference=request.reference, title=escape(request.title or ""), **fields)


def _plain(text: str) -> str:
    return text


def _requester_locale(request: Request) -> str:
    return request.requester_locale if request.requester_locale in LOCALES else "nb"


async def render_notice(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    request = await session.get(Request, args["request_id"])
    if request is None:
        return None
    text = _worded(
        locale,
        f"notice.{args['event']}",
        request,
        escape_markdown,
        actor=args.get("actor"),
        reason=request.decline_reason,
        desk=await sending.desk_name(session, request.desk_id, locale),
    )
    return Message(text=text)


async def notice_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """A requester outside Teams (a commissioner who ordered on the web) hears of
    the move by e-mail, in the language they ordered in."""
    request = await session.get(Request, args["request_id"])
    if request is None:
        return None
    locale = _requester_locale(request)
    desk = await sending.desk_name(session, request.desk_id, locale)
    text = _worded(
        locale,
        f"notice.{args['event']}",
        request,
        _plain,
        actor=args.get("actor"),
        reason=request.decline_reason,
        desk=desk,
    )
    return commissioner_mail(
        locale, subject=t(locale, "weborder.mail.notice_subject"), intro=text, desk=desk
    )


async def question_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    request = await session.get(Request, args["request_id"])
    if request is None:
        return None
    text = _worded(
        locale,
        "ask.text",
        request,
        escape_markdown,
        owner=args.get("owner"),
        question=args.get("question"),
    )
    return Message(text=text)


async def question_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """To a commissioner outside Teams: the question, and their reply goes to
    the owner's own address where Teams gave it."""
    request = await session.get(Request, args["request_id"])
    if request is None:
        return None
    locale = _requester_locale(request)
    text = _worded(
        locale, "ask.text", request, _plain, owner=args.get("owner"), question=args.get("question")
    )
    reply_to = args.get("owner_email")
    if reply_to:
        text = f"{text}\n\n{t(locale, 'ask.reply_hint')}"
    return commissioner_mail(
        locale,
        subject=t(locale, "ask.subject"),
        intro=text,
        desk=await sending.desk_name(session, request.desk_id, locale),
        reply_to=reply_to if isinstance(reply_to, str) else None,
    )


async def digest_card_now(
    session: AsyncSession, settings: Settings, now: datetime
) -> dict[str, Any]:
    """The digest as it stands: unclaimed and stale requests, and how many are overdue."""
    found = await reports.digest(session, now=now)
    days = settings.stale_claim_days
    late = await escalation.overdue(session, now=now, zone=settings.zone, stale_days=days)
    return digest_card(
        CHANNEL_LOCALE,
        [view_of(r) for r in found.unclaimed],
        [view_of(r) for r in found.stale],
        now=now,
        by_unit=found.by_unit,
        overdue=(
            sum(o.reason == escalation.UNCLAIMED for o in late),
            sum(o.reason == escalation.NOT_MATCHED for o in late),
            days,
        ),
    )


async def render_escalation(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    """A request named in the channel, if it is still overdue when sent."""
    request = await session.get(Request, args.get("request_id"))
    if request is None:
        return None
    found = escalation.lateness(
        request,
        now=sending.clock.now(),
        zone=sending.settings.zone,
        stale_days=sending.settings.stale_claim_days,
    )
    if found is None or found.reason != args.get("reason"):
        return None  # claimed or matched meanwhile
    return Message(
        text=t(
            CHANNEL_LOCALE,
            f"escalation.{found.reason}",
            reference=request.reference,
            title=escape_markdown(request.title or ""),
            unit=escape_markdown(request.unit or ""),
            days=found.days,
            needed_by=request.needed_by.strftime("%d.%m.%Y"),
            owner=escape_markdown(request.owner_name or ""),
        )
    )


async def render_digest(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    with scope.within({int(args.get("desk_id", DEFAULT_DESK_ID))}):
        card = await digest_card_now(session, sending.settings, sending.clock.now())
    return Message(card=card)


async def enqueue_weekly_digest(services: Services) -> None:
    """Each desk's digest before its distribution meeting: one a week, however
    many processes run the job."""
    now = services.clock.now()
    year, week, _ = now.astimezone(services.settings.zone).isocalendar()
    async with services.db.transaction() as session:
        due = [
            DigestDue(desk.id, desk.channel_id, f"{year}-W{week:02d}")
            for desk in await desks.every(session)
            if desk.channel_id
        ]
        await notifications.record(session, *due, now=now)


router.notify(
    Notification(Render.REQUEST_CARD, teams=render_card, delivered=desks.remember_card),
    Notification(Render.REQUEST_NOTICE, teams=render_notice, mail=notice_by_mail),
    Notification(Render.REQUEST_QUESTION, teams=question_in_teams, mail=question_by_mail),
    Notification(Render.REQUEST_MOVED, teams=render_moved),
    Notification(Render.ESCALATION, teams=render_escalation),
    Notification(Render.DIGEST, teams=render_digest),
)
