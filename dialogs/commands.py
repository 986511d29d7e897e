"""The commands the bot understands: one table for routing, help and the manifest.

Matching is on the whole message (after removing an @mention), case-insensitive,
never by substring, so "cancel my order for..." is not the `cancel` command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    PERSONAL = "personal"
    TEAM = "team"


@dataclass(frozen=True)
class Command:
    name: str
    scope: Scope
    # Words per locale; nynorsk uses the bokmål words in channels.
    words: dict[str, str]
    # Catalog key of the one-line description (help and manifest).
    description_key: str
    # True if the command takes an argument after its words (e.g. a year).
    takes_argument: bool = False
    admin_only: bool = False


COMMANDS: tuple[Command, ...] = (
    Command(
        "order", Scope.PERSONAL, {"nb": "bestill", "nn": "bestill", "en": "order"}, "cmd.order"
    ),
    Command(
        "my_requests", Scope.PERSONAL, {"nb": "mine", "nn": "mine", "en": "my requests"}, "cmd.mine"
    ),
    Command(
        "cancel", Scope.PERSONAL, {"nb": "avbryt", "nn": "avbryt", "en": "cancel"}, "cmd.cancel"
    ),
    Command("help", Scope.PERSONAL, {"nb": "hjelp", "nn": "hjelp", "en": "help"}, "cmd.help"),
    Command(
        "subscribe",
        Scope.PERSONAL,
        {"nb": "abonner", "nn": "abonner", "en": "subscribe"},
        "cmd.subscribe",
    ),
    Command(
        "unsubscribe",
        Scope.PERSONAL,
        {"nb": "avslutt abonnement", "nn": "avslutt abonnement", "en": "unsubscribe"},
        "cmd.unsubscribe",
    ),
    Command(
        "new_gathering",
        Scope.PERSONAL,
        {"nb": "ny samling", "nn": "ny samling", "en": "new gathering"},
        "cmd.new_gathering",
        admin_only=True,
    ),
    Command(
        "new_survey",
        Scope.PERSONAL,
        {"nb": "ny undersøkelse", "nn": "ny undersøking", "en": "new survey"},
        "cmd.new_survey",
        admin_only=True,
    ),
    Command(
        "attendance",
        Scope.PERSONAL,
        {"nb": "oppmøte", "nn": "oppmøte", "en": "attendance"},
        "cmd.attendance",
        admin_only=True,
        takes_argument=True,
    ),
    Command(
        "deliveries",
        Scope.PERSONAL,
        {"nb": "leveranser", "nn": "leveransar", "en": "deliveries"},
        "cmd.deliveries",
        admin_only=True,
    ),
    Command(
        "register_channel",
        Scope.TEAM,
        {"nb": "registrer kanal", "nn": "registrer kanal", "en": "register channel"},
        "cmd.register_channel",
        takes_argument=True,
        admin_only=True,
    ),
    Command(
        "overview",
        Scope.TEAM,
        {"nb": "oversikt", "nn": "oversikt", "en": "overview"},
        "cmd.overview",
    ),
    Command(
        "statistics",
        Scope.TEAM,
        {"nb": "statistikk", "nn": "statistikk", "en": "statistics"},
        "cmd.statistics",
        takes_argument=True,
    ),
    Command(
        "new_participant",
        Scope.TEAM,
        {"nb": "ny brukermedvirker", "nn": "ny brukermedvirker", "en": "new participant"},
        "cmd.new_participant",
    ),
    Command(
        "participants",
        Scope.TEAM,
        {"nb": "brukermedvirkere", "nn": "brukermedvirkere", "en": "participants"},
        "cmd.participants",
        takes_argument=True,
    ),
    Command("help", Scope.TEAM, {"nb": "hjelp", "nn": "hjelp", "en": "help"}, "cmd.help"),
)


@dataclass(frozen=True)
class Match:
    command: Command
    argument: str


_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip().strip(".!?").strip().casefold()


def match_command(text: str, scope: Scope) -> Match | None:
    """The command the whole text names in this scope, in any language, or None."""
    said = normalise(text)
    if not said:
        return None
    for command in COMMANDS:
        if command.scope is not scope:
            continue
        for word in set(command.words.values()):
            if said == word:
                return Match(command, "")
            if command.takes_argument and said.startswith(word + " "):
                return Match(command, said[len(word) + 1 :].strip())
    return None
