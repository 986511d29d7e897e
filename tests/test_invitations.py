"""Suggestions, invitations and the match over HTTP: a coordinator suggests and
invites from the request card, participants answer on their page (e-mail) or
their card (Teams), and when enough have said yes the request is matched by
itself and the requester is told who."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import aiohttp
from sqlalchemy import func, select

from storage import pool, privacy
from storage.db.models import AuditEntry, Invitation, Participant, ReadEntry
from tests.support.cards import actions_of, assert_valid_card
from tests.support.channel import MEMBERS, card_of, fetch, seed_request, setup_channel
from tests.support.participants import (
    PER_AAD,
    coordinator,
    form_token,
    local,
    open_and_answer,
)
from tests.support.smtp import parts

CHANNEL_CARD_UPDATES = "update"


async def active(bot, clock, name: str, **fields) -> int:
    """A participant who said yes to the consent (through the domain)."""
    values = pool.validate(
        {
            "name": name,
            "email": f"{name.split()[0].lower()}@example.com",
            "roles": "patient",
            "formats": "physical,digital",
            **fields,
        },
        areas=bot.services.settings.areas,
    )
    async with bot.db.transaction() as session:
        participant = await pool.add(session, values, added_by="test", now=clock.now())
        await pool.consent(session, participant, channel="email", now=clock.now())
        return participant.id


def sent_card(bot, user, marker: str) -> dict:
    """The one card sent to `user`'s chat with `marker` in it."""
    (sent,) = [s for s in bot.connector.to(user.personal_conversation) if marker in str(s.card)]
    return sent.card


async def accepted_in_teams(bot, clock, request_id: int, name: str, aad: str):
    """`name`, in the pool with a Teams account and no e-mail, invited to
    `request_id` by the coordinator and saying yes on the invitation card:
    their participant id and their Teams user."""
    participant_id = await active(bot, clock, name, aad_object_id=aad, email="")
    user = bot.teams.user(name, aad)
    await user.say("hjelp")
    await coordinator(bot).invoke(
        "invite", {"request_id": request_id, "participant_id": participant_id}
    )
    await bot.drain()
    invitation = sent_card(bot, user, "Invitasjon")
    (accept,) = [a for a in actions_of(invitation) if a.get("verb") == "accept_invitation"]
    card_of(await user.invoke("accept_invitation", accept["data"], in_channel=False))
    await bot.drain()
    return participant_id, user


async def claimed_request(bot, clock, **overrides) -> int:
    await setup_channel(bot)
    await coordinator(bot).say("hjelp")  # the owner's chat, for their notices
    request_id = await seed_request(bot.db, clock, **overrides)
    await bot.drain()
    card_of(await coordinator(bot).invoke("claim", {"request_id": request_id}))
    await bot.drain()
    return request_id


def invite_buttons(card) -> dict[str, int]:
    """Name → participant id of each suggestion's "Inviter"."""
    found = {}
    for container in card["body"]:
        if container.get("type") != "Container":
            continue
        name = container["items"][0]["text"].replace("\\", "")
        (action,) = [a for a in actions_of(container) if a.get("verb") == "invite"]
        found[name] = action["data"]["participant_id"]
    return found


def invitation_links(smtp, to: str = "") -> list[str]:
    """The invitation links mailed (to this address only, when given), in the
    order the messages arrived."""
    found = []
    for message in smtp.inbox.messages:
        if to and not message["To"].endswith(f"<{to}>"):
            continue
        found += re.findall(r"https?://\S+/p/\S+/i/\d+", parts(message)["text/plain"])
    return found


