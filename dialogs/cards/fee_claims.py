"""The fee claim's cards: the requester's form (`confirm_participation`) and the
participant's confirmation (`confirm_claim`), and the figures both show (the
page, the e-mail and the PDF show the same `claim_facts`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dialogs.cards import card, escape_markdown, said, text_block
from dialogs.i18n import t
from storage.domain.fee_claims import ClaimStatus


def kroner(locale: str, ore: int) -> str:
    """An amount as the locale writes it: 1 234,50 kr (nb, nn) or NOK 1,234.50 (en)."""
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    if locale == "en":
        return f"{sign}NOK {whole:,}.{cents:02d}"
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{cents:02d}\u00a0kr"


def hours_text(locale: str, hundredths: int) -> str:
    text = f"{Decimal(hundredths) / 100:.2f}".rstrip("0").rstrip(".")
    return text if locale == "en" else text.replace(".", ",")


@dataclass(frozen=True)
class ClaimView:
    claim_id: int
    revision: int
    status: str
    reference: str
    title: str
    participant_name: str
    meetings: int
    hours_hundredths: int
    counted_quarters: int
    travel_nok: int
    hourly_ore: int
    per_meeting_ore: int
    day_max_ore: int | None
    fee_ore: int
    capped_ore: int
    total_ore: int
    rates_name: str
    rates_example: bool

    @property
    def hours_fee_ore(self) -> int:
        # Quarters × hourly ÷ 4, to the øre (half up), as storage.domain.fees computes it.
        return (self.counted_quarters * self.hourly_ore * 2 + 4) // 8

    @property
    def meetings_fee_ore(self) -> int:
        return self.meetings * self.per_meeting_ore


def claim_facts(locale: str, view: ClaimView) -> list[tuple[str, str]]:
    """The claim's figures, line by line, with the fee computed from them."""
    hours = hours_text(locale, view.hours_hundredths)
    counted = hours_text(locale, view.counted_quarters * 25)
    facts = [
        (t(locale, "claim.field.participant"), view.participant_name),
        (t(locale, "claim.field.meetings"), str(view.meetings)),
        (
            t(locale, "claim.field.hours"),
            hours
            if hours == counted
            else t(locale, "claim.hours_counted", given=hours, counted=counted),
        ),
        (
            t(locale, "claim.line.hours", hours=counted, rate=kroner(locale, view.hourly_ore)),
            kroner(locale, view.hours_fee_ore),
        ),
    ]
    if view.per_meeting_ore:
        facts.append(
            (
                t(
                    locale,
                    "claim.line.meetings",
                    meetings=view.meetings,
                    rate=kroner(locale, view.per_meeting_ore),
                ),
                kroner(locale, view.meetings_fee_ore),
            )
        )
    if view.capped_ore:
        facts.append(
            (
                t(locale, "claim.line.capped", day_max=kroner(locale, view.day_max_ore or 0)),
                kroner(locale, -view.capped_ore),
            )
        )
    facts += [
        (t(locale, "claim.line.fee"), kroner(locale, view.fee_ore)),
        (t(locale, "claim.line.travel"), kroner(locale, view.travel_nok * 100)),
        (t(locale, "claim.line.total"), kroner(locale, view.total_ore)),
    ]
    return facts


def _facts_block(facts: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "FactSet",
        "facts": [{"title": label, "value": escape_markdown(value)} for label, value in facts],
    }


def _number(name: str, label: str, value: Any, top: int, *, required: bool, error: str) -> dict:
    field: dict[str, Any] = {
        "type": "Input.Number",
        "id": name,
        "label": label,
        "min": 0,
        "max": top,
        "isRequired": required,
        "errorMessage": error,
    }
    if isinstance(value, int | float) and not isinstance(value, bool):
        field["value"] = value
    return field


def claim_form_card(
    locale: str,
    *,
    request_id: int,
    participant_id: int,
    reference: str,
    title: str,
    participant_name: str,
    rates_name: str,
    values: dict[str, Any] | None = None,
    filed: ClaimView | None = None,
    notice: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """To the requester when the request is completed: one participant's
    meetings, hours and travel costs. Once filed it shows the computed fee;
    it can be corrected until the participant has confirmed."""
    body = said(error=error, notice=notice)
    body += [
        text_block(
            t(
                locale,
                "claim.form.title",
                reference=reference,
                name=escape_markdown(participant_name),
            ),
            weight="Bolder",
            size="Medium",
        ),
        text_block(escape_markdown(title), isSubtle=True),
    ]
    if filed is not None:
        body.append(_facts_block(claim_facts(locale, filed)))
        if filed.rates_example:
            body.append(text_block(t(locale, "claim.example_rates"), color="Warning"))
    if filed is not None and filed.status != ClaimStatus.DRAFT:
        body.append(text_block(t(locale, f"claim.status.{filed.status}")))
        return card(body, [])
    values = values or {}
    body += [
        text_block(t(locale, "claim.form.intro", rates=escape_markdown(rates_name))),
        _number(
            "meetings",
            t(locale, "claim.field.meetings"),
            values.get("meetings", filed.meetings if filed else None),
            100,
            required=True,
            error=t(locale, "claim.error.meetings"),
        ),
        _number(
            "hours",
            t(locale, "claim.field.hours_input"),
            values.get("hours", filed.hours_hundredths / 100 if filed else None),
            500,
            required=True,
            error=t(locale, "claim.error.hours"),
        ),
        _number(
            "travel_nok",
            t(locale, "claim.field.travel"),
            values.get("travel_nok", filed.travel_nok if filed else None),
            100_000,
            required=False,
            error=t(locale, "claim.error.travel_nok"),
        ),
    ]
    actions = [
        {
            "type": "Action.Execute",
            "title": t(locale, "claim.form.correct" if filed else "claim.form.send"),
            "verb": "confirm_participation",
            "data": {"request_id": request_id, "participant_id": participant_id},
            "associatedInputs": "auto",
            "style": "positive",
        }
    ]
    return card(body, actions)


def claim_confirm_card(
    locale: str, view: ClaimView, *, notice: str | None = None, error: str | None = None
) -> dict[str, Any]:
    """In the participant's Teams chat: the figures to confirm (`confirm_claim`)."""
    body = said(error=error, notice=notice)
    body += [
        text_block(
            t(locale, "claim.confirm.title", title=escape_markdown(view.title)),
            weight="Bolder",
            size="Medium",
        ),
        text_block(t(locale, "claim.confirm.intro")),
        _facts_block(claim_facts(locale, view)),
        text_block(t(locale, "claim.payroll_collects"), isSubtle=True),
    ]
    actions: list[dict[str, Any]] = []
    if view.status == ClaimStatus.DRAFT:
        actions.append(
            {
                "type": "Action.Execute",
                "title": t(locale, "claim.confirm.button"),
                "verb": "confirm_claim",
                "data": {"claim_id": view.claim_id, "revision": view.revision},
                "style": "positive",
            }
        )
    else:
        body.append(text_block(t(locale, f"claim.status.{view.status}"), weight="Bolder"))
    return card(body, actions)
