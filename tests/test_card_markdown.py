"""Every card builder of dialogs/cards/ with hostile words where anyone's words
go (names, titles, units, places, descriptions, comments, impact, reasons):
no markdown of theirs stays live, and every card stays valid Adaptive Card 1.5.

Each builder is run twice, once with a plain word in every such place and
once with the hostile text; in every string Teams reads as markdown (TextBlock
text, FactSet titles and values) the count of unescaped markdown characters
must be the same. A link, an image, emphasis, a mention, HTML or a block that
survived would add to it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import dialogs.cards
from dialogs.cards import escape_markdown
from dialogs.cards.attendance import Attendee, attendance_card, gathering_evaluation_card
from dialogs.cards.evaluations import evaluation_card, impact_card
from dialogs.cards.fee_claims import ClaimView, claim_confirm_card, claim_form_card
from dialogs.cards.help import help_card
from dialogs.cards.order import my_requests_card, question_card, receipt_card, summary_card
from dialogs.cards.pool import (
    InvitationView,
    ParticipantRow,
    SuggestionView,
    consent_card,
    documents_card,
    invitation_card,
    invitation_facts,
    participant_form_card,
    participant_list_card,
    removed_card,
    suggestions_card,
)
from dialogs.cards.reminders import (
    ReportItem,
    RoundLine,
    delivery_report_card,
    gathering_card,
    gathering_form,
    groups_card,
    survey_card,
    survey_form,
)
from dialogs.cards.requests import (
    RequestView,
    digest_card,
    moved_card,
    request_card,
    stats_card,
)
from tests.support.cards import assert_valid_card
from tests.support.channel import card_of
from tests.support.participants import PER_AAD, coordinator
from tests.test_invitations import accepted_in_teams, claimed_request

# On SQLite only: what the cards draw; the SQL behind them runs on both elsewhere.
pytestmark = pytest.mark.sqlite_only

HOSTILE = (
    "Per [Logg inn her](https://evil.example/x) ![bilde](https://evil.example/i.png) "
    "**fet** __fet__ *kursiv* _kursiv_ ~~borte~~ `kode` <at>Anne</at> <b>html</b> "
    "&#91;x&#93;(https://evil.example) www.evil.example post@evil.example {{x}} a|b\n"
    "# Overskrift\n- punkt\n+ punkt\n* punkt\n1. nummer\n> sitat\n    kodeblokk\n"
    "\tinnrykk\n===\n---\r\n| a | b |\r\\slutt\\"
)
PLAIN = "Ord"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Oslo")
URL = "https://medvirk.example/p/x"
LINKS = {
    k: URL for k in ("fee_guideline", "agreement", "confidentiality", "resource_page", "elearning")
}
Text = Callable[[str], str]


def request_view(s: Text, status: str = "matched") -> RequestView:
    return RequestView(
        id=1,
        reference="BM-2026-0001",
        title=s("title"),
        unit=s("unit"),
        assignment_type="research",
        level="system",
        participant_profile="patient",
        participant_count=2,
        start_date=date(2027, 2, 1),
        end_date=None,
        needed_by=date(2027, 1, 15),
        meeting_format="hybrid",
        workload=s("workload"),
        requester_name=s("requester"),
        status=status,
        owner_name=s("owner"),
        decline_reason=s("reason"),
        created_at=NOW,
        invited=2,
        waiting=0,
        accepted=(s("accepted"),),
        unsigned=((7, s("unsigned"), ("agreement",)),),
    )


def claim_view(s: Text) -> ClaimView:
    return ClaimView(
        claim_id=1,
        revision=1,
        status="draft",
        reference="BM-2026-0001",
        title=s("title"),
        participant_name=s("name"),
        meetings=2,
        hours_hundredths=300,
        counted_quarters=12,
        travel_nok=250,
        hourly_ore=30000,
        per_meeting_ore=0,
        day_max_ore=None,
        fee_ore=90000,
        capped_ore=0,
        total_ore=115000,
        rates_name=s("rates"),
        rates_example=True,
    )


def invitation_view(s: Text) -> InvitationView:
    facts = invitation_facts(
        "nb",
        assignment_type="research",
        level="system",
        meeting_format="hybrid",
        start_date=date(2027, 2, 1),
        end_date=date(2027, 3, 1),
        workload=s("workload"),
        unit=s("unit"),
        expires="30.11.2026",
    )
    return InvitationView(
        invitation_id=1,
        title=s("title"),
        facts=facts,
        description=s("description"),
        expires="30.11.2026",
        fee_url=URL,
        status="invited",
    )


ORDER_ANSWERS = {
    "title": "title",
    "description": "description",
    "workload": "workload",
    "unit": "unit",
    "cost_centre": "cost_centre",
}


def summary(s: Text) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "assignment_type": "research",
        "level": "system",
        "participant_profile": "patient",
        "participant_count": 2,
        "start_date": "2027-02-01",
        "needed_by": "2027-01-15",
        "meeting_format": "hybrid",
        "honorarium_ack": True,
    }
    answers.update({k: s(v) for k, v in ORDER_ANSWERS.items()})
    return summary_card("nb", answers)


# Each builder with anyone's words in every place they can go.
BUILDERS: dict[str, Callable[[Text], dict[str, Any]]] = {
    "request_card": lambda s: request_card("nb", request_view(s), now=NOW),
    "moved_card": lambda s: moved_card("nb", "BM-2026-0001", s("desk")),
    "digest_card": lambda s: digest_card(
        "nb", [request_view(s, "submitted")], [request_view(s, "claimed")], now=NOW
    ),
    "stats_card": lambda s: stats_card(
        "nb",
        {
            "year": 2026,
            "total": 3,
            "by_assignment_type": {"research": 3},
            "by_unit": {s("unit"): 3},
            "by_level": {"system": 3},
            "by_outcome": {"matched": 3},
            "by_commissioner": {s("org"): 3},
            "median_days_to_claim": 2,
            "median_days_to_match": 9,
        },
        headline=[("Bestillinger", s("headline"))],
        report_url=URL,
    ),
    "claim_form_card": lambda s: claim_form_card(
        "nb",
        request_id=1,
        participant_id=2,
        reference="BM-2026-0001",
        title=s("title"),
        participant_name=s("name"),
        rates_name=s("rates"),
        filed=claim_view(s),
    ),
    "claim_confirm_card": lambda s: claim_confirm_card("nb", claim_view(s)),
    "evaluation_card": lambda s: evaluation_card(
        "nb",
        evaluation_id=1,
        requester=True,
        title=s("title"),
        reference="BM-2026-0001",
        answered=False,
        values={"impact": s("impact"), "comment": s("comment")},
    ),
    "impact_card": lambda s: impact_card("nb", title=s("title"), impact=s("impact")),
    "help_card": lambda s: help_card("nb", LINKS),
    "question_card": lambda s: question_card("nb", "title", current=s("title"), links=LINKS),
    "summary_card": summary,
    "receipt_card": lambda s: receipt_card("nb", "BM-2026-0001", s("title"), LINKS),
    "my_requests_card": lambda s: my_requests_card(
        "nb",
        [{"id": 1, "reference": "BM-2026-0001", "title": s("title"), "status": "submitted"}],
    ),
    "participant_form_card": lambda s: participant_form_card(
        "nb",
        ("cancer",),
        values={"name": s("name"), "organisation": s("organisation")},
    ),
    "participant_list_card": lambda s: participant_list_card(
        "nb",
        [
            ParticipantRow(
                id=1,
                name=s("name"),
                status="active",
                roles=("patient",),
                areas=("cancer",),
                formats=("digital",),
                onboarded=True,
                asked=1,
            )
        ],
        total=1,
        filters=[],
    ),
    "suggestions_card": lambda s: suggestions_card(
        "nb",
        1,
        "BM-2026-0001",
        s("title"),
        [
            SuggestionView(
                participant_id=1,
                name=s("name"),
                roles=("patient",),
                shared_areas=("cancer",),
                formats=("digital",),
                asked=0,
                onboarded=False,
            )
        ],
        areas=("cancer",),
        chosen_areas=(),
    ),
    "removed_card": lambda s: removed_card("nb"),
    "consent_card": lambda s: consent_card("nb", s("name"), URL, desk=s("desk")),
    "invitation_card": lambda s: invitation_card("nb", invitation_view(s)),
    "documents_card": lambda s: documents_card(
        "nb",
        invitation_id=1,
        title=s("title"),
        agreement_url=URL,
        confidentiality_url=URL,
        signed=False,
    ),
    "groups_card": lambda s: groups_card("nb", ["contacts"]),
    "gathering_card": lambda s: gathering_card(
        "nb",
        gathering_id=1,
        title=s("title"),
        starts_at=NOW,
        ends_at=NOW,
        place=s("place"),
        register_url=URL,
        register_by=NOW,
        calendar_url=URL,
        zone=ZONE,
    ),
    "survey_card": lambda s: survey_card(
        "nb", survey_id=1, title=s("title"), url=URL, closes_at=NOW, zone=ZONE
    ),
    "gathering_form": lambda s: gathering_form("nb"),
    "attendance_card": lambda s: attendance_card(
        "nb",
        gathering_id=1,
        title=s("title"),
        when="26.03.2027 09:15",
        attendees=[Attendee(1, s("name"), "ABC234", True)],
        notice="Lagret",
    ),
    "gathering_evaluation_card": lambda s: gathering_evaluation_card(
        "nb", s("title"), 1, 4, s("comment")
    ),
    "survey_form": lambda s: survey_form("nb"),
    "delivery_report_card": lambda s: delivery_report_card(
        "nb",
        [
            ReportItem(
                kind="gathering",
                id=1,
                title=s("title"),
                rounds=(
                    RoundLine(
                        due="23.11.2026 09:00",
                        kind="gathering",
                        state="sent",
                        teams=1,
                        given_up=((s("reason"), 1),),
                    ),
                ),
            )
        ],
    ),
}


def every_builder() -> set[str]:
    """The public functions of dialogs/cards/ that return a card."""
    found = set()
    for info in pkgutil.iter_modules(dialogs.cards.__path__):
        module = importlib.import_module(f"dialogs.cards.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (
                function.__module__ == module.__name__
                and not name.startswith("_")
                and inspect.signature(function).return_annotation == "dict[str, Any]"
            ):
                found.add(name)
    return found


def test_every_card_builder_is_walked() -> None:
    assert every_builder() == set(BUILDERS)


def markdown_texts(node: Any) -> list[str]:
    """Every string of the card that Teams renders as markdown, in order."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            found.append(node["text"])
        if node.get("type") == "FactSet":
            for fact in node["facts"]:
                found += [fact["title"], fact["value"]]
        for key, value in node.items():
            if key not in ("text", "facts"):
                found += markdown_texts(value)
    elif isinstance(node, list):
        for value in node:
            found += markdown_texts(value)
    return found


