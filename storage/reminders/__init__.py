"""Contacts, subscriptions, gatherings, surveys and the reminders they plan.

The database is the source of truth: a gathering plans one `Reminder` row per
offset (`subjects`); when one falls due, `rounds.plan_due` writes one
`Delivery` per recipient and its outbox row. Admin input is parsed in
`parsing`; contacts and their groups live in `contacts`; what they answered in
`answers`.
"""

from storage.reminders.answers import Counts, counts, has_answered, record_answered, record_rsvp
from storage.reminders.contacts import find_contact, forget_contact, mark_inactive, upsert_contact
from storage.reminders.kinds import (
    BEFORE_CLOSE,
    BEFORE_REGISTER,
    BEFORE_START,
    GATHERING,
    GROUPS,
    SURVEY,
    ReminderInputError,
)
from storage.reminders.parsing import Offset, due_time, parse_groups, parse_offsets, parse_time
from storage.reminders.reports import RoundReport, resend, round_reports
from storage.reminders.rounds import plan_due
from storage.reminders.subjects import (
    add_gathering,
    add_survey,
    cancel_gathering,
    cancel_survey,
    reopen,
)

__all__ = [
    "BEFORE_CLOSE",
    "BEFORE_REGISTER",
    "BEFORE_START",
    "GATHERING",
    "GROUPS",
    "SURVEY",
    "Counts",
    "Offset",
    "ReminderInputError",
    "RoundReport",
    "add_gathering",
    "add_survey",
    "cancel_gathering",
    "cancel_survey",
    "counts",
    "due_time",
    "find_contact",
    "forget_contact",
    "has_answered",
    "mark_inactive",
    "parse_groups",
    "parse_offsets",
    "parse_time",
    "plan_due",
    "record_answered",
    "record_rsvp",
    "reopen",
    "resend",
    "round_reports",
    "upsert_contact",
]
