"""Subscriptions, gathering and survey reminders over HTTP with the fake connector."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import func, select

from bot.jobs import plan_reminders
from storage import desks
from storage import reminders as store
from storage.db import scope
from storage.db.models import Contact, Delivery, OutboxMessage, Reminder
from tests.support.cards import actions_of, assert_valid_card, inputs_of
from tests.support.env import OSLO
from tests.support.reminders import add_gathering, add_survey, cards_to, run_round, subscribe


def titles(cards) -> list[str]:
    return [c["body"][0]["text"] for c in cards]


async def test_subscribe_narrow_unsubscribe(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    reply = await user.say("abonner")
    assert "alle grupper" in reply.texts[0]
    card = reply.card
    assert_valid_card(card)
    assert card["body"][1]["id"] == "groups" and card["body"][1]["isMultiSelect"]
    reply = await user.submit({"action": "set_groups", "groups": "youth,employees,bogus"})
    assert "Ungdomsrådet" in reply.texts[0]
    async with bot.db.sessions() as session:
        contact = await store.find_contact(session, "aad-kari")
    assert contact.groups == ["employees", "youth"]
    reply = await user.submit({"action": "set_groups", "groups": ""})
    assert "minst én gruppe" in reply.texts[0]
    reply = await user.say("avslutt abonnement")
    assert "ingen flere påminnelser" in reply.texts[0]
    async with bot.db.sessions() as session:
        assert (await store.find_contact(session, "aad-kari")).groups == []


async def test_install_offers_reminders_and_subscribes_nobody(bot, clock) -> None:
    """Opt-in: the install greets in the person's language and offers the groups;
    no reminder reaches them until they choose."""
    user = bot.teams.user("Kari", "aad-kari", locale="nn-NO")
    reply = await user.install()
    from dialogs.i18n import t

    assert reply.texts[0] == t("nn", "welcome")
    assert reply.cards and reply.cards[0]["body"][1]["id"] == "groups"
    assert reply.cards[0]["body"][1]["value"] == ""
    async with bot.db.sessions() as session:
        assert await store.find_contact(session, "aad-kari") is None
    await add_gathering(bot, clock, register_by=None, remind_register=[])
    clock.set(datetime(2027, 3, 12, 9, 15, tzinfo=OSLO))
    await run_round(bot)
    assert cards_to(bot, user) == []
    await user.submit({"action": "set_groups", "groups": "contacts"})
    async with bot.db.sessions() as session:
        assert (await store.find_contact(session, "aad-kari")).groups == ["contacts"]
    await user.uninstall()
    async with bot.db.sessions() as session:
        assert await store.find_contact(session, "aad-kari") is None


async def test_gathering_reminders_once_per_recipient_and_group(bot, clock) -> None:
    contact = await subscribe(bot, "Kari Kontakt", "aad-kari", ["contacts"])
    participant = await subscribe(bot, "Per Deltaker", "aad-per", ["participants", "contacts"])
    youth = await subscribe(bot, "Ung Ungdom", "aad-ung", ["youth"])
    await add_gathering(bot, clock)
    bot.connector.clear()

    clock.set(datetime(2027, 3, 1, 0, 0, tzinfo=OSLO))  # 7 days before registration closes
    await run_round(bot)
    await run_round(bot)  # a second tick sends nothing again
    for user in (contact, participant):
        cards = cards_to(bot, user)
        assert len(cards) == 1, user.name
        assert_valid_card(cards[0])
        assert "Husk påmeldingen: Årlig fellessamling" in titles(cards)[0]
    assert cards_to(bot, youth) == []

    # 14 days before the start. The 1-day registration reminder (7 March) was
    # missed: the deadline has passed, so it is dropped, not sent late.
    clock.set(datetime(2027, 3, 12, 9, 15, tzinfo=OSLO))
    await run_round(bot)
    card = cards_to(bot, contact)[-1]
    text = str(card)
    assert "Påminnelse: Årlig fellessamling" in text
    assert (
        "26.03.2027 09:15–16:00" in text and "Glasblokkene" in text and "08.03.2027 00:00" in text
    )
    verbs = {a.get("verb") for a in actions_of(card)}
    assert verbs == {None, "rsvp"}
    urls = [a["url"] for a in actions_of(card) if a["type"] == "Action.OpenUrl"]
    assert urls[0] == "https://example.org/pamelding" and urls[1].endswith(".ics")
    assert len(cards_to(bot, contact)) == 2
    async with bot.db.sessions() as session:
        deliveries = await session.scalar(select(func.count()).select_from(Delivery))
    assert deliveries == 4


async def test_rsvp_is_recorded_and_counted(bot, clock) -> None:
    user = await subscribe(bot, "Kari", "aad-kari", ["contacts"])
    gathering_id = await add_gathering(bot, clock)
    reply = await user.invoke(
        "rsvp", {"gathering_id": gathering_id, "answer": "yes"}, in_channel=False
    )
    assert reply.status == 200 and reply.body["statusCode"] == 200
    assert "du kommer" in str(reply.body["value"])
    assert_valid_card(reply.body["value"])
    await user.invoke("rsvp", {"gathering_id": gathering_id, "answer": "no"}, in_channel=False)
    async with bot.db.sessions() as session:
        counts = await store.counts(session, "gathering", gathering_id)
    assert (counts.coming, counts.not_coming) == (0, 1)
    bad = await user.invoke(
        "rsvp", {"gathering_id": gathering_id, "answer": "maybe"}, in_channel=False
    )
    assert bad.body["statusCode"] == 400
    stranger = bot.teams.user("Ola", "aad-ola")
    refused = await stranger.invoke(
        "rsvp", {"gathering_id": gathering_id, "answer": "yes"}, in_channel=False
    )
    assert refused.body["statusCode"] == 403


async def test_survey_reminders_stop_once_answered(bot, clock) -> None:
    answers = await subscribe(bot, "Anne Ansatt", "aad-anne", ["employees"])
    forgets = await subscribe(bot, "Per Deltaker", "aad-per", ["participants"])
    survey_id = await add_survey(bot, clock)
    clock.set(datetime(2027, 1, 24, 12, 0, tzinfo=OSLO))  # 7 days before it closes
    await run_round(bot)
    card = cards_to(bot, answers)[-1]
    assert_valid_card(card)
    assert "Husk undersøkelsen" in str(card)
    reply = await answers.invoke("answered", {"survey_id": survey_id}, in_channel=False)
    assert "Takk for svaret" in str(reply.body["value"])
    clock.set(datetime(2027, 1, 29, 12, 0, tzinfo=OSLO))  # 2 days before
    await run_round(bot)
    assert len(cards_to(bot, answers)) == 1
    assert len(cards_to(bot, forgets)) == 2
    async with bot.db.sessions() as session:
        assert (await store.counts(session, "survey", survey_id)).answered == 1


async def test_answered_between_planning_and_sending_skips_the_send(bot, clock) -> None:
    user = await subscribe(bot, "Anne", "aad-anne", ["employees"])
    survey_id = await add_survey(bot, clock)
    clock.set(datetime(2027, 1, 24, 12, 0, tzinfo=OSLO))
    await plan_reminders(bot.services)
    await user.invoke("answered", {"survey_id": survey_id}, in_channel=False)
    await bot.drain()
    assert cards_to(bot, user) == []
    async with bot.db.sessions() as session:
        states = list(await session.scalars(select(OutboxMessage.state)))
    assert "skipped" in states


async def test_cancelling_a_gathering_notifies_those_reminded(bot, clock) -> None:
    reminded = await subscribe(bot, "Kari", "aad-kari", ["contacts"])
    later = await subscribe(bot, "Ola", "aad-ola", ["youth"])
    gathering_id = await add_gathering(bot, clock)
    clock.set(datetime(2027, 3, 1, 0, 0, tzinfo=OSLO))
    await run_round(bot)
    async with bot.db.transaction() as session:
        assert await store.cancel_gathering(session, gathering_id, now=clock.now()) == 1
    await run_round(bot)
    texts = [s.text for s in bot.connector.to(reminded.personal_conversation)]
    assert any("Avlyst: Årlig fellessamling" in x for x in texts)
    assert bot.connector.to(later.personal_conversation)[-1].text != texts[-1]
    clock.set(datetime(2027, 3, 25, 9, 15, tzinfo=OSLO))
    bot.connector.clear()
    await run_round(bot)
    assert bot.connector.sent == []  # no reminders after the cancellation


async def test_calendar_file(bot, clock) -> None:
    await subscribe(bot, "Kari", "aad-kari", ["contacts"])
    await add_gathering(bot, clock)
    clock.set(datetime(2027, 3, 1, 0, 0, tzinfo=OSLO))
    await run_round(bot)
    url = next(
        a["url"]
        for c in bot.connector.sent
        for card in c.cards
        for a in actions_of(card)
        if a.get("url", "").endswith(".ics")
    )
    path = url.split("/calendar/", 1)[1]
    async with bot.teams.http.get(f"{bot.url}/calendar/{path}") as resp:
        assert resp.status == 200
        assert resp.content_type == "text/calendar"
        body = await resp.read()
    event = next(iter(icalendar.Calendar.from_ical(body).walk("VEVENT")))
    assert str(event["summary"]) == "Årlig fellessamling"
    assert event.decoded("dtstart") == datetime(2027, 3, 26, 8, 15, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2027, 3, 26, 15, 0, tzinfo=UTC)
    assert "Glasblokkene" in str(event["location"])
    async with bot.teams.http.get(f"{bot.url}/calendar/not-a-real-token.ics") as resp:
        assert resp.status == 404


@pytest.mark.parametrize(
    ("starts", "offset", "due_local", "due_utc"),
    [
        # Spring forward on Sunday 28 March 2027: 1 day before stays 09:15 local.
        (
            datetime(2027, 3, 29, 9, 15, tzinfo=OSLO),
            "1d",
            "2027-03-28 09:15",
            datetime(2027, 3, 28, 7, 15, tzinfo=UTC),
        ),
        (
            datetime(2027, 3, 29, 9, 15, tzinfo=OSLO),
            "2d",
            "2027-03-27 09:15",
            datetime(2027, 3, 27, 8, 15, tzinfo=UTC),
        ),
        # Fall back on Sunday 31 October 2027.
        (
            datetime(2027, 11, 1, 9, 15, tzinfo=OSLO),
            "1d",
            "2027-10-31 09:15",
            datetime(2027, 10, 31, 8, 15, tzinfo=UTC),
        ),
        (
            datetime(2027, 11, 1, 9, 15, tzinfo=OSLO),
            "2d",
            "2027-10-30 09:15",
            datetime(2027, 10, 30, 7, 15, tzinfo=UTC),
        ),
        # On the day of the change itself: a day keeps 09:15, 24 hours do not.
        (
            datetime(2027, 3, 28, 9, 15, tzinfo=OSLO),
            "1d",
            "2027-03-27 09:15",
            datetime(2027, 3, 27, 8, 15, tzinfo=UTC),
        ),
        (
            datetime(2027, 3, 28, 9, 15, tzinfo=OSLO),
            "24h",
            "2027-03-27 08:15",
            datetime(2027, 3, 27, 7, 15, tzinfo=UTC),
        ),
    ],
)
def test_reminders_keep_local_time_across_dst(starts, offset, due_local, due_utc) -> None:
    (parsed,) = store.parse_offsets(offset, "--remind")
    due = store.due_time(starts.astimezone(UTC), parsed, OSLO)
    assert due.astimezone(OSLO).strftime("%Y-%m-%d %H:%M") == due_local
    assert due == due_utc


@pytest.mark.parametrize(
    ("starts", "due"),
    [
        (datetime(2027, 3, 29, 9, 15, tzinfo=OSLO), datetime(2027, 3, 28, 9, 15, tzinfo=OSLO)),
        (datetime(2027, 11, 1, 9, 15, tzinfo=OSLO), datetime(2027, 10, 31, 9, 15, tzinfo=OSLO)),
    ],
)
async def test_dst_day_reminder_arrives_at_local_time(bot, clock, starts, due) -> None:
    user = await subscribe(bot, "Kari", "aad-kari", ["contacts"])
    await add_gathering(
        bot,
        clock,
        starts_at=starts,
        ends_at=None,
        register_by=None,
        remind_register=[],
        remind=[(1, 0)],
    )
    clock.set(due - timedelta(minutes=1))
    await run_round(bot)
    assert cards_to(bot, user) == []
    clock.set(due)
    await run_round(bot)
    assert len(cards_to(bot, user)) == 1


async def test_catch_up_after_downtime(bot, clock, caplog) -> None:
    user = await subscribe(bot, "Kari", "aad-kari", ["contacts"])
    await add_gathering(bot, clock, register_by=None, remind_register=[])
    # Down from before the 14-day reminder until after it, but before the start.
    clock.set(datetime(2027, 3, 20, 10, 0, tzinfo=OSLO))
    await run_round(bot)
    assert len(cards_to(bot, user)) == 1
    # Down across the start: the 1-day reminder is dropped with a log line.
    clock.set(datetime(2027, 3, 27, 10, 0, tzinfo=OSLO))
    await run_round(bot)
    assert len(cards_to(bot, user)) == 1
    assert "dropped" in caplog.text
    async with bot.db.sessions() as session:
        states = sorted(await session.scalars(select(Reminder.state)))
    assert states == ["dropped", "sent"]


@pytest.mark.parametrize("status", [403, 404])
async def test_blocked_bot_marks_the_contact_inactive(bot, clock, status) -> None:
    user = await subscribe(bot, "Kari", "aad-kari", ["contacts"])
    await add_gathering(bot, clock, register_by=None, remind_register=[])
    bot.connector.fail_next(status, conversation_id=user.personal_conversation)
    clock.set(datetime(2027, 3, 12, 9, 15, tzinfo=OSLO))
    await run_round(bot)
    async with bot.db.sessions() as session:
        contact = await session.scalar(select(Contact))
    assert not contact.active and contact.inactive_reason == f"http {status}"
    clock.set(datetime(2027, 3, 25, 9, 15, tzinfo=OSLO))
    await run_round(bot)
    assert cards_to(bot, user) == []


@pytest.mark.parametrize("status", [400, 401, 413])
async def test_a_wrong_message_does_not_deactivate_the_person(bot, clock, caplog, status) -> None:
    """401 (credentials or tenant), 400, 413 (too long) are failures of the
    message: logged loudly, the person stays subscribed and gets the next one."""
    user = await subscribe(bot, "Kari", "aad-kari", ["contacts"])
    await add_gathering(bot, clock, register_by=None, remind_register=[])
    bot.connector.fail_next(status, conversation_id=user.personal_conversation)
    clock.set(datetime(2027, 3, 12, 9, 15, tzinfo=OSLO))
    await run_round(bot)
    async with bot.db.sessions() as session:
        contact = await session.scalar(select(Contact))
        failed = list(await session.scalars(select(OutboxMessage.last_error)))
    assert contact.active and contact.inactive_reason is None
    assert failed == [f"http {status}"]
    assert f"Teams answered {status}" in caplog.text
    clock.set(datetime(2027, 3, 25, 9, 15, tzinfo=OSLO))
    await run_round(bot)
    assert len(cards_to(bot, user)) == 1


async def test_pacing_respects_the_limits(start_bot, clock) -> None:
    harness = await start_bot(MEDVIRK_GLOBAL_RATE=20)
    for i in range(45):
        await subscribe(harness, f"Person {i}", f"aad-{i:03d}", ["contacts"])
    harness.connector.enforce_limits(global_rate=20)
    await add_gathering(harness, clock, register_by=None, remind_register=[])
    clock.set(datetime(2027, 3, 12, 9, 15, tzinfo=OSLO))
    started = datetime.now(UTC)
    await run_round(harness)
    seconds = (datetime.now(UTC) - started).total_seconds()
    sent = [s for s in harness.connector.sent if s.cards and "Påminnelse" in str(s.cards)]
    assert len(sent) == 45
    assert harness.connector.violations == 0
    assert seconds >= 45 / 20 - 1.0  # paced, not throttled


async def test_two_instances_send_each_reminder_once(start_bot, clock, backend) -> None:
    first = await start_bot(MEDVIRK_GLOBAL_RATE=2000)
    second = await start_bot(MEDVIRK_GLOBAL_RATE=2000)
    for i in range(200):
        await subscribe(first, f"Person {i}", f"aad-{i:03d}", ["participants"])
    await add_gathering(first, clock, register_by=None, remind_register=[])
    first.connector.clear()
    clock.set(datetime(2027, 3, 12, 9, 15, tzinfo=OSLO))
    import asyncio

    await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())
    per_person: dict[str, int] = {}
    for s in first.connector.sent:
        if "Påminnelse" in str(s.cards):
            per_person[s.conversation_id] = per_person.get(s.conversation_id, 0) + 1
    assert len(per_person) == 200
    assert set(per_person.values()) == {1}


async def test_each_desk_reminds_its_own_groups(bot, clock) -> None:
    """A desk's gathering reminds those subscribed to that desk's groups; the
    card offers each desk's groups by its name; the plain names stay the desk
    `default`'s (as before desks)."""
    async with bot.db.transaction() as session:
        alrek = await desks.add(session, desks.NewDesk("alrek", "Alrek"), now=clock.now())
    ours = await subscribe(bot, "Kari Kontakt", "aad-kari", ["contacts"])
    theirs = await subscribe(bot, "Ola Alrek", "aad-ola", ["alrek:contacts"])
    both = await subscribe(bot, "Per Begge", "aad-per", ["contacts", "alrek:contacts", "x:youth"])
    offered = [c for s in bot.connector.to(both.personal_conversation) for c in s.cards]
    choices = [c for card in offered for i in inputs_of(card).values() for c in i["choices"]]
    values = {c["value"] for c in choices}
    assert {"contacts", "alrek:contacts", "alrek:youth"} <= values
    titles_of = {c["value"]: c["title"] for c in choices}
    assert titles_of["alrek:contacts"].startswith("Alrek: ")
    assert titles_of["contacts"].startswith("Prioriteringsteamet: ")
    async with bot.db.sessions() as session:
        saved = await store.find_contact(session, "aad-per")
    assert saved is not None and saved.groups == ["alrek:contacts", "contacts"]  # x: no desk

    with scope.within({alrek.id}):
        await add_gathering(bot, clock, title="Alreks fagdag", groups=["contacts"])
    await add_gathering(bot, clock, title="Sykehusets samling", groups=["contacts"])
    bot.connector.clear()
    clock.set(datetime(2027, 3, 1, 0, 0, tzinfo=OSLO))
    await run_round(bot)
    got = {
        u.name: sorted(t for c in cards_to(bot, u) for t in titles([c]))
        for u in (ours, theirs, both)
    }
    assert ["Alreks fagdag" in t for t in got["Ola Alrek"]] == [True]
    assert ["Sykehusets samling" in t for t in got["Kari Kontakt"]] == [True]
    assert len(got["Per Begge"]) == 2


def test_a_contacts_groups_may_name_their_desk() -> None:
    assert store.parse_groups("alrek:contacts, contacts, default:youth", desks=True) == [
        "alrek:contacts",
        "contacts",
        "youth",
    ]
    for bad in ("alrek:nothing", "A B:contacts"):
        with pytest.raises(store.ReminderInputError):
            store.parse_groups(bad, desks=True)
    with pytest.raises(store.ReminderInputError):  # a gathering's groups are its desk's
        store.parse_groups("alrek:contacts")
