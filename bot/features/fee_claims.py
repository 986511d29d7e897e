"""The fee claim, from the requester's figures to payroll's PDF.

- `CLAIM_FORM` (outbox, to the requester when the request is completed): a card
  per participant with `meetings`, `hours`, `travel_nok`, `in_person` (when the
  rates have an in-person minimum), `lost_earnings_nok` (when they reimburse
  lost earnings), `fee_declined` and `confirm_participation`
  (`data.request_id`, `data.participant_id`; only the requester may press it).
  Bad figures get the card back with the reason and change nothing.
- `CLAIM_CONFIRM` (to the participant): a card with `fee_declined` ("I decline
  the fee") and `confirm_claim` (`data.claim_id`, `data.revision`; only their
  own account), or an e-mail whose link opens `/p/<token>/c/<claim id>`
  (`answer=yes`, `fee_declined=yes`).
- `CLAIM_PAYROLL` (to `office:<MEDVIRK_PAYROLL_EMAIL>`): the confirmed claim as a
  PDF; delivered, the claim is `sent`.

The figures are never logged.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.messages import (
    InvokeAnswer,
    Mail,
    MailAttachment,
    Message,
    Recipient,
    card_answer,
    error_answer,
)
from bot.framework.notifications import Notification, Sending
from bot.framework.ports import Turn, positive_id
from bot.framework.router import Router
from bot.out.links import CLAIM
from bot.out.pages import error_page, html_page
from bot.out.person_links import PersonLink, claim_url, object_link, participant_mail, read_form
from dialogs.cards import escape_markdown
from dialogs.cards.fee_claims import ClaimView, claim_confirm_card, claim_facts, claim_form_card
from dialogs.i18n import t
from dialogs.pdf import claim_pdf
from dialogs.refusals import refusal_text
from dialogs.rendering import greeting, render
from storage import fee_claims as claims
from storage.db.models import Desk, FeeClaim, Gathering, OutboxMessage, Participant, Request
from storage.domain.fee_claims import ClaimStatus
from storage.domain.fees import LostEarnings
from storage.domain.refusal import Refused
from storage.domain.requests import Status
from storage.fee_claims import Confirmer
from storage.outbox import OutboxItem, Render

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

log = logging.getLogger(__name__)

router = Router()

PAYROLL_LOCALE = "nb"


def view_of(claim: FeeClaim, work: claims.Work, participant: Participant | None) -> ClaimView:
    return ClaimView(
        claim_id=claim.id,
        revision=claim.revision,
        status=claim.status,
        reference=work.reference,
        title=work.title or "",
        participant_name=claims.payee(claim, participant)[0] or "—",
        meetings=claim.meetings,
        hours_hundredths=claim.hours_hundredths,
        counted_quarters=claim.counted_quarters,
        travel_nok=claim.travel_nok,
        hourly_ore=claim.hourly_ore,
        per_meeting_ore=claim.per_meeting_ore,
        day_max_ore=claim.day_max_ore,
        fee_ore=claim.fee_ore,
        capped_ore=claim.capped_ore,
        total_ore=claim.total_ore,
        rates_name=claim.rates_name,
        rates_example=claim.rates_example,
        rounding=claim.rounding,
        min_in_person_hundredths=claim.min_in_person_hundredths,
        travel_cheapest=claim.travel_cheapest,
        lost_earnings_documented=claim.lost_earnings_documented,
        lost_earnings_day_max_ore=claim.lost_earnings_day_max_ore,
        in_person=claim.in_person,
        lost_earnings_nok=claim.lost_earnings_nok,
        lost_earnings_ore=claim.lost_earnings_ore,
        fee_declined=claim.fee_declined,
        # A day at a gathering: its participant gives their travel as they confirm.
        asks_travel=claim.gathering_id is not None and claim.in_person,
    )


# -- the requester's form --------------------------------------------------------------------


def _form_card(
    settings: Settings,
    locale: str,
    request: Request,
    participant: Participant,
    claim: FeeClaim | None,
    **kw: Any,
) -> dict[str, Any]:
    rates = settings.fee_rates
    return claim_form_card(
        locale,
        request_id=request.id,
        participant_id=participant.id,
        reference=request.reference,
        title=request.title or "",
        participant_name=participant.name or "—",
        rates_name=rates.name or "—",
        filed=view_of(claim, request, participant) if claim is not None else None,
        ask_in_person=rates.min_hours_in_person is not None,
        ask_lost_earnings=rates.lost_earnings is LostEarnings.DOCUMENTED,
        **kw,
    )


async def claim_form_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    request_id, participant_id = args.get("request_id"), args.get("participant_id")
    if not isinstance(request_id, int) or not isinstance(participant_id, int):
        return None
    form = await claims.form_of(session, request_id, participant_id)
    if form is None or form.request.status != Status.COMPLETED:
        return None
    if form.claim is not None and form.claim.status != ClaimStatus.DRAFT:
        return None  # filed and confirmed before this went out
    return Message(
        card=_form_card(sending.settings, locale, form.request, form.participant, form.claim)
    )


def _typed(data: dict[str, Any]) -> dict[str, Any]:
    """What the requester typed, as numbers the card can show again."""
    values: dict[str, Any] = {
        name: claims.flag(data.get(name)) for name in ("in_person", "fee_declined")
    }
    for name in ("meetings", "hours", "travel_nok", "lost_earnings_nok"):
        raw = data.get(name)
        try:
            number = float(str(raw).replace(",", "."))
        except ValueError:
            continue
        if number == number and abs(number) < 1e6:  # not NaN, not absurd
            values[name] = int(number) if number.is_integer() else number
    return values


def _not_entitled(turn: Turn, request_id: int) -> InvokeAnswer:
    # One answer for no such request, someone else's, and a participant who
    # did not take part: naming nobody, telling nothing.
    log.info("request %s: a fee claim refused (not the requester's to file)", request_id)
    return error_answer("not_yours", t(turn.locale, "claim.error.not_entitled"), 403)


@router.verb("confirm_participation")
async def confirm_participation(
    turn: Turn, services: Services, data: dict[str, Any]
) -> InvokeAnswer:
    """The requester's figures for one participant of a completed request."""
    request_id = positive_id(data, "request_id")
    participant_id = positive_id(data, "participant_id")
    if request_id is None or participant_id is None:
        return error_answer("bad_request_id", t(turn.locale, "channel.error.bad_request_id"))
    locale = turn.locale
    try:
        filed = await claims.file(
            services.db,
            await services.access.actor(turn),
            request_id,
            participant_id,
            data,
            rates=services.settings.fee_rates,
            now=services.clock.now(),
            payroll_email=services.settings.payroll_email,
        )
    except Refused as refused:
        if refused.key == "claim.error.not_entitled":
            return _not_entitled(turn, request_id)
        # Refused after the requester was recognised: their card again, with why.
        async with services.db.reading() as session:
            form = await claims.form_of(session, request_id, participant_id)
        if form is None:
            return _not_entitled(turn, request_id)
        return card_answer(
            _form_card(
                services.settings,
                locale,
                form.request,
                form.participant,
                form.claim,
                # Bad figures are shown again as typed.
                values=_typed(data) if refused.field else None,
                error=refusal_text(locale, refused),
            )
        )
    name = escape_markdown(filed.participant.name or "—")
    if not filed.changed:
        notice = t(locale, "claim.form.unchanged")
    elif filed.confirmed:
        notice = t(locale, "claim.form.left_confirmed")
    elif filed.told:
        notice = t(locale, "claim.form.filed", name=name)
    else:
        notice = t(locale, "claim.form.phone_only", name=name)
    log.info(
        "request %s: fee claim %s filed (revision %s)",
        request_id,
        filed.claim.id,
        filed.claim.revision,
    )
    return card_answer(
        _form_card(
            services.settings,
            locale,
            filed.request,
            filed.participant,
            filed.claim,
            notice=notice,
        )
    )


