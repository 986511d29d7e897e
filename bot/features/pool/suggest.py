"""On a request card: `suggest` (who could take part, and why) and `invite`.

The suggestions are a card of their own, posted under the request card; each
`invite` answers with that card anew. Every suggestion shown is a read of
participants' details: on the read audit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bot.features.pool import posted
from bot.framework.card_state import CHANNEL_LOCALE, view_of
from bot.framework.messages import InvokeAnswer, card_answer, error_answer
from bot.framework.ports import TeamsCallFailed, Turn, positive_id
from bot.framework.router import Guard, Router
from dialogs.cards import escape_markdown
from dialogs.cards.pool import suggestion_view, suggestions_card
from dialogs.cards.requests import request_card
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from storage import invitations, privacy
from storage.db.models import Request
from storage.domain.refusal import Refused
from storage.outbox import posted_cards
from storage.pool import matching
from storage.pool.matching import Suggestion

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.services import Services
    from storage.db import Database

log = logging.getLogger(__name__)

# Suggestions show the pool: to the priority team's members, in its channel or in
# a member's own chat with the bot (the owner's notices carry the next
# suggestion with its Inviter), never where others read along.
router = Router(guards=(Guard.PRIORITY_CHANNEL_OR_PERSONAL, Guard.TEAM_MEMBER))
SHOWN_AS = posted_cards.SUGGESTIONS
# Up to how many areas asked for the statements are prepared at start.
PREPARED_AREAS = 4


def chosen_areas(data: dict[str, Any], areas: Sequence[str]) -> list[str] | None:
    """The areas the coordinator ranks by (the card's multi-select); None if
    what came is not a list of configured areas."""
    raw = data.get("areas")
    if raw is None or raw == "":
        return []
    if not isinstance(raw, str) or len(raw) > 2000:
        return None
    codes = [c.strip() for c in raw.split(",") if c.strip()]
    if any(c not in areas for c in codes):
        return None
    return codes


async def note_shown(
    session: AsyncSession,
    services: Services,
    turn: Turn,
    request: Request,
    shown: list[Suggestion],
) -> None:
    """The suggestions about to be shown in place of the pressed card: on the
    read audit, and noted as what that card shows (in the caller's
    transaction, committed before they are shown)."""
    now = services.clock.now()
    if turn.card_activity_id:
        await posted_cards.record(
            session,
            conversation_id=turn.conversation_id,
            activity_id=turn.card_activity_id,
            kind=posted_cards.SUGGESTIONS,
            participant_ids=[s.candidate.participant_id for s in shown],
            now=now,
        )
    await privacy.record_read(
        session, reader=turn.person.key, what=f"suggest {request.reference}", via="teams", now=now
    )


def _suggestions(
    services: Services, request: Request, areas: list[str], suggestions: list[Suggestion]
) -> Callable[[str | None], dict[str, Any]]:
    """Who fits `request` now, as a card with a notice to come."""
    found = [suggestion_view(s) for s in suggestions]

    def card(notice: str | None) -> dict[str, Any]:
        return suggestions_card(
            CHANNEL_LOCALE,
            request.id,
            request.reference,
            request.title or "",
            found,
            areas=services.settings.areas,
            chosen_areas=areas,
            notice=notice,
        )

    return card


async def read_suggestions(
    db: Database, request_id: int, areas: list[str], *, reader: str, now: datetime
) -> tuple[Request | None, list[Suggestion]]:
    """The request and its suggestions in one statement, on the read audit
    before anything is shown (on PostgreSQL by that same statement)."""
    async with privacy.reading_request(
        db,
        request_id,
        matching.suggestion_statement(areas),
        matching.suggestion_params(request_id, areas, matching.SUGGESTIONS),
        kind="suggest",
        reader=reader,
        via="teams",
        now=now,
        fixed_plan=True,
    ) as (_, result):
        return matching.suggestions(result, areas)


async def prepare(db: Database, areas: Sequence[str], *, now: datetime) -> None:
    """At start, as the pool's connections are opened: every statement a
    "Foreslå" runs, for 0 to `PREPARED_AREAS` areas asked for, built,
    compiled and prepared by running it for a request that cannot exist (id 0:
    nothing is read, nothing noted). The first press of each kind after a
    restart then costs what every later one does, not 10-30 ms more."""
    for count in range(min(len(areas), PREPARED_AREAS) + 1):
        await read_suggestions(db, 0, list(areas[:count]), reader="medvirk", now=now)


def _bad_request_id(turn: Turn) -> InvokeAnswer:
    return error_answer("bad_request_id", t(turn.locale, "channel.error.bad_request_id"))


@router.verb("suggest")
async def suggest(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    """From the request card: the suggestions are posted under it (the card's
    updates for everyone would overwrite them in place); from the suggestions
    card (`data.in_place`): that card, anew."""
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return _bad_request_id(turn)
    areas = chosen_areas(data, services.settings.areas)
    chosen = areas or []
    request, found = await read_suggestions(
        services.db, request_id, chosen, reader=turn.person.key, now=services.clock.now()
    )
    if request is None:
        return error_answer("unknown_request", t(turn.locale, "channel.error.unknown_request"), 404)
    notice = None if areas is not None else t(turn.locale, "error.field.choice")
    card = _suggestions(services, request, chosen, found)
    view = view_of(request)
    ids = [s.candidate.participant_id for s in found]
    if data.get("in_place") is True:
        await posted.shown(
            services, turn, activity_id=turn.card_activity_id, kind=SHOWN_AS, participant_ids=ids
        )
        return card_answer(card(notice))
    try:
        activity_id = await turn.card(card(notice))
    except TeamsCallFailed as failed:
        # Throttled past the turn's budget (or Teams failing): the presser
        # gets the suggestions in the card's place, not an error.
        log.info(
            "request %s: suggestions not posted (Teams answered %s)", request_id, failed.status
        )
        await posted.shown(
            services, turn, activity_id=turn.card_activity_id, kind=SHOWN_AS, participant_ids=ids
        )
        return card_answer(card(notice or t(turn.locale, "suggest.busy")))
    await posted.shown(services, turn, activity_id=activity_id, kind=SHOWN_AS, participant_ids=ids)
    now = services.clock.now()
    said = t(CHANNEL_LOCALE, "suggest.posted")
    return card_answer(request_card(CHANNEL_LOCALE, view, now=now, notice=said))


@router.verb("invite")
async def invite(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    """Invite one participant; the answer is the suggestions card anew, without
    them. The suggestions are read once, before the invitation's one write
    transaction (one more than are shown: the one invited may be among them),
    and the read is noted in that transaction."""
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return _bad_request_id(turn)
    participant_id = positive_id(data, "participant_id")
    actor = await services.access.actor(turn)
    now = services.clock.now()
    areas = chosen_areas(data, services.settings.areas) or []
    async with services.moves_in_flight.hold(request_id):
        async with services.db.reading(fixed_plan=True) as session:
            result = await session.execute(
                matching.suggestion_statement(areas),
                matching.suggestion_params(request_id, areas, matching.SUGGESTIONS + 1),
            )
            request, found = matching.suggestions(result, areas, limit=matching.SUGGESTIONS + 1)
        if request is None:
            return error_answer(
                "unknown_request", t(turn.locale, "channel.error.unknown_request"), 404
            )
        shown = [s for s in found if s.candidate.participant_id != participant_id]
        shown = shown[: matching.SUGGESTIONS]
        try:
            if participant_id is None:
                raise Refused("participant.error.bad_id")
            async with services.db.transaction() as session:
                invited = await invitations.invite(
                    session,
                    request_id,
                    participant_id,
                    actor,
                    now=now,
                    days=services.settings.invitation_days,
                )
                await note_shown(session, services, turn, invited.request, shown)
        except Refused as refused:
            log.info("request %s: invitation refused (%s)", request_id, refused.key)
            if refused.key == "channel.error.unknown_request":
                return error_answer(
                    "unknown_request", t(turn.locale, "channel.error.unknown_request"), 404
                )
            # Nobody was invited: the suggestions as they were read.
            shown = found[: matching.SUGGESTIONS]
            async with services.db.transaction() as session:
                await note_shown(session, services, turn, request, shown)
            said = refusal_text(turn.locale, refused)
        else:
            log.info(
                "request %s: participant invited (invitation %s)", request_id, invited.invitation.id
            )
            name = escape_markdown(invited.participant.name or "")
            said = t(turn.locale, "participant.invited", name=name)
            request = invited.request
    return card_answer(_suggestions(services, request, areas, shown)(said))
