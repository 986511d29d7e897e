"""Cards of the order flow: one question per field, the summary, the receipt, my requests."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.cards import card, escape_markdown, text_block
from dialogs.i18n import t
from storage.domain.fields import FIELDS, FIELDS_BY_NAME, FieldSpec, Kind
from storage.units import OTHER

# The text input beside the register's choices, for a unit not in it.
UNIT_OTHER = "unit_other"
# The dataset the `application/search` invoke is asked for as the person types.
UNITS_DATASET = "units"


def choice_label(locale: str, field: str, code: str) -> str:
    return t(locale, f"choice.{field}.{code}")


def show_value(locale: str, field: str, value: Any) -> str:
    """An answer as people read it (escaped user text, labels, dd.mm.yyyy)."""
    spec = FIELDS_BY_NAME[field]
    if value is None or value == "":
        return t(locale, "order.none")
    if spec.kind is Kind.CHOICE:
        return choice_label(locale, field, value)
    if spec.kind is Kind.BOOLEAN:
        return t(locale, "order.yes" if value else "order.no")
    if spec.kind is Kind.DATE:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    return escape_markdown(str(value))


def _submit(title: str, data: dict[str, Any], style: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Submit", "title": title, "data": data}
    if style:
        action["style"] = style
    return action


def _input(spec: FieldSpec, locale: str, current: Any) -> dict[str, Any]:
    required_error = t(locale, "error.field.required")
    if spec.kind is Kind.CHOICE:
        element: dict[str, Any] = {
            "type": "Input.ChoiceSet",
            "id": spec.name,
            "style": "expanded",
            "choices": [
                {"title": f"{i}. {choice_label(locale, spec.name, code)}", "value": code}
                for i, code in enumerate(spec.choices, start=1)
            ],
        }
        if current:
            element["value"] = current
    elif spec.kind is Kind.INTEGER:
        element = {
            "type": "Input.Number",
            "id": spec.name,
            "min": spec.minimum,
            "max": spec.maximum,
        }
        if current is not None:
            element["value"] = current
    elif spec.kind is Kind.DATE:
        element = {"type": "Input.Date", "id": spec.name}
        if current:
            element["value"] = current
    elif spec.kind is Kind.BOOLEAN:
        element = {
            "type": "Input.Toggle",
            "id": spec.name,
            "title": t(locale, "order.toggle.honorarium_ack"),
            "valueOn": "true",
            "valueOff": "false",
            "value": "true" if current else "false",
        }
    else:
        element = {"type": "Input.Text", "id": spec.name, "maxLength": spec.max_length}
        if spec.multiline:
            element["isMultiline"] = True
        if current:
            element["value"] = str(current)
    if spec.required and spec.kind is not Kind.BOOLEAN:
        element["isRequired"] = True
        element["errorMessage"] = required_error
    return element


def _unit_inputs(
    locale: str, units: list[tuple[str, str]], current: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The register's units to choose from: searched as the person types where
    Teams can (`choices.data`, answered by the `application/search` invoke),
    the first of them where it cannot, and `other` with a text."""
    spec = FIELDS_BY_NAME["unit"]
    choice: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": "unit",
        "style": "compact",
        "placeholder": t(locale, "units.placeholder.search"),
        "choices": [{"title": title, "value": code} for code, title in units]
        + [{"title": t(locale, "units.choice.other"), "value": OTHER}],
        "choices.data": {"type": "Data.Query", "dataset": UNITS_DATASET},
        "isRequired": True,
        "errorMessage": t(locale, "error.field.required"),
    }
    other: dict[str, Any] = {
        "type": "Input.Text",
        "id": UNIT_OTHER,
        "label": t(locale, "units.label.other"),
        "maxLength": spec.max_length,
    }
    current = current or {}
    if current.get("code"):
        choice["value"] = current["code"]
    if current.get("other"):
        other["value"] = str(current["other"])
    return [choice, other]


def _hint(spec: FieldSpec) -> str | None:
    if spec.kind is Kind.DATE and spec.name != "needed_by":
        return "order.hint.date"
    if spec.kind is Kind.CHOICE:
        return "order.hint.choice"
    key = f"order.hint.{spec.name}"
    from dialogs.i18n import CATALOG

    return key if key in CATALOG else None


