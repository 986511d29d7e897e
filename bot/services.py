"""What handlers need to do their work: one typed value, built once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.features.reports.pdfs import ReportPdfs
from bot.framework.access import Access, DeskCache
from bot.framework.card_state import CardAnswers, OneAtATime
from bot.out.links import LinkMaker
from bot.out.metrics import Metrics
from bot.out.sender import OutboxSender
from bot.settings import Settings
from storage.db import Database
from storage.domain.clock import Clock


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    # Every proactive message goes through it (the scheduler's tick drains it).
    outbox: OutboxSender
    access: Access
    # The desks and their channels.
    desks: DeskCache
    # The channel card's answers, rendered once per distinct card.
    card_answers: CardAnswers
    # Moves on one request, one at a time in this process.
    moves_in_flight: OneAtATime
    # Signed links in e-mails (answer pages).
    links: LinkMaker
    # Counts and timings for GET /metrics.
    metrics: Metrics
    # When each throttled job last ran in this process (bot/jobs.py).
    job_runs: dict[str, datetime] = field(default_factory=dict)
    # The annual report's PDFs, drawn once per year, language and day.
    report_pdfs: ReportPdfs = field(default_factory=ReportPdfs)

    def sms_secret(self) -> str:
        """The key numbers are hashed with (the SMS channel's, set at start-up)."""
        sms = self.outbox.sms
        return sms.secret if sms is not None else self.settings.secret_key
