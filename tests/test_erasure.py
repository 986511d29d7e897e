"""What withdrawal, erasure and retention leave behind, on a database with
every kind of row a person can be in: invitations, fee claims, evaluations,
gatherings, a participant in Teams (chat reference, dialog state), staff who
invited, filed and evaluated. Searched by name, e-mail, phone and AAD id."""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import aiohttp
import pypdfium2
import pytest
from sqlalchemy import func, select

from bot.out.mail import forget_mail
from storage import evaluations, invitations, pool, privacy
from storage import fee_claims as claims
from storage.db.models import (
    Evaluation,
    FeeClaim,
    Invitation,
    OutboxMessage,
    Participant,
    PostedCard,
    Request,
)
from storage.domain.fees import Rates
from storage.domain.refusal import Refused
from storage.fee_claims import Confirmer
from storage.invitations import agreements
from storage.privacy import erasure
from storage.reminders import find_contact
from storage.reminders.answers import record_rsvp
from storage.reminders.subjects import add_gathering
from storage.requests.moves import Actor
from tests.support.cards import actions_of
from tests.support.channel import MEMBERS, card_of, fetch
from tests.support.cli import medvirk
from tests.support.env import OSLO
from tests.support.participants import (
    DATA_LINK_SUBJECT,
    PERSON,
    add_by_card,
    ask_for_data_link,
    coordinator,
    local,
    open_and_answer,
    person_links,
)
from tests.support.smtp import attachments
from tests.support.tables import every_row
from tests.test_invitations import active, claimed_request, sent_card

TOR = {"name": "Tor Teams", "aad": "0b9f3c1e-7d2a-4c5b-9e8f-1a2b3c4d5e03", "phone": "+4791234599"}
KARI = {"name": "Kari Epost", "email": "kari.epost@example.com", "phone": "+4791234598"}
RITA = {"name": "Rita Rekvirent", "aad": "aad-requester"}
COORDINATOR = {"name": MEMBERS[0][1], "aad": MEMBERS[0][0]}
RATES = Rates(name="test", hourly=Decimal(500))


async def _in_teams(bot, clock, request_id: int) -> tuple[int, object]:
    """Tor, in the pool with a Teams account and a phone, says yes on the card."""
    tor = await active(
        bot, clock, TOR["name"], aad_object_id=TOR["aad"], email="", phone=TOR["phone"]
    )
    user = bot.teams.user(TOR["name"], TOR["aad"])
    await user.say("hjelp")
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": tor})
    await bot.drain()
    (accept,) = [
        a
        for a in actions_of(sent_card(bot, user, "Invitasjon"))
        if a.get("verb") == "accept_invitation"
    ]
    card_of(await user.invoke("accept_invitation", accept["data"], in_channel=False))
    await bot.drain()
    return tor, user


async def _by_mail(bot, clock, request_id: int) -> int:
    """Kari, reached by e-mail, says yes (through the domain)."""
    kari = await active(bot, clock, KARI["name"], email=KARI["email"], phone=KARI["phone"])
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": kari})
    async with bot.db.transaction() as session:
        invitation = await session.scalar(
            select(Invitation).where(Invitation.participant_id == kari)
        )
        await invitations.answer_invitation(
            session,
            invitations.Answerer(participant_id=kari),
            invitation.id,
            accept=True,
            via="page",
            now=clock.now(),
        )
    await bot.drain()
    return kari


