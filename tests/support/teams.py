"""Talk to the bot over HTTP the way Teams does."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import aiohttp

from tests.support.fake_connector import FakeConnector, Sent

TENANT = "tenant-0001"
TEAM_ID = "19:team-general@thread.tacv2"
CHANNEL_ID = "19:priority@thread.tacv2"
BOT_ID = "28:medvirk-bot"
BOT_NAME = "medvirk"

_ids = itertools.count(1)


@dataclass
class Reply:
    status: int
    body: Any
    sent: list[Sent]

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sent if s.text]

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [c for s in self.sent for c in s.cards]

    @property
    def card(self) -> dict[str, Any]:
        cards = self.cards
        assert cards, f"no card in replies: {self.texts}"
        return cards[-1]


class TeamsUser:
    def __init__(
        self, client: TeamsClient, name: str, aad: str, locale: str, tenant: str = TENANT
    ) -> None:
        self.client = client
        self.name = name
        self.aad = aad
        self.user_id = f"29:{aad}"
        self.locale = locale
        # Their home tenant: a partner's people chat with the bot from theirs.
        self.tenant = tenant

    @property
    def personal_conversation(self) -> str:
        return f"a:personal-{self.aad}"

    def account(self) -> dict[str, Any]:
        return {"id": self.user_id, "name": self.name, "aadObjectId": self.aad}

    def _personal(self, **fields: Any) -> dict[str, Any]:
        return {
            "channelId": "msteams",
            "serviceUrl": self.client.connector.url,
            "from": self.account(),
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "conversation": {
                "id": self.personal_conversation,
                "conversationType": "personal",
                "tenantId": self.tenant,
            },
            "channelData": {"tenant": {"id": self.tenant}},
            "locale": self.locale,
            **fields,
        }

    def _channel(
        self,
        *,
        channel_id: str = CHANNEL_ID,
        team_id: str = TEAM_ID,
        tenant: str = TENANT,
        **fields: Any,
    ) -> dict[str, Any]:
        return {
            "channelId": "msteams",
            "serviceUrl": self.client.connector.url,
            "from": self.account(),
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "conversation": {
                "id": f"{channel_id};messageid=1",
                "conversationType": "channel",
                "isGroup": True,
                "tenantId": tenant,
            },
            "channelData": {
                "tenant": {"id": tenant},
                "team": {"id": team_id, "name": "Prioriteringsteamet"},
                "channel": {"id": channel_id, "name": "Bestillinger"},
            },
            "locale": self.locale,
            **fields,
        }

    async def say(self, text: str) -> Reply:
        return await self.client.post(self._personal(type="message", text=text))

    async def submit(self, value: dict[str, Any], text: str | None = None) -> Reply:
        """An Action.Submit from a card in the personal chat."""
        fields: dict[str, Any] = {"type": "message", "value": value}
        if text is not None:
            fields["text"] = text
        return await self.client.post(self._personal(**fields))

    async def install(self) -> Reply:
        return await self.client.post(self._personal(type="installationUpdate", action="add"))

    async def uninstall(self) -> Reply:
        return await self.client.post(self._personal(type="installationUpdate", action="remove"))

    async def added(self) -> Reply:
        """conversationUpdate: the bot was added to this person's chat."""
        return await self.client.post(
            self._personal(type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
        )

    async def say_in_channel(
        self,
        text: str,
        *,
        mention: bool = True,
        channel_id: str = CHANNEL_ID,
        team_id: str = TEAM_ID,
        tenant: str = TENANT,
    ) -> Reply:
        fields: dict[str, Any] = {"type": "message", "text": text}
        if mention:
            fields["text"] = f"<at>{BOT_NAME}</at> {text}"
            fields["entities"] = [
                {
                    "type": "mention",
                    "text": f"<at>{BOT_NAME}</at>",
                    "mentioned": {"id": BOT_ID, "name": BOT_NAME},
                }
            ]
        return await self.client.post(
            self._channel(channel_id=channel_id, team_id=team_id, tenant=tenant, **fields)
        )

    async def invoke(
        self,
        verb: str,
        data: dict[str, Any],
        *,
        in_channel: bool = True,
        on_message: str | None = None,
        channel_id: str = CHANNEL_ID,
        team_id: str = TEAM_ID,
        tenant: str = TENANT,
    ) -> Reply:
        """A Universal Action; `on_message`: the id of the message whose card
        was pressed (Teams sends it as `replyToId`)."""
        value = {
            "action": {"type": "Action.Execute", "verb": verb, "data": data},
            "trigger": "manual",
        }
        fields: dict[str, Any] = {"type": "invoke", "name": "adaptiveCard/action", "value": value}
        if on_message is not None:
            fields["replyToId"] = on_message
        if in_channel:
            return await self.client.post(
                self._channel(channel_id=channel_id, team_id=team_id, tenant=tenant, **fields)
            )
        return await self.client.post(self._personal(**fields))


class TeamsClient:
    def __init__(self, http: aiohttp.ClientSession, bot_url: str, connector: FakeConnector) -> None:
        self.http = http
        self.bot_url = bot_url
        self.connector = connector

    def user(self, name: str, aad: str, locale: str = "nb-NO", tenant: str = TENANT) -> TeamsUser:
        return TeamsUser(self, name, aad, locale, tenant)

    async def post(self, activity: dict[str, Any], **kwargs: Any) -> Reply:
        activity.setdefault("id", f"in-{next(_ids)}")
        activity.setdefault("timestamp", "2026-11-23T09:00:00.000Z")
        before = len(self.connector.sent)
        async with self.http.post(f"{self.bot_url}/api/messages", json=activity, **kwargs) as resp:
            raw = await resp.text()
            try:
                body = await resp.json(content_type=None) if raw else None
            except ValueError:
                body = raw
            return Reply(resp.status, body, list(self.connector.sent[before:]))

    async def post_raw(
        self, data: bytes | str, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        async with self.http.post(
            f"{self.bot_url}/api/messages", data=data, headers=headers
        ) as resp:
            return resp.status, await resp.text()
