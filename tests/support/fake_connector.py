"""A small local Bot Connector (the `serviceUrl` Teams would give).

It records every activity the bot sends, answers with ids, knows team
members, and can be told to fail (429/5xx/403/404) for the next calls.
Each test gets its own instance on a free port.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Sent:
    """One call the bot made: new activity, reply, update or new conversation."""

    method: str  # send | reply | update | create | delete
    conversation_id: str
    activity: dict[str, Any]
    activity_id: str
    reply_to_id: str | None = None
    at: float = field(default_factory=time.time)  # when it arrived (wall clock)
    # A new conversation's tenant (a channel post names the team's).
    tenant_id: str | None = None

    @property
    def text(self) -> str:
        return self.activity.get("text") or ""

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def card(self) -> dict[str, Any] | None:
        cards = self.cards
        return cards[0] if cards else None


@dataclass
class Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    # Only fail calls whose conversation id matches, if set.
    conversation_id: str | None = None


class FakeConnector:
    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.failures: deque[Failure] = deque()
        self.members: dict[str, dict[str, Any]] = {}  # aadObjectId -> member
        # Teams with a roster of their own (several desks): team id -> roster.
        self.teams: dict[str, dict[str, dict[str, Any]]] = {}
        self.conversations: dict[str, str] = {}  # created conversation -> channel id
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self.server: TestServer | None = None
        self.calls = 0
        self.lookups = 0  # member and roster look-ups
        # Answer every look-up 429 with this Retry-After (a Teams that is throttling).
        self.throttle_lookups: float | None = None
        self.roster_pages = 0
        # Teams' limits, when enforced: exceeding them answers 429 and counts.
        self.limits: tuple[tuple[int, float], ...] | None = None
        self.global_rate: float | None = None
        self.violations = 0
        self.violation_log: list[tuple[str, str]] = []  # (conversation, which limit)
        # Seconds every reply waits before answering (a slow Teams).
        self.delay = 0.0
        # Seconds every proactive call (send, new conversation, update) waits.
        self.proactive_delay = 0.0
        self._conversation_times: dict[str, deque[float]] = {}
        self._global_times: deque[float] = deque()

    def enforce_limits(
        self,
        per_conversation: tuple[tuple[int, float], ...] = (
            (7, 1.0),
            (8, 2.0),
            (60, 30.0),
            (1800, 3600.0),
        ),
        global_rate: float = 50.0,
    ) -> None:
        self.limits = per_conversation
        self.global_rate = global_rate

    def _over_limit(self, conversation_id: str) -> bool:
        if self.limits is None:
            return False
        # A channel is one conversation to Teams' limits, its threads
        # (`<channel>;messageid=<post>`) included.
        conversation_id = conversation_id.split(";", 1)[0]
        now = time.monotonic()
        times = self._conversation_times.setdefault(conversation_id, deque())
        horizon = max(w for _, w in self.limits)
        while times and times[0] <= now - horizon:
            times.popleft()
        over = any(sum(1 for x in times if x > now - w) >= n for n, w in self.limits)
        while self._global_times and self._global_times[0] <= now - 1.0:
            self._global_times.popleft()
        # A little slack for timer jitter between two processes' clocks.
        app_over = (
            self.global_rate is not None and len(self._global_times) >= self.global_rate * 1.05
        )
        if over or app_over:
            self.violations += 1
            self.violation_log.append((conversation_id, "app" if app_over else "conversation"))
            return True
        times.append(now)
        self._global_times.append(now)
        return False

    # -- control ------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/") + "/"

    def fail_next(
        self,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
        conversation_id: str | None = None,
    ) -> None:
        for _ in range(times):
            self.failures.append(Failure(status, headers or {}, conversation_id))

    def add_member(
        self,
        aad_object_id: str,
        name: str,
        user_id: str | None = None,
        email: str | None = None,
        *,
        team: str | None = None,
    ) -> None:
        """A member of `team`'s roster; without one, of every conversation that
        has no roster of its own (one team, and people's own chats)."""
        roster = self.members if team is None else self.teams.setdefault(team, {})
        roster[aad_object_id] = {
            "id": user_id or f"29:{aad_object_id}",
            "name": name,
            "aadObjectId": aad_object_id,
            "objectId": aad_object_id,
            "userPrincipalName": f"{aad_object_id}@example.org",
            **({"email": email} if email else {}),
        }

    def to(self, conversation_id: str) -> list[Sent]:
        return [s for s in self.sent if s.conversation_id == conversation_id]

    def clear(self) -> None:
        self.sent.clear()

    async def wait_for(
        self, predicate: Callable[[list[Sent]], bool], timeout: float = 10.0
    ) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate(self.sent):
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"fake connector: condition not met; sent={self.sent!r}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                pass

    # -- server ---------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        r = app.router
        r.add_post("/v3/conversations", self._create)
        r.add_post("/v3/conversations/{conv}/activities", self._send)
        r.add_post("/v3/conversations/{conv}/activities/{aid}", self._reply)
        r.add_put("/v3/conversations/{conv}/activities/{aid}", self._update)
        r.add_delete("/v3/conversations/{conv}/activities/{aid}", self._delete)
        r.add_get("/v3/conversations/{conv}/members/{mid}", self._member)
        r.add_get("/v3/conversations/{conv}/members", self._members)
        r.add_get("/v3/conversations/{conv}/pagedmembers", self._paged_members)
        return app

    async def start(self) -> None:
        self.server = TestServer(self.app())
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def _injected(self, conversation_id: str) -> web.Response | None:
        self.calls += 1
        if self._over_limit(conversation_id):
            return web.json_response(
                {"error": {"code": "TooManyRequests", "message": "rate limit"}},
                status=429,
                headers={"Retry-After": "1"},
            )
        for failure in list(self.failures):
            if failure.conversation_id in (None, conversation_id):
                self.failures.remove(failure)
                return web.json_response(
                    {"error": {"code": "injected", "message": "injected failure"}},
                    status=failure.status,
                    headers=failure.headers,
                )
        return None

    def _record(
        self,
        method: str,
        conv: str,
        activity: dict[str, Any],
        reply_to: str | None = None,
        activity_id: str | None = None,
    ) -> str:
        activity_id = activity_id or f"act-{next(self._ids)}"
        self.sent.append(Sent(method, conv, activity, activity_id, reply_to))
        self._changed.set()
        return activity_id

    async def _send(self, request: web.Request) -> web.Response:
        conv = request.match_info["conv"]
        if self.proactive_delay:
            await asyncio.sleep(self.proactive_delay)
        if (failed := self._injected(conv)) is not None:
            return failed
        activity_id = self._record("send", conv, await request.json())
        return web.json_response({"id": activity_id})

    async def _reply(self, request: web.Request) -> web.Response:
        conv = request.match_info["conv"]
        if self.delay:
            await asyncio.sleep(self.delay)
        if (failed := self._injected(conv)) is not None:
            return failed
        activity_id = self._record("reply", conv, await request.json(), request.match_info["aid"])
        return web.json_response({"id": activity_id})

    async def _update(self, request: web.Request) -> web.Response:
        conv = request.match_info["conv"]
        if self.proactive_delay:
            await asyncio.sleep(self.proactive_delay)
            if request.transport is None or request.transport.is_closing():
                # The bot hung up (it was killed) before Teams answered.
                return web.Response(status=499)
        if (failed := self._injected(conv)) is not None:
            return failed
        aid = request.match_info["aid"]
        self._record("update", conv, await request.json(), activity_id=aid)
        return web.json_response({"id": aid})

    async def _delete(self, request: web.Request) -> web.Response:
        conv = request.match_info["conv"]
        self._record("delete", conv, {}, activity_id=request.match_info["aid"])
        return web.Response(status=200)

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.proactive_delay:
            await asyncio.sleep(self.proactive_delay)
        channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
        key = channel or "personal"
        if (failed := self._injected(key)) is not None:
            return failed
        conv = f"{channel};messageid={next(self._ids)}" if channel else f"a:{next(self._ids)}"
        self.conversations[conv] = channel or ""
        activity = body.get("activity") or {}
        activity_id = self._record("create", channel or conv, activity)
        tenant = ((body.get("channelData") or {}).get("tenant") or {}).get("id")
        self.sent[-1].tenant_id = tenant
        return web.json_response({"id": conv, "activityId": activity_id})

    def _throttled(self, conversation_id: str) -> web.Response | None:
        """Member look-ups count against the conversation's limits too (as in
        Teams); injected failures are for sends only."""
        self.calls += 1
        self.lookups += 1
        if self.throttle_lookups is not None:
            return web.json_response(
                {"error": {"code": "TooManyRequests", "message": "rate limit"}},
                status=429,
                headers={"Retry-After": str(self.throttle_lookups)},
            )
        if self._over_limit(conversation_id):
            return web.json_response(
                {"error": {"code": "TooManyRequests", "message": "rate limit"}},
                status=429,
                headers={"Retry-After": "1"},
            )
        return None

    async def _member(self, request: web.Request) -> web.Response:
        if (throttled := self._throttled(request.match_info["conv"])) is not None:
            return throttled
        mid = request.match_info["mid"]
        for member in self._roster(request).values():
            if mid in (member["id"], member["aadObjectId"]):
                return web.json_response(member)
        return web.json_response(
            {"error": {"code": "MemberNotFoundInConversation", "message": "not found"}}, status=404
        )

    async def _members(self, request: web.Request) -> web.Response:
        if (throttled := self._throttled(request.match_info["conv"])) is not None:
            return throttled
        return web.json_response(list(self._roster(request).values()))

    def _roster(self, request: web.Request) -> dict[str, dict[str, Any]]:
        return self.teams.get(request.match_info["conv"], self.members)

    async def _paged_members(self, request: web.Request) -> web.Response:
        if (throttled := self._throttled(request.match_info["conv"])) is not None:
            return throttled
        self.roster_pages += 1
        members = list(self._roster(request).values())
        size = max(1, min(500, int(request.query.get("pageSize") or 500)))
        start = int(request.query.get("continuationToken") or 0)
        page: dict[str, Any] = {"members": members[start : start + size]}
        if start + size < len(members):
            page["continuationToken"] = str(start + size)
        return web.json_response(page)


def dump(sent: list[Sent]) -> str:
    return json.dumps([s.activity for s in sent], ensure_ascii=False, indent=1)
