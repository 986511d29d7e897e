"""The register of units in Teams: the order dialog's choices and their search
as the person types, and what a unit's contact is told of its requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.messages import Mail, Message, Recipient
from bot.framework.notifications import Notification, Sending
from bot.framework.ports import Turn
from bot.framework.router import Router
from bot.out.person_links import participant_mail
from dialogs.cards import escape_markdown
from dialogs.cards.order import UNITS_DATASET
from dialogs.i18n import t
from dialogs.order import UnitChoice
from dialogs.rendering import greeting
from storage import units
from storage.db import Database
from storage.db.models import Desk, Request, Unit
from storage.outbox import Render

if TYPE_CHECKING:
    from bot.services import Services

router = Router()


def choice_of(unit: Unit) -> UnitChoice:
    names = {"nb": unit.name_nb, "nn": unit.name("nn"), "en": unit.name("en")}
    return UnitChoice(code=unit.code, names=names)


class RegisterLookup:
    """The order dialog's view of the register (dialogs.order.UnitLookup)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def offered(self) -> list[UnitChoice]:
        async with self._db.sessions() as session:
            return [choice_of(u) for u in await units.search(session, "")]

    async def find(self, text: str) -> UnitChoice | None:
        async with self._db.sessions() as session:
            unit = (
                await units.by_code(session, text) if units.CODE.fullmatch(text.strip()) else None
            )
            if unit is None or unit.retired_at is not None:
                unit = await units.named(session, text)
            return choice_of(unit) if unit is not None else None


@router.search(UNITS_DATASET)
async def search_units(turn: Turn, services: Services, text: str) -> list[tuple[str, str]]:
    """Units offered whose code or name in any language holds the typed text,
    and always `other` last (a unit not in the register)."""
    async with services.db.sessions() as session:
        found = await units.search(session, text, limit=units.SEARCH_MAX - 1)
    results = [(u.name(turn.locale), u.code) for u in found]
    return [*results, (t(turn.locale, "units.choice.other"), units.OTHER)]


async def _told(session: AsyncSession, args: dict[str, Any]) -> tuple[Request, Unit] | None:
    request = await session.get(Request, args.get("request_id"))
    if request is None or request.unit_id is None:
        return None
    unit = await session.get(Unit, request.unit_id)
    return None if unit is None else (request, unit)


async def notice_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    """The reference and title, the unit and the desk: never what it is about."""
    found = await _told(session, args)
    if found is None:
        return None
    request, unit = found
    desk = await session.get(Desk, request.desk_id)
    text = t(
        locale,
        f"units.notice.{args.get('event')}",
        reference=request.reference,
        title=escape_markdown(request.title or ""),
        unit=escape_markdown(unit.name(locale)),
        desk=escape_markdown(desk.name(locale) if desk is not None else ""),
    )
    return Message(text=text)


async def notice_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """By e-mail the reference alone, under a subject that says nothing of it."""
    found = await _told(session, args)
    if found is None:
        return None
    request, _ = found
    locale = recipient.locale
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, request.desk_id, locale),
        subject=t(locale, "units.mail.subject"),
        greeting=greeting(locale, recipient.name),
        intro=t(locale, f"units.mail.{args.get('event')}", reference=request.reference),
    )


router.notify(Notification(Render.UNIT_NOTICE, teams=notice_in_teams, mail=notice_by_mail))
