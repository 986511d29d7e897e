"""The order dialog: one question at a time, a summary to confirm or edit, a receipt.

`OrderDialog` is one waterfall of named steps that loops over the fields still
to ask; `FieldPrompt` asks one field and accepts either its card's submit or a
typed answer. Dialog state holds only JSON values (dates as ISO strings).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    Dialog,
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Attachment

from dialogs.cards.order import UNIT_OTHER, question_card, receipt_card, summary_card
from dialogs.commands import normalise
from dialogs.i18n import LOCALES, resolve_locale, t
from dialogs.refusals import refusal_text
from storage.domain.clock import Clock
from storage.domain.fields import (
    FIELD_NAMES,
    FIELDS,
    FIELDS_BY_NAME,
    Kind,
    dependent_fields,
    validate,
    validate_all,
)
from storage.domain.refusal import Refused
from storage.units import OTHER

log = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
ORDER_DIALOG = "order"
FIELD_PROMPT = "order.field"
SUMMARY_PROMPT = "order.summary"

_YES = frozenset({"ja", "j", "yes", "y", "true", "jepp", "ok"})
_NO = frozenset({"nei", "n", "no", "false"})
_SKIP = frozenset({"hopp over", "skip", "-", "ingen", "none", "nei", "no"})
_CONFIRM = frozenset({"send", "send inn", "bekreft", "stadfest", "confirm", "ok", "ja", "yes"})


def _choice_lookup() -> dict[str, dict[str, str]]:
    """For each choice field: every accepted typed form -> code (built once)."""
    table: dict[str, dict[str, str]] = {}
    for spec in FIELDS:
        if spec.kind is not Kind.CHOICE:
            continue
        forms: dict[str, str] = {}
        for number, code in enumerate(spec.choices, start=1):
            forms[str(number)] = code
            forms[code.casefold()] = code
            forms[code.replace("_", " ").casefold()] = code
            for locale in LOCALES:
                forms[normalise(t(locale, f"choice.{spec.name}.{code}"))] = code
        table[spec.name] = forms
    return table


CHOICES_TYPED = _choice_lookup()
_SKIPPED = object()


def typed_answer(field: str, text: str) -> Any:
    """What typed text means for this field, before the field's own rules."""
    spec = FIELDS_BY_NAME[field]
    said = normalise(text)
    if not spec.required and said in _SKIP:
        return _SKIPPED
    if spec.kind is Kind.CHOICE:
        code = CHOICES_TYPED[field].get(said.rstrip("."))
        if code is None:
            raise Refused("error.field.choice")
        return code
    if spec.kind is Kind.BOOLEAN:
        if said in _YES:
            return True
        if said in _NO:
            return False
        raise Refused("error.honorarium_ack")
    return text


def card_answer(field: str, value: dict[str, Any]) -> Any:
    """The answer a card submit carries for this field."""
    if value.get("action") == "skip" and not FIELDS_BY_NAME[field].required:
        return _SKIPPED
    raw = value.get(field)
    if FIELDS_BY_NAME[field].kind is Kind.BOOLEAN:
        return raw is True or (isinstance(raw, str) and raw.lower() == "true")
    return raw


@dataclass(frozen=True)
class UnitChoice:
    """A unit of the register as the dialog offers it."""

    code: str
    names: dict[str, str]  # by locale; "nb" always

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names["nb"]


class UnitLookup(Protocol):
    """The register of units, as the bot layer reads it for the dialog."""

    async def offered(self) -> list[UnitChoice]:
        """The first units offered (empty: no register, the unit is free text)."""
        ...

    async def find(self, text: str) -> UnitChoice | None:
        """The unit offered whose code or name in any language `text` is."""
        ...


class NoUnits:
    """No register: the unit is asked in free text."""

    async def offered(self) -> list[UnitChoice]:
        return []

    async def find(self, text: str) -> UnitChoice | None:
        return None


# Typed before a unit's name not in the register ("annen: Kommunen").
_OTHER_WORDS = ("annen", "anna", "annet", "other")


def _typed_other(text: str) -> str | None:
    head, colon, rest = text.partition(":")
    if colon and normalise(head) in _OTHER_WORDS and rest.strip():
        return rest
    return None


