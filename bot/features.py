"""The features of the bot, merged into the one router `create_app` serves."""

from __future__ import annotations

from bot import basics, jobs, order
from bot.channel import actions, commands, notices, report, requester
from bot.participants import answers as invitation_answers
from bot.participants import claims as fee_claims
from bot.participants import documents as participant_documents
from bot.participants import evaluation, pool, suggest
from bot.participants import pages as participant_pages
from bot.participants import posted as posted_cards
from bot.participants import sending as participant_sending
from bot.reminders import admin, answers, calendar, mail, sending, subscriptions
from bot.router import Router

FEATURES: tuple[Router, ...] = (
    basics.router,
    order.router,
    commands.router,
    actions.router,
    notices.router,
    requester.router,
    report.router,
    subscriptions.router,
    admin.router,
    answers.router,
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
