"""The evaluation after completion, and "what your input changed".

- `EVALUATION` (outbox): the requester's card in Teams; a participant's card in
  Teams, or an e-mail whose link opens `/p/<token>/e/<evaluation id>`. Its
  reminders are the same row with `reminder` > 0 (`storage.evaluations`).
- `evaluate` (`data.evaluation_id`): only the evaluation's own respondent may
  answer (the requester's account, or the participant's); bad input gets the
  card back with the reason, nothing written.
- `IMPACT`: what the requester wrote the input changed, to each participant,
  in their language.

Answers are never logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.messages import InvokeAnswer, Mail, Message, Recipient, card_answer, error_answer
from bot.framework.notifications import Notification, Sending
from bot.framework.ports import Turn, positive_id
from bot.framework.router import Router
from bot.out.links import EVALUATION
from bot.out.pages import error_page, html_page
from bot.out.person_links import (
    PersonLink,
    evaluation_url,
    object_link,
    participant_mail,
    read_form,
)
from dialogs.cards.evaluations import RATINGS, evaluation_card, impact_card
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from dialogs.rendering import greeting
from storage import evaluations
from storage.db.models import Evaluation, Participant, Request
from storage.domain.evaluations import EvaluationStatus
from storage.domain.identity import shown_again
from storage.domain.participants import ParticipantStatus
from storage.domain.refusal import Refused
from storage.domain.requests import Role
from storage.outbox import Render
from storage.requests.moves import Actor, roles_of

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()

FIELDS = ("rating", "impact", "would_use_again", "fee_info_clear", "comment")


def _card(locale: str, evaluation: Evaluation, request: Request, **kw: Any) -> dict[str, Any]:
    return evaluation_card(
        locale,
        evaluation_id=evaluation.id,
        requester=evaluation.participant_id is None,
        title=request.title or "",
        reference=request.reference,
        answered=evaluation.status == EvaluationStatus.ANSWERED,
        **kw,
    )


async def _asked(
    session: AsyncSession, args: dict[str, Any]
) -> tuple[Evaluation, Request, Participant | None] | None:
    evaluation = await session.get(Evaluation, args.get("evaluation_id"))
    if evaluation is None or evaluation.status != EvaluationStatus.ASKED:
        return None  # answered meanwhile: no reminder
    request = await session.get_one(Request, evaluation.request_id)
    participant = None
    if evaluation.participant_id is not None:
        participant = await session.get(Participant, evaluation.participant_id)
        if participant is None or participant.status == ParticipantStatus.LEFT:
            return None
    return evaluation, request, participant


async def evaluation_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    found = await _asked(session, args)
    if found is None:
        return None
    evaluation, request, participant = found
    locale = participant.locale if participant is not None else locale
    return Message(card=_card(locale, evaluation, request, reminder=bool(args.get("reminder"))))


async def evaluation_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    found = await _asked(session, args)
    if found is None:
        return None
    evaluation, _request, participant = found
    if participant is None:
        return None  # the requester is reached in Teams only
    locale = participant.locale
    links = await sending.links.get()
    intro = t(locale, "evaluation.intro.participant")
    if args.get("reminder"):
        intro = f"{t(locale, 'evaluation.reminder')} {intro}"
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, evaluation.desk_id, locale),
        subject=t(locale, "mail.subject.evaluation"),
        greeting=greeting(locale, participant.name),
        intro=intro,
        url=evaluation_url(links, participant, evaluation, now=sending.clock.now()),
        button=t(locale, "evaluation.open"),
    )


async def record(
    services: Services,
    evaluation_id: int,
    raw: dict[str, Any],
    *,
    participant_id: int | None,
    via: str,
    locale: str,
) -> tuple[bool, str, str | None]:
    """Record the answer; whether it holds, what to say, and the refused input
    (shown again empty: a refused text is never echoed)."""
    async with services.db.transaction() as session:
        try:
            answered = await evaluations.answer(
                session,
                evaluation_id,
                raw,
                participant_id=participant_id,
                via=via,
                now=services.clock.now(),
            )
        except Refused as refused:
            log.info("evaluation %s: refused (%s)", evaluation_id, refused.key)
            return False, refusal_text(locale, refused), refused.field
    if not answered.repeated:
        log.info(
            "evaluation %s answered (%s); impact sent to %s",
            evaluation_id,
            via,
            answered.impact_sent,
        )
    return True, t(locale, "evaluation.thanks"), None


async def _respondent(
    session: AsyncSession, evaluation_id: int, actor: Actor
) -> tuple[Evaluation, Request, Participant | None] | None:
    """The evaluation, its request and its participant, if `actor` is the one
    asked (the requester, or the participant's account); else None, with no
    participant read."""
    evaluation = await session.get(Evaluation, evaluation_id)
    if evaluation is None:
        return None
    request = await session.get_one(Request, evaluation.request_id)
    if evaluation.participant_id is None:
        mine = Role.REQUESTER in roles_of(request, actor, member=False)
        return (evaluation, request, None) if mine else None
    aad = actor.aad_object_id.lower()
    participant = (
        await session.scalar(
            select(Participant).where(
                Participant.id == evaluation.participant_id,
                func.lower(Participant.aad_object_id) == aad,
            )
        )
        if aad
        else None
    )
    return None if participant is None else (evaluation, request, participant)


@router.verb("evaluate")
async def evaluate(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    evaluation_id = positive_id(data, "evaluation_id")
    if evaluation_id is None:
        return error_answer("bad_evaluation", t(turn.locale, "evaluation.error.not_yours"))
    actor = await services.access.actor(turn)
    async with services.db.reading() as session:
        found = await _respondent(session, evaluation_id, actor)
    if found is None:
        # The same answer for an evaluation that is not there and one that is not theirs.
        log.info("evaluation %s: answered by someone else, refused", evaluation_id)
        return error_answer("not_yours", t(turn.locale, "evaluation.error.not_yours"), 403)
    evaluation, request, participant = found
    locale = participant.locale if participant is not None else turn.locale
    raw = {name: data.get(name) for name in FIELDS}
    ok, said, refused = await record(
        services,
        evaluation_id,
        raw,
        participant_id=evaluation.participant_id,
        via="teams",
        locale=locale,
    )
    async with services.db.reading() as session:
        current = await session.get_one(Evaluation, evaluation_id)
    if ok:
        return card_answer(_card(locale, current, request, notice=said))
    shown = shown_again(raw, refused=refused)
    return card_answer(_card(locale, current, request, values=shown, error=said))


# -- the participant's page ------------------------------------------------------------------


async def _page(
    link: PersonLink,
    services: Services,
    evaluation_id: int,
    *,
    values: dict[str, Any] | None = None,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> web.Response:
    participant = link.participant
    async with services.db.reading() as session:
        evaluation = await session.get(Evaluation, evaluation_id)
        found = await session.get(Request, evaluation.request_id) if evaluation else None
    if evaluation is None or found is None or evaluation.participant_id != participant.id:
        return error_page(participant.locale, "evaluation.error.not_yours", 404)
    locale = participant.locale
    return html_page(
        "evaluation_page.html",
        locale,
        status=status,
        title=t(locale, "evaluation.title", title=found.title or "", reference=found.reference),
        message=message,
        error=error,
        greeting=greeting(locale, participant.name),
        open=evaluation.status == EvaluationStatus.ASKED,
        ratings=RATINGS,
        values={"rating": "", "fee_info_clear": "", "comment": "", **(values or {})},
        action=f"/p/{link.token}/e/{evaluation.id}",
        **link.page_context(services.clock.now(), desk_id=evaluation.desk_id),
    )


@router.get("/p/{token}/e/{evaluation_id}")
async def evaluation_page(request: web.Request, services: Services) -> web.Response:
    link, evaluation_id = await object_link(request, services, EVALUATION)
    return await _page(link, services, evaluation_id)


@router.post("/p/{token}/e/{evaluation_id}")
async def evaluation_answer(request: web.Request, services: Services) -> web.Response:
    link, evaluation_id = await object_link(request, services, EVALUATION)
    participant = link.participant
    form = await read_form(request, link, services)
    if form.get("answer") != "evaluate":
        return error_page(participant.locale, "page.stale_form", 400)
    raw = {name: form.get(name) for name in ("rating", "fee_info_clear", "comment")}
    ok, said, refused = await record(
        services,
        evaluation_id,
        raw,
        participant_id=participant.id,
        via="page",
        locale=participant.locale,
    )
    if ok:
        return await _page(link, services, evaluation_id, message=said)
    kept = shown_again(raw, refused=refused)
    typed = {k: v if isinstance(v, str) and k in kept else "" for k, v in raw.items()}
    return await _page(link, services, evaluation_id, values=typed, error=said, status=400)


# -- what your input changed -----------------------------------------------------------------


async def _impact(
    session: AsyncSession, args: dict[str, Any]
) -> tuple[Request, Participant, str] | None:
    request = await session.get(Request, args.get("request_id"))
    participant = await session.get(Participant, args.get("participant_id"))
    if request is None or participant is None or participant.status == ParticipantStatus.LEFT:
        return None
    evaluation = await evaluations.requester_evaluation(session, request.id)
    if evaluation is None or not evaluation.impact:
        return None
    return request, participant, evaluation.impact


async def impact_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    found = await _impact(session, args)
    if found is None:
        return None
    request, participant, impact = found
    return Message(card=impact_card(participant.locale, title=request.title or "", impact=impact))


async def impact_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    found = await _impact(session, args)
    if found is None:
        return None
    request, participant, impact = found
    locale = participant.locale
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, request.desk_id, locale),
        subject=t(locale, "mail.subject.impact"),
        greeting=greeting(locale, participant.name),
        intro=f"{t(locale, 'impact.thanks')} {t(locale, 'impact.intro')}",
        facts=((t(locale, "impact.label"), impact),),
    )


router.notify(
    Notification(Render.EVALUATION, teams=evaluation_in_teams, mail=evaluation_by_mail),
    Notification(Render.IMPACT, teams=impact_in_teams, mail=impact_by_mail),
)
