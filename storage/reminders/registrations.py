"""Registrations for gatherings that take them (SPEC "Gatherings people
register for"): seats that hold under any race, a waiting list in arrival
order, a freed seat offered to the first waiting for a while, then to the next.

Every change of a gathering's seats goes through one conditional UPDATE of
its row (`arrivals` on arrival, `seats_taken` on a seat), which PostgreSQL
row-locks until the transaction ends and SQLite serialises with its one
writer: two registrations for the last seat cannot both get it, in one
process or in several.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import fee_claims
from storage.db import scope
from storage.db.models import Contact, Gathering, Registration
from storage.domain.fees import Rates
from storage.domain.fields import free_text
from storage.domain.refusal import Refused
from storage.domain.registrations import (
    ACTIVE,
    ANSWER_MAX,
    ATTEND_MODES,
    QUESTIONS,
    REGISTRATIONS,
    RegistrationStatus,
)
from storage.domain.reminders import SubjectStatus
from storage.notifications import ProgrammeSent, SeatOffered, record

R = RegistrationStatus
# Door codes: no 0/O or 1/I to mix up when read aloud at the door.
_CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def door_code() -> str:
    return "".join(secrets.choice(_CODE_LETTERS) for _ in range(6))


def parse_questions(text: str | None) -> list[str] | None:
    """`--questions diet,access,travel,attend_mode` (a subset, in that order)."""
    if text is None or not text.strip():
        return None
    asked = [q.strip().lower() for q in text.split(",") if q.strip()]
    unknown = [q for q in asked if q not in QUESTIONS]
    if unknown:
        raise Refused("gathering.error.unknown_question", question=", ".join(unknown))
    return [q for q in QUESTIONS if q in asked]


def answers_of(gathering: Gathering, raw: dict[str, Any]) -> dict[str, str]:
    """The answers to the gathering's questions, checked (free text under the
    house's rules: no identity number; `attend_mode` one of its choices)."""
    found: dict[str, str] = {}
    for question in gathering.questions or ():
        value = raw.get(question)
        if question == "attend_mode":
            if value not in ATTEND_MODES:
                raise Refused("gathering.error.attend_mode")
            found[question] = str(value)
            continue
        text = free_text(value, max_length=ANSWER_MAX)
        if text is not None:
            found[question] = text
    return found


async def of_contact(
    session: AsyncSession, gathering_id: int, contact_id: int
) -> Registration | None:
    return await session.scalar(
        select(Registration).where(
            Registration.gathering_id == gathering_id, Registration.contact_id == contact_id
        )
    )


async def _open_gathering(session: AsyncSession, gathering_id: int, now: datetime) -> Gathering:
    gathering = await scope.get(session, Gathering, gathering_id)
    if gathering is None or not gathering.registers:
        raise Refused("gathering.error.no_registration")
    if gathering.status != SubjectStatus.ACTIVE:
        raise Refused("gathering.is_cancelled")
    return gathering


async def register(
    session: AsyncSession,
    gathering_id: int,
    contact: Contact,
    raw_answers: dict[str, Any],
    *,
    now: datetime,
) -> Registration:
    """A seat if one is free, else a place on the waiting list. Registering
    again while holding one changes only the answers; after the deadline, no
    new registration (`gathering.error.closed`)."""
    gathering = await _open_gathering(session, gathering_id, now)
    answers = answers_of(gathering, raw_answers)
    # The arrival number: this UPDATE holds the gathering's row to the end of
    # the transaction (PostgreSQL; SQLite has one writer), so what follows is
    # decided one registration at a time (a double click finds the first).
    arrival = await session.scalar(
        update(Gathering)
        .execution_options(synchronize_session=False)
        .where(Gathering.id == gathering.id)
        .values(arrivals=Gathering.arrivals + 1)
        .returning(Gathering.arrivals)
    )
    found = await of_contact(session, gathering.id, contact.id)
    if found is not None:
        await session.refresh(found)
    if found is not None and found.status in ACTIVE:
        found.answers = answers
        found.updated_at = now
        return found
    if gathering.register_by is not None and now >= gathering.register_by:
        raise Refused("gathering.error.closed")
    seat = await _take_seat(session, gathering)
    status = R.REGISTERED if seat else R.WAITLISTED
    if found is None:
        found = Registration(
            gathering_id=gathering.id,
            contact_id=contact.id,
            desk_id=gathering.desk_id,
            door_code=door_code(),
            created_at=now,
        )
        session.add(found)
    found.status = status
    found.arrival = int(arrival or 0)
    found.answers = answers
    found.offered_until = None
    found.updated_at = now
    await session.flush()
    if status == R.REGISTERED:
        await _programme_if_sent(session, gathering, contact)
    return found


