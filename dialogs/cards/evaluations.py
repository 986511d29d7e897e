"""The evaluation card (`evaluate`, `data.evaluation_id`): the requester's
(`rating`, `impact`, `would_use_again`) or a participant's (`rating`,
`fee_info_clear`, `comment`), and "what your input changed"."""

from __future__ import annotations

from typing import Any

from dialogs.cards import card, escape_markdown, said, text_block
from dialogs.i18n import t

RATINGS = ("1", "2", "3", "4", "5")
TEXT_MAX = 1000


def _choice(
    locale: str, name: str, codes: tuple[str, ...], prefix: str, value: Any, label: str = ""
) -> dict[str, Any]:
    field: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": name,
        "label": t(locale, label or f"evaluation.field.{name}"),
        "style": "expanded",
        "isRequired": True,
        "errorMessage": t(locale, f"evaluation.error.{'rating' if name == 'rating' else 'yes_no'}"),
        "choices": [{"title": t(locale, f"{prefix}.{c}"), "value": c} for c in codes],
    }
    if isinstance(value, str) and value in codes:
        field["value"] = value
    return field


def _text(locale: str, name: str, value: Any) -> dict[str, Any]:
    field: dict[str, Any] = {
        "type": "Input.Text",
        "id": name,
        "label": t(locale, f"evaluation.field.{name}"),
        "isMultiline": True,
        "maxLength": TEXT_MAX,
        "placeholder": t(locale, "evaluation.no_identity_number"),
    }
    if isinstance(value, str) and len(value) <= TEXT_MAX:
        field["value"] = value
    return field


def evaluation_card(
    locale: str,
    *,
    evaluation_id: int,
    requester: bool,
    title: str,
    reference: str,
    answered: bool,
    reminder: bool = False,
    values: dict[str, Any] | None = None,
    notice: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    body = said(error=error, notice=notice)
    body.append(
        text_block(
            t(locale, "evaluation.title", title=escape_markdown(title), reference=reference),
            weight="Bolder",
            size="Medium",
        )
    )
    if answered:
        body.append(text_block(t(locale, "evaluation.thanks")))
        return card(body)
    if reminder:
        body.append(text_block(t(locale, "evaluation.reminder"), isSubtle=True))
    who = "requester" if requester else "participant"
    body.append(text_block(t(locale, f"evaluation.intro.{who}")))
    values = values or {}
    body.append(
        _choice(
            locale,
            "rating",
            RATINGS,
            f"evaluation.rating.{who}",
            values.get("rating"),
            "evaluation.field.rating_requester" if requester else "",
        )
    )
    if requester:
        body += [
            _text(locale, "impact", values.get("impact")),
            _choice(
                locale,
                "would_use_again",
                ("yes", "no"),
                "evaluation.answer",
                values.get("would_use_again"),
            ),
        ]
    else:
        body += [
            _choice(
                locale,
                "fee_info_clear",
                ("yes", "no"),
                "evaluation.answer",
                values.get("fee_info_clear"),
            ),
            _text(locale, "comment", values.get("comment")),
        ]
    actions = [
        {
            "type": "Action.Execute",
            "title": t(locale, "evaluation.send"),
            "verb": "evaluate",
            "data": {"evaluation_id": evaluation_id},
            "associatedInputs": "auto",
            "style": "positive",
        }
    ]
    return card(body, actions)


def impact_card(locale: str, *, title: str, impact: str) -> dict[str, Any]:
    """To a participant: what the requester says their input changed."""
    return card(
        [
            text_block(
                t(locale, "impact.title", title=escape_markdown(title)),
                weight="Bolder",
                size="Medium",
            ),
            text_block(t(locale, "impact.intro")),
            {
                "type": "Container",
                "style": "emphasis",
                "items": [text_block(escape_markdown(impact))],
            },
            text_block(t(locale, "impact.thanks")),
        ]
    )