async def test_suggest_invite_accept_and_the_match(start_bot, clock, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    request_id = await claimed_request(bot, clock, cost_centre="K-4711")
    per = await active(bot, clock, "Per Pasient", areas="cancer")
    kari = await active(bot, clock, "Kari Pasient", areas="rehabilitation")
    await active(bot, clock, "Pål Pårørende", roles="next_of_kin")  # not the profile
    async with bot.db.transaction() as session:  # pending: never suggested
        await pool.add(
            session,
            pool.validate(
                {
                    "name": "Nina Ny",
                    "email": "nina@example.com",
                    "roles": "patient",
                    "formats": "digital",
                },
                areas=(),
            ),
            added_by="test",
            now=clock.now(),
        )

    reply = await coordinator(bot).invoke("suggest", {"request_id": request_id, "areas": "cancer"})
    # The request card stays; the suggestions are posted under it.
    assert "Forslagene ligger under dette kortet" in str(card_of(reply))
    suggested = reply.card
    assert_valid_card(suggested)
    buttons = invite_buttons(suggested)
    assert list(buttons) == ["Per Pasient", "Kari Pasient"]  # shared area first
    text = str(suggested)
    assert "Felles områder: Kreft" in text and "Invitert 0 ganger siste 12 måneder" in text
    # The look is on the read audit, committed by the time the answer came.
    async with bot.db.sessions() as session:
        seen = [(r.reader, r.what) for r in await privacy.reads(session)]
    assert (coordinator(bot).aad, "suggest BM-2026-0001") in seen
    unknown = await coordinator(bot).invoke("suggest", {"request_id": 999999})
    assert unknown.body["statusCode"] == 404
    async with bot.db.sessions() as session:
        assert not [r for r in await privacy.reads(session) if "999999" in r.what]

    card_of(
        await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    )
    await bot.drain()
    (invitation_mail,) = smtp.inbox.messages
    # An outside mailbox learns only that there is an invitation; what it is
    # about is on the page the link opens.
    assert invitation_mail["Subject"] == "Invitasjon til et oppdrag som brukermedvirker"
    body = parts(invitation_mail)["text/plain"] + parts(invitation_mail)["text/html"]
    for detail in ("Brukerpanel", "Hjerteklinikken", "Fire møter", "K-4711"):
        assert detail not in body
    updates = [s for s in bot.connector.sent if s.method == "update"]
    assert "1 invitert · 0 takket ja · 1 venter" in str(updates[-1].card)

    (link,) = invitation_links(smtp)
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, link)) as resp:
            page = await resp.text()
        assert "Fire møter om pasientforløp." in page and "Hjerteklinikken" in page
        assert "K-4711" not in page
        assert "honorar" in page
        form = {"form": form_token(page), "answer": "yes"}
        async with http.post(local(bot, link), data=form) as resp:
            assert resp.status == 200 and "Takk for at du vil delta" in await resp.text()
        # The same form again (a double click, a replayed post) changes nothing.
        async with http.post(local(bot, link), data=form) as resp:
            assert resp.status == 200 and 'value="yes"' not in await resp.text()
    await bot.drain()
    owner_chat = coordinator(bot).personal_conversation
    assert "Per Pasient takket ja" in str([s.card for s in bot.connector.to(owner_chat)])
    assert (await fetch(bot.db, request_id)).status == "claimed"

    card_of(
        await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": kari})
    )
    await bot.drain()
    (_, link) = invitation_links(smtp)
    async with aiohttp.ClientSession() as http:
        status, _ = await open_and_answer(http, local(bot, link), answer="yes")
    assert status == 200
    await bot.drain()

    request = await fetch(bot.db, request_id)
    assert request.status == "matched" and request.matched_at == clock.now()
    async with bot.db.sessions() as session:
        last = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.request_id == request_id)
                .order_by(AuditEntry.id.desc())
            )
        ).first()
        reads = list(await session.scalars(select(ReadEntry.what)))
    assert (last.actor_name, last.to_status) == ("medvirk", "matched")
    assert "participants BM-2026-0001" in reads
    card = [s for s in bot.connector.sent if s.method == "update"][-1].card
    assert "Takket ja" in str(card) and "Per Pasient, Kari Pasient" in str(card)
    requester_chat = bot.teams.user("Rita Rekvirent", "aad-requester").personal_conversation
    told = str([s.card for s in bot.connector.to(requester_chat)]).replace("\\", "")
    assert "per@example.com" in told and "kari@example.com" in told