# -- the participant's confirmation ----------------------------------------------------------


async def _to_confirm(session: AsyncSession, args: dict[str, Any]) -> claims.Yours | None:
    claim_id, revision = args.get("claim_id"), args.get("revision")
    if not isinstance(claim_id, int) or not isinstance(revision, int):
        return None
    return await claims.to_confirm(session, claim_id, revision)


async def claim_confirm_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    found = await _to_confirm(session, args)
    if found is None:
        return None
    view = view_of(found.claim, found.work, found.participant)
    return Message(card=claim_confirm_card(found.participant.locale, view))


async def claim_confirm_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    found = await _to_confirm(session, args)
    if found is None:
        return None
    claim, participant = found.claim, found.participant
    locale = participant.locale
    links = await sending.links.get()
    # The figures are on the page the link opens.
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, claim.desk_id, locale),
        subject=t(locale, "mail.subject.claim"),
        greeting=greeting(locale, participant.name),
        intro=f"{t(locale, 'mail.claim_intro')} {t(locale, 'claim.payroll_collects')}",
        url=claim_url(links, participant, claim, recipient.channel, now=sending.clock.now()),
        button=t(locale, "claim.confirm.open"),
    )


def _done(done: claims.Yours) -> str:
    declined = done.claim.fee_declined
    return t(done.participant.locale, f"claim.confirm.done{'_declined' if declined else ''}")