_ESCAPED = re.compile(r"\\.", re.DOTALL)
_LIVE = re.compile(r"[\\`*_{}\[\]()<>#+\-.!|~=&@]|://|\n[ \t]")


def live_markdown(text: str) -> list[str]:
    """What markdown could still read in `text`, once escaped characters are gone."""
    return _LIVE.findall(_ESCAPED.sub("x", text))


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_no_markdown_of_anyones_words_stays_live(builder: str) -> None:
    plain = BUILDERS[builder](lambda slot: PLAIN)
    hostile = BUILDERS[builder](lambda slot: HOSTILE)
    assert_valid_card(hostile)
    ours, theirs = markdown_texts(plain), markdown_texts(hostile)
    assert len(ours) == len(theirs)
    for mine, shown in zip(ours, theirs, strict=True):
        assert sorted(live_markdown(shown)) == sorted(live_markdown(mine)), shown
    for fragment in ("](", "<at>", "**fet**", "https://evil", "<b>"):
        # Input values and choice titles are plain text to Teams; only they may keep it.
        assert not [t for t in theirs if fragment in t], (builder, fragment)


@pytest.mark.parametrize(
    "text",
    [
        "[x](https://evil.example)",
        "![x](https://evil.example/i.png)",
        "<at>Anne</at>",
        "**fet** _kursiv_",
        "https://evil.example",
        "a\n    kode",
        "a\r\n# b",
        "tekst\\",
    ],
)
def test_escaped_text_has_nothing_live_and_reads_the_same(text: str) -> None:
    escaped = escape_markdown(text)
    assert live_markdown(escaped) == []
    # Read back as CommonMark reads escapes: the words themselves, minus indents.
    read = _ESCAPED.sub(lambda m: m.group(0)[1], escaped)
    assert read == "\n".join(line.lstrip(" \t") for line in text.replace("\r\n", "\n").split("\n"))