async def test_the_others_are_told_when_the_places_fill(start_bot, clock, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    request_id = await claimed_request(bot, clock, participant_count=1)
    first = await active(bot, clock, "Anne Pasient")
    second = await active(bot, clock, "Berit Pasient")
    for pid in (first, second):
        await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": pid})
    await bot.drain()
    (anne_link,) = invitation_links(smtp, "anne@example.com")
    async with aiohttp.ClientSession() as http:
        await open_and_answer(http, local(bot, anne_link), answer="yes")
        await bot.drain()
        (to_berit,) = [m for m in smtp.inbox.messages[-2:] if "berit@" in m["To"]]
        assert "plassene" in parts(to_berit)["text/plain"].lower()
        # Anne, who said yes, is sent the documents to sign.
        (to_anne,) = [m for m in smtp.inbox.messages[-2:] if "anne@" in m["To"]]
        assert to_anne["Subject"].startswith("Avtale og taushetserklæring")
        (berit_link,) = invitation_links(smtp, "berit@example.com")
        async with http.get(local(bot, berit_link)) as resp:
            page = await resp.text()
        assert "Plassene er fylt" in page and 'value="yes"' not in page
    async with bot.db.sessions() as session:
        statuses = dict(
            (await session.execute(select(Invitation.participant_id, Invitation.status))).all()
        )
    assert statuses == {first: "accepted", second: "withdrawn"}


async def test_suggestions_come_in_place_when_teams_throttles_the_channel(bot, clock) -> None:
    """Posting the suggestions under the card is a reply in the channel: paced
    with the outbox's sends there, and a 429 longer than the turn can wait
    gives the presser the suggestions in the card's place, never an error."""
    request_id = await claimed_request(bot, clock)
    await active(bot, clock, "Per Pasient")
    posted_before = len(bot.connector.sent)
    bot.connector.fail_next(429, headers={"Retry-After": "30"})
    reply = await coordinator(bot).invoke("suggest", {"request_id": request_id})
    shown = card_of(reply)
    assert_valid_card(shown)
    assert "Teams har det travelt" in str(shown) and "Per Pasient" in str(shown)
    assert len(bot.connector.sent) == posted_before  # nothing got through
    # A 429 the turn can wait out is waited out: the suggestions are posted.
    bot.connector.fail_next(429, headers={"Retry-After": "0.2"})
    reply = await coordinator(bot).invoke("suggest", {"request_id": request_id})
    assert "Forslagene ligger under dette kortet" in str(card_of(reply))
    assert "Per Pasient" in str(reply.card)


async def test_invitations_that_are_refused_change_nothing(bot, clock) -> None:
    await setup_channel(bot)
    unclaimed = await seed_request(bot.db, clock)
    per = await active(bot, clock, "Per Pasient")
    said = card_of(
        await coordinator(bot).invoke("invite", {"request_id": unclaimed, "participant_id": per})
    )
    assert "Ta bestillingen først" in str(said)
    await coordinator(bot).invoke("claim", {"request_id": unclaimed})
    for data, expected in (
        ({"participant_id": 999999}, "Fant ikke den brukermedvirkeren"),
        ({"participant_id": "x"}, "gyldig brukermedvirker"),
        ({}, "gyldig brukermedvirker"),
    ):
        said = card_of(await coordinator(bot).invoke("invite", {"request_id": unclaimed, **data}))
        assert expected in str(said)
    kin = await active(bot, clock, "Pål Pårørende", roles="next_of_kin")
    said = card_of(
        await coordinator(bot).invoke("invite", {"request_id": unclaimed, "participant_id": kin})
    )
    assert "passer ikke" in str(said)
    stranger = bot.teams.user("Sara Fremmed", "aad-stranger")
    reply = await stranger.invoke("invite", {"request_id": unclaimed, "participant_id": per})
    assert reply.body["statusCode"] == 403
    reply = await stranger.invoke("suggest", {"request_id": unclaimed})
    assert reply.body["statusCode"] == 403
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 0


async def test_two_coordinators_invite_the_same_person_at_once(bot, clock) -> None:
    request_id = await claimed_request(bot, clock)
    per = await active(bot, clock, "Per Pasient")
    other = bot.teams.user(MEMBERS[1][1], MEMBERS[1][0])
    replies = await asyncio.gather(
        coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per}),
        other.invoke("invite", {"request_id": request_id, "participant_id": per}),
    )
    texts = [str(card_of(r)) for r in replies]
    assert sum("er invitert" in t for t in texts) == 1
    assert sum("allerede invitert" in t for t in texts) == 1
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 1


async def test_a_link_serves_its_own_person_and_invitation_only(start_bot, clock, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    request_id = await claimed_request(bot, clock)
    per = await active(bot, clock, "Per Pasient")
    kari = await active(bot, clock, "Kari Pasient")
    for pid in (per, kari):
        await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": pid})
    await bot.drain()
    (per_link,) = invitation_links(smtp, "per@example.com")
    (kari_link,) = invitation_links(smtp, "kari@example.com")
    kari_invitation = kari_link.rsplit("/", 1)[1]
    forged = per_link.rsplit("/", 1)[0] + "/" + kari_invitation
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, forged)) as resp:
            assert resp.status == 404  # Per's link, Kari's invitation
        async with http.get(local(bot, per_link)) as resp:
            page = await resp.text()
        async with http.post(
            local(bot, forged), data={"form": form_token(page), "answer": "yes"}
        ) as resp:
            assert resp.status in (400, 404)
    async with bot.db.sessions() as session:
        assert set(await session.scalars(select(Invitation.status))) == {"invited"}


