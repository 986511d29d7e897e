"""The register of units (SPEC "Desks, units and commissioners"): the CLI, the
order dialog's choice and its search as the person types, a request at its
unit's desk, the unit's contact told, and reports by unit across a rename."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage import reports, units
from storage.db.models import Request, Unit
from storage.outbox.conversations import PERSONAL, find_reference
from storage.reports import year_figures
from storage.reports.annual import annual
from storage.requests import submit_request
from tests.support.cards import assert_valid_card, inputs_of
from tests.support.channel import ANSWERS, REQUESTER, fetch, setup_channel
from tests.support.cli import medvirk
from tests.support.desks import ALREK_CHANNEL, ALREK_MEMBER, ALREK_TEAM, two_desks
from tests.support.order import GOOD_CARD, answer, asked_field, confirm, fill_order
from tests.support.smtp import parts
from tests.support.teams import TENANT, Reply, TeamsUser

OSLO = ZoneInfo("Europe/Oslo")
# Alrek's contact: an AAD object id (told in Teams once they have a chat).
CONTACT_AAD = "0b5e1a2c-1111-4222-8333-944455556666"

REGISTER = f"""code,name_nb,name_nn,name_en,desk,contact
kreft,Kreftklinikken,Kreftklinikken,Cancer clinic,default,kreft.kontakt@helse-bergen.example
barn,Barne- og ungdomsklinikken,Barne- og ungdomsklinikken,Children's clinic,default,
alrek-ls,Alrek læringssenter,Alrek læringssenter,Alrek learning centre,alrek,{CONTACT_AAD}
"""


def _csv(tmp_path: Path, text: str, name: str = "units.csv") -> str:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return str(path)


def _import(url: str, tmp_path: Path, text: str = REGISTER) -> None:
    done = medvirk(url, "units", "import", _csv(tmp_path, text))
    assert done.returncode == 0, done.stderr


async def _search(user: TeamsUser, text: str, dataset: str = "units") -> Reply:
    """What Teams sends as the person types in a `choices.data` choice set."""
    activity = user._personal(
        type="invoke",
        name="application/search",
        value={"queryText": text, "dataset": dataset, "queryOptions": {"skip": 0, "top": 15}},
    )
    return await user.client.post(activity)


def _results(reply: Reply) -> list[tuple[str, str]]:
    assert reply.status == 200, reply.body
    assert reply.body["type"] == "application/vnd.microsoft.search.searchResponse"
    return [(r["title"], r["value"]) for r in reply.body["value"]["results"]]


def test_an_import_with_a_bad_row_imports_nothing_and_says_which_and_why(
    database_url, tmp_path
) -> None:
    assert (
        medvirk(database_url, "desks", "add", "--code", "alrek", "--name", "Alrek").returncode == 0
    )
    bad = REGISTER + "hjerte,Hjerteklinikken,,,nowhere,\nlunge,,,,default,not-a-contact\n"
    done = medvirk(database_url, "units", "import", _csv(tmp_path, bad))
    assert done.returncode == 2
    assert "line 5" in done.stderr and "nowhere" in done.stderr
    assert "line 6" in done.stderr and "no name" in done.stderr
    assert "nothing was imported" in done.stderr
    listed = medvirk(database_url, "units", "list").stdout
    assert "free text" in listed and "kreft" not in listed

    _import(database_url, tmp_path)
    listed = medvirk(database_url, "units", "list").stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["alrek-ls", "barn", "kreft"]
    # One desk's units: by the list's own option or the global one.
    for args in (("units", "list", "--desk", "alrek"), ("--desk", "alrek", "units", "list")):
        theirs = medvirk(database_url, *args).stdout.splitlines()
        assert [line.split()[0] for line in theirs] == ["alrek-ls"], args
    unknown = medvirk(database_url, "units", "list", "--desk", "nowhere")
    assert unknown.returncode == 2 and "nowhere" in unknown.stderr
    # Again, renamed: updated in place by its code.
    _import(
        database_url, tmp_path, REGISTER.replace("Kreftklinikken,Kreft", "Klinikk for kreft,Kreft")
    )
    assert "Klinikk for kreft" in medvirk(database_url, "units", "list").stdout
    added = medvirk(
        database_url, "units", "add", "--code", "hud", "--name", "Hudavdelinga", "--desk", "alrek"
    )
    assert added.returncode == 0 and "alrek" in added.stdout, added.stderr
    again = medvirk(
        database_url, "units", "add", "--code", "HUD", "--name", "X", "--desk", "default"
    )
    assert again.returncode == 2 and "already a unit" in again.stderr
    assert medvirk(database_url, "units", "retire", "hud").returncode == 0
    assert "hud" not in medvirk(database_url, "units", "list").stdout
    assert "retired" in medvirk(database_url, "units", "list", "--retired").stdout
    twice = medvirk(
        database_url, "units", "import", _csv(tmp_path, REGISTER + "KREFT,K,,,default,\n", "b.csv")
    )
    assert twice.returncode == 2 and "line 2 too" in twice.stderr


async def test_the_search_answers_the_units_by_any_name_and_not_the_retired(bot, tmp_path) -> None:
    await two_desks(bot)
    _import(bot.db.url, tmp_path)
    user = bot.teams.user("Rita Rekvirent", "aad-requester")
    assert _results(await _search(user, "KREFT")) == [
        ("Kreftklinikken", "kreft"),
        ("Annen enhet (skriv navnet under)", "other"),
    ]
    english = bot.teams.user("Eve English", "aad-eve", locale="en-GB")
    assert _results(await _search(english, "children"))[0] == ("Children's clinic", "barn")
    assert _results(await _search(english, "læring"))[0] == ("Alrek learning centre", "alrek-ls")
    assert len(_results(await _search(user, ""))) == 4
    assert medvirk(bot.db.url, "units", "retire", "barn").returncode == 0
    assert _results(await _search(user, "barne")) == [("Annen enhet (skriv navnet under)", "other")]
    unknown = await _search(user, "x", dataset="people")
    assert unknown.body["type"] == "application/vnd.microsoft.error"


async def _to_unit_question(user: TeamsUser) -> Reply:
    reply = await user.say("bestill")
    while (field := asked_field(reply)) != "unit":
        assert field is not None and field != "summary", reply.texts
        reply = await answer(user, field, GOOD_CARD[field], via="card")
    return reply


async def test_the_order_dialog_offers_the_register_and_takes_other_with_a_text(
    bot, tmp_path, clock
) -> None:
    await setup_channel(bot)
    _import(bot.db.url, tmp_path, REGISTER.replace("alrek,", "default,"))
    user = bot.teams.user("Nina Nynorsk", "aad-nina", locale="nn-NO")
    asked = await _to_unit_question(user)
    assert_valid_card(asked.card)
    inputs = inputs_of(asked.card)
    choice = inputs["unit"]
    assert choice["type"] == "Input.ChoiceSet"
    assert choice["choices.data"] == {"type": "Data.Query", "dataset": "units"}
    assert [c["value"] for c in choice["choices"]] == ["alrek-ls", "barn", "kreft", "other"]
    assert choice["choices"][-1]["title"] == "Anna eining (skriv namnet under)"
    assert "unit_other" in inputs
    # Not in the register, typed without "other": asked again.
    refused = await user.say("Kommunehelsetenesta")
    assert "finn eg ikkje" in refused.texts[-1] and asked_field(refused) == "unit"
    # `other` with its text.
    reply = await user.submit(
        {"action": "answer", "field": "unit", "unit": "other", "unit_other": "Bergen kommune"}
    )
    assert asked_field(reply) == "honorarium_ack"
    while (field := asked_field(reply)) != "summary":
        reply = await answer(user, field, GOOD_CARD[field], via="card")
    assert "Bergen kommune" in str(reply.card)
    await confirm(user)
    async with bot.db.sessions() as session:
        (request,) = await session.scalars(select(Request))
    assert (request.unit, request.unit_id, request.desk_id) == ("Bergen kommune", None, 1)


async def test_a_typed_unit_by_code_or_name_in_any_language(bot, tmp_path) -> None:
    await setup_channel(bot)
    _import(bot.db.url, tmp_path, REGISTER.replace("alrek,", "default,"))
    user = bot.teams.user("Rita Rekvirent", "aad-requester")
    for typed, expected in (
        ("CANCER CLINIC", "Kreftklinikken"),
        ("barn", "ungdomsklinikken"),
    ):
        reply = await fill_order(user, overrides={"unit": typed})
        assert expected in str(reply.card)
    await confirm(user)
    async with bot.db.sessions() as session:
        (request,) = await session.scalars(select(Request))
        unit = await session.get(Unit, request.unit_id)
    assert unit is not None and unit.code == "barn"
    assert request.unit == "Barne- og ungdomsklinikken"
    other = await fill_order(user, overrides={"unit": "annen: Bergen kommune"})
    assert "Bergen kommune" in str(other.card)


async def test_an_order_from_a_unit_of_the_second_desk_lands_in_its_channel_and_its_contact_is_told(
    bot, tmp_path
) -> None:
    alrek = await two_desks(bot)
    _import(bot.db.url, tmp_path)
    contact = bot.teams.user("Kari Kontakt", CONTACT_AAD, locale="en-US")
    await contact.install()  # a chat with the bot: told in Teams, in English
    user = bot.teams.user("Rita Rekvirent", "aad-requester")
    await fill_order(user, via="card", overrides={"unit": "alrek-ls"})
    bot.connector.clear()
    await confirm(user)
    await bot.drain()
    posts = [s for s in bot.connector.sent if s.method == "create"]
    assert [p.conversation_id for p in posts] == [ALREK_CHANNEL]
    told = [s for s in bot.connector.sent if s.conversation_id == contact.personal_conversation]
    assert len(told) == 1
    assert "from Alrek learning centre" in told[0].text and "Alrek resource centre" in told[0].text
    async with bot.db.sessions() as session:
        (request,) = await session.scalars(select(Request))
    assert (request.unit, request.desk_id) == ("Alrek læringssenter", alrek)
    assert request.reference in told[0].text and "Fire møter" not in told[0].text

    # Matched by its owner in Alrek's channel: told again.
    owner = bot.teams.user(ALREK_MEMBER[1], ALREK_MEMBER[0])
    for verb, data in (("claim", {}), ("set_status", {"status": "matched"})):
        done = await owner.invoke(
            verb, {"request_id": request.id, **data}, channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
        )
        assert done.body["statusCode"] == 200, done.body
    bot.connector.clear()
    await bot.drain()
    told = [s for s in bot.connector.sent if s.conversation_id == contact.personal_conversation]
    assert len(told) == 1 and "has its user representatives" in told[0].text
    assert (await fetch(bot.db, request.id)).status == "matched"


async def test_a_contact_by_e_mail_gets_the_reference_and_nothing_of_the_request(
    start_bot, tmp_path, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await setup_channel(bot)
    _import(bot.db.url, tmp_path, REGISTER.replace("alrek,", "default,"))
    user = bot.teams.user("Rita Rekvirent", "aad-requester")
    await fill_order(user, via="card", overrides={"unit": "kreft"})
    await confirm(user)
    await bot.drain()
    (mail,) = [m for m in smtp.inbox.messages if "kreft.kontakt" in m["To"]]
    assert mail["Subject"] == "Bestilling av brukermedvirkning fra enheten din"
    body = " ".join(parts(mail).values())
    async with bot.db.sessions() as session:
        (request,) = await session.scalars(select(Request))
    assert request.reference in body and request.desk_id == 1
    for secret in ("Brukerpanel", "barnepoliklinikk", "Fire møter", "http"):
        assert secret not in body, secret


async def test_reports_count_a_renamed_unit_as_one(db, clock, tmp_path, database_url) -> None:
    assert (
        medvirk(database_url, "desks", "add", "--code", "alrek", "--name", "Alrek").returncode == 0
    )
    _import(database_url, tmp_path)
    async with db.transaction() as session:
        kreft = await units.by_code(session, "kreft")
        await submit_request(session, ANSWERS, REQUESTER, now=clock.now(), unit=kreft)
    _import(
        database_url, tmp_path, REGISTER.replace("Kreftklinikken,Kreft", "Klinikk for kreft,Kreft")
    )
    async with db.transaction() as session:
        kreft = await units.by_code(session, "kreft")
        await submit_request(session, ANSWERS, REQUESTER, now=clock.now(), unit=kreft)
        # Free text (from before the register, or `other`) counts by its text.
        await submit_request(session, ANSWERS, REQUESTER, now=clock.now())
    async with db.sessions() as session:
        names = [r.unit for r in await session.scalars(select(Request).order_by(Request.id))]
        assert names == ["Kreftklinikken", "Klinikk for kreft", "Hjerteklinikken"]
        figures = await year_figures(session, 2026, zone=OSLO)
        report = await annual(session, 2026, zone=OSLO, now=clock.now())
        weekly = await reports.digest(session, now=clock.now())
    expected: dict[str, Any] = {"Klinikk for kreft": 2, "Hjerteklinikken": 1}
    assert dict(figures.by_unit) == expected
    assert dict(report.by_unit) == expected
    # The weekly digest too, most first.
    assert weekly.by_unit == [("Klinikk for kreft", 2), ("Hjerteklinikken", 1)]


async def test_a_units_contact_in_a_partners_tenant_is_told_there(start_bot, tmp_path) -> None:
    """Alrek's contact has their Microsoft 365 at a partner (an allowed tenant):
    the notice goes to their chat in that tenant."""
    bot = await start_bot(MEDVIRK_ALLOWED_TENANTS=f"{TENANT},tenant-partner")
    await two_desks(bot)
    _import(bot.db.url, tmp_path)
    contact = bot.teams.user("Kari Kontakt", CONTACT_AAD, locale="en-US", tenant="tenant-partner")
    await contact.install()
    user = bot.teams.user("Rita Rekvirent", "aad-requester")
    await fill_order(user, via="card", overrides={"unit": "alrek-ls"})
    bot.connector.clear()
    await confirm(user)
    await bot.drain()
    # Their chat is the one they opened from the partner's tenant (its
    # reference keeps that tenant); Teams routes a send by the chat's id.
    (told,) = [s for s in bot.connector.sent if s.conversation_id == contact.personal_conversation]
    assert "from Alrek learning centre" in told.text
    async with bot.db.sessions() as session:
        reference = await find_reference(session, kind=PERSONAL, key=CONTACT_AAD)
    assert reference is not None and reference.tenant_id == "tenant-partner"
