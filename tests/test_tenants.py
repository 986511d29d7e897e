"""Only the hospital's tenant, and in anonymous mode only this machine."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.db.models import ConversationRef, DialogStateRow
from tests.support.teams import TENANT

# On SQLite only: the tenant guard, before any SQL.
pytestmark = pytest.mark.sqlite_only


async def _rows(db) -> int:
    async with db.sessions() as session:
        refs = await session.scalar(select(func.count(ConversationRef.id)))
        states = await session.scalar(select(func.count(DialogStateRow.key)))
    return int(refs or 0) + int(states or 0)


def _from_tenant(user, tenant: str) -> dict:
    activity = user._personal(type="message", text="bestill")
    activity["channelData"] = {"tenant": {"id": tenant}}
    activity["conversation"]["tenantId"] = tenant
    return activity


async def test_activities_from_another_tenant_are_refused_before_any_handler(start_bot) -> None:
    bot = await start_bot(MEDVIRK_ALLOWED_TENANTS=f"{TENANT},tenant-0002")
    user = bot.teams.user("Eve Utenfra", "aad-eve")
    reply = await bot.teams.post(_from_tenant(user, "tenant-evil"))
    assert reply.status == 403 and reply.sent == []
    assert await _rows(bot.db) == 0
    missing = user._personal(type="message", text="bestill")
    missing["channelData"], missing["conversation"]["tenantId"] = {}, None
    assert (await bot.teams.post(missing)).status == 403
    assert await _rows(bot.db) == 0
    # The allowed tenants are served (case does not matter for tenant ids).
    reply = await bot.teams.post(_from_tenant(user, TENANT.upper()))
    assert reply.status < 300 and reply.sent
    reply = await bot.teams.post(_from_tenant(user, "tenant-0002"))
    assert reply.status < 300


async def test_the_app_tenant_id_is_the_default_allowed_tenant(start_bot) -> None:
    bot = await start_bot(MicrosoftAppTenantId=TENANT)
    user = bot.teams.user("Eve Utenfra", "aad-eve")
    assert (await bot.teams.post(_from_tenant(user, "tenant-evil"))).status == 403
    assert (await bot.teams.post(_from_tenant(user, TENANT))).status < 300


async def test_anonymous_mode_never_posts_off_this_machine(bot) -> None:
    user = bot.teams.user("Ola", "aad-ola")
    for url in ("https://smba.trafficmanager.net/emea/", "http://192.0.2.1:3978", "http://[::2]"):
        activity = user._personal(type="message", text="hjelp")
        activity["serviceUrl"] = url
        reply = await bot.teams.post(activity)
        assert reply.status == 403, url
    assert await _rows(bot.db) == 0
    assert (await user.say("hjelp")).status < 300  # the fake connector is on 127.0.0.1