async def test_an_unanswered_invitation_expires_and_the_owner_gets_the_next(
    start_bot, clock, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_INVITATION_DAYS=3)
    request_id = await claimed_request(bot, clock)
    per = await active(bot, clock, "Per Pasient")
    await active(bot, clock, "Kari Pasient")
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    (link,) = invitation_links(smtp)
    clock.advance(timedelta(days=3, minutes=1))
    await bot.tick()
    await bot.drain()
    async with bot.db.sessions() as session:
        assert await session.scalar(select(Invitation.status)) == "expired"
    owner = str([s.card for s in bot.connector.to(coordinator(bot).personal_conversation)])
    assert "gikk ut uten svar" in owner and "Neste forslag" in owner and "Kari Pasient" in owner
    # The owner invites the next from that notice, in their own chat with the bot.
    (notice,) = [
        s.card
        for s in bot.connector.to(coordinator(bot).personal_conversation)
        if "Neste forslag" in str(s.card)
    ]
    (invite,) = [a for a in actions_of(notice) if a.get("verb") == "invite"]
    said = card_of(await coordinator(bot).invoke("invite", invite["data"], in_channel=False))
    assert "Kari Pasient" in str(said)
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 2
    updates = [s for s in bot.connector.sent if s.method == "update"]
    assert "1 invitert · 0 takket ja · 0 venter" in str(updates[-1].card)
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, link)) as resp:
            page = await resp.text()
        assert "Fristen for å svare" in page and 'value="yes"' not in page


async def test_a_participant_in_teams_answers_on_the_card(bot, clock) -> None:
    request_id = await claimed_request(bot, clock, participant_count=1)
    per = await active(bot, clock, "Per Pasient", aad_object_id=PER_AAD, email="")
    per_user = bot.teams.user("Per Pasient", PER_AAD)
    await per_user.say("hjelp")
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    (sent,) = [
        s
        for s in bot.connector.to(per_user.personal_conversation)
        if s.cards and "Invitasjon" in str(s.card)
    ]
    assert_valid_card(sent.card)
    (accept,) = [a for a in actions_of(sent.card) if a.get("verb") == "accept_invitation"]
    # Someone else pressing it (a forwarded card) is refused.
    other = await bot.teams.user("Ola", "aad-ola").invoke(
        "accept_invitation", accept["data"], in_channel=False
    )
    assert other.body["statusCode"] == 403
    answered = card_of(await per_user.invoke("accept_invitation", accept["data"], in_channel=False))
    assert "Takk for at du vil delta" in str(answered)
    assert not [a for a in actions_of(answered) if a.get("verb") == "accept_invitation"]
    assert (await fetch(bot.db, request_id)).status == "matched"
    async with bot.db.sessions() as session:
        invitation = await session.scalar(select(Invitation))
        participant = await session.get(Participant, per)
    assert (invitation.status, invitation.answered_via) == ("accepted", "teams")
    assert participant.last_active_at == clock.now()


async def test_a_declined_request_withdraws_its_invitations_and_says_so(
    start_bot, clock, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    request_id = await claimed_request(bot, clock)
    per = await active(bot, clock, "Per Pasient")
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    (link,) = invitation_links(smtp, "per@example.com")
    card_of(
        await coordinator(bot).invoke(
            "set_status", {"request_id": request_id, "status": "declined", "comment": "Utsatt"}
        )
    )
    await bot.tick()
    await bot.drain()
    told = smtp.inbox.messages[-1]
    assert told["To"].endswith("<per@example.com>")
    assert "blir ikke noe av" in parts(told)["text/plain"]
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, link)) as resp:
            page = await resp.text()
    assert "trenger ikke flere" in page and 'value="yes"' not in page
    async with bot.db.sessions() as session:
        assert await session.scalar(select(Invitation.status)) == "withdrawn"


async def test_answers_still_count_after_the_owner_releases(start_bot, clock, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    request_id = await claimed_request(bot, clock, participant_count=1)
    per = await active(bot, clock, "Per Pasient")
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    card_of(await coordinator(bot).invoke("release", {"request_id": request_id}))
    (link,) = invitation_links(smtp, "per@example.com")
    async with aiohttp.ClientSession() as http:
        status, page = await open_and_answer(http, local(bot, link), answer="yes")
    assert status == 200 and "Takk for at du vil delta" in page
    request = await fetch(bot.db, request_id)
    # Not matched without an owner (nobody to follow up); the yes is kept.
    assert request.status == "submitted" and request.match_summary["accepted"] == ["Per Pasient"]