async def full_database(bot, clock, *, complete: bool = True) -> tuple[int, int, int]:
    """A request Tor (Teams) and Kari (e-mail) took part in, with documents,
    claims filed by the requester and evaluations with words; Tor subscribed
    to reminders, said he is coming to a gathering, and has a half-finished
    order in his chat."""
    request_id = await claimed_request(bot, clock, participant_count=2)
    tor, user = await _in_teams(bot, clock, request_id)
    kari = await _by_mail(bot, clock, request_id)
    assert (await fetch(bot.db, request_id)).status == "matched"
    await user.say("abonner")
    await user.say("bestill")
    await user.say("Et halvferdig prosjekt")
    async with bot.db.transaction() as session:
        gathering = await add_gathering(
            session,
            title="Fellessamling",
            starts_at=clock.now() + timedelta(days=30),
            ends_at=None,
            place=None,
            register_url=None,
            register_by=None,
            groups=None,
            remind=[],
            remind_register=[],
            zone=OSLO,
            now=clock.now(),
        )
        contact = await find_contact(session, TOR["aad"])
        assert contact is not None
        await record_rsvp(session, gathering.id, contact, True, now=clock.now())
        for participant_id in (tor, kari):
            await agreements.sign(session, request_id, participant_id, via="page", now=clock.now())
    if complete:
        card_of(
            await coordinator(bot).invoke(
                "set_status", {"request_id": request_id, "status": "completed"}
            )
        )
        async with bot.db.transaction() as session:
            for participant_id in (tor, kari):
                await claims.file_in(
                    session,
                    Actor(RITA["aad"], RITA["name"]),
                    request_id,
                    participant_id,
                    {"meetings": 2, "hours": 3},
                    rates=RATES,
                    now=clock.now(),
                )
            rows = {
                e.respondent: e
                for e in await session.scalars(
                    select(Evaluation).where(Evaluation.request_id == request_id)
                )
            }
            await evaluations.answer(
                session,
                rows["requester"].id,
                {
                    "rating": "5",
                    "impact": "Tor Teams og Kari Epost endret opplegget",
                    "would_use_again": "yes",
                },
                participant_id=None,
                via="teams",
                now=clock.now(),
            )
            await evaluations.answer(
                session,
                rows[evaluations.participant_respondent(kari)].id,
                {"rating": "4", "fee_info_clear": "yes", "comment": "Hilsen Kari Epost"},
                participant_id=kari,
                via="page",
                now=clock.now(),
            )
    await bot.drain()
    return request_id, tor, kari


def _holding(rows: list[str], person: dict[str, str]) -> list[str]:
    return [row for row in rows if any(value in row for value in person.values())]


async def test_forget_leaves_only_the_bookkeeping_of_a_fee_and_no_health_data(
    bot, clock, database_url
) -> None:
    _request_id, _tor, _kari = await full_database(bot, clock)
    before = await every_row(bot.db)
    for person in (TOR, KARI, RITA, COORDINATOR):
        assert _holding(before, person), person
    async with bot.db.transaction() as session:
        for person in (TOR["aad"], KARI["email"], RITA["aad"], COORDINATOR["aad"]):
            await erasure.forget(session, person, now=clock.now())
    rows = await every_row(bot.db)
    for person in (RITA, COORDINATOR):
        assert _holding(rows, person) == [], person
    assert "Et halvferdig prosjekt" not in "\n".join(rows)
    assert "endret opplegget" not in "\n".join(rows)
    # Tor and Kari: only in the claims for their work, which payroll must
    # pay and bookkeeping keep, with no link to the pool (no role, no area)
    # and no Teams id.
    for person in (TOR, KARI):
        left = _holding(rows, person)
        assert left and all(r.startswith("fee_claims:") for r in left), left
        assert not [r for r in rows if TOR["aad"] in r]
    async with bot.db.sessions() as session:
        kept = list(await session.scalars(select(FeeClaim).order_by(FeeClaim.id)))
        assert await session.scalar(select(Participant)) is None
    assert [(c.participant_id, c.status, c.payee_name) for c in kept] == [
        (None, "confirmed", TOR["name"]),
        (None, "confirmed", KARI["name"]),
    ]
    assert (kept[0].payee_contact, kept[1].payee_contact) == (
        TOR["phone"],
        f"{KARI['email']} / {KARI['phone']}",
    )
    assert {c.filed_by_name for c in kept} == {privacy.ANONYMOUS}
    # Bookkeeping keeps the payee until five years after the year of payment.
    for day, kept_payees in (
        (datetime(2031, 12, 31, 12, tzinfo=UTC), 2),
        (datetime(2032, 1, 1, 12, tzinfo=UTC), 0),
    ):
        async with bot.db.transaction() as session:
            await privacy.purge(session, older_than=timedelta(days=730), now=day)
        async with bot.db.sessions() as session:
            payees = [c.payee_name for c in await session.scalars(select(FeeClaim))]
        assert len([p for p in payees if p]) == kept_payees, day
    assert _holding(await every_row(bot.db), TOR) == []
    assert _holding(await every_row(bot.db), KARI) == []


