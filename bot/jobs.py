"""Every scheduled job, in one place.

Tick jobs run one after another every `MEDVIRK_TICK_SECONDS` (planning first,
so a round that falls due goes out in the same tick); weekly jobs run at the
time their setting gives. Jobs take the services and read everything else from
the database, so a restart loses nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.features.requests.notices import enqueue_weekly_digest
from bot.framework.router import Router
from bot.out.mail import forget_mail, mail_folder, purge_mail
from storage import evaluations, invitations, orders, privacy, sms
from storage import reminders as store
from storage.pool import matching
from storage.privacy import erasure
from storage.reminders import gathering_evaluations, open_registration, registrations
from storage.requests import escalation

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()

RETENTION_PURGE_AT = "sun 03:00"


def _mail_folder(services: Services) -> Path | None:
    return mail_folder(services.settings.smtp_url, services.settings.mail_dir)


EVERY_NIGHT = "mon,tue,wed,thu,fri,sat,sun 03:30"


# Reminders are planned this many ticks ahead of their time (at most
# PLAN_AHEAD_MAX), so their round starts on time, not at the next tick.
PLAN_AHEAD_TICKS = 2
PLAN_AHEAD_MAX = timedelta(minutes=2)


@router.tick("reminders", first=True)
async def plan_reminders(services: Services) -> None:
    """Reminders about to fall due become deliveries and outbox rows, due at
    the reminder's time (the sender wakes for it)."""
    ahead = min(
        timedelta(seconds=services.settings.tick_seconds * PLAN_AHEAD_TICKS), PLAN_AHEAD_MAX
    )
    await store.plan_due(services.db, now=services.clock.now(), ahead=ahead)


@router.tick("invitations", first=True)
async def expire_invitations(services: Services) -> None:
    """Invitations past `MEDVIRK_INVITATION_DAYS`: expired, the card and owner told."""
    async with services.db.transaction() as session:
        expired = await invitations.expire_due(session, now=services.clock.now())
        withdrawn = await invitations.withdraw_closed(session, now=services.clock.now())
    if expired or withdrawn:
        log.info("invitations: %d expired, %d withdrawn (request closed)", expired, withdrawn)


@router.tick("seat_offers", first=True)
async def expire_seat_offers(services: Services) -> None:
    """Freed seats offered and not answered in time: each to the next waiting."""
    async with services.db.transaction() as session:
        expired = await registrations.expire_offers(session, now=services.clock.now())
    if expired:
        log.info("gatherings: %d seat offers expired and passed on", expired)


@router.tick("programmes", first=True)
async def send_programmes(services: Services) -> None:
    """Gatherings' programmes whose send time has come: to those registered."""
    async with services.db.transaction() as session:
        sent = await registrations.send_due_programmes(session, now=services.clock.now())
    if sent:
        log.info("gatherings: programme sent to %d registered", sent)


@router.tick("gathering_evaluations", first=True)
async def ask_gathering_evaluations(services: Services) -> None:
    """Gatherings that have ended: those who came are asked how the day was;
    open registrants of gatherings long past, expired SMS short links and old
    SMS records are forgotten."""
    now = services.clock.now()
    async with services.db.transaction() as session:
        asked = await gathering_evaluations.ask_due(session, now=now)
        forgotten = await open_registration.forget_after(session, now=now)
        forgotten += await sms.forget_old(session, now=now)
    if asked or forgotten:
        log.info(
            "gatherings: %d asked to evaluate the day, %d open registrants forgotten",
            asked,
            forgotten,
        )


@router.tick("evaluations", first=True)
async def remind_evaluations(services: Services) -> None:
    """Unanswered evaluations: at most two reminders, in the day only."""
    async with services.db.transaction() as session:
        reminded = await evaluations.due_reminders(
            session, now=services.clock.now(), zone=services.settings.zone
        )
    if reminded:
        log.info("evaluations: %d reminded", reminded)


# Overdue requests are looked for at most this often (a repeat the same day is
# ignored by the outbox anyway).
ESCALATION_EVERY = timedelta(minutes=10)


@router.tick("escalation", first=True)
async def escalate_overdue(services: Services) -> None:
    """Requests unclaimed too long, or not matched by their date: named in the
    channel under their card, once a day, in working hours."""
    now = services.clock.now()
    last = services.job_runs.get("escalation")
    if last is not None and timedelta(0) <= now - last < ESCALATION_EVERY:
        return
    services.job_runs["escalation"] = now
    async with services.db.transaction() as session:
        named = await escalation.escalate(
            session,
            now=now,
            zone=services.settings.zone,
            stale_days=services.settings.stale_claim_days,
        )
    if named:
        log.info("escalation: %d overdue requests named in the channel", named)


@router.tick("outbox")
async def drain_outbox(services: Services) -> None:
    await services.outbox.drain()


@router.cron("weekly_digest", lambda settings: settings.digest_cron)
async def weekly_digest(services: Services) -> None:
    """Before the weekly distribution meeting: what is unclaimed or stale."""
    await enqueue_weekly_digest(services)


@router.cron("housekeeping", lambda settings: EVERY_NIGHT)
async def housekeeping(services: Services) -> None:
    """Abandoned dialogs and finished messages, after their fixed short time."""
    async with services.db.transaction() as session:
        result = await privacy.purge_short_lived(session, now=services.clock.now())
        attempts = await orders.forget_attempts(session, now=services.clock.now())
    log.info(
        "housekeeping: %d dialog states, %d outbox rows deleted, %d channel lists removed, "
        "%d order-form attempts forgotten",
        result.dialog_states,
        result.outbox_rows,
        result.posted_cards,
        attempts,
    )


@router.cron("retention_purge", lambda settings: RETENTION_PURGE_AT if settings.retention else None)
async def retention_purge(services: Services) -> None:
    """Personal data of requests closed longer ago than `MEDVIRK_RETENTION`."""
    age = privacy.parse_age(services.settings.retention)
    now = services.clock.now()
    async with services.db.transaction() as session:
        result = await privacy.purge(session, older_than=age, now=now)
    mails = await purge_mail(_mail_folder(services), before=now - age)
    log.info(
        "retention: %d requests, %d deliveries, %d payees, %d mails purged",
        result.requests,
        result.deliveries,
        result.payees,
        mails,
    )


@router.cron("participant_retention", lambda settings: EVERY_NIGHT)
async def participant_retention(services: Services) -> None:
    """Participants who never consented, and those long inactive who did not
    answer whether to stay, are erased; the long inactive are asked."""
    now = services.clock.now()
    async with services.db.transaction() as session:
        # Invitations older than 12 months stop counting for the rotation.
        await matching.recount_rotation(session, now=now)
        result = await erasure.retention(
            session,
            now=now,
            inactive_for=privacy.parse_age(services.settings.participant_retention),
            payroll_email=services.settings.payroll_email,
        )
        await invitations.refresh_requests(session, list(result.requests), now=now)
    await forget_mail(_mail_folder(services), result.addresses)
    # The recount rewrote every row: the planner's figures anew.
    await services.db.analyze("participants")
    log.info(
        "participants: %d never consented and %d silent erased, %d asked whether to stay",
        result.erased_pending,
        result.erased_silent,
        result.asked,
    )
