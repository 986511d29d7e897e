"""What reminders are about and who they go to."""

from __future__ import annotations

GROUPS: tuple[str, ...] = ("contacts", "participants", "youth", "employees")
GATHERING, SURVEY = "gathering", "survey"
BEFORE_START, BEFORE_REGISTER, BEFORE_CLOSE = "start", "register", "close"


class ReminderInputError(ValueError):
    """Bad admin input (CLI or form). The message names the field."""