async def test_withdrawal_before_the_work_is_done_leaves_nothing_and_reopens(bot, clock) -> None:
    request_id, tor, kari = await full_database(bot, clock, complete=False)
    assert (await fetch(bot.db, request_id)).status == "agreement_signed"
    async with bot.db.transaction() as session:
        for participant_id in (tor, kari):
            participant = await session.get_one(Participant, participant_id)
            refresh = await erasure.withdraw(session, participant, now=clock.now())
            await invitations.refresh_requests(session, refresh, now=clock.now())
    rows = await every_row(bot.db)
    for person in (TOR, KARI):
        left = _holding(rows, person)
        # Tor is still a contact who gets reminders (he subscribed as himself).
        assert all(r.startswith(("contacts:", "conversation_refs:")) for r in left), left
    assert "Et halvferdig prosjekt" not in "\n".join(rows)
    request = await fetch(bot.db, request_id)
    assert request.status == "in_progress"
    assert request.match_summary["accepted"] == []
    await bot.drain()
    notices = [
        s.text + str(s.card)
        for s in bot.connector.to(coordinator(bot).personal_conversation)
        if "trukket seg fra utvalget" in s.text + str(s.card)
    ]
    assert len(notices) == 2
    card = [s.card for s in bot.connector.sent if s.method == "update" and s.card][-1]
    assert request.reference in str(card)
    assert "2 som hadde takket ja, har trukket seg: åpen for flere" in str(card)
    assert TOR["name"] not in str(card) and KARI["name"] not in str(card)
    async with bot.db.sessions() as session:
        statuses = {i.status for i in await session.scalars(select(Invitation))}
    assert statuses == {"left"}


async def test_a_teams_participant_who_withdraws_loses_chat_and_dialog_state(bot, clock) -> None:
    request_id = await claimed_request(bot, clock, participant_count=1)
    tor, user = await _in_teams(bot, clock, request_id)
    await user.say("bestill")
    before = await every_row(bot.db)
    assert [r for r in before if r.startswith("conversation_refs:") and TOR["aad"] in r]
    assert [r for r in before if r.startswith("dialog_state:") and TOR["aad"] in r]
    async with bot.db.transaction() as session:
        refresh = await erasure.withdraw(
            session, await session.get_one(Participant, tor), now=clock.now()
        )
        await invitations.refresh_requests(session, refresh, now=clock.now())
    assert _holding(await every_row(bot.db), TOR) == []


async def test_money_owed_survives_withdrawal_and_payroll_gets_a_name(
    start_bot, clock, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_PAYROLL_EMAIL="lonn@example.com")
    request_id, tor, kari = await full_database(bot, clock, complete=False)
    card_of(
        await coordinator(bot).invoke(
            "set_status", {"request_id": request_id, "status": "completed"}
        )
    )
    # Kari leaves before the requester files her figures; Tor after they were filed.
    async with bot.db.transaction() as session:
        await claims.file_in(
            session,
            Actor(RITA["aad"], RITA["name"]),
            request_id,
            tor,
            {"meetings": 1, "hours": 2},
            rates=RATES,
            now=clock.now(),
        )
        for participant_id in (tor, kari):
            participant = await session.get_one(Participant, participant_id)
            await erasure.withdraw(
                session, participant, now=clock.now(), payroll_email="lonn@example.com"
            )
    # The requester files Kari's figures on their card: not "did not take part".
    rita = bot.teams.user(RITA["name"], RITA["aad"])
    filed = card_of(
        await rita.invoke(
            "confirm_participation",
            {"request_id": request_id, "participant_id": kari, "meetings": "2", "hours": "3"},
            in_channel=False,
        )
    )
    assert "gått ut av utvalget" in str(filed) and "deltok ikke" not in str(filed)
    await bot.drain()
    payroll = [m for m in smtp.inbox.messages if "lonn@example.com" in m["To"]]
    assert len(payroll) == 2
    async with bot.db.sessions() as session:
        kept = {c.participant_id: c for c in await session.scalars(select(FeeClaim))}
        people = {p.id: p for p in await session.scalars(select(Participant))}
    assert (kept[tor].payee_name, kept[tor].status, kept[tor].meetings) == (TOR["name"], "sent", 1)
    assert (kept[kari].payee_name, kept[kari].status) == (KARI["name"], "sent")
    assert people[kari].name is None and people[kari].status == "left"
    # Payroll's copy is complete: the name and how to reach them, for each.
    for claim, person, contact in (
        (kept[tor], TOR, TOR["phone"]),
        (kept[kari], KARI, KARI["email"]),
    ):
        (mail,) = [m for m in payroll if f"krav {claim.id}" in m["Subject"]]
        (pdf,) = attachments(mail).values()
        document = pypdfium2.PdfDocument(pdf)
        try:
            text = "\n".join(page.get_textpage().get_text_range() for page in document)
        finally:
            document.close()
        assert person["name"] in text and contact in text


