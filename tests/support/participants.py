"""Participants the way the priority team and the participants themselves
make them: the channel's form card, the consent page, the invitation page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from sqlalchemy import select

from storage.db.models import Participant
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


PAYROLL = "lonn@example.com"


def claim_links(smtp, to: str) -> list[str]:
    """The fee-claim links mailed to `to`."""
    found = []
    for message in smtp.inbox.messages:
        if message["To"].endswith(f"<{to}>") and message["Subject"].startswith("Honorar til"):
            found += re.findall(r"https?://\S+/p/\S+/c/\d+", parts(message)["text/plain"])
    return found


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


DATA_LINK_SUBJECT = "Lenke til opplysningene dine"


async def ask_for_data_link(bot, http: aiohttp.ClientSession, page_url: str) -> str:
    """On one of their pages, "send me a link to my data" pressed as a browser
    would; the page it answers with."""
    async with http.get(page_url) as resp:
        assert resp.status == 200, await resp.text()
        page = await resp.text()
    found = re.search(r'<form method="post" action="(/p/[^"]+/link)"', page)
    assert found is not None, page
    async with http.post(f"{bot.url}{found.group(1)}", data={"form": form_token(page)}) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.text()


def data_links(smtp, to: str) -> list[str]:
    """The links to one's data mailed to this address, oldest first."""
    found = []
    for message in smtp.inbox.messages:
        if message["To"].endswith(f"<{to}>") and message["Subject"] == DATA_LINK_SUBJECT:
            found += re.findall(r"https?://\S+/p/[^\s/\"<]+", parts(message)["text/plain"])
    return found


async def own_data_link(bot, smtp, http: aiohttp.ClientSession, page_url: str, to: str) -> str:
    """The link to their data, asked for on `page_url` and read from the mail."""
    before = len(data_links(smtp, to))
    await ask_for_data_link(bot, http, page_url)
    await bot.drain()
    links = data_links(smtp, to)
    assert len(links) == before + 1, links
    return local(bot, links[-1])
