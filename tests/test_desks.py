"""Several desks in one medvirk: each its channel in its team, each sees only its
own, over HTTP through the fake connector (SPEC "Desks, units and commissioners")."""

from __future__ import annotations

from urllib.parse import urlsplit

import aiohttp
from sqlalchemy import select, update

from bot.features.fee_claims import claim_document
from bot.out.links import REPORT
from storage import desks
from storage import fee_claims as claims
from storage.db import scope
from storage.db.models import Desk, OutboxMessage, Participant, ReadEntry, Request
from storage.outbox import Render, address_of_key
from storage.reports import year_figures
from tests.support.cards import actions_of, assert_valid_card
from tests.support.channel import (
    MEMBERS,
    audit_rows,
    card_of,
    fetch,
    requester,
    seed_request,
    setup_channel,
)
from tests.support.cli import medvirk
from tests.support.desks import ALREK_CHANNEL, ALREK_MEMBER, ALREK_TEAM, alrek_member, two_desks
from tests.support.fee_claim_builders import completed_request, filed_claim
from tests.support.participants import PERSON, add_by_card, coordinator, local, person_links
from tests.support.pdfs import pdf_text
from tests.support.smtp import parts
from tests.support.teams import CHANNEL_ID, TEAM_ID, TENANT


async def test_each_desks_request_is_posted_in_its_own_channel_only(bot, clock) -> None:
    alrek = await two_desks(bot)
    ours = await seed_request(bot.db, clock)
    theirs = await seed_request(bot.db, clock, title="Kommunal plan", desk_id=alrek)
    await bot.drain()
    posts = {s.conversation_id: s for s in bot.connector.sent if s.method == "create"}
    assert set(posts) == {CHANNEL_ID, ALREK_CHANNEL}
    assert "Kommunal plan" in str(posts[ALREK_CHANNEL].card)
    assert "Kommunal plan" not in str(posts[CHANNEL_ID].card)
    assert (await fetch(bot.db, ours)).channel_activity_id == posts[CHANNEL_ID].activity_id
    assert (await fetch(bot.db, theirs)).channel_activity_id == posts[ALREK_CHANNEL].activity_id