async def test_purge_drops_the_names_and_words_of_old_requests(bot, clock) -> None:
    request_id, _tor, _kari = await full_database(bot, clock)
    clock.advance(timedelta(days=800))
    async with bot.db.transaction() as session:
        await privacy.purge(session, older_than=timedelta(days=730), now=clock.now())
    async with bot.db.sessions() as session:
        request = await session.get_one(Request, request_id)
        invitation_rows = list(await session.scalars(select(Invitation)))
        evaluation_rows = list(await session.scalars(select(Evaluation)))
        claim_rows = list(await session.scalars(select(FeeClaim)))
    assert all(i.invited_by is None and i.invited_by_name is None for i in invitation_rows)
    assert all(e.impact is None and e.comment is None for e in evaluation_rows)
    assert all(c.filed_by_name is None for c in claim_rows)
    assert "Tor Teams" not in str(request.match_summary)
    # Their chats with the bot and the read audit are not the requests' data
    # (`forget` takes those).
    rows = "\n".join(
        r
        for r in await every_row(bot.db)
        if not r.startswith(("conversation_refs:", "contacts:", "read_audit:"))
    )
    for value in (RITA["name"], RITA["aad"], COORDINATOR["name"], "endret opplegget", "Hilsen"):
        assert value not in rows, value


async def test_posted_lists_are_replaced_when_someone_in_them_leaves(bot, clock) -> None:
    request_id = await claimed_request(bot, clock, participant_count=1)
    tor = await active(bot, clock, "Tor Teams", phone=TOR["phone"])
    await active(bot, clock, "Ola Annen")
    member = coordinator(bot)
    suggested = await member.invoke("suggest", {"request_id": request_id})
    assert suggested.status == 200
    await member.say_in_channel("brukermedvirkere")
    posted = [s for s in bot.connector.sent if "Tor Teams" in str(s.card)]
    assert len(posted) == 2  # the suggestions and the pool's list
    async with bot.db.sessions() as session:
        recorded = list(await session.scalars(select(PostedCard)))
    assert {r.kind for r in recorded} == {"suggestions", "pool_list"}
    async with bot.db.transaction() as session:
        await erasure.withdraw(session, await session.get_one(Participant, tor), now=clock.now())
    await bot.drain()
    for message in posted:
        updates = [
            s
            for s in bot.connector.sent
            if s.method == "update" and s.activity_id == message.activity_id
        ]
        assert updates, message.activity_id
        assert (
            "Tor Teams" not in str(updates[-1].card)
            and "pasient" not in str(updates[-1].card).lower()
        )
        assert "fjernet" in str(updates[-1].card)
    async with bot.db.sessions() as session:
        assert await session.scalar(select(PostedCard)) is None


async def test_posted_lists_go_after_their_time_whoever_is_in_them(bot, clock) -> None:
    await claimed_request(bot, clock, participant_count=1)
    await active(bot, clock, "Ola Annen")
    await coordinator(bot).say_in_channel("brukermedvirkere")
    (posted,) = [s for s in bot.connector.sent if "Ola Annen" in str(s.card)]
    clock.advance(timedelta(days=15))
    async with bot.db.transaction() as session:
        result = await privacy.purge_short_lived(session, now=clock.now())
    assert result.posted_cards == 1
    await bot.drain()
    (update,) = [
        s
        for s in bot.connector.sent
        if s.method == "update" and s.activity_id == posted.activity_id
    ]
    assert "Ola Annen" not in str(update.card)


async def test_mail_in_the_folder_goes_with_the_person_and_at_retention(
    bot, clock, database_url, tmp_path
) -> None:
    folder = tmp_path / "mail"
    await claimed_request(bot, clock, participant_count=1)
    async with bot.db.transaction() as session:
        for fields in (KARI, {"name": "Ola Annen", "email": "ola@example.com"}):
            values = pool.validate(
                {"roles": "patient", "formats": "digital", **fields},
                areas=bot.services.settings.areas,
            )
            await pool.add_asking_consent(session, values, added_by="test", now=clock.now())
    await bot.drain()
    before = sorted(folder.glob("*.eml"))
    assert len(before) == 2
    done = medvirk(database_url, "forget", KARI["email"], MEDVIRK_MAIL_DIR=str(folder))
    assert done.returncode == 0, done.stderr
    assert "mails 1" in done.stdout
    (kept,) = folder.glob("*.eml")
    assert KARI["email"] not in kept.read_text(errors="replace")
    old = (clock.now() - timedelta(days=800)).timestamp()
    os.utime(kept, (old, old))
    done = medvirk(database_url, "purge", "--older-than", "24months", MEDVIRK_MAIL_DIR=str(folder))
    assert done.returncode == 0, done.stderr
    assert list(folder.glob("*.eml")) == []