async def _programme_if_sent(session: AsyncSession, gathering: Gathering, contact: Contact) -> None:
    """One who takes a seat after the programme went out gets it too."""
    if gathering.programme_sent_at is not None:
        now = gathering.programme_sent_at
        await record(session, ProgrammeSent(contact.key, gathering.id, contact.id), now=now)


async def _take_seat(session: AsyncSession, gathering: Gathering) -> bool:
    if gathering.capacity is None:
        await session.execute(
            update(Gathering)
            .execution_options(synchronize_session=False)
            .where(Gathering.id == gathering.id)
            .values(seats_taken=Gathering.seats_taken + 1)
        )
        return True
    taken = await session.scalar(
        update(Gathering)
        .execution_options(synchronize_session=False)
        .where(Gathering.id == gathering.id, Gathering.seats_taken < gathering.capacity)
        .values(seats_taken=Gathering.seats_taken + 1)
        .returning(Gathering.seats_taken)
    )
    return taken is not None


async def _pass_seat(session: AsyncSession, gathering: Gathering, *, now: datetime) -> None:
    """A seat came free: held for the first waiting (an offer until
    `offer_hours` from now), or given back when nobody waits."""
    first = await session.scalar(
        select(Registration)
        .where(Registration.gathering_id == gathering.id, Registration.status == R.WAITLISTED)
        .order_by(Registration.arrival)
        .limit(1)
    )
    if first is None:
        await session.execute(
            update(Gathering)
            .execution_options(synchronize_session=False)
            .where(Gathering.id == gathering.id)
            .values(seats_taken=Gathering.seats_taken - 1)
        )
        return
    first.status = REGISTRATIONS.transition(first.status, R.OFFERED)
    first.offered_until = now + timedelta(hours=gathering.offer_hours)
    first.updated_at = now
    contact = await session.get(Contact, first.contact_id)
    if contact is not None:
        await record(session, SeatOffered(contact.key, first.id, now), now=now)


async def _mine(
    session: AsyncSession, registration_id: int, contact: Contact
) -> tuple[Registration, Gathering]:
    registration = await scope.get(session, Registration, registration_id)
    if registration is None or registration.contact_id != contact.id:
        raise Refused("gathering.error.not_yours")
    gathering = await session.get_one(Gathering, registration.gathering_id)
    await _hold(session, gathering, registration)
    return registration, gathering


async def _hold(session: AsyncSession, gathering: Gathering, registration: Registration) -> None:
    """The gathering's row first (a seat moves one at a time: PostgreSQL locks
    it to the end of the transaction), then the registration as it now is."""
    await session.execute(
        update(Gathering)
        .execution_options(synchronize_session=False)
        .where(Gathering.id == gathering.id)
        .values(arrivals=Gathering.arrivals)
    )
    await session.refresh(registration)


async def cancel(
    session: AsyncSession, registration_id: int, contact: Contact, *, now: datetime
) -> Registration:
    """Give up a seat (it passes to the first waiting), an offer, or a place."""
    registration, gathering = await _mine(session, registration_id, contact)
    held = registration.status in (R.REGISTERED, R.OFFERED)
    registration.status = REGISTRATIONS.transition(registration.status, R.CANCELLED)
    registration.offered_until = None
    registration.updated_at = now
    if held:
        await _pass_seat(session, gathering, now=now)
    return registration


async def answer_offer(
    session: AsyncSession, registration_id: int, contact: Contact, take: bool, *, now: datetime
) -> Registration:
    """Yes takes the offered seat (before the offer ends); no passes it on."""
    registration, gathering = await _mine(session, registration_id, contact)
    if registration.status != R.OFFERED:
        raise Refused(f"gathering.error.registration_{registration.status}")
    if take:
        if registration.offered_until is not None and now >= registration.offered_until:
            raise Refused("gathering.error.offer_expired")
        registration.status = REGISTRATIONS.transition(registration.status, R.REGISTERED)
        await _programme_if_sent(session, gathering, contact)
    else:
        registration.status = REGISTRATIONS.transition(registration.status, R.DECLINED)
        await _pass_seat(session, gathering, now=now)
    registration.offered_until = None
    registration.updated_at = now
    return registration


