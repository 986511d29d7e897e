"""Participants the way the priority team and the participants themselves
make them: the channel's form card, the consent page, the invitation page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from sqlalchemy import select

from storage.models import Participant
from tests.support.channel import MEMBERS, card_of
from tests.support.smtp import parts

COORDINATOR = MEMBERS[0]
# Participants' Teams accounts: AAD object ids are GUIDs.
PER_AAD = "0b9f3c1e-7d2a-4c5b-9e8f-1a2b3c4d5e01"
KARI_AAD = "0b9f3c1e-7d2a-4c5b-9e8f-1a2b3c4d5e02"
PERSON: dict[str, Any] = {
    "name": "Per Pasient",
    "email": "per.pasient@example.com",
    "phone": "912 34 567",
    "roles": "patient",
    "areas": "cancer,rehabilitation",
    "formats": "physical,digital",
    "languages": "nb",
}


def coordinator(bot):
    return bot.teams.user(COORDINATOR[1], COORDINATOR[0])


async def add_by_card(bot, **fields: Any) -> dict[str, Any]:
    """A coordinator fills in `ny brukermedvirker`'s form; the answer card."""
    return card_of(await coordinator(bot).invoke("add_participant", {**PERSON, **fields}))


async def participant_named(db, name: str) -> Participant | None:
    async with db.sessions() as session:
        return await session.scalar(select(Participant).where(Participant.name == name))


def local(bot, url: str) -> str:
    """The link on the test server (links carry MEDVIRK_PUBLIC_URL's host)."""
    return f"{bot.url}{urlsplit(url).path}"


def person_links(message) -> list[str]:
    return re.findall(r"https?://\S+/p/[^\s\"<]+", parts(message)["text/plain"])


def form_token(page: str) -> str:
    found = re.search(r'name="form" value="([^"]+)"', page)
    assert found is not None, page
    return found.group(1)


async def open_and_answer(http: aiohttp.ClientSession, url: str, **form: Any) -> tuple[int, str]:
    """Open the page, then send its form with these fields (as a browser would)."""
    async with http.get(url) as resp:
        assert resp.status == 200, await resp.text()
        page = await resp.text()
    async with http.post(url, data={"form": form_token(page), **form}) as resp:
        return resp.status, await resp.text()
