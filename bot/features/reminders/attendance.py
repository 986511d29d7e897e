"""Who came: the desk's attendance list in Teams (`oppmøte ID`, admins), one
check box per person registered; saving it (`check_in`) records who came and
who did not, and makes each participant of the pool who came a fee claim for
the day (storage.reminders.registrations.check_in). The same list is
`medvirk gathering attendance ID` on the command line."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.messages import InvokeAnswer, card_answer, error_answer
from bot.framework.ports import Turn, positive_id
from bot.framework.router import Guard, Router
from dialogs.cards.attendance import Attendee, attendance_card
from dialogs.cards.reminders import local_time
from dialogs.i18n import t
from storage.db import scope
from storage.db.models import Contact, Gathering, Registration
from storage.domain.registrations import RegistrationStatus
from storage.reminders import registrations

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()
ADMIN = (Guard.PERSONAL, Guard.ADMIN)


async def _attendees(session: AsyncSession, gathering_id: int) -> list[tuple[Registration, str]]:
    rows = await session.execute(
        select(Registration, Contact)
        .join(Contact, Contact.id == Registration.contact_id)
        .where(
            Registration.gathering_id == gathering_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .order_by(Contact.name, Registration.id)
    )
    return [(r, c.name or c.email or "—") for r, c in rows]


async def _card(
    services: Services,
    session: AsyncSession,
    locale: str,
    gathering: Gathering,
    **said: str | None,
) -> dict[str, Any]:
    found = await _attendees(session, gathering.id)
    return attendance_card(
        locale,
        gathering_id=gathering.id,
        title=gathering.title,
        when=local_time(gathering.starts_at, services.settings.zone),
        attendees=[
            Attendee(r.id, name, r.door_code, r.attended_at is not None) for r, name in found
        ],
        **said,
    )


async def _taking(session: AsyncSession, gathering_id: int | None) -> Gathering | None:
    """The gathering if it takes registrations and is the turn's desk's."""
    if gathering_id is None:
        return None
    gathering = await scope.get(session, Gathering, gathering_id)
    return gathering if gathering is not None and gathering.registers else None


@router.personal_command("attendance")  # admin_only in the command table
async def attendance(turn: Turn, services: Services, argument: str) -> None:
    gathering_id = int(argument) if argument.strip().isdigit() else None
    async with services.db.reading() as session:
        gathering = await _taking(session, gathering_id)
        if gathering is None:
            await turn.reply(t(turn.locale, "attendance.which"))
            return
        await turn.card(await _card(services, session, turn.locale, gathering))


@router.verb("check_in", guards=ADMIN)
async def check_in(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    """The list as ticked: those ticked came (a fee claim for each participant
    among them), those not ticked did not (a draft claim of theirs goes)."""
    locale = turn.locale
    now = services.clock.now()
    async with services.db.transaction() as session:
        gathering = await _taking(session, positive_id(data, "gathering_id"))
        if gathering is None:
            return error_answer("bad_data", t(locale, "error.bad_card_data"))
        came, gone = [], []
        for registration, _ in await _attendees(session, gathering.id):
            ticked = data.get(f"came_{registration.id}")
            if ticked in ("true", True) and registration.attended_at is None:
                came.append(registration.door_code)
            elif ticked in ("false", False) and registration.attended_at is not None:
                gone.append(registration.id)
        checked = await registrations.check_in(
            session,
            gathering.id,
            came,
            now=now,
            rates=services.settings.fee_rates,
            by=turn.person.name,
        )
        for registration_id in gone:
            await registrations.undo_check_in(session, gathering.id, registration_id, now=now)
        log.info(
            "gathering %s: %s checked in, %s undone, %s claims",
            gathering.id,
            len(checked.came),
            len(gone),
            checked.claims,
        )
        notice = t(locale, "attendance.saved", came=len(checked.came), undone=len(gone))
        if checked.claims:
            notice += " " + t(locale, "attendance.claims", count=checked.claims)
        return card_answer(await _card(services, session, locale, gathering, notice=notice))
