"""Proactive sends through the Bot Connector: the outbox sender's `Gateway`."""

from __future__ import annotations

from typing import Any

import aiohttp
from botbuilder.schema import ConversationParameters
from botframework.connector.auth import ClaimsIdentity
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.framework.messages import Message
from bot.framework.ports import Target
from bot.teams.connector import PooledAuthentication
from bot.teams.wire import call_failed, to_activity


class ConnectorGateway:
    """Sends, posts to a channel and edits in place, on pooled connector clients.

    HTTP errors come out as `TeamsCallFailed`; a request that got no answer as
    `ConnectionError` (an `OSError`)."""

    def __init__(self, auth: PooledAuthentication, app_id: str) -> None:
        self._auth = auth
        self._app_id = app_id

    async def _client(self, service_url: str) -> Any:
        identity = ClaimsIdentity({"aud": self._app_id, "appid": self._app_id}, True)
        factory = self._auth.create_connector_factory(identity)
        return await factory.create(service_url, None)

    async def deliver(
        self, target: Target, message: Message, *, update_of: str | None
    ) -> str | None:
        activity = to_activity(message)
        try:
            client = await self._client(target.service_url)
            if update_of is not None:
                activity.id = update_of
                await client.conversations.update_activity(
                    target.conversation_id, update_of, activity
                )
                return update_of
            if target.channel_id is not None:
                # The team's tenant in channelData too (TeamsChannelData.tenant):
                # botbuilder-python names the top-level field `tenantID`, and a
                # desk's team may be in a partner's tenant.
                channel_data: dict[str, Any] = {"channel": {"id": target.channel_id}}
                if target.tenant_id:
                    channel_data["tenant"] = {"id": target.tenant_id}
                params = ConversationParameters(
                    is_group=True,
                    channel_data=channel_data,
                    activity=activity,
                    tenant_id=target.tenant_id,
                )
                created = await client.conversations.create_conversation(params)
                return getattr(created, "activity_id", None) or getattr(created, "id", None)
            response = await client.conversations.send_to_conversation(
                target.conversation_id, activity
            )
            return getattr(response, "id", None)
        except HttpOperationError as error:
            raise call_failed(error) from None
        except (ClientRequestError, aiohttp.ClientError) as error:
            raise ConnectionError(
                f"no answer from the Bot Connector: {type(error).__name__}"
            ) from None

    async def close(self) -> None:
        await self._auth.pool.close()