async def expire_offers(session: AsyncSession, *, now: datetime) -> int:
    """Offers nobody answered in time: declined, each seat to the next waiting."""
    due = list(
        await session.scalars(
            select(Registration)
            .where(Registration.status == R.OFFERED, Registration.offered_until <= now)
            .order_by(Registration.gathering_id, Registration.arrival)
        )
    )
    for registration in due:
        gathering = await session.get_one(Gathering, registration.gathering_id)
        await _hold(session, gathering, registration)
        if registration.status != R.OFFERED:
            continue  # answered meanwhile
        registration.status = REGISTRATIONS.transition(registration.status, R.DECLINED)
        registration.offered_until = None
        registration.updated_at = now
        await _pass_seat(session, gathering, now=now)
    return len(due)


@dataclass(frozen=True)
class CheckIn:
    came: list[Registration]
    # Codes that are no registered person's.
    unknown: list[str]
    # Claims for the day made now (participants of the pool who came).
    claims: int


async def check_in(
    session: AsyncSession,
    gathering_id: int,
    codes: list[str],
    *,
    now: datetime,
    rates: Rates | None = None,
    by: str | None = None,
) -> CheckIn:
    """Those registered with these door codes came (again: no change). Each
    of them who is a participant of the gathering's desk's pool gets a fee
    claim for the day (by `rates`' `[gathering]`) to confirm; `by` is who
    checked them in (on the claim, as its filer)."""
    wanted = {c.strip().upper() for c in codes if c.strip()}
    found = list(
        await session.execute(
            select(Registration, Contact, Gathering)
            .join(Contact, Contact.id == Registration.contact_id)
            .join(Gathering, Gathering.id == Registration.gathering_id)
            .where(
                Registration.gathering_id == gathering_id,
                Registration.status == R.REGISTERED,
                Registration.door_code.in_(wanted),
            )
        )
    )
    claims = 0
    for registration, contact, gathering in found:
        if registration.attended_at is None:
            registration.attended_at = now
            registration.updated_at = now
        if rates is not None and await _claim_the_day(
            session, gathering, registration, contact, rates=rates, by=by, now=now
        ):
            claims += 1
    came = [r for r, _, _ in found]
    return CheckIn(came, sorted(wanted - {r.door_code for r in came}), claims)


async def _claim_the_day(
    session: AsyncSession,
    gathering: Gathering,
    registration: Registration,
    contact: Contact,
    *,
    rates: Rates,
    by: str | None,
    now: datetime,
) -> bool:
    participant = await fee_claims.participant_of(
        session, desk_id=gathering.desk_id, aad_object_id=contact.aad_object_id, email=contact.email
    )
    if participant is None:
        return False
    in_person = (registration.answers or {}).get("attend_mode", "in_person") == "in_person"
    claim = await fee_claims.file_for_a_day(
        session, gathering, participant, in_person=in_person, rates=rates, filer_name=by, now=now
    )
    return claim is not None and claim.created_at == now


async def undo_check_in(
    session: AsyncSession, gathering_id: int, registration_id: int, *, now: datetime
) -> Registration | None:
    """Checked in by mistake: not come after all, and the day's claim goes
    while it is a draft."""
    found = (
        await session.execute(
            select(Registration, Contact, Gathering)
            .join(Contact, Contact.id == Registration.contact_id)
            .join(Gathering, Gathering.id == Registration.gathering_id)
            .where(Registration.id == registration_id, Registration.gathering_id == gathering_id)
        )
    ).first()
    if found is None:
        return None
    registration, contact, gathering = found
    if registration.attended_at is not None:
        registration.attended_at = None
        registration.updated_at = now
        participant = await fee_claims.participant_of(
            session,
            desk_id=gathering.desk_id,
            aad_object_id=contact.aad_object_id,
            email=contact.email,
        )
        if participant is not None:
            await fee_claims.withdraw_day(session, gathering_id, participant.id)
    return registration