def question_card(
    locale: str,
    field: str,
    *,
    current: Any = None,
    links: dict[str, str] | None = None,
    units: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Ask one field. The input id is the field name; the submit button sends it.
    `units` (code, name), for the `unit` field: the register's first units, to
    choose from (none: the unit is free text)."""
    spec = FIELDS_BY_NAME[field]
    number = [f.name for f in FIELDS].index(field) + 1
    body: list[dict[str, Any]] = [
        text_block(
            t(locale, "order.progress", n=number, total=len(FIELDS)), isSubtle=True, size="Small"
        ),
        text_block(t(locale, f"order.q.{field}"), weight="Bolder", size="Medium"),
    ]
    hint = "units.hint.choose" if units else _hint(spec)
    if hint:
        body.append(text_block(t(locale, hint), isSubtle=True, spacing="None"))
    if not spec.required:
        body.append(text_block(t(locale, "order.hint.optional"), isSubtle=True, spacing="None"))
    if units:
        body.extend(_unit_inputs(locale, units, current if isinstance(current, dict) else None))
    else:
        body.append(_input(spec, locale, current))
    actions = [
        _submit(t(locale, "order.button.answer"), {"action": "answer", "field": field}, "positive")
    ]
    if not spec.required:
        actions.append(_submit(t(locale, "order.button.skip"), {"action": "skip", "field": field}))
    if field == "honorarium_ack" and links:
        actions.append(
            {
                "type": "Action.OpenUrl",
                "title": t(locale, "order.link.fee_guideline"),
                "url": links["fee_guideline"],
            }
        )
    return card(body, actions)


def summary_card(locale: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Every answer with an Edit button each, and Send. No field inputs."""
    rows: list[dict[str, Any]] = [
        text_block(t(locale, "order.summary.title"), weight="Bolder", size="Large"),
        text_block(t(locale, "order.summary.help"), isSubtle=True),
    ]
    for spec in FIELDS:
        rows.append(
            {
                "type": "ColumnSet",
                "separator": True,
                "columns": [
                    {
                        "type": "Column",
                        "width": "stretch",
                        "items": [
                            text_block(
                                t(locale, f"field.{spec.name}"), weight="Bolder", size="Small"
                            ),
                            text_block(
                                show_value(locale, spec.name, answers.get(spec.name)),
                                spacing="None",
                            ),
                        ],
                    },
                    {
                        "type": "Column",
                        "width": "auto",
                        "verticalContentAlignment": "Center",
                        "items": [
                            {
                                "type": "ActionSet",
                                "actions": [
                                    _submit(
                                        t(locale, "order.button.edit"),
                                        {"action": "edit", "field": spec.name},
                                    )
                                ],
                            }
                        ],
                    },
                ],
            }
        )
    actions = [_submit(t(locale, "order.button.confirm"), {"action": "confirm"}, "positive")]
    return card(rows, actions)


def receipt_card(locale: str, reference: str, title: str, links: dict[str, str]) -> dict[str, Any]:
    body = [
        text_block(t(locale, "order.receipt.title"), weight="Bolder", size="Large", color="Good"),
        text_block(t(locale, "order.receipt.reference", reference=reference), size="Medium"),
        text_block(escape_markdown(title), isSubtle=True, spacing="None"),
        text_block(t(locale, "order.receipt.next")),
        text_block(t(locale, "order.receipt.step.fee"), spacing="Small"),
        text_block(t(locale, "order.receipt.step.agreement"), spacing="Small"),
        text_block(t(locale, "order.receipt.step.follow_up"), spacing="Small"),
    ]
    actions = [
        {
            "type": "Action.OpenUrl",
            "title": t(locale, "order.link.fee_guideline"),
            "url": links["fee_guideline"],
        },
        {
            "type": "Action.OpenUrl",
            "title": t(locale, "order.link.agreement"),
            "url": links["agreement"],
        },
        {
            "type": "Action.OpenUrl",
            "title": t(locale, "order.link.confidentiality"),
            "url": links["confidentiality"],
        },
    ]
    return card(body, actions)


def my_requests_card(locale: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
    """`requests`: dicts with id, reference, title, status (code), cancellable."""
    body: list[dict[str, Any]] = [
        text_block(t(locale, "mine.title"), weight="Bolder", size="Large")
    ]
    for item in requests:
        body.append(
            {
                "type": "ColumnSet",
                "separator": True,
                "columns": [
                    {
                        "type": "Column",
                        "width": "auto",
                        "items": [text_block(item["reference"], weight="Bolder")],
                    },
                    {
                        "type": "Column",
                        "width": "stretch",
                        "items": [text_block(escape_markdown(item["title"] or ""))],
                    },
                    {
                        "type": "Column",
                        "width": "auto",
                        "items": [
                            text_block(t(locale, f"status.{item['status']}"), color="Accent")
                        ],
                    },
                ],
            }
        )
        if item.get("cancellable"):
            body.append(
                {
                    "type": "ActionSet",
                    "actions": [
                        _submit(
                            t(locale, "notice.cancel_button"),
                            {"action": "cancel_request", "request_id": item["id"]},
                            "destructive",
                        )
                    ],
                }
            )
    return card(body)
