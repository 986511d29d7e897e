"""Subscribers and reminders for the reminder tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage import reminders as store
from tests.support.cards import inputs_of
from tests.support.env import OSLO


async def subscribe(
    bot, name: str, aad: str, groups: list[str] | None = None, locale: str = "nb-NO"
):
    user = bot.teams.user(name, aad, locale)
    reply = await user.say("abonner" if locale != "en-US" else "subscribe")
    assert reply.status in (200, 201)
    if groups is not None:
        await user.submit({"action": "set_groups", "groups": ",".join(groups)})
    return user


async def add_gathering(bot, clock, **overrides: Any) -> int:
    values: dict[str, Any] = dict(
        title="Årlig fellessamling",
        starts_at=datetime(2027, 3, 26, 9, 15, tzinfo=OSLO),
        ends_at=datetime(2027, 3, 26, 16, 0, tzinfo=OSLO),
        place="Glasblokkene, Haukelandsbakken 15",
        register_url="https://example.org/pamelding",
        register_by=datetime(2027, 3, 8, tzinfo=OSLO),
        groups=["contacts", "participants"],
        remind=store.parse_offsets("14d,1d", "--remind"),
        remind_register=store.parse_offsets("7d,1d", "--remind-register"),
    )
    values.update(overrides)
    async with bot.db.transaction() as session:
        gathering = await store.add_gathering(session, zone=OSLO, now=clock.now(), **values)
        return gathering.id


async def round_due_at(db, due: datetime) -> None:
    """A gathering whose one reminder (2 h before) to every participant falls
    due at `due`: a whole round, for the tests that run real processes."""
    async with db.transaction() as session:
        await store.add_gathering(
            session,
            title="Årlig fellessamling",
            starts_at=due + timedelta(hours=2),
            ends_at=None,
            place=None,
            register_url=None,
            register_by=None,
            groups=["participants"],
            remind=store.parse_offsets("2h", "--remind"),
            remind_register=[],
            zone=OSLO,
            now=datetime.now(UTC),
        )


async def add_survey(bot, clock, **overrides: Any) -> int:
    values: dict[str, Any] = dict(
        title="Årlig spørreundersøkelse",
        url="https://example.org/survey",
        closes_at=datetime(2027, 1, 31, 12, 0, tzinfo=OSLO),
        opens_at=None,
        groups=["employees", "participants"],
        remind=store.parse_offsets("7d,2d", "--remind"),
    )
    values.update(overrides)
    async with bot.db.transaction() as session:
        survey = await store.add_survey(session, zone=OSLO, now=clock.now(), **values)
        return survey.id


async def run_round(bot) -> None:
    """One tick (plan due reminders, then send)."""
    await bot.tick()


def cards_to(bot, user) -> list[dict[str, Any]]:
    """Reminder cards this person got (not the group-choice card of `abonner`)."""
    return [
        c for s in bot.connector.to(user.personal_conversation) for c in s.cards if not inputs_of(c)
    ]


async def seed_reachable_contacts(
    db, count: int, service_url: str, group: str = "participants"
) -> None:
    """Contacts with a conversation reference each, as if they had installed the app."""
    from datetime import UTC
    from datetime import datetime as dt

    from sqlalchemy import insert

    from storage.db.models import Contact, ConversationRef

    now = dt.now(UTC)
    async with db.transaction() as session:
        for start in range(0, count, 500):
            batch = range(start, min(count, start + 500))
            await session.execute(
                insert(Contact),
                [
                    {
                        "key": f"aad-{i:05d}",
                        "aad_object_id": f"aad-{i:05d}",
                        "name": None,
                        "locale": "nb",
                        "groups": [group],
                        "active": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in batch
                ],
            )
            await session.execute(
                insert(ConversationRef),
                [
                    {
                        "kind": "personal",
                        "key": f"aad-{i:05d}",
                        "aad_object_id": f"aad-{i:05d}",
                        "locale": "nb",
                        "service_url": service_url,
                        "conversation_id": f"a:c-{i:05d}",
                        "reference": {},
                        "updated_at": now,
                    }
                    for i in batch
                ],
            )


async def due_times(bot, kind: str = store.BEFORE_START) -> list[datetime]:
    """When the reminders of this kind fall due, earliest first."""
    from sqlalchemy import select

    from storage.db.models import Reminder

    async with bot.db.sessions() as session:
        return sorted(r.due_at for r in await session.scalars(select(Reminder)) if r.kind == kind)