async def unit_answer(
    units: UnitLookup, locale: str, value: dict[str, Any] | None, text: str
) -> tuple[Any, str | None]:
    """The unit's answer (a name, before the text rules) and its register code:
    a unit of the register by the card's choice or its typed code or name, or
    `other` with its name. Refused when neither."""
    if value is not None:
        choice = value.get("unit")
        if choice == OTHER:
            return value.get(UNIT_OTHER), None
        said = choice if isinstance(choice, str) else ""
    else:
        other = _typed_other(text)
        if other is not None:
            return other, None
        said = text
    if not said.strip():
        raise Refused("error.field.required")
    unit = await units.find(said)
    if unit is None:
        raise Refused("units.error.not_in_register")
    return unit.name(locale), unit.code


def _send_card(card: dict[str, Any]) -> Any:
    return MessageFactory.attachment(Attachment(content_type=ADAPTIVE_CARD, content=card))


class FieldPrompt(Dialog):
    """Ask one field until a valid answer comes; return it (None when skipped)."""

    def __init__(
        self,
        *,
        today: Callable[[], date],
        links: Callable[[], dict[str, str]],
        units: UnitLookup,
    ) -> None:
        super().__init__(FIELD_PROMPT)
        self._today = today
        self._links = links
        self._units = units

    async def begin_dialog(self, dc: DialogContext, options: Any = None) -> DialogTurnResult:
        state = dc.active_dialog.state
        state["field"] = options["field"]
        state["answers"] = options.get("answers", {})
        await self._ask(dc.context, state)
        return Dialog.end_of_turn

    async def continue_dialog(self, dc: DialogContext) -> DialogTurnResult:
        state = dc.active_dialog.state
        field, answers = state["field"], state["answers"]
        locale = resolve_locale(dc.context.activity.locale)
        activity = dc.context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        extra: dict[str, Any] = {}
        try:
            if value is not None and (
                value.get("field") != field or value.get("action") not in ("answer", "skip")
            ):
                await dc.context.send_activity(t(locale, "order.stale_card"))
                await self._ask(dc.context, state)
                return Dialog.end_of_turn
            if field == "unit" and await self._units.offered():
                raw, extra["unit_code"] = await unit_answer(
                    self._units, locale, value, activity.text or ""
                )
            elif value is not None:
                raw = card_answer(field, value)
            else:
                raw = typed_answer(field, activity.text or "")
            if field == "unit":
                extra.setdefault("unit_code", None)
            if raw is _SKIPPED:
                return await dc.end_dialog({"field": field, "value": None})
            answer = validate(field, raw, today=self._today(), answers=answers)
        except Refused as error:
            # Never echo or log the input: it may hold an identity number.
            log.info("order: answer to %s refused (%s)", field, error.key)
            await dc.context.send_activity(refusal_text(locale, error))
            await self._ask(dc.context, state)
            return Dialog.end_of_turn
        return await dc.end_dialog({"field": field, "value": answer, "extra": extra})

    async def reprompt_dialog(self, context: TurnContext, instance: Any) -> None:
        await self._ask(context, instance.state)

    async def _ask(self, context: TurnContext, state: dict[str, Any]) -> None:
        locale = resolve_locale(context.activity.locale)
        field, answers = state["field"], state["answers"]
        current = answers.get(field)
        offered = await self._units.offered() if field == "unit" else []
        units = None
        if offered:
            units = [(u.code, u.name(locale)) for u in offered]
            # A unit from outside the register is asked again as `other`.
            if current and not answers.get("unit_code"):
                current = {"code": OTHER, "other": current}
            elif current:
                current = {"code": answers["unit_code"]}
        card = question_card(locale, field, current=current, links=self._links(), units=units)
        await context.send_activity(_send_card(card))


class SummaryPrompt(Dialog):
    """Show the summary; return {"action": "confirm"} or {"action": "edit", "field": f}."""

    def __init__(self) -> None:
        super().__init__(SUMMARY_PROMPT)

    async def begin_dialog(self, dc: DialogContext, options: Any = None) -> DialogTurnResult:
        dc.active_dialog.state["answers"] = options["answers"]
        await self._show(dc.context, options["answers"])
        return Dialog.end_of_turn

    async def continue_dialog(self, dc: DialogContext) -> DialogTurnResult:
        activity = dc.context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        if value is not None:
            action = value.get("action")
            if action == "confirm":
                return await dc.end_dialog({"action": "confirm"})
            if action == "edit" and value.get("field") in FIELD_NAMES:
                return await dc.end_dialog({"action": "edit", "field": value["field"]})
        elif normalise(activity.text or "") in _CONFIRM:
            return await dc.end_dialog({"action": "confirm"})
        locale = resolve_locale(activity.locale)
        await dc.context.send_activity(t(locale, "order.summary.not_understood"))
        await self._show(dc.context, dc.active_dialog.state["answers"])
        return Dialog.end_of_turn

    async def reprompt_dialog(self, context: TurnContext, instance: Any) -> None:
        await self._show(context, instance.state["answers"])

    async def _show(self, context: TurnContext, answers: dict[str, Any]) -> None:
        locale = resolve_locale(context.activity.locale)
        await context.send_activity(_send_card(summary_card(locale, answers)))