LINK_NAME = "Per [Logg inn her](https://evil.example/x)"


async def test_a_name_that_is_a_link_is_text_in_every_staff_card_and_notice(bot, clock) -> None:
    """A participant who named themself with a link, through the team's day:
    listed, suggested, invited, accepting, matched, documents on paper,
    completed and filed. No card or message anyone gets holds the link live."""
    request_id = await claimed_request(bot, clock, participant_count=1)
    member = coordinator(bot)
    answers = [
        card_of(await member.invoke("suggest", {"request_id": request_id, "in_place": True}))
    ]
    per, _ = await accepted_in_teams(bot, clock, request_id, LINK_NAME, PER_AAD)
    answers.append(card_of(await member.invoke("refresh", {"request_id": request_id})))
    answers.append(
        card_of(
            await member.invoke(
                "documents_received", {"request_id": request_id, "participant_id": str(per)}
            )
        )
    )
    listed = await member.say_in_channel("brukermedvirkere")
    await member.invoke("set_status", {"request_id": request_id, "status": "completed"})
    await bot.drain()
    rita = bot.teams.user("Rita Rekvirent", "aad-requester")
    answers.append(
        card_of(
            await rita.invoke(
                "confirm_participation",
                {"request_id": request_id, "participant_id": per, "meetings": 1, "hours": 2},
                in_channel=False,
            )
        )
    )
    await bot.drain()
    shown = [*answers, *listed.cards, *(s.card for s in bot.connector.sent if s.card)]
    texts = [t for card in shown for t in markdown_texts(card)]
    texts += [s.text for s in bot.connector.sent if s.text]
    assert [t for t in texts if "Logg inn her" in t], "the name was shown somewhere"
    assert not [t for t in texts if "](" in t or "https://evil" in t]