async def test_a_member_of_one_desk_is_refused_on_anothers_request_and_it_is_audited(
    bot, clock
) -> None:
    alrek = await two_desks(bot)
    ours = await seed_request(bot.db, clock)
    theirs = await seed_request(bot.db, clock, desk_id=alrek)
    member = alrek_member(bot)
    # A card of Alrek's channel carrying the priority team's request id.
    forged = await member.invoke(
        "claim", {"request_id": ours}, channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert forged.status == 200 and forged.body["statusCode"] == 403
    assert "annet mottak" in forged.body["value"]["message"]
    assert (await fetch(bot.db, ours)).status == "submitted"
    async with bot.db.sessions() as session:
        reads = list(await session.scalars(select(ReadEntry)))
    assert [(r.reader, r.what) for r in reads] == [
        ("aad-alrek-01", f"refused: another desk's requests {ours}")
    ]
    # Their own request, in their own channel: claimed.
    claimed = await member.invoke(
        "claim", {"request_id": theirs}, channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert claimed.body["statusCode"] == 200
    assert (await fetch(bot.db, theirs)).owner_aad_id == "aad-alrek-01"


async def test_a_member_of_one_team_is_not_a_member_in_the_other_desks_channel(bot, clock) -> None:
    alrek = await two_desks(bot)
    theirs = await seed_request(bot.db, clock, desk_id=alrek)
    priority_member = bot.teams.user(MEMBERS[1][1], MEMBERS[1][0])
    reply = await priority_member.invoke(
        "claim", {"request_id": theirs}, channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert reply.body["statusCode"] == 403
    assert (await fetch(bot.db, theirs)).status == "submitted"
    # And in their own channel, the other desk's request is another desk's.
    reply = await priority_member.invoke("claim", {"request_id": theirs})
    assert reply.body["statusCode"] == 403
    assert (await fetch(bot.db, theirs)).status == "submitted"


async def test_the_overview_shows_only_the_channels_desk(bot, clock) -> None:
    alrek = await two_desks(bot)
    await seed_request(bot.db, clock, title="Sykehusets panel")
    await seed_request(bot.db, clock, title="Kommunal plan", desk_id=alrek)
    member = alrek_member(bot)
    theirs = await member.say_in_channel("oversikt", channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM)
    assert "Kommunal plan" in str(theirs.cards) and "Sykehusets panel" not in str(theirs.cards)
    admin = bot.teams.user("Anne Admin", "admin-aad")
    ours = await admin.say_in_channel("oversikt", channel_id=CHANNEL_ID, team_id=TEAM_ID)
    assert "Sykehusets panel" in str(ours.cards) and "Kommunal plan" not in str(ours.cards)


async def test_registering_a_desks_channel_moves_only_that_desks_cards(bot, clock) -> None:
    alrek = await two_desks(bot)
    await seed_request(bot.db, clock, desk_id=alrek)
    await bot.drain()
    bot.connector.clear()
    admin = bot.teams.user("Anne Admin", "admin-aad")
    await admin.say_in_channel(
        "registrer kanal alrek", channel_id="19:alrek-ny@thread.tacv2", team_id=ALREK_TEAM
    )
    await bot.drain()
    posts = [s.conversation_id for s in bot.connector.sent if s.method == "create"]
    assert posts == ["19:alrek-ny@thread.tacv2"]
    async with bot.db.sessions() as session:
        requests = list(await session.scalars(select(Request)))
    assert all(r.channel_conversation_id.startswith("19:alrek-ny") for r in requests)


async def test_an_unknown_desk_code_is_refused_and_changes_nothing(bot) -> None:
    await setup_channel(bot)
    admin = bot.teams.user("Anne Admin", "admin-aad")
    reply = await admin.say_in_channel(
        "registrer kanal nowhere", channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert "nowhere" in reply.texts[-1] and "desks list" in reply.texts[-1]
    async with bot.db.sessions() as session:
        assert [d.channel_id for d in await session.scalars(select(Desk))] == [CHANNEL_ID]


def test_desks_add_list_show_and_refusals(database_url) -> None:
    assert medvirk(database_url, "desks", "add", "--code", "x", "--name", "X").returncode == 2
    bad = medvirk(database_url, "desks", "add", "--code", "Alrek!", "--name", "A")
    assert bad.returncode == 2 and "cannot be a code" in bad.stderr
    ok = medvirk(
        database_url, "desks", "add", "--code", "alrek", "--name", "Alrek ressurssenter",
        "--payroll-email", "lonn@alrek.example", "--invoices", "--outside-orders",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    again = medvirk(database_url, "desks", "add", "--code", "alrek", "--name", "Alrek")
    assert again.returncode == 2 and "already a desk" in again.stderr
    listed = medvirk(database_url, "desks", "list").stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["default", "alrek"]
    shown = medvirk(database_url, "desks", "show", "alrek").stdout
    assert "lonn@alrek.example" in shown and "invoices        yes" in shown
    mail = medvirk(
        database_url, "desks", "add", "--code", "b", "--name", "B", "--payroll-email", "x"
    )
    assert mail.returncode == 2 and "--payroll-email" in mail.stderr


async def test_a_desk_pays_by_its_own_rates_and_its_claims_go_to_its_payroll(
    db, clock, tmp_path
) -> None:
    rates = tmp_path / "alrek.toml"
    rates.write_text('example = false\nname = "Alrek 2027"\nhourly = 650\n')
    async with db.transaction() as session:
        alrek = await desks.add(
            session,
            desks.NewDesk("alrek", "Alrek", rates_path=str(rates), payroll_email="lonn@alrek.no"),
            now=clock.now(),
        )
    ours, (ours_person,) = await completed_request(db, clock, "Kari Nordmann")
    theirs, (their_person,) = await completed_request(db, clock, "Per Hansen")
    async with db.transaction() as session:
        await session.execute(update(Request).where(Request.id == theirs).values(desk_id=alrek.id))
    ours_claim = await filed_claim(db, clock, ours, ours_person)
    their_claim = await filed_claim(db, clock, theirs, their_person)
    # 3 hours: the deployment's 500 an hour, Alrek's 650.
    assert (ours_claim.fee_ore, their_claim.fee_ore) == (150_000, 195_000)
    assert their_claim.rates_name == "Alrek 2027" and their_claim.desk_id == alrek.id
    for claim, person in ((ours_claim, ours_person), (their_claim, their_person)):
        await claims.confirm(
            db,
            claims.Confirmer.on_page(person),
            claim.id,
            claim.revision,
            payroll_email="lonn@helse-bergen.no",
            now=clock.now(),
        )
    async with db.sessions() as session:
        to_payroll = {
            row.payload["args"]["claim_id"]: address_of_key(row.target_key)
            for row in await session.scalars(select(OutboxMessage))
            if row.payload["render"] == Render.CLAIM_PAYROLL
        }
    assert to_payroll == {ours_claim.id: "lonn@helse-bergen.no", their_claim.id: "lonn@alrek.no"}


async def test_the_owner_transfers_a_request_to_another_desk(bot, clock) -> None:
    alrek = await two_desks(bot)
    request_id = await seed_request(bot.db, clock)
    await requester(bot).say("hjelp")
    await bot.drain()
    (old_post,) = [s for s in bot.connector.sent if s.method == "create"]
    owner = bot.teams.user(MEMBERS[1][1], MEMBERS[1][0])
    claimed = await owner.invoke("claim", {"request_id": request_id})
    transfer = [a for a in actions_of(card_of(claimed)) if a.get("type") == "Action.ShowCard"]
    assert any("mottak" in a["title"] for a in transfer)
    # No reason: refused, nothing changes.
    refused = await owner.invoke("transfer", {"request_id": request_id, "desk": "alrek"})
    assert "hvorfor" in str(card_of(refused)).lower()
    assert (await fetch(bot.db, request_id)).desk_id == 1
    await bot.drain()
    bot.connector.clear()
    moved = await owner.invoke(
        "transfer", {"request_id": request_id, "desk": "alrek", "reason": "Kommunal tjeneste"}
    )
    card = card_of(moved)
    assert_valid_card(card)
    assert "Alrek ressurssenter" in str(card)
    stored = await fetch(bot.db, request_id)
    assert (stored.desk_id, stored.status, stored.owner_aad_id) == (alrek, "submitted", None)
    await bot.drain()
    updates = [s for s in bot.connector.sent if s.method == "update"]
    assert [u.activity_id for u in updates] == [old_post.activity_id]
    assert "Alrek ressurssenter" in str(updates[0].card)
    (new_post,) = [s for s in bot.connector.sent if s.method == "create"]
    assert new_post.conversation_id == ALREK_CHANNEL and stored.reference in str(new_post.card)
    (notice,) = bot.connector.to("a:personal-aad-requester")
    assert "Alrek ressurssenter" in notice.text
    audit = await audit_rows(bot.db, request_id)
    assert audit[-1] == (
        "claimed",
        "submitted",
        "transferred from default to alrek: Kommunal tjeneste",
    )
    # Now Alrek's: their member claims it; the first desk's owner cannot touch it.
    again = await owner.invoke("claim", {"request_id": request_id})
    assert again.body["statusCode"] == 403
    theirs = await alrek_member(bot).invoke(
        "claim", {"request_id": request_id}, channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert theirs.body["statusCode"] == 200


async def test_statistics_and_the_report_link_count_the_channels_desk_alone(bot, clock) -> None:
    alrek = await two_desks(bot)
    for n in range(3):
        await seed_request(bot.db, clock, title=f"Sykehus {n}")
    await seed_request(bot.db, clock, title="Kommunal plan", desk_id=alrek)
    member = alrek_member(bot)
    reply = await member.say_in_channel(
        "statistikk 2026", channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    (card,) = reply.cards
    (download,) = [a for a in actions_of(card) if a.get("type") == "Action.OpenUrl"]
    token = urlsplit(download["url"]).path.removeprefix("/r/")
    links = await bot.services.links.get()
    assert links.read(REPORT, token, now=clock.now().timestamp())["d"] == [alrek]
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{bot.url}/r/{token}") as resp:
            assert resp.status == 200
    async with bot.db.sessions() as session:
        whats = [r.what for r in await session.scalars(select(ReadEntry))]
    assert f"report 2026 of desks {alrek}" in whats
    with scope.within({alrek}):
        async with bot.db.sessions() as session:
            figures = await year_figures(session, 2026, zone=bot.services.settings.zone)
    assert figures.total == 1


async def test_the_cli_sees_one_desk_with_desk(db, clock, database_url) -> None:
    async with db.transaction() as session:
        alrek = (await desks.add(session, desks.NewDesk("alrek", "Alrek"), now=clock.now())).id
    await seed_request(db, clock, title="Sykehusets panel")
    await seed_request(db, clock, title="Kommunal plan", desk_id=alrek)
    everything = medvirk(database_url, "export")
    assert "Sykehusets panel" in everything.stdout and "Kommunal plan" in everything.stdout
    theirs = medvirk(database_url, "--desk", "alrek", "export")
    assert theirs.returncode == 0, theirs.stderr
    assert "Kommunal plan" in theirs.stdout and "Sykehusets panel" not in theirs.stdout
    unknown = medvirk(database_url, "--desk", "nowhere", "export")
    assert unknown.returncode == 2 and "desks list" in unknown.stderr


async def test_a_participant_added_in_a_desks_channel_is_in_that_desks_pool_alone(bot) -> None:
    alrek = await two_desks(bot)
    member = alrek_member(bot)
    added = await member.invoke(
        "add_participant", {**PERSON, "name": "Alrek Deltaker"},
        channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM,
    )  # fmt: skip
    assert added.body["statusCode"] == 200
    await add_by_card(bot, name="Sykehus Deltaker")
    async with bot.db.sessions() as session:
        homes = {p.name: p.desk_id for p in await session.scalars(select(Participant))}
    assert homes == {"Alrek Deltaker": alrek, "Sykehus Deltaker": 1}
    theirs = await member.say_in_channel(
        "brukermedvirkere", channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert "Alrek Deltaker" in str(theirs.cards) and "Sykehus Deltaker" not in str(theirs.cards)
    ours = await coordinator(bot).say_in_channel("brukermedvirkere")
    assert "Sykehus Deltaker" in str(ours.cards) and "Alrek Deltaker" not in str(ours.cards)


async def test_a_desks_team_may_be_in_a_partners_allowed_tenant(start_bot, clock) -> None:
    bot = await start_bot(MEDVIRK_ALLOWED_TENANTS=f"{TENANT},tenant-partner")
    added = medvirk(bot.db.url, "desks", "add", "--code", "alrek", "--name", "Alrek")
    assert added.returncode == 0, added.stderr
    bot.connector.add_member("admin-aad", "Anne Admin", team=ALREK_TEAM)
    bot.connector.add_member(*ALREK_MEMBER, team=ALREK_TEAM)
    admin = bot.teams.user("Anne Admin", "admin-aad")
    where = {"channel_id": ALREK_CHANNEL, "team_id": ALREK_TEAM, "tenant": "tenant-partner"}
    reply = await admin.say_in_channel("registrer kanal alrek", **where)
    assert "Alrek" in reply.texts[-1]
    async with bot.db.sessions() as session:
        alrek = await desks.known(session, "alrek")
    assert alrek.tenant_id == "tenant-partner"
    request_id = await seed_request(bot.db, clock, desk_id=alrek.id)
    await bot.drain()
    (post,) = [s for s in bot.connector.sent if s.method == "create"]
    assert post.conversation_id == ALREK_CHANNEL
    assert post.tenant_id == "tenant-partner"
    claimed = await alrek_member(bot).invoke("claim", {"request_id": request_id}, **where)
    assert claimed.body["statusCode"] == 200
    # Another tenant, not allowed: refused before anything is read.
    evil = await admin.say_in_channel("oversikt", **{**where, "tenant": "tenant-evil"})
    assert evil.status == 403


async def test_a_desks_own_admin_is_an_admin_in_its_channel_alone(bot, clock) -> None:
    alrek = await two_desks(bot)
    async with bot.db.transaction() as session:
        desk = await session.get(Desk, alrek)
        desk.admins = [ALREK_MEMBER[0]]
    bot.services.desks.forget()
    theirs = await seed_request(bot.db, clock, desk_id=alrek)
    ours = await seed_request(bot.db, clock)
    member = alrek_member(bot)
    decline = {"status": "declined", "comment": "Ikke for oss"}
    # Declining an unclaimed request is an admin's: theirs, in their channel.
    reply = await member.invoke(
        "set_status", {"request_id": theirs, **decline},
        channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM,
    )  # fmt: skip
    assert reply.body["statusCode"] == 200
    assert (await fetch(bot.db, theirs)).status == "declined"
    # In the priority team's channel, even as a member of its team, no admin.
    bot.connector.add_member(*ALREK_MEMBER)
    refused = await member.invoke("set_status", {"request_id": ours, **decline})
    assert refused.body["statusCode"] == 200  # the card, with the refusal on it
    assert (await fetch(bot.db, ours)).status == "submitted"
    shown = medvirk(bot.db.url, "desks", "show", "alrek").stdout
    assert "admins          1" in shown


async def test_a_card_update_queued_before_a_transfer_leaves_the_old_post_alone(bot, clock) -> None:
    await two_desks(bot)
    request_id = await seed_request(bot.db, clock)
    await bot.drain()
    owner = bot.teams.user(MEMBERS[1][1], MEMBERS[1][0])
    await owner.invoke("claim", {"request_id": request_id})  # its card update is queued
    moved = await owner.invoke(
        "transfer", {"request_id": request_id, "desk": "alrek", "reason": "Kommunal tjeneste"}
    )
    assert moved.body["statusCode"] == 200
    bot.connector.clear()
    await bot.drain()
    updates = [s for s in bot.connector.sent if s.method == "update"]
    # Only the "moved" card reaches the old post, however the rows are ordered.
    assert len(updates) == 1 and "Alrek ressurssenter" in str(updates[0].card)
    assert "BM-2026-0001" in str(updates[0].card) and "claim" not in str(updates[0].card)


async def test_a_person_hears_from_the_desk_that_writes_by_its_name(start_bot, smtp, clock) -> None:
    """A participant added by Alrek's centre gets mail and pages in its name; one
    added by the priority team in that desk's; the payroll PDF names the desk."""
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    alrek = await two_desks(bot)
    added = await alrek_member(bot).invoke(
        "add_participant",
        {**PERSON, "name": "Alrek Deltaker", "email": "alrek.deltaker@example.com"},
        channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM,
    )  # fmt: skip
    assert added.body["statusCode"] == 200
    await add_by_card(bot, name="Sykehus Deltaker", email="sykehus.deltaker@example.com")
    await bot.drain()
    mails = {m["To"].split("<")[-1].rstrip(">"): m for m in smtp.inbox.messages}
    theirs = parts(mails["alrek.deltaker@example.com"])
    ours = parts(mails["sykehus.deltaker@example.com"])
    assert (
        "Alrek ressurssenter" in theirs["text/plain"]
        and "Alrek ressurssenter" in theirs["text/html"]
    )
    assert "Prioriteringsteamet" not in theirs["text/plain"]
    assert "Prioriteringsteamet" in ours["text/plain"] and "Alrek" not in ours["text/plain"]
    # Nothing of the desk in the subject: it says the kind of message only.
    assert "Alrek" not in mails["alrek.deltaker@example.com"]["Subject"]
    (link,) = set(person_links(mails["alrek.deltaker@example.com"]))
    async with aiohttp.ClientSession() as http, http.get(local(bot, link)) as resp:
        page = await resp.text()
    assert resp.status == 200
    header = page.split("<header>", 1)[1].split("</header>", 1)[0]
    assert "Alrek ressurssenter" in header and "Alrek ressurssenter" in page.split("<title>")[1]

    ours_id, (person,) = await completed_request(bot.db, clock, "Kari Nordmann")
    async with bot.db.transaction() as session:
        await session.execute(update(Request).where(Request.id == ours_id).values(desk_id=alrek))
    claim = await filed_claim(bot.db, clock, ours_id, person)
    async with bot.db.sessions() as session:
        found = await claim_document(session, bot.services.settings, claim.id)
    assert found is not None
    text = pdf_text(found[2])
    assert "Sendt fra" in text and "Alrek ressurssenter" in text