async def test_mail_is_forgotten_by_address_and_number_as_whole_words(tmp_path) -> None:
    """A name is never a needle ("Per" is in "Personvern"), nor part of another address."""
    folder = tmp_path / "mail"
    folder.mkdir()
    texts = {
        "to-per": "To: per@example.com\n\nHei",
        "per-phone": "To: payroll@example.com\n\nRing +47 912 34 567",
        "other": "To: super@example.com\n\nPersonvern for Per",
        "longer": "To: per@example.com.evil.example\n\nHei",
    }
    for name, text in texts.items():
        (folder / f"{name}.eml").write_text(text)
    gone = await forget_mail(folder, ["Per", "per@example.com", "+4791234567"])
    assert gone == 2
    assert sorted(p.stem for p in folder.glob("*.eml")) == ["longer", "other"]


# -- a claim's race, and a correction's ---------------------------------------------------------


async def _draft(bot, clock) -> tuple[int, int, int]:
    request_id, _tor, kari = await full_database(bot, clock)
    async with bot.db.sessions() as session:
        claim = await session.scalar(select(FeeClaim).where(FeeClaim.participant_id == kari))
    return request_id, kari, claim.id


async def test_two_confirmations_and_a_refile_have_one_winner(bot, clock) -> None:
    """On PostgreSQL the statements really run at once (row locks decide); on
    SQLite the writers queue (BEGIN IMMEDIATE) and the same must hold."""
    request_id, kari, claim_id = await _draft(bot, clock)

    async def confirm() -> str:
        try:
            done = await claims.confirm(
                bot.db,
                Confirmer.on_page(kari),
                claim_id,
                1,
                payroll_email="lonn@example.com",
                now=clock.now(),
            )
            return "repeated" if done.repeated else "confirmed"
        except Refused as refused:
            return refused.key

    async def refile() -> str:
        try:
            await claims.file(
                bot.db,
                Actor(RITA["aad"], RITA["name"]),
                request_id,
                kari,
                {"meetings": 9, "hours": 9},
                rates=RATES,
                now=clock.now(),
            )
            return "refiled"
        except Refused as refused:
            return refused.key

    outcomes = await asyncio.gather(confirm(), confirm(), refile(), confirm())
    async with bot.db.sessions() as session:
        claim = await session.get_one(FeeClaim, claim_id)
        queued = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.dedupe_key == f"claim_payroll:{claim_id}")
        )
    confirmed = outcomes.count("confirmed")
    assert confirmed <= 1
    if confirmed == 1:
        # The figures confirmed are the figures of revision 1: a refile after it was refused.
        assert claim.status == "confirmed" and claim.meetings == 2 and claim.revision == 1
        assert outcomes.count("refiled") == 0
        assert queued == 1
    else:
        # The refile came first: revision 2, no confirmation of revision 1 won.
        assert claim.status == "draft" and claim.revision == 2 and claim.meetings == 9
        assert queued == 0


async def test_a_correction_after_a_withdrawal_writes_nothing(bot, clock, backend) -> None:
    kari = await active(bot, clock, KARI["name"], email=KARI["email"])
    values = pool.validate(
        {"name": "Kari Ny", "email": "ny@example.com", "formats": "digital"},
        areas=bot.services.settings.areas,
        only=pool.OWN_FIELDS,
    )
    if backend == "postgres":
        # The page read her before the withdrawal committed, and writes after.
        async with bot.db.transaction() as page:
            stale = await page.get_one(Participant, kari)
            async with bot.db.transaction() as session:
                await erasure.withdraw(
                    session, await session.get_one(Participant, kari), now=clock.now()
                )
            with pytest.raises(Refused):
                await pool.correct(page, stale, values, now=clock.now())
    else:
        async with bot.db.reading() as page:
            stale = await page.get_one(Participant, kari)
        async with bot.db.transaction() as session:
            await erasure.withdraw(
                session, await session.get_one(Participant, kari), now=clock.now()
            )
        with pytest.raises(Refused):
            async with bot.db.transaction() as session:
                await pool.correct(session, stale, values, now=clock.now())
    async with bot.db.sessions() as session:
        left = await session.get_one(Participant, kari)
    assert (left.status, left.name, left.email) == ("left", None, None)


