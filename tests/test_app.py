"""The HTTP surface: health, bad bodies, basic commands."""

from tests.support.cards import assert_valid_card


async def test_healthz_reports_the_database(bot) -> None:
    async with bot.teams.http.get(f"{bot.url}/healthz") as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body["status"] == "ok"
    assert body["database"] in ("sqlite", "postgresql")


async def test_help_in_every_language(bot) -> None:
    for locale, word, expected in (
        ("nb-NO", "hjelp", "bestill"),
        ("nn-NO", "HJELP", "bestill"),
        ("en-US", "help", "order"),
    ):
        user = bot.teams.user("Kari Nordmann", f"aad-{locale}", locale)
        reply = await user.say(word)
        assert reply.status in (200, 201)
        card = reply.card
        assert_valid_card(card)
        assert expected in card["body"][1]["text"]


async def test_unknown_text_is_answered(bot) -> None:
    reply = await bot.teams.user("Ola", "aad-ola", "en-US").say("what is this")
    assert reply.texts and "help" in reply.texts[0]


async def test_bad_bodies_get_4xx_without_traceback(bot) -> None:
    cases = [
        (b"not json", {"Content-Type": "application/json"}, 400),
        (b"{}", {"Content-Type": "text/plain"}, 415),
        (b"[1,2]", {"Content-Type": "application/json"}, 400),
        (b'{"type": 5}', {"Content-Type": "application/json"}, 400),
        (b'{"type": "message"}', {"Content-Type": "application/json"}, 400),
        (b"x" * 400_000, {"Content-Type": "application/json"}, 413),
    ]
    for data, headers, status in cases:
        got, body = await bot.teams.post_raw(data, headers)
        assert got == status, (data[:20], got, body)
        assert "Traceback" not in body
