"""Hostile and broken input: a clear 4xx or a translated message, never a 500,
never a traceback, never a changed row for rejected input."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.error
import urllib.request
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.support.channel import MEMBERS, seed_request, setup_channel

TABLES = ("requests", "audit_log", "outbox", "contacts", "gatherings", "desks")


async def snapshot(db) -> dict[str, Any]:
    out = {}
    async with db.sessions() as session:
        for table in TABLES:
            rows = (await session.execute(text(f"SELECT * FROM {table} ORDER BY 1"))).all()
            out[table] = [tuple(str(v) for v in row) for row in rows]
    return out


async def test_raw_bodies(bot) -> None:
    cases = [
        (b"", "application/json", 400),
        (b"{", "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b"null", "application/json", 400),
        (b'"text"', "application/json", 400),
        (
            b'{"type": "message", "from": "x", "conversation": {"id": "c"}, "serviceUrl": "http://x"}',
            "application/json",
            400,
        ),
        (
            b'{"type": "message", "from": {"id": 5}, "conversation": {"id": "c"}, "serviceUrl": "http://x"}',
            "application/json",
            400,
        ),
        (
            b'{"type": "message", "from": {"id": "u"}, "conversation": {"id": "c"}, "serviceUrl": "file:///etc/passwd"}',
            "application/json",
            400,
        ),
        (
            b'{"type": "message", "text": 42, "from": {"id": "u"}, "conversation": {"id": "c"}, "serviceUrl": "http://x"}',
            "application/json",
            400,
        ),
        (b"<xml/>", "application/xml", 415),
        (b"a" * 300_000, "application/json", 413),
    ]
    before = await snapshot(bot.db)
    for data, content_type, status in cases:
        got, body = await bot.teams.post_raw(data, {"Content-Type": content_type})
        assert got == status, (data[:40], got, body)
        assert "Traceback" not in body
    assert await snapshot(bot.db) == before
    async with bot.teams.http.get(f"{bot.url}/healthz") as resp:
        assert resp.status == 200


async def test_unknown_activity_types_and_invokes(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    for fields in (
        {"type": "somethingNew"},
        {"type": "invoke", "name": "composeExtension/query", "value": {"x": 1}},
        {"type": "invoke", "name": "adaptiveCard/action", "value": "not an object"},
        {"type": "invoke", "name": "adaptiveCard/action", "value": {"action": {"verb": 5}}},
        {"type": "event", "name": "x"},
        {"type": "messageReaction"},
    ):
        reply = await bot.teams.post(user._personal(**fields))
        assert reply.status < 500, (fields, reply.status, reply.body)


async def test_long_and_odd_text_gets_a_translated_answer(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari", "en-US")
    reply = await user.say("x" * 100_000)
    assert reply.status in (200, 201)
    assert "too long" in reply.texts[-1]
    reply = await user.say("\x00\x01\x02 bestill \x1b[31m")
    assert reply.status in (200, 201) and reply.texts


async def test_injected_markdown_is_escaped_in_cards(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(
        bot.db,
        clock,
        title="Klikk [her](https://evil.example) **nå** <at>Alle</at>",
        unit="<script>alert(1)</script>",
    )
    await bot.drain()
    (post,) = [s for s in bot.connector.sent if s.method == "create"]
    card = json.dumps(post.card, ensure_ascii=False)
    assert "[her](https://evil.example)" not in card
    assert "\\\\[her\\\\]\\\\(https\\\\://evil\\\\.example\\\\)" in card
    assert "**nå**" not in card and "<at>" not in card and "<script>" not in card
    del request_id


async def test_card_data_with_extra_or_missing_fields(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    before = await snapshot(bot.db)
    for data in (
        {"request_id": request_id, "status": "completed", "owner_aad_id": "me", "extra": {"x": 1}},
        {"request_id": request_id, "status": None},
        {"request_id": str(request_id) + " OR 1=1"},
        {"request_id": -1},
        {"request_id": 10**30},
        {"request_id": 1.5},
    ):
        reply = await member.invoke("set_status", data)
        assert reply.status == 200 and reply.body["statusCode"] < 500, (data, reply.body)
    assert await snapshot(bot.db) == before


activity_text = st.text(max_size=300)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), activity_text
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def activities(draw: Any) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["message", "invoke", "conversationUpdate", "installationUpdate", "weird", 7]
        )
    )
    activity: dict[str, Any] = {
        "type": kind,
        "channelId": draw(st.sampled_from(["msteams", "emulator", None, 3])),
        "from": draw(
            st.one_of(st.fixed_dictionaries({"id": st.text(min_size=1, max_size=20)}), json_values)
        ),
        "conversation": draw(
            st.one_of(
                st.fixed_dictionaries(
                    {
                        "id": st.text(min_size=1, max_size=20),
                        "conversationType": st.sampled_from(["personal", "channel", "groupChat"]),
                    }
                ),
                json_values,
            )
        ),
        "recipient": {"id": "28:bot"},
        "serviceUrl": "SERVICE",
        "text": draw(
            st.one_of(
                st.none(),
                activity_text,
                st.sampled_from(
                    [
                        "bestill",
                        "mine",
                        "avbryt",
                        "abonner",
                        "registrer kanal",
                        "oversikt",
                        "statistikk 2026",
                    ]
                ),
            )
        ),
        "value": draw(json_values),
        "locale": draw(
            st.one_of(st.none(), st.sampled_from(["nb-NO", "nn-NO", "en-US", "xx"]), activity_text)
        ),
    }
    if kind == "invoke":
        activity["name"] = draw(st.sampled_from(["adaptiveCard/action", "task/fetch", "x"]))
        activity["value"] = {
            "action": {
                "type": "Action.Execute",
                "verb": draw(
                    st.sampled_from(
                        [
                            "claim",
                            "release",
                            "assign",
                            "set_status",
                            "refresh",
                            "rsvp",
                            "answered",
                            "nope",
                        ]
                    )
                ),
                "data": draw(json_values),
            }
        }
    return activity


def _sqlite_snapshot(path: str) -> list[Any]:
    with sqlite3.connect(path) as conn:
        return [conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in TABLES]


# The property run reads the SQLite file directly between requests: one backend.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_generated_activities_never_break_the_bot(
    start_bot, clock, database_url, backend
) -> None:
    """Property: any activity-like JSON gets < 500, no traceback, the app stays healthy,
    and a rejected (4xx) request changes no row."""
    bot = await start_bot()
    await setup_channel(bot)
    await seed_request(bot.db, clock)
    db_path = database_url.split("///", 1)[1]
    url = f"{bot.url}/api/messages"
    seen = {"tried": 0, "5xx": 0, "rejected": 0}

    @settings(
        max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(activity=activities())
    def post(activity: dict[str, Any]) -> None:
        raw = json.dumps(activity).replace('"SERVICE"', json.dumps(bot.connector.url)).encode()
        before = _sqlite_snapshot(db_path)
        request = urllib.request.Request(
            url, data=raw, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                status, body = resp.status, resp.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode()
        seen["tried"] += 1
        seen["5xx"] += status >= 500
        assert status < 500, (activity, status, body)
        assert "Traceback" not in body
        if 400 <= status < 500:
            seen["rejected"] += 1
            assert _sqlite_snapshot(db_path) == before, activity

    # The bot serves on this event loop; Hypothesis drives plain HTTP from a thread.
    await asyncio.get_running_loop().run_in_executor(None, post)
    async with bot.teams.http.get(f"{bot.url}/healthz") as resp:
        assert resp.status == 200
    assert seen["tried"] >= 100 and seen["5xx"] == 0
    print(
        f"hostile activities tried: {seen['tried']}, rejected: {seen['rejected']}, 5xx: {seen['5xx']}"
    )


@pytest.mark.parametrize("where", ["top", "value", "channelData"])
async def test_a_deeply_nested_body_gets_a_4xx(bot, where) -> None:
    """JSON nested past Python's recursion limit (or deep inside an activity)."""
    deep = "[" * 100_000 + "]" * 100_000
    if where == "top":
        body = deep
    else:
        user = bot.teams.user("Ola", "aad-ola")
        activity = json.dumps(user._personal(type="message", text="hjelp"))
        body = activity[:-1] + f', "{where}x": {deep}' + "}"
    status, text = await bot.teams.post_raw(body, {"Content-Type": "application/json"})
    assert 400 <= status < 500, (status, text[:200])
    assert "Traceback" not in text
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{bot.url}/healthz") as resp:
            assert resp.status == 200
