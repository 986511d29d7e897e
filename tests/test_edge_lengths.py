"""Ids and names longer than the database keeps are handled at the edge: an id
is refused with a 400 and nothing stored; a display name is shortened."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.db.models import ConversationRef, DialogStateRow, Request
from tests.support.channel import MEMBERS, seed_request, setup_channel
from tests.support.order import confirm, fill_order


async def _stored(db) -> int:
    async with db.sessions() as session:
        refs = await session.scalar(select(func.count(ConversationRef.id)))
        states = await session.scalar(select(func.count(DialogStateRow.key)))
    return int(refs or 0) + int(states or 0)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("from", "id"), "29:" + "x" * 300),
        (("from", "aadObjectId"), "a" * 65),
        (("conversation", "id"), "a:" + "c" * 300),
        (("conversation", "tenantId"), "t" * 100),
        (("serviceUrl",), "http://127.0.0.1:1/" + "p" * 500),
    ],
)
async def test_an_id_longer_than_any_real_one_is_refused(bot, where, value) -> None:
    user = bot.teams.user("Ola", "aad-ola")
    activity = user._personal(type="message", text="hjelp")
    target = activity
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    reply = await bot.teams.post(activity)
    assert reply.status == 400 and "at most" in str(reply.body)
    assert await _stored(bot.db) == 0


async def test_a_very_long_display_name_is_shortened_not_an_error(bot, clock) -> None:
    await setup_channel(bot)
    name = "Kari " + "Nordmann-" * 40
    user = bot.teams.user(name, "aad-kari")
    await fill_order(user)
    reply = await confirm(user)
    assert reply.status < 500
    async with bot.db.sessions() as session:
        request = await session.scalar(select(Request))
    assert request is not None and request.requester_name == name[:200]
    bot.connector.add_member("aad-long", name)
    request_id = await seed_request(bot.db, clock)
    member = bot.teams.user(MEMBERS[1][1], MEMBERS[1][0])
    await member.invoke("claim", {"request_id": request_id})
    reply = await member.invoke("assign", {"request_id": request_id, "assignee": "aad-long"})
    assert reply.status == 200
    async with bot.db.sessions() as session:
        assert (await session.get(Request, request_id)).owner_name == name[:200]
