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
from storage.domain.fees import Rounding, counted_hours


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
    # The fee rules kept with the claim (defaults: the rules before they were kept).
    rounding: str = Rounding.QUARTER_UP.value
    min_in_person_hundredths: int | None = None
    travel_cheapest: bool = False
    lost_earnings_documented: bool = False
    lost_earnings_day_max_ore: int | None = None
    in_person: bool = False
    lost_earnings_nok: int = 0
    lost_earnings_ore: int = 0
    fee_declined: bool = False
    # A day at a gathering attended in person: the participant gives their
    # travel costs as they confirm (there is no requester to give them).
    asks_travel: bool = False

    @property
    def hours_fee_ore(self) -> int:
        # Quarters × hourly ÷ 4, to the øre (half up), as storage.domain.fees computes it.
        return (self.counted_quarters * self.hourly_ore * 2 + 4) // 8

    @property
    def meetings_fee_ore(self) -> int:
        return self.meetings * self.per_meeting_ore

    @property
    def declined_ore(self) -> int:
        """The fee the participant declined (0 when they did not)."""
        if not self.fee_declined:
            return 0
        return self.hours_fee_ore + self.meetings_fee_ore - self.capped_ore

    @property
    def minimum_applied(self) -> bool:
        """The in-person minimum, not the rounding, gave the counted hours."""
        if not self.in_person or self.min_in_person_hundredths is None:
            return False
        rounded = counted_hours(Decimal(self.hours_hundredths) / 100, Rounding(self.rounding))
        return self.counted_quarters * 25 > rounded * 100


def _count_rule(locale: str, view: ClaimView) -> str:
    if view.minimum_applied:
        minimum = hours_text(locale, view.min_in_person_hundredths or 0)
        return t(locale, "claim.rounding.minimum", hours=minimum)
    return t(locale, f"claim.rounding.{view.rounding}")


def claim_facts(locale: str, view: ClaimView) -> list[tuple[str, str]]:
    """The claim's figures, line by line, with the fee computed from them."""
    hours = hours_text(locale, view.hours_hundredths)
    counted = hours_text(locale, view.counted_quarters * 25)
    facts = [
        (t(locale, "claim.field.participant"), view.participant_name),
        (t(locale, "claim.field.meetings"), str(view.meetings)),
    ]
    if view.in_person or view.min_in_person_hundredths is not None:
        facts.append(
            (
                t(locale, "claim.field.in_person"),
                t(locale, "claim.yes" if view.in_person else "claim.no"),
            )
        )
    facts += [
        (
            t(locale, "claim.field.hours"),
            hours
            if hours == counted
            else t(
                locale,
                "claim.hours_counted",
                given=hours,
                counted=counted,
                rule=_count_rule(locale, view),
            ),
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
    if view.fee_declined:
        facts.append((t(locale, "claim.line.declined"), kroner(locale, -view.declined_ore)))
    travel = "claim.line.travel_cheapest" if view.travel_cheapest else "claim.line.travel"
    facts += [
        (t(locale, "claim.line.fee"), kroner(locale, view.fee_ore)),
        (t(locale, travel), kroner(locale, view.travel_nok * 100)),
    ]
    if view.lost_earnings_documented or view.lost_earnings_nok:
        claimed = view.lost_earnings_nok * 100
        label = (
            t(
                locale,
                "claim.line.lost_earnings_capped",
                claimed=kroner(locale, claimed),
                day_max=kroner(locale, view.lost_earnings_day_max_ore or 0),
            )
            if view.lost_earnings_ore < claimed
            else t(locale, "claim.line.lost_earnings")
        )
        facts.append((label, kroner(locale, view.lost_earnings_ore)))
    facts.append((t(locale, "claim.line.total"), kroner(locale, view.total_ore)))
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


def _toggle(name: str, title: str, value: Any) -> dict[str, Any]:
    return {
        "type": "Input.Toggle",
        "id": name,
        "title": title,
        "valueOn": "true",
        "valueOff": "false",
        "value": "true" if value in (True, "true") else "false",
    }


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
    ask_in_person: bool = False,
    ask_lost_earnings: bool = False,
) -> dict[str, Any]:
    """To the requester when the request is completed: one participant's
    meetings, hours and travel costs, whether they attended in person (when
    the rates have an in-person minimum), their documented lost earnings (when
    the rates reimburse them), and whether they decline the fee. Once filed it
    shows the computed fee; it can be corrected until the participant has
    confirmed."""
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
    if ask_in_person:
        body.append(
            _toggle(
                "in_person",
                t(locale, "claim.field.in_person_input"),
                values.get("in_person", filed.in_person if filed else False),
            )
        )
    if ask_lost_earnings:
        body.append(
            _number(
                "lost_earnings_nok",
                t(locale, "claim.field.lost_earnings"),
                values.get("lost_earnings_nok", filed.lost_earnings_nok if filed else None),
                100_000,
                required=False,
                error=t(locale, "claim.error.lost_earnings_nok"),
            )
        )
    body.append(
        _toggle(
            "fee_declined",
            t(locale, "claim.field.declined_input"),
            values.get("fee_declined", filed.fee_declined if filed else False),
        )
    )
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
        if view.asks_travel:
            body.append(
                _number(
                    "travel_nok",
                    t(locale, "claim.field.travel_own"),
                    view.travel_nok or None,
                    100_000,
                    required=False,
                    error=t(locale, "claim.error.travel_nok"),
                )
            )
        body.append(
            _toggle("fee_declined", t(locale, "claim.field.decline_own"), view.fee_declined)
        )
        actions.append(
            {
                "type": "Action.Execute",
                "title": t(locale, "claim.confirm.button"),
                "verb": "confirm_claim",
                "data": {"claim_id": view.claim_id, "revision": view.revision},
                "associatedInputs": "auto",
                "style": "positive",
            }
        )
    else:
        body.append(text_block(t(locale, f"claim.status.{view.status}"), weight="Bolder"))
    return card(body, actions)
