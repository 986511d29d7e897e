"""Seed requests and a registered channel, the way the order dialog and an admin would."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from storage.db.models import AuditEntry, Request
from storage.requests import Requester, submit_request

ANSWERS: dict[str, Any] = {
    "title": "Brukerpanel for ny poliklinikk",
    "description": "Fire møter om pasientforløp.",
    "assignment_type": "research",
    "level": "system",
    "participant_profile": "patient",
    "participant_count": 2,
    "start_date": "2027-02-01",
    "end_date": None,
    "meeting_format": "hybrid",
    "workload": "4 møter à 2 timer",
    "unit": "Hjerteklinikken",
    "honorarium_ack": True,
    "cost_centre": None,
    "needed_by": "2027-01-15",
}

REQUESTER = Requester(
    user_id="29:aad-requester",
    aad_object_id="aad-requester",
    name="Rita Rekvirent",
    email=None,
    locale="nb",
)
MEMBERS = [(f"aad-member-{i:02d}", f"Medlem {i:02d}") for i in range(20)]


async def seed_request(db, clock, desk_id: int | None = None, **overrides: Any) -> int:
    async with db.transaction() as session:
        request = await submit_request(
            session, {**ANSWERS, **overrides}, REQUESTER, now=clock.now(), desk_id=desk_id
        )
        return request.id


def requester(bot):
    """Rita Rekvirent, who submitted the seeded requests, in Teams."""
    return bot.teams.user("Rita Rekvirent", "aad-requester")


async def setup_channel(bot) -> None:
    """Admin registers the channel; the team has 20 members; the requester has a chat."""
    for aad, name in MEMBERS:
        bot.connector.add_member(aad, name)
    bot.connector.add_member("admin-aad", "Anne Admin")
    admin = bot.teams.user("Anne Admin", "admin-aad")
    reply = await admin.say_in_channel("registrer kanal")
    assert "prioriteringsteamet" in reply.texts[-1].lower()
    requester = bot.teams.user("Rita Rekvirent", "aad-requester")
    await requester.say("hjelp")  # stores the conversation reference for notices


async def fetch(db, request_id: int) -> Request:
    async with db.sessions() as session:
        return await session.get(Request, request_id)


async def audit_rows(db, request_id: int) -> list[tuple[str | None, str, str | None]]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(AuditEntry).where(AuditEntry.request_id == request_id).order_by(AuditEntry.id)
        )
        return [(a.from_status, a.to_status, a.comment) for a in rows]


def card_of(reply) -> dict[str, Any]:
    assert reply.status == 200, (reply.status, reply.body)
    body = reply.body
    assert body["statusCode"] == 200, body
    assert body["type"] == "application/vnd.microsoft.card.adaptive", body
    return body["value"]


def day(text: str) -> date:
    return date.fromisoformat(text)
