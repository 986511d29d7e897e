"""Orders from outside the hospital, on the web (SPEC "Ordering from outside
the hospital"): people with no account in the tenant ask for a link by
e-mail, fill in the request's fields and their organisation, and send once.

Until an address has opened its link nothing is kept of it but the outbox
row that mails the link (the address and the time) and a keyed hash of it
for the rate; the form itself is kept nowhere between its pages (each page
carries what was typed), so nothing of a half-filled form outlives the
browser. A form is sent once: the link's nonce is the request's submission
key, and a second post of it shows the first receipt.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage import commissioners
from storage.commissioners import Organisation, Payer
from storage.db.models import Desk, OrderAttempt, Request
from storage.notifications import OrderLinkAsked, OrderReceived, record
from storage.outbox import address_key
from storage.requests import Requester, submit_request

# How long the link mailed to an address lasts, and a form page's proof.
LINK_LIFETIME = timedelta(hours=1)
RATE_WINDOW = timedelta(hours=1)
# An order's submission key: "web:" and the link's nonce.
KEY_PREFIX = "web:"


async def outside_desks(session: AsyncSession) -> list[Desk]:
    """The desks that take orders from outside the tenant, in code order."""
    return list(
        await session.scalars(select(Desk).where(Desk.outside_orders.is_(True)).order_by(Desk.code))
    )


def attempt_key(secret: str, kind: str, value: str) -> str:
    """A keyed hash of an address or an IP (`kind`): counted, never readable."""
    digest = hmac.new(secret.encode(), f"{kind}:{value.lower()}".encode(), hashlib.sha256)
    return digest.hexdigest()


def attempt_keys(secret: str, *, ip: str, address: str) -> list[str]:
    """What a form's post is counted against (`within_rate`): where it came
    from, and the address it names."""
    return [attempt_key(secret, "ip", ip), attempt_key(secret, "mail", address)]


async def within_rate(session: AsyncSession, keys: list[str], *, limit: int, now: datetime) -> bool:
    """Count this post against each key (address, IP) unless one of them has
    made `limit` posts within the hour: then nothing is noted, and False."""
    since = now - RATE_WINDOW
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # One post of a key at a time, so the limit holds exactly under a crowd
        # (SQLite has one writer at a time anyway). Sorted: no two wait on each other.
        for key in sorted(keys):
            await session.execute(
                text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(key[:15], 16)}
            )
    await session.execute(
        delete(OrderAttempt).where(OrderAttempt.key.in_(keys), OrderAttempt.at < since)
    )
    counts = await session.execute(
        select(OrderAttempt.key, func.count())
        .where(OrderAttempt.key.in_(keys), OrderAttempt.at >= since)
        .group_by(OrderAttempt.key)
    )
    if any(n >= limit for _, n in counts):
        return False
    await session.execute(insert(OrderAttempt), [{"key": k, "at": now} for k in keys])
    return True


async def forget_attempts(session: AsyncSession, *, now: datetime) -> int:
    """The rate's hashes older than a day (of addresses that never came back)."""
    done = await session.execute(
        delete(OrderAttempt).where(OrderAttempt.at < now - timedelta(days=1))
    )
    return int(getattr(done, "rowcount", 0) or 0)


async def ask_link(
    session: AsyncSession, address: str, desk_id: int, locale: str, purpose: str, *, now: datetime
) -> None:
    """Mail the address its link (to the form, or to its requests)."""
    await record(session, OrderLinkAsked(address, desk_id, locale, purpose, now), now=now)


async def place(
    session: AsyncSession,
    *,
    desk_id: int,
    email: str,
    locale: str,
    name: str | None,
    answers: dict[str, Any],
    org: Organisation,
    nonce: str,
    now: datetime,
) -> tuple[Request, bool]:
    """The order, stored once per link: (the request, whether it is new). The
    commissioner pays; their receipt is mailed and the desk's channel gets the card."""
    commissioner = await commissioners.keep(
        session, desk_id, email, org, name=name, locale=locale, now=now
    )
    requester = Requester(
        user_id=address_key(email),
        aad_object_id=None,
        # The card's "requester": who, and for whom (their organisation).
        name=f"{name}, {org.org_name}"[:200] if name else org.org_name,
        email=email,
        locale=locale,
    )
    request = await submit_request(
        session, answers, requester, now=now, submission_key=KEY_PREFIX + nonce, desk_id=desk_id
    )
    if request.commissioner_id is not None:
        return request, False  # this link's form was sent before: its receipt stands
    request.payer = Payer.COMMISSIONER.value
    request.commissioner_id = commissioner.id
    await record(session, OrderReceived(email, request.id), now=now)
    return request, True


async def of_address(session: AsyncSession, desk_id: int, email: str) -> list[Request]:
    """The requests this address ordered at this desk, newest first."""
    found = await commissioners.by_email(session, desk_id, email)
    if found is None:
        return []
    return list(
        await session.scalars(
            select(Request)
            .where(Request.commissioner_id == found.id)
            .order_by(Request.id.desc())
            .limit(50)
        )
    )
