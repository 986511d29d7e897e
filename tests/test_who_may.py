"""Who may do what, tried over HTTP as a curious colleague or an attacker would."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dialogs.cards.pool import area_label
from dialogs.i18n import LOCALES, t
from storage import reminders as store
from storage.db.models import Evaluation, FeeClaim, Invitation, Participant, Request
from tests.support.cards import actions_of
from tests.support.channel import MEMBERS, card_of, fetch, seed_request, setup_channel
from tests.support.participants import COORDINATOR, KARI_AAD, PER_AAD, PERSON, coordinator
from tests.support.reminders import add_gathering, add_survey, subscribe
from tests.support.teams import TEAM_ID
from tests.test_invitations import accepted_in_teams, active, claimed_request, sent_card


async def test_a_member_cannot_decline_an_unclaimed_request_with_a_forged_verb(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    reply = await member.invoke(
        "set_status", {"request_id": request_id, "status": "declined", "comment": "Nei takk"}
    )
    assert reply.status == 200 and "Nei takk" not in str(card_of(reply))
    assert (await fetch(bot.db, request_id)).status == "submitted"
    # An admin may: the request has no owner to do it yet.
    admin = bot.teams.user("Anne Admin", "admin-aad")
    await admin.invoke(
        "set_status", {"request_id": request_id, "status": "declined", "comment": "Utenfor mandat"}
    )
    stored = await fetch(bot.db, request_id)
    assert stored.status == "declined" and stored.decline_reason == "Utenfor mandat"


@pytest.mark.parametrize("command", ["oversikt", "statistikk 2026"])
async def test_overview_and_statistics_answer_only_the_team_in_its_channel(
    bot, clock, command
) -> None:
    await setup_channel(bot)
    await seed_request(bot.db, clock, title="Hemmelig prosjekt")
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    elsewhere = await member.say_in_channel(command, channel_id="19:kantina@thread.tacv2")
    assert "prioriteringsteamets kanal" in elsewhere.texts[-1] and not elsewhere.cards
    outsider = bot.teams.user("Ola Utenfor", "aad-outsider")
    reply = await outsider.say_in_channel(command)
    assert not reply.cards and "Hemmelig" not in str(reply.texts)
    reply = await member.say_in_channel(command)
    assert reply.cards


async def test_nothing_is_answered_before_a_channel_is_registered(bot, clock) -> None:
    await seed_request(bot.db, clock, title="Hemmelig prosjekt")
    reply = await bot.teams.user("Ola", "aad-ola").say_in_channel("oversikt")
    assert not reply.cards and "Ingen kanal" in reply.texts[-1]


@pytest.mark.parametrize("year", ["9999", "²⁰²⁶", "1850", "0000"])
async def test_odd_years_get_a_translated_answer(bot, year) -> None:
    await setup_channel(bot)
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    reply = await member.say_in_channel(f"statistikk {year}")
    assert reply.status < 500 and "årstall" in reply.texts[-1]


async def test_someone_just_added_to_the_team_is_let_in_at_the_next_press(bot, clock) -> None:
    """A refusal is not cached: the roster changes, the next press is let through."""
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    newcomer = bot.teams.user("Nina Ny", "aad-nina")
    reply = await newcomer.invoke("claim", {"request_id": request_id})
    assert reply.body["statusCode"] == 403
    bot.connector.add_member("aad-nina", "Nina Ny")
    reply = await newcomer.invoke("claim", {"request_id": request_id})
    assert "Nina Ny" in str(card_of(reply))
    assert (await fetch(bot.db, request_id)).owner_aad_id == "aad-nina"


async def test_markdown_in_a_decline_reason_stays_text_in_the_requesters_notice(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock, title="Panel *viktig*")
    owner = bot.teams.user("Medlem 01", MEMBERS[1][0])
    await owner.invoke("claim", {"request_id": request_id})
    await owner.invoke(
        "set_status",
        {
            "request_id": request_id,
            "status": "declined",
            "comment": "Se [her](https://evil.example)",
        },
    )
    await bot.drain()
    notices = [s.text for s in bot.connector.to("a:personal-aad-requester") if "Se " in s.text]
    assert notices, "the requester was told"
    assert "[her](https://evil.example)" not in notices[-1]
    assert "\\[her\\]" in notices[-1] and "\\*viktig\\*" in notices[-1]


# -- the pool answers only in its channel ---------------------------------------------------

ELSEWHERE = (
    # (team, channel): another channel of the same team, and another team's General.
    (TEAM_ID, "19:kantina@thread.tacv2"),
    ("19:other-team@thread.tacv2", "19:other-general@thread.tacv2"),
)


@pytest.mark.parametrize(("team_id", "channel_id"), ELSEWHERE)
async def test_the_pool_is_never_shown_or_changed_outside_the_priority_channel(
    bot, clock, team_id, channel_id
) -> None:
    request_id = await claimed_request(bot, clock)
    per = await active(bot, clock, "Per Hemmelig", areas="cancer")
    bot.connector.clear()
    before = await _pool_rows(bot)
    refusal = t("nb", "channel.error.not_priority_channel")
    # A member of the team, and an admin: neither gets the pool anywhere else.
    for name, aad in (COORDINATOR[::-1], ("Anne Admin", "admin-aad")):
        user = bot.teams.user(name, aad)
        for command in ("brukermedvirkere", "brukermedvirkere kreft", "ny brukermedvirker"):
            reply = await user.say_in_channel(command, channel_id=channel_id, team_id=team_id)
            assert reply.texts == [refusal] and not reply.cards, command
        for verb, data in (
            ("add_participant", {**PERSON, "name": "Nina Ny"}),
            ("suggest", {"request_id": request_id}),
            ("invite", {"request_id": request_id, "participant_id": per}),
            ("documents_received", {"request_id": request_id, "participant_id": per}),
            ("claim", {"request_id": request_id}),
            ("refresh", {"request_id": request_id}),
        ):
            reply = await user.invoke(verb, data, channel_id=channel_id, team_id=team_id)
            assert reply.body["statusCode"] == 403, verb
            assert reply.body["value"]["message"] == refusal, verb
    # In the presser's language.
    english = bot.teams.user(COORDINATOR[1], COORDINATOR[0], locale="en-US")
    reply = await english.say_in_channel("participants", channel_id=channel_id, team_id=team_id)
    assert reply.texts == [t("en", "channel.error.not_priority_channel")]
    await bot.drain()
    assert not [s for s in bot.connector.sent if "Hemmelig" in str(s)]
    assert await _pool_rows(bot) == before


async def _pool_rows(bot) -> tuple[int, int]:
    async with bot.db.sessions() as session:
        participants = await session.scalar(select(func.count()).select_from(Participant))
        invited = await session.scalar(select(func.count()).select_from(Invitation))
    return participants, invited


# -- ids from card data, walked by the wrong person -----------------------------------------

SECRET_NAMES = ("Per Hemmelig", "Kari Skjult", "Pål Ukjent")


async def _a_completed_request_with_everything(bot, clock) -> dict[str, object]:
    """A request matched with Per (in Teams), documents signed, completed, his fee
    claim filed and evaluations asked; Kari (in Teams) and Pål in the pool besides."""
    request_id = await claimed_request(bot, clock, participant_count=1)
    per, per_user = await accepted_in_teams(bot, clock, request_id, SECRET_NAMES[0], PER_AAD)
    kari = await active(
        bot,
        clock,
        SECRET_NAMES[1],
        aad_object_id=KARI_AAD,
        email="",
        roles="next_of_kin",
        areas="mental_health",
    )
    await active(bot, clock, SECRET_NAMES[2], roles="youth", areas="substance_use")
    documents = sent_card(bot, per_user, "documents_signed")
    (signed,) = [a for a in actions_of(documents) if a.get("verb") == "documents_signed"]
    card_of(await per_user.invoke("documents_signed", signed["data"], in_channel=False))
    await coordinator(bot).invoke("set_status", {"request_id": request_id, "status": "completed"})
    await bot.drain()
    rita = bot.teams.user("Rita Rekvirent", "aad-requester")
    card_of(
        await rita.invoke(
            "confirm_participation",
            {"request_id": request_id, "participant_id": per, "meetings": 1, "hours": 2},
            in_channel=False,
        )
    )
    await bot.drain()
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(FeeClaim)) == 1
        assert await session.scalar(select(func.count()).select_from(Evaluation)) >= 2
    return {"request_id": request_id, "per": per, "kari": kari}


def _secrets(settings) -> list[str]:
    """Everything that tells who is in the pool: names, roles, areas."""
    found = [part for name in SECRET_NAMES for part in name.split()]
    for locale in LOCALES:
        found += [t(locale, f"role.{role}") for role in ("patient", "next_of_kin", "youth")]
        found += [area_label(locale, a) for a in ("cancer", "mental_health", "substance_use")]
    return found


IDS = range(1, 7)

# verb -> card data for id n (every id a card of this verb can carry)
WALKS = {
    "confirm_participation": lambda n: [
        {"request_id": r, "participant_id": n, "meetings": 1, "hours": 1} for r in (1, 2)
    ],
    "confirm_claim": lambda n: [{"claim_id": n, "revision": 1}],
    "accept_invitation": lambda n: [{"invitation_id": n}],
    "decline_invitation": lambda n: [{"invitation_id": n}],
    "documents_signed": lambda n: [{"invitation_id": n}],
    "evaluate": lambda n: [{"evaluation_id": n, "rating": "5", "would_use_again": "yes"}],
    "documents_received": lambda n: [{"request_id": 1, "participant_id": n}],
    "invite": lambda n: [{"request_id": 1, "participant_id": n}],
    "suggest": lambda n: [{"request_id": n}],
    "add_participant": lambda n: [{**PERSON, "name": f"Ny {n}"}],
    "claim": lambda n: [{"request_id": n}],
    "release": lambda n: [{"request_id": n}],
    "assign": lambda n: [{"request_id": n, "assignee": "aad-member-01"}],
    "set_status": lambda n: [{"request_id": n, "status": "declined", "comment": "x"}],
    "refresh": lambda n: [{"request_id": n}],
    "rsvp": lambda n: [{"gathering_id": n, "answer": "yes"}],
    "answered": lambda n: [{"survey_id": n}],
}


async def test_walking_ids_as_the_wrong_person_tells_nobody_who_is_in_the_pool(bot, clock) -> None:
    """Every verb that takes an id from card data, pressed with ids 1..6 by
    people with no right to them: an outsider, a team member in their
    personal chat, a participant of the pool who is not on the request, the
    requester on the participant's cards, an outsider in the priority channel.
    No answer and no message names anyone, and each refusal is the same
    whether the id exists or not."""
    known = await _a_completed_request_with_everything(bot, clock)
    secrets = _secrets(bot.services.settings)
    before = await snapshot_counts(bot)
    bot.connector.clear()
    ola = bot.teams.user("Ola Utenfor", "aad-ola")
    member = coordinator(bot)
    kari = bot.teams.user(SECRET_NAMES[1], KARI_AAD)
    rita = bot.teams.user("Rita Rekvirent", "aad-requester")
    participant_verbs = (
        "confirm_claim",
        "accept_invitation",
        "decline_invitation",
        "documents_signed",
    )
    presses = [(ola, verb, False) for verb in WALKS] + [(ola, verb, True) for verb in WALKS]
    presses += [(member, verb, False) for verb in (*participant_verbs, "confirm_participation")]
    presses += [(member, "evaluate", False)]
    presses += [(kari, verb, False) for verb in (*participant_verbs, "evaluate")]
    presses += [(kari, "confirm_participation", False)]
    presses += [(rita, verb, False) for verb in participant_verbs]
    for user, verb, in_channel in presses:
        answers = set()
        for n in IDS:
            for data in WALKS[verb](n):
                reply = await user.invoke(verb, data, in_channel=in_channel)
                assert reply.status == 200, (verb, reply.status)
                body = reply.body
                assert body["statusCode"] in (400, 403, 404), (user.name, verb, n, body)
                text = str(body)
                assert not [s for s in secrets if s in text], (user.name, verb, n, text)
                answers.add(text)
        assert len(answers) == 1, (user.name, verb, in_channel, answers)
    # The requester of request 1, walking the pool for people who did not take part.
    answers = set()
    for n in IDS:
        if n == known["per"]:
            continue
        for request_id in (1, 2):
            data = {"request_id": request_id, "participant_id": n, "meetings": 1, "hours": 1}
            reply = await rita.invoke("confirm_participation", data, in_channel=False)
            assert reply.body["statusCode"] == 403
            assert not [s for s in secrets if s in str(reply.body)], (n, reply.body)
            answers.add(str(reply.body))
    assert len(answers) == 1, answers
    await bot.drain()
    for sent in bot.connector.sent:
        assert not [s for s in secrets if s in str(sent)], sent
    assert await snapshot_counts(bot) == before


async def snapshot_counts(bot) -> dict[str, object]:
    """What a press could change: invitations, claims, evaluations, participants."""
    async with bot.db.sessions() as session:
        return {
            "invitations": [
                (i.status, i.agreement_signed_at)
                for i in await session.scalars(select(Invitation).order_by(Invitation.id))
            ],
            "claims": [(c.status, c.revision) for c in await session.scalars(select(FeeClaim))],
            "evaluations": [e.status for e in await session.scalars(select(Evaluation))],
            "participants": await session.scalar(select(func.count()).select_from(Participant)),
            "requests": [
                (r.status, r.owner_aad_id) for r in await session.scalars(select(Request))
            ],
        }


async def test_a_gathering_or_survey_for_other_groups_answers_as_one_that_is_not_there(
    bot, clock
) -> None:
    kari = await subscribe(bot, "Kari", "aad-kari", ["contacts"])
    theirs = await add_gathering(bot, clock, title="Ungdomsrådets samling", groups=["youth"])
    mine = await add_gathering(bot, clock, title="Kontaktsamling", groups=["contacts"])
    survey = await add_survey(bot, clock, title="Ansattundersøkelse", groups=["employees"])
    other = await kari.invoke("rsvp", {"gathering_id": theirs, "answer": "yes"}, in_channel=False)
    missing = await kari.invoke("rsvp", {"gathering_id": 999, "answer": "yes"}, in_channel=False)
    assert other.body == missing.body and "Ungdomsrådet" not in str(other.body)
    other = await kari.invoke("answered", {"survey_id": survey}, in_channel=False)
    missing = await kari.invoke("answered", {"survey_id": 999}, in_channel=False)
    assert other.body == missing.body and "Ansatt" not in str(other.body)
    reply = await kari.invoke("rsvp", {"gathering_id": mine, "answer": "yes"}, in_channel=False)
    assert "Kontaktsamling" in str(card_of(reply))
    async with bot.db.sessions() as session:
        counts = await store.counts(session, "gathering", theirs)
    assert counts.coming == 0
