"""What reminders are about and who they go to."""

from __future__ import annotations

GROUPS: tuple[str, ...] = ("contacts", "participants", "youth", "employees")
# Each desk has these groups of its own. A contact's subscription names the
# desk's code before the group (`alrek:contacts`); the desk `default`'s are the
# groups' plain names, as they were before desks.
DEFAULT_DESK = "default"


def qualified(group: str, desk_code: str) -> str:
    """A desk's group as a subscription names it."""
    return group if desk_code == DEFAULT_DESK else f"{desk_code}:{group}"


def desk_of(subscription: str) -> tuple[str, str]:
    """(desk code, group) of a subscription."""
    code, _, group = subscription.rpartition(":")
    return (code or DEFAULT_DESK), group


GATHERING, SURVEY = "gathering", "survey"
BEFORE_START, BEFORE_REGISTER, BEFORE_CLOSE = "start", "register", "close"


class ReminderInputError(ValueError):
    """Bad admin input (CLI or form). The message names the field."""
