"""bot.features.requests.CardAnswers: one render per distinct card, never a stale one."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bot.framework.card_state import CardAnswers
from dialogs.cards.requests import RequestView
from dialogs.i18n import t
from tests.support.cards import assert_valid_card

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
VIEW = RequestView(
    id=7,
    reference="BM-2026-0007",
    title="Brukerpanel",
    unit="Hjerteklinikken",
    assignment_type="research",
    level="system",
    participant_profile="patient",
    participant_count=2,
    start_date=date(2027, 2, 1),
    end_date=None,
    needed_by=date(2027, 1, 15),
    meeting_format="digital",
    workload="4 møter",
    requester_name="Rita",
    status="claimed",
    owner_name="Kari",
    decline_reason=None,
    created_at=NOW - timedelta(days=3, hours=2),
)


def card(text: str) -> dict:
    body = json.loads(text)
    assert body["statusCode"] == 200
    assert_valid_card(body["value"])
    return body["value"]


def test_the_same_card_is_rendered_once() -> None:
    answers = CardAnswers()
    first = answers.answer(VIEW, now=NOW, notice="Tatt av Kari", members=None)
    again = answers.answer(
        VIEW, now=NOW + timedelta(minutes=5), notice="Tatt av Kari", members=None
    )
    assert again is first
    assert "Kari" in str(card(first))


def test_anything_the_card_shows_renders_anew() -> None:
    answers = CardAnswers()
    base = answers.answer(VIEW, now=NOW, notice=None, members=None)
    changes = [
        answers.answer(replace(VIEW, status="in_progress"), now=NOW, notice=None, members=None),
        answers.answer(replace(VIEW, owner_name="Ola"), now=NOW, notice=None, members=None),
        answers.answer(VIEW, now=NOW, notice="Flyttet", members=None),
        answers.answer(VIEW, now=NOW, notice=None, members=[("aad-1", "Ola")]),
        # A day later the card shows one day more.
        answers.answer(VIEW, now=NOW + timedelta(days=1), notice=None, members=None),
    ]
    assert len({base, *changes}) == 6
    assert "Ola" in str(card(changes[1])) and "Ola" in str(card(changes[3]))
    assert t("nb", "channel.card.days", days=3) in json.dumps(card(base), ensure_ascii=False)
    assert t("nb", "channel.card.days", days=4) in json.dumps(card(changes[4]), ensure_ascii=False)


def test_the_cache_is_bounded() -> None:
    answers = CardAnswers(size=3)
    for n in range(10):
        answers.answer(replace(VIEW, id=n), now=NOW, notice=None, members=None)
    assert len(answers._answers) == 3