# Stores a confirmed request; returns its reference. Given by the bot layer.
# The key is the dialog instance's: a second confirm of it stores nothing new.
Submitter = Callable[[TurnContext, dict[str, Any], str], Awaitable[str]]


class OrderDialog(ComponentDialog):
    """Waterfall: ask_field → store_field (loops) → show_summary → finish."""

    def __init__(
        self,
        *,
        clock: Clock,
        zone: ZoneInfo,
        links: Callable[[], dict[str, str]],
        submit: Submitter,
        units: UnitLookup | None = None,
    ) -> None:
        super().__init__(ORDER_DIALOG)
        self._clock = clock
        self._zone = zone
        self._links = links
        self._submit = submit
        self.add_dialog(
            WaterfallDialog(
                "order.steps",
                [self.ask_field, self.store_field, self.show_summary, self.finish],
            )
        )
        self.add_dialog(FieldPrompt(today=self.today, links=links, units=units or NoUnits()))
        self.add_dialog(SummaryPrompt())
        self.initial_dialog_id = "order.steps"

    def today(self) -> date:
        return datetime.fromtimestamp(self._clock.now().timestamp(), self._zone).date()

    @staticmethod
    def start_options() -> dict[str, Any]:
        return {"answers": {}, "pending": list(FIELD_NAMES), "submission": uuid.uuid4().hex}

    async def ask_field(self, step: WaterfallStepContext) -> DialogTurnResult:
        options = step.options
        if not options["pending"]:
            return await step.next(None)
        field = options["pending"][0]
        return await step.begin_dialog(
            FIELD_PROMPT, {"field": field, "answers": options["answers"]}
        )

    async def store_field(self, step: WaterfallStepContext) -> DialogTurnResult:
        options = step.options
        result = step.result
        if result is None:  # nothing was pending: on to the summary
            return await step.next(None)
        field = result["field"]
        answers = dict(options["answers"])
        answers[field] = result["value"]
        answers.update(result.get("extra") or {})
        pending = [f for f in options["pending"] if f != field]
        if options.get("editing"):
            # An edit can break a later rule (a new start date vs. the deadline).
            for dependent in dependent_fields(field):
                if answers.get(dependent) is None or dependent in pending:
                    continue
                try:
                    validate(dependent, answers[dependent], today=self.today(), answers=answers)
                except Refused:
                    pending.append(dependent)
        return await step.replace_dialog(
            "order.steps", {**options, "answers": answers, "pending": pending}
        )

    async def show_summary(self, step: WaterfallStepContext) -> DialogTurnResult:
        return await step.begin_dialog(SUMMARY_PROMPT, {"answers": step.options["answers"]})

    async def finish(self, step: WaterfallStepContext) -> DialogTurnResult:
        options = step.options
        locale = resolve_locale(step.context.activity.locale)
        if step.result["action"] == "edit":
            return await step.replace_dialog(
                "order.steps", {**options, "pending": [step.result["field"]], "editing": True}
            )
        try:
            answers = validate_all(options["answers"], today=self.today())
            # Not a field: the register's unit the `unit` answer names, if any.
            answers["unit_code"] = options["answers"].get("unit_code")
        except Refused:
            # Days may have passed since the answers were given: ask again what broke.
            broken = self._broken_fields(options["answers"])
            await step.context.send_activity(t(locale, "order.changed_meanwhile"))
            return await step.replace_dialog(
                "order.steps", {**options, "pending": broken, "editing": True}
            )
        # A dialog begun before submission keys existed gets one now.
        submission = options.get("submission") or uuid.uuid4().hex
        reference = await self._submit(step.context, answers, submission)
        await step.context.send_activity(
            _send_card(receipt_card(locale, reference, answers["title"], self._links()))
        )
        return await step.end_dialog(reference)

    def _broken_fields(self, answers: dict[str, Any]) -> list[str]:
        broken: list[str] = []
        checked: dict[str, Any] = {}
        for spec in FIELDS:
            try:
                checked[spec.name] = validate(
                    spec.name, answers.get(spec.name), today=self.today(), answers=checked
                )
            except Refused:
                broken.append(spec.name)
                checked[spec.name] = answers.get(spec.name)
        return broken