def test_the_security_doc_says_what_a_fee_keeps() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "SECURITY.md").read_text()
    assert "bokføringsloven" in text and "payee" in text


def _mails(folder: Path) -> list:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


async def test_withdrawing_on_the_page_removes_their_posted_lists_and_mail(
    start_bot, clock, tmp_path
) -> None:
    """Through HTTP as people do it: the team asks for suggestions (only Ola
    fits yet), the coordinator adds Per (e-mail, written to the folder), he
    says yes, the team lists the pool, invites Ola from the suggestions card
    (which then shows Per in its place), and Per withdraws on his page."""
    folder = tmp_path / "mail"
    bot = await start_bot(MEDVIRK_MAIL_DIR=str(folder))
    request_id = await claimed_request(bot, clock, participant_count=1)
    ola = await active(bot, clock, "Ola Annen")
    member = coordinator(bot)
    await member.invoke("suggest", {"request_id": request_id})
    (suggestions,) = [s for s in bot.connector.sent if "Forslag til" in str(s.card)]
    assert "Per Pasient" not in str(suggestions.card)
    await add_by_card(bot)
    await bot.drain()
    (consent,) = [m for m in _mails(folder) if PERSON["email"] in m["To"]]
    (link,) = set(person_links(consent))
    async with aiohttp.ClientSession() as http:
        status, _ = await open_and_answer(http, local(bot, link), answer="yes")
        assert status == 200
        # His data (and withdrawal) opens from a link of its own, asked for here.
        await ask_for_data_link(bot, http, local(bot, link))
    await member.say_in_channel("brukermedvirkere")
    (listed,) = [s for s in bot.connector.sent if "Per Pasient" in str(s.card)]
    answered = await member.invoke(
        "invite",
        {"request_id": request_id, "participant_id": ola},
        on_message=suggestions.activity_id,
    )
    assert "Per Pasient" in str(card_of(answered))  # the suggestions card, anew
    shown = [listed, suggestions]
    await bot.drain()
    assert [m for m in _mails(folder) if PERSON["email"] in m["To"]]

    (asked,) = [m for m in _mails(folder) if m["Subject"] == DATA_LINK_SUBJECT]
    (data_link,) = set(person_links(asked))
    async with aiohttp.ClientSession() as http:
        status, _ = await open_and_answer(http, local(bot, data_link), answer="withdraw")
        assert status == 200
    await bot.drain()
    for message in shown:
        (update,) = [
            s
            for s in bot.connector.sent
            if s.method == "update" and s.activity_id == message.activity_id
        ]
        for trace in ("Per Pasient", "Pasient", "Kreft", "Rehabilitering"):
            assert trace not in str(update.card), trace
        assert "fjernet" in str(update.card)
    assert not [m for m in _mails(folder) if PERSON["email"] in str(m["To"])]
    # Ola's invitation is his, and stays.
    assert [m for m in _mails(folder) if "ola@example.com" in str(m["To"])]
    async with bot.db.sessions() as session:
        assert await session.scalar(select(PostedCard)) is None


async def test_suggestions_shown_in_the_request_card_give_it_back(bot, clock) -> None:
    """Teams throttled the post, so the suggestions came in the request card's
    place: when someone in them leaves, that message is the request card again."""
    request_id = await claimed_request(bot, clock)
    per = await active(bot, clock, "Per Pasient")
    request = await fetch(bot.db, request_id)
    bot.connector.fail_next(429, headers={"Retry-After": "30"})
    reply = await coordinator(bot).invoke(
        "suggest", {"request_id": request_id}, on_message=request.channel_activity_id
    )
    assert "Per Pasient" in str(card_of(reply))
    async with bot.db.transaction() as session:
        await erasure.withdraw(session, await session.get_one(Participant, per), now=clock.now())
    await bot.drain()
    update = [
        s
        for s in bot.connector.sent
        if s.method == "update" and s.activity_id == request.channel_activity_id
    ][-1]
    assert request.reference in str(update.card) and "Per Pasient" not in str(update.card)
