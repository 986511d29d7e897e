"""The pool in the priority channel: `ny brukermedvirker` (a form card whose
`add_participant` adds one) and `brukermedvirkere` (the list, filtered)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.features.pool import posted
from bot.framework.messages import InvokeAnswer, card_answer
from bot.framework.ports import Turn
from bot.framework.router import PRIORITY_TEAM, Router
from dialogs.cards import escape_markdown
from dialogs.cards.pool import (
    ParticipantRow,
    area_label,
    field_error_text,
    participant_form_card,
    participant_list_card,
)
from dialogs.i18n import LOCALES, t
from storage import pool, privacy
from storage.db.models import Participant
from storage.domain.identity import shown_again
from storage.domain.participants import ParticipantStatus
from storage.domain.refusal import Refused
from storage.outbox import posted_cards

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

# The pool is the priority team's: its members (and admins), in its channel only.
router = Router(guards=PRIORITY_TEAM)
LIST_MAX = 50


async def add_participant(
    services: Services, raw: dict[str, Any], *, added_by: str, locale: str
) -> tuple[Participant, str]:
    """Validate and add one (pending) with the consent request; the text to
    say. Bad input or a duplicate: `Refused` (`field`: the input that was wrong)."""
    values = pool.validate(raw, areas=services.settings.areas)
    now = services.clock.now()
    async with services.db.transaction() as session:
        participant = await pool.add_asking_consent(session, values, added_by=added_by, now=now)
    via = t(locale, f"participant.via.{pool.reached_by(participant)}")
    log.info("participant %s added (pending consent)", participant.id)
    name = escape_markdown(participant.name or "")
    return participant, t(locale, "participant.added", name=name, via=via)


@router.channel_command("new_participant")
async def new_participant(turn: Turn, services: Services, argument: str) -> None:
    await turn.card(participant_form_card(turn.locale, services.settings.areas))


@router.verb("add_participant")
async def add_from_card(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    areas = services.settings.areas
    actor = await services.access.actor(turn)
    try:
        _, said = await add_participant(
            services, data, added_by=actor.aad_object_id or turn.person.key, locale=turn.locale
        )
    except Refused as refused:
        # Shown again without the field that was wrong, nor any with an identity number.
        keep = shown_again(
            {k: v for k, v in data.items() if k in pool.FIELDS}, refused=refused.field
        )
        error = field_error_text(turn.locale, refused)
        return card_answer(participant_form_card(turn.locale, areas, values=keep, error=error))
    return card_answer(participant_form_card(turn.locale, areas, notice=said))


def _filters(argument: str, areas: tuple[str, ...]) -> tuple[dict[str, str], str | None]:
    """`aktiv pasient kreft` → status, role, area; any word in any language,
    or the code. The second value is a word that matched nothing."""
    words: dict[str, tuple[str, str]] = {}
    for locale in LOCALES:
        for status in ParticipantStatus:
            words[t(locale, f"pstatus.{status.value}").casefold()] = ("status", status.value)
            words[status.value] = ("status", status.value)
        for role in pool.ROLES:
            words[t(locale, f"role.{role}").casefold()] = ("role", role)
            words[role] = ("role", role)
        for area in areas:
            words[area_label(locale, area).casefold()] = ("area", area)
            words[area] = ("area", area)
    # Short words people type for a status.
    for word, code in (
        ("aktiv", "active"),
        ("pause", "paused"),
        ("venter", "pending"),
        ("ventar", "pending"),
        ("sluttet", "left"),
        ("slutta", "left"),
    ):
        words[word] = ("status", code)
    chosen: dict[str, str] = {}
    rest = argument.casefold().strip()
    while rest:
        for word in sorted(words, key=len, reverse=True):
            if rest == word or rest.startswith(word + " "):
                kind, code = words[word]
                chosen[kind] = code
                rest = rest[len(word) :].strip()
                break
        else:
            return chosen, rest.split()[0]
    return chosen, None


@router.channel_command("participants")
async def participants(turn: Turn, services: Services, argument: str) -> None:
    chosen, unknown = _filters(argument, services.settings.areas)
    if unknown is not None:
        # The word is not repeated: it may be an identity number, or markdown.
        await turn.reply(t(turn.locale, "participant.list.bad_filter"))
        return
    now = services.clock.now()
    async with services.db.transaction() as session:
        found = await pool.listing(
            session,
            status=chosen.get("status"),
            role=chosen.get("role"),
            area=chosen.get("area"),
            limit=1000,
        )
        shown = found[:LIST_MAX]
        await privacy.record_read(
            session, reader=turn.person.key, what="participants", via="teams", now=now
        )
    rows = [
        ParticipantRow(
            id=p.id,
            name=p.name or "",
            status=p.status,
            roles=tuple(p.roles or ()),
            areas=tuple(p.areas or ()),
            formats=tuple(p.formats or ()),
            onboarded=p.elearning_on is not None and p.confidentiality_on is not None,
            asked=p.asked_12m or 0,
        )
        for p in shown
    ]
    labels = [
        area_label(turn.locale, code)
        if kind == "area"
        else t(turn.locale, f"{'pstatus' if kind == 'status' else 'role'}.{code}")
        for kind, code in chosen.items()
    ]
    activity_id = await turn.card(
        participant_list_card(turn.locale, rows, total=len(found), filters=labels)
    )
    await posted.shown(
        services,
        turn,
        activity_id=activity_id,
        kind=posted_cards.POOL_LIST,
        participant_ids=[p.id for p in shown],
    )