PROGRAMME_TEXT_MAX = 4000
PROGRAMME_PDF_MAX = 5_000_000


async def set_programme(
    session: AsyncSession,
    gathering_id: int,
    *,
    text: str | None,
    pdf: bytes | None,
    send_at: datetime,
    now: datetime,
) -> Gathering:
    """The programme to send at `send_at` to those registered (a PDF, a text or
    both); set again before it is sent, it replaces the first."""
    gathering = await _open_gathering(session, gathering_id, now)
    if gathering.programme_sent_at is not None:
        raise Refused("gathering.error.programme_sent")
    body = free_text(text, max_length=PROGRAMME_TEXT_MAX) if text is not None else None
    if pdf is not None and (not pdf.startswith(b"%PDF-") or len(pdf) > PROGRAMME_PDF_MAX):
        raise Refused("gathering.error.programme_pdf")
    if body is None and pdf is None:
        raise Refused("gathering.error.programme_empty")
    if send_at >= gathering.starts_at:
        raise Refused("gathering.error.programme_late")
    gathering.programme_text = body
    gathering.programme_pdf = pdf
    gathering.programme_at = max(send_at, now)
    return gathering


async def send_due_programmes(session: AsyncSession, *, now: datetime) -> int:
    """Programmes whose time has come: to each one registered, once (a row per
    person, its dedupe key the gathering's and theirs)."""
    due = list(
        await session.scalars(
            select(Gathering).where(
                Gathering.programme_at <= now,
                Gathering.programme_sent_at.is_(None),
                Gathering.status == SubjectStatus.ACTIVE,
            )
        )
    )
    sent = 0
    for gathering in due:
        rows = await session.execute(
            select(Contact)
            .join(Registration, Registration.contact_id == Contact.id)
            .where(
                Registration.gathering_id == gathering.id,
                Registration.status == R.REGISTERED,
            )
        )
        events = [ProgrammeSent(c.key, gathering.id, c.id) for (c,) in rows]
        await record(session, *events, now=now)
        gathering.programme_sent_at = now
        sent += len(events)
    return sent


async def counts(
    session: AsyncSession, gathering_id: int, *, started: bool = False
) -> dict[str, int]:
    """Registrations by status (every status named, 0 where none), those who
    came, and (once the gathering has started) those registered who did not."""
    found = {status.value: 0 for status in R}
    found["attended"] = found["no_shows"] = 0
    for status, attended_at in await session.execute(
        select(Registration.status, Registration.attended_at).where(
            Registration.gathering_id == gathering_id
        )
    ):
        found[str(status)] += 1
        if attended_at is not None:
            found["attended"] += 1
        elif started and status == R.REGISTERED:
            found["no_shows"] += 1
    return found


async def answers(session: AsyncSession, gathering_id: int) -> dict[str, Any]:
    """The answers of those holding a seat: counts of the choice, and the
    written ones as a list (for the organisers: diet and access needs)."""
    summary: dict[str, Any] = {"attend_mode": {}, "diet": [], "access": [], "travel": []}
    for (given,) in await session.execute(
        select(Registration.answers).where(
            Registration.gathering_id == gathering_id,
            Registration.status.in_([R.REGISTERED.value, R.OFFERED.value]),
        )
    ):
        for question, value in (given or {}).items():
            if question == "attend_mode":
                summary["attend_mode"][value] = summary["attend_mode"].get(value, 0) + 1
            elif question in summary:
                summary[question].append(value)
    return summary


async def waiting_list(session: AsyncSession, gathering_id: int) -> list[Registration]:
    return list(
        await session.scalars(
            select(Registration)
            .where(Registration.gathering_id == gathering_id, Registration.status == R.WAITLISTED)
            .order_by(Registration.arrival)
        )
    )


async def place_in_line(session: AsyncSession, registration: Registration) -> int | None:
    """1 for the first waiting; None for one not waiting."""
    if registration.status != R.WAITLISTED:
        return None
    # Counted, not loaded: with 800 waiting, loading the list took ~12 ms an
    # answer (bench/registration.py), a count 0.5 ms.
    ahead = await session.scalar(
        select(func.count(Registration.id)).where(
            Registration.gathering_id == registration.gathering_id,
            Registration.status == R.WAITLISTED,
            Registration.arrival < registration.arrival,
        )
    )
    return int(ahead or 0) + 1
