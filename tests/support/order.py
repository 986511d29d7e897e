"""Drive the order dialog as a person would: read the question card, answer it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.support.cards import actions_of, inputs_of
from tests.support.teams import Reply, TeamsUser

TODAY = date(2026, 11, 23)  # the FixedClock's day in Oslo

GOOD_TEXT: dict[str, str] = {
    "title": "Brukerpanel for ny barnepoliklinikk",
    "description": "Fire møter om pasientforløp og informasjonsmateriell for familier.",
    "assignment_type": "Tjenesteutvikling",
    "level": "2",
    "participant_profile": "pårørende",
    "participant_count": "3",
    "start_date": (TODAY + timedelta(days=60)).isoformat(),
    "end_date": (TODAY + timedelta(days=150)).strftime("%d.%m.%Y"),
    "meeting_format": "digital",
    "workload": "4 møter à 2 timer",
    "unit": "Barne- og ungdomsklinikken",
    "honorarium_ack": "ja",
    "cost_centre": "4410-BUK",
    "needed_by": (TODAY + timedelta(days=30)).isoformat(),
}

GOOD_CARD: dict[str, Any] = {
    "title": "Brukerpanel for ny barnepoliklinikk",
    "description": "Fire møter om pasientforløp og informasjonsmateriell for familier.",
    "assignment_type": "service_development",
    "level": "service",
    "participant_profile": "next_of_kin",
    "participant_count": 3,
    "start_date": (TODAY + timedelta(days=60)).isoformat(),
    "end_date": (TODAY + timedelta(days=150)).isoformat(),
    "meeting_format": "digital",
    "workload": "4 møter à 2 timer",
    "unit": "Barne- og ungdomsklinikken",
    "honorarium_ack": "true",
    "cost_centre": "4410-BUK",
    "needed_by": (TODAY + timedelta(days=30)).isoformat(),
}

EXPECTED_STORED = {
    "title": "Brukerpanel for ny barnepoliklinikk",
    "assignment_type": "service_development",
    "level": "service",
    "participant_profile": "next_of_kin",
    "participant_count": 3,
    "start_date": TODAY + timedelta(days=60),
    "end_date": TODAY + timedelta(days=150),
    "meeting_format": "digital",
    "honorarium_ack": True,
    "cost_centre": "4410-BUK",
    "needed_by": TODAY + timedelta(days=30),
}


def asked_field(reply: Reply) -> str | None:
    """The field the last card asks, or 'summary' for the summary card."""
    for card in reversed(reply.cards):
        inputs = inputs_of(card)
        if inputs:
            return next(iter(inputs))
        if any((a.get("data") or {}).get("action") == "confirm" for a in actions_of(card)):
            return "summary"
    return None


async def answer(user: TeamsUser, field: str, value: Any, *, via: str) -> Reply:
    if via == "card":
        return await user.submit({"action": "answer", "field": field, field: value})
    return await user.say(str(value))


async def fill_order(
    user: TeamsUser, *, via: str = "text", overrides: dict[str, Any] | None = None
) -> Reply:
    """From `bestill` to the summary; returns the reply that shows the summary."""
    values = dict(GOOD_CARD if via == "card" else GOOD_TEXT)
    values.update(overrides or {})
    reply = await user.say({"nb": "bestill", "nn": "bestill", "en": "order"}[user.locale[:2]])
    for _ in range(20):
        field = asked_field(reply)
        assert field is not None, reply.texts
        if field == "summary":
            return reply
        reply = await answer(user, field, values[field], via=via)
        assert reply.status in (200, 201)
    raise AssertionError("the dialog did not reach the summary")


async def confirm(user: TeamsUser) -> Reply:
    return await user.submit({"action": "confirm"})


def web_order_form(today: date, **changes: str) -> dict[str, str]:
    """The web order form filled in right (a municipality's planner), as posted."""
    form = {
        "title": "Brukerråd for tjenesteplan",
        "description": "Vi lager en plan for hjemmetjenester og vil høre pårørende.",
        "assignment_type": "planning",
        "level": "service",
        "participant_profile": "next_of_kin",
        "participant_count": "2",
        "start_date": (today + timedelta(days=30)).isoformat(),
        "end_date": (today + timedelta(days=90)).isoformat(),
        "meeting_format": "physical",
        "workload": "Tre møter à to timer",
        "unit_other": "Etat for hjemmetjenester",
        "honorarium_ack": "true",
        "needed_by": (today + timedelta(days=20)).isoformat(),
        "name": "Kari Planlegger",
        "org_name": "Bergen kommune",
        "org_number": "964 338 531",
        "invoice_email": "faktura@bergen.kommune.no",
        "invoice_address": "",
        "buyer_reference": "Plan 2027",
    }
    form.update(changes)
    return form