async def _confirm(
    services: Services,
    confirmer: Confirmer,
    claim_id: int,
    revision: int,
    declined: bool | None,
    travel: Any = None,
) -> claims.Confirmed:
    """The participant's confirmation, on their card or their page, declining
    the fee or not, and for a day at a gathering with their travel
    (`Refused` as the use case refuses it)."""
    try:
        confirmed = await claims.confirm(
            services.db,
            confirmer,
            claim_id,
            revision,
            payroll_email=services.settings.payroll_email,
            now=services.clock.now(),
            declined=declined,
            travel=travel,
        )
    except Refused as refused:
        log.info("fee claim %s: confirmation refused (%s)", claim_id, refused.key)
        raise
    if not confirmed.repeated:
        log.info(
            "fee claim %s confirmed (%s)%s",
            claim_id,
            confirmer.via,
            "" if confirmed.queued else "; no MEDVIRK_PAYROLL_EMAIL: waits for `claims pdf`",
        )
    return confirmed


@router.verb("confirm_claim")
async def confirm_claim(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    """The participant, on their card: the figures are right."""
    claim_id = positive_id(data, "claim_id")
    revision = positive_id(data, "revision")
    if claim_id is None or revision is None:
        return error_answer("bad_claim", t(turn.locale, "claim.error.unknown"))
    # The claim only together with its participant's account being the presser's.
    confirmer = Confirmer.in_teams(turn.person.aad_object_id or "")
    declined = claims.flag(data["fee_declined"]) if "fee_declined" in data else None
    try:
        done: claims.Yours = await _confirm(
            services, confirmer, claim_id, revision, declined, data.get("travel_nok")
        )
        said = {"notice": _done(done)}
    except Refused as refused:
        found = None
        if refused.key != "claim.error.not_yours":
            async with services.db.reading() as session:
                found = await claims.yours(session, confirmer, claim_id)
        if found is None:
            # The same answer for a claim that is not there and one that is not theirs.
            return error_answer("not_yours", t(turn.locale, "claim.error.not_yours"), 403)
        done = found
        said = {"error": refusal_text(done.participant.locale, refused)}
    view = view_of(done.claim, done.work, done.participant)
    return card_answer(claim_confirm_card(done.participant.locale, view, **said))


# -- the participant's page ------------------------------------------------------------------


def _page(
    link: PersonLink,
    services: Services,
    yours: claims.Yours,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> web.Response:
    participant, claim = yours.participant, yours.claim
    locale = participant.locale
    view = view_of(claim, yours.work, participant)
    return html_page(
        "claim_page.html",
        locale,
        status=status,
        title=t(locale, "claim.confirm.title", title=view.title),
        message=message,
        error=error,
        greeting=greeting(locale, participant.name),
        facts=claim_facts(locale, view),
        open=claim.status == ClaimStatus.DRAFT,
        declined=claim.fee_declined,
        asks_travel=view.asks_travel,
        travel_nok=claim.travel_nok,
        status_text=t(locale, f"claim.status.{claim.status}"),
        revision=claim.revision,
        action=f"/p/{link.token}/c/{claim.id}",
        **link.page_context(services.clock.now(), desk_id=claim.desk_id),
    )


async def _claim_page(
    link: PersonLink, services: Services, claim_id: int, **said: Any
) -> web.Response:
    async with services.db.reading() as session:
        found = await claims.yours(session, Confirmer.on_page(link.participant.id), claim_id)
    if found is None:
        return error_page(link.participant.locale, "claim.error.not_yours", 404)
    return _page(link, services, found, **said)


@router.get("/p/{token}/c/{claim_id}")
async def claim_page(request: web.Request, services: Services) -> web.Response:
    link, claim_id = await object_link(request, services, CLAIM)
    return await _claim_page(link, services, claim_id)


@router.post("/p/{token}/c/{claim_id}")
async def claim_answer(request: web.Request, services: Services) -> web.Response:
    link, claim_id = await object_link(request, services, CLAIM)
    form = await read_form(request, link, services)
    revision = positive_id(dict(form), "revision")
    participant = link.participant
    if form.get("answer") != "yes" or revision is None:
        return error_page(participant.locale, "page.stale_form", 400)
    # The page's check box: sent when ticked, absent when not.
    declined = claims.flag(form.get("fee_declined"))
    try:
        done = await _confirm(
            services,
            Confirmer.on_page(participant.id),
            claim_id,
            revision,
            declined,
            form.get("travel_nok"),
        )
    except Refused as refused:
        error = refusal_text(participant.locale, refused)
        return await _claim_page(link, services, claim_id, error=error, status=409)
    return _page(link, services, done, message=_done(done))


# -- payroll ---------------------------------------------------------------------------------


async def claim_document(
    session: AsyncSession, settings: Settings, claim_id: int
) -> tuple[FeeClaim, claims.Work, bytes] | None:
    """The claim's PDF as payroll gets it (None: no such claim)."""
    claim = await session.get(FeeClaim, claim_id)
    if claim is None:
        return None
    work: claims.Work
    if claim.request_id is not None:
        work = await session.get_one(Request, claim.request_id)
    else:
        work = await session.get_one(Gathering, claim.gathering_id)
    # An erased person's claim is kept without them (the payee stays on the claim).
    participant = (
        await session.get(Participant, claim.participant_id) if claim.participant_id else None
    )
    zone = settings.zone
    locale = PAYROLL_LOCALE

    def when(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M") if moment else "—"

    confirmed = (
        f"{when(claim.confirmed_at)} {t(locale, f'claim.pdf.via.{claim.confirmed_via}')}"
        if claim.confirmed_at and claim.confirmed_via in ("teams", "page")
        else t(locale, "claim.pdf.not_confirmed")
    )
    contact = claims.payee(claim, participant)[1]
    desk = await session.get(Desk, claim.desk_id)
    data = claim_pdf(
        view_of(claim, work, participant),
        desk=desk.name(locale) if desk is not None else "—",
        unit=_unit(work),
        cost_centre=_cost_centre(work),
        contact=contact or "—",
        filed_by=claim.filed_by_name or "—",
        filed_at=when(claim.created_at if claim.revision == 1 else claim.updated_at),
        confirmed=confirmed,
        created=claim.confirmed_at or claim.updated_at,
        locale=locale,
    )
    return claim, work, data


def _unit(work: claims.Work) -> str:
    return work.unit if isinstance(work, Request) else work.title


def _cost_centre(work: claims.Work) -> str:
    return (work.cost_centre if isinstance(work, Request) else None) or "—"


def pdf_name(work: claims.Work, claim: FeeClaim) -> str:
    return f"honorarkrav-{work.reference}-{claim.id}.pdf"


async def _sent_to_payroll(session: AsyncSession, item: OutboxItem, _: str | None) -> None:
    sent_at = await session.scalar(select(OutboxMessage.sent_at).where(OutboxMessage.id == item.id))
    claim_id = item.payload.get("args", {}).get("claim_id")
    if isinstance(claim_id, int) and sent_at is not None:
        await claims.mark_sent(session, claim_id, now=sent_at)


async def claim_payroll_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    claim_id = args.get("claim_id")
    found = (
        await claim_document(session, sending.settings, claim_id)
        if isinstance(claim_id, int)
        else None
    )
    if found is None or found[0].status != ClaimStatus.CONFIRMED:
        return None
    claim, work, data = found
    locale = PAYROLL_LOCALE
    context = {
        "title": t(locale, "claim.payroll.subject", reference=work.reference, claim_id=claim.id),
        "intro": t(locale, "claim.payroll.intro"),
        "unit": _unit(work),
        "cost_centre": _cost_centre(work),
    }
    return Mail(
        subject=context["title"],
        text=render("mail_payroll.txt", locale, **context),
        html=render("mail_payroll.html", locale, **context),
        attachments=(MailAttachment(pdf_name(work, claim), "application/pdf", data),),
        # The same claim sent again (after a crash) is the same message to payroll.
        message_key=f"claim-{claim.id}-r{claim.revision}",
    )


router.notify(
    Notification(Render.CLAIM_FORM, teams=claim_form_in_teams),
    Notification(Render.CLAIM_CONFIRM, teams=claim_confirm_in_teams, mail=claim_confirm_by_mail),
    # Payroll is an e-mail address, never a Teams chat (the hook marks the claim sent).
    Notification(Render.CLAIM_PAYROLL, mail=claim_payroll_by_mail, delivered=_sent_to_payroll),
)
