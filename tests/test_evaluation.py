"""The evaluation after completion, over HTTP on both databases: the requester
(in Teams) and each participant (their page, or Teams) answer; only their own;
an identity number in `impact` or `comment` is refused and nothing written;
the requester's "what the input changed" reaches every participant in their
language; unanswered evaluations are reminded at most twice, never at night."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import aiohttp
from sqlalchemy import select

from bot import jobs
from storage.db.models import Evaluation, OutboxMessage
from storage.domain.identity import is_identity_number
from tests.support.builders import completed_request
from tests.support.cards import actions_of, assert_valid_card
from tests.support.channel import card_of, requester
from tests.support.env import OSLO
from tests.support.participants import coordinator, form_token, local
from tests.support.smtp import parts

IDENTITY = next(f"010190{n:05d}" for n in range(100000) if is_identity_number(f"010190{n:05d}"))
IMPACT = "Vi skrev om ventetidsbrevet etter innspillene: kortere, og med et telefonnummer."


def evaluation_forms(bot, conversation: str) -> list[dict]:
    return [
        s.card
        for s in bot.connector.to(conversation)
        if any(a.get("verb") == "evaluate" for a in actions_of(s.card or {}))
    ]


async def evaluations_in(bot) -> dict[str, Evaluation]:
    async with bot.db.sessions() as session:
        return {e.respondent: e for e in await session.scalars(select(Evaluation))}


def mails(smtp, to: str, subject: str) -> list:
    return [
        m
        for m in smtp.inbox.messages
        if m["To"].endswith(f"<{to}>") and m["Subject"].startswith(subject)
    ]


async def test_everyone_evaluates_and_the_participants_hear_what_changed(
    start_bot, clock, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    _request_id, ids = await completed_request(bot, clock, ["Per Pasient", "Kari Pasient"])
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    (form,) = evaluation_forms(bot, requester(bot).personal_conversation)
    assert_valid_card(form)
    (send,) = [a for a in actions_of(form) if a.get("verb") == "evaluate"]
    data = send["data"]
    assert "Hva endret brukermedvirkernes innspill?" in str(form)

    # Not the requester: refused. Bad rating, an identity number: said, nothing written.
    other = await coordinator(bot).invoke(
        "evaluate", {**data, "rating": "5", "would_use_again": "yes"}, in_channel=False
    )
    assert other.body["statusCode"] == 403
    for bad, said in (
        ({"rating": "7", "would_use_again": "yes"}, "Velg et tall fra 1 til 5"),
        # The rating fails first: the impact with a number is not shown back either.
        ({"rating": "7", "would_use_again": "yes", "impact": f"Se {IDENTITY}"}, "1 til 5"),
        ({"rating": "4", "would_use_again": "kanskje"}, "Svar ja eller nei"),
        (
            {
                "rating": "4",
                "would_use_again": "yes",
                "impact": f"Se {IDENTITY[:6]} {IDENTITY[6:]}",
            },
            "fødselsnummer",
        ),
    ):
        answer = card_of(await requester(bot).invoke("evaluate", {**data, **bad}, in_channel=False))
        assert_valid_card(answer)
        assert said in str(answer), bad
        assert IDENTITY[6:] not in str(answer)
    assert (await evaluations_in(bot))["requester"].status == "asked"

    done = card_of(
        await requester(bot).invoke(
            "evaluate",
            {**data, "rating": "5", "impact": IMPACT, "would_use_again": "yes"},
            in_channel=False,
        )
    )
    assert "Takk for svaret" in str(done)
    assert not [a for a in actions_of(done) if a.get("verb") == "evaluate"]

    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await bot.drain()
    for to in ("per@example.com", "kari@example.com"):
        (told,) = mails(smtp, to, "Dette endret innspillet ditt")
        assert IMPACT in parts(told)["text/plain"]

    # Per answers on his page; Kari's link cannot open Per's evaluation.
    (per_mail,) = mails(smtp, "per@example.com", "Hvordan var det å delta?")
    (link,) = re.findall(r"https?://\S+/p/\S+/e/\d+", parts(per_mail)["text/plain"])
    per_id = int(link.rsplit("/", 1)[1])
    (kari_mail,) = mails(smtp, "kari@example.com", "Hvordan var det å delta?")
    (kari_link,) = re.findall(r"https?://\S+/p/\S+/e/\d+", parts(kari_mail)["text/plain"])
    kari_base = re.sub(r"/e/\d+$", "", kari_link)
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, f"{kari_base}/e/{per_id}")) as resp:
            assert resp.status == 404
        async with http.get(local(bot, link)) as resp:
            page = await resp.text()
        assert resp.status == 200 and 'name="fee_info_clear"' in page
        token = form_token(page)
        bad = {
            "form": token,
            "answer": "evaluate",
            "rating": "4",
            "fee_info_clear": "yes",
            "comment": f"Mitt nummer er {IDENTITY}",
        }
        async with http.post(local(bot, link), data=bad) as resp:
            text = await resp.text()
        assert resp.status == 400 and "fødselsnummer" in text and IDENTITY not in text
        # The rating fails first: the comment with a number is not refilled.
        async with http.post(local(bot, link), data={**bad, "rating": "9"}) as resp:
            text = await resp.text()
        assert resp.status == 400 and IDENTITY not in text and IDENTITY[6:] not in text
        assert (await evaluations_in(bot))[f"participant:{ids['Per Pasient']}"].status == "asked"
        good = {**bad, "comment": "Jeg ble godt tatt imot."}
        async with http.post(local(bot, link), data=good) as resp:
            assert resp.status == 200 and "Takk for svaret" in await resp.text()
        async with http.post(local(bot, link), data={**good, "rating": "1"}) as resp:
            assert resp.status == 200  # said again: nothing changes
    found = await evaluations_in(bot)
    per = found[f"participant:{ids['Per Pasient']}"]
    assert (per.status, per.rating, per.fee_info_clear, per.comment, per.answered_via) == (
        "answered",
        4,
        True,
        "Jeg ble godt tatt imot.",
        "page",
    )
    mine = found["requester"]
    assert (mine.rating, mine.impact, mine.would_use_again) == (5, IMPACT, True)
    assert found[f"participant:{ids['Kari Pasient']}"].status == "asked"


async def _reminders(bot) -> list[int]:
    async with bot.db.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.like("evaluation:%"))
        )
        return sorted(int(r.dedupe_key.rsplit(":", 1)[1]) for r in rows)


async def test_unanswered_evaluations_are_reminded_twice_and_never_at_night(
    start_bot, clock, smtp
) -> None:
    await completed_request(await start_bot(MEDVIRK_SMTP_URL=smtp.url), clock, ["Per Pasient"])
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    assert await _reminders(bot) == [0, 0]  # the requester's and Per's, asked
    # Three days later at 22:00 in Oslo: nothing at night, the reminder waits.
    clock.set(datetime(2026, 11, 26, 22, 0, tzinfo=OSLO))
    await jobs.remind_evaluations(bot.services)
    assert await _reminders(bot) == [0, 0]
    found = await evaluations_in(bot)
    morning = datetime(2026, 11, 27, 8, 0, tzinfo=OSLO)
    assert {e.next_reminder_at for e in found.values()} == {morning}
    clock.set(morning - timedelta(minutes=1))
    await jobs.remind_evaluations(bot.services)
    assert await _reminders(bot) == [0, 0]
    clock.set(morning)
    await jobs.remind_evaluations(bot.services)
    assert await _reminders(bot) == [0, 0, 1, 1]
    await bot.drain()
    (reminder,) = mails(smtp, "per@example.com", "Hvordan var det å delta?")[1:]
    assert "En påminnelse" in parts(reminder)["text/plain"]
    reminded = evaluation_forms(bot, requester(bot).personal_conversation)[-1]
    assert "En påminnelse" in str(reminded)
    for days in (3, 6, 9):
        clock.set(morning + timedelta(days=days, hours=2))
        await jobs.remind_evaluations(bot.services)
    # At most two reminders each, however long they wait.
    assert await _reminders(bot) == [0, 0, 1, 1, 2, 2]
