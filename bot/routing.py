"""The features of the bot, merged into the one router `create_app` serves."""

from __future__ import annotations

from bot import jobs
from bot.features import basics, fee_claims, sms
from bot.features import evaluations as evaluation
from bot.features.invitations import answers as invitation_answers
from bot.features.invitations import documents as participant_documents
from bot.features.invitations import pages as participant_pages
from bot.features.invitations import sending as participant_sending
from bot.features.pool import posted as posted_cards
from bot.features.pool import register as pool
from bot.features.pool import suggest
from bot.features.reminders import (
    admin,
    answers,
    attendance,
    calendar,
    gathering_evaluation,
    mail,
    open_registration,
    sending,
    subscriptions,
)
from bot.features.reminders import registrations as gathering_registrations
from bot.features.reports import report
from bot.features.requests import actions, commands, notices, order, requester, units, web_order
from bot.framework.router import Router

FEATURES: tuple[Router, ...] = (
    basics.router,
    order.router,
    commands.router,
    actions.router,
    notices.router,
    requester.router,
    units.router,
    web_order.router,
    report.router,
    subscriptions.router,
    admin.router,
    answers.router,
    gathering_registrations.router,
    attendance.router,
    open_registration.router,
    gathering_evaluation.router,
    sending.router,
    mail.router,
    calendar.router,
    pool.router,
    suggest.router,
    invitation_answers.router,
    participant_documents.router,
    fee_claims.router,
    evaluation.router,
    participant_pages.router,
    participant_sending.router,
    posted_cards.router,
    sms.router,
    jobs.router,
)


def build_router() -> Router:
    """One router of every feature; refuses a command nothing answers."""
    router = Router()
    for feature in FEATURES:
        router.include(feature)
    missing = router.missing_commands()
    if missing:
        raise RuntimeError(f"commands without a handler: {', '.join(missing)}")
    return router
