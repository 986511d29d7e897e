"""A gathering's day: the desk's attendance list (one check box per person
registered, ticked when they came: `check_in`), and the evaluation asked of
those who came (`evaluate_gathering`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogs.cards import card, escape_markdown, said, text_block
from dialogs.i18n import t
from storage.reminders.gathering_evaluations import COMMENT_MAX


@dataclass(frozen=True)
class Attendee:
    registration_id: int
    name: str
    door_code: str
    came: bool


def attendance_card(
    locale: str,
    *,
    gathering_id: int,
    title: str,
    when: str,
    attendees: list[Attendee],
    notice: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    came = sum(1 for a in attendees if a.came)
    body = said(error=error, notice=notice)
    body += [
        text_block(
            t(locale, "attendance.title", title=escape_markdown(title)),
            weight="Bolder",
            size="Medium",
        ),
        text_block(when, isSubtle=True),
        text_block(t(locale, "attendance.counts", came=came, registered=len(attendees))),
    ]
    if not attendees:
        body.append(text_block(t(locale, "attendance.nobody")))
        return card(body)
    body += [
        {
            "type": "Input.Toggle",
            "id": f"came_{a.registration_id}",
            "title": f"{escape_markdown(a.name)} ({a.door_code})",
            "valueOn": "true",
            "valueOff": "false",
            "value": "true" if a.came else "false",
        }
        for a in attendees
    ]
    actions = [
        {
            "type": "Action.Execute",
            "title": t(locale, "attendance.save"),
            "verb": "check_in",
            "data": {"gathering_id": gathering_id},
            "associatedInputs": "auto",
            "style": "positive",
        }
    ]
    return card(body, actions)


def gathering_evaluation_card(
    locale: str,
    title: str,
    registration_id: int,
    rating: int | None,
    comment: str | None,
    *,
    notice: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """After the day, to one who came: a rating 1–5 and a comment
    (`evaluate_gathering`)."""
    body = said(error=error, notice=notice)
    body += [
        text_block(
            t(locale, "gathering.evaluation.title", title=escape_markdown(title)),
            weight="Bolder",
            size="Medium",
        ),
        {
            "type": "Input.ChoiceSet",
            "id": "rating",
            "label": t(locale, "gathering.evaluation.rating"),
            "style": "expanded",
            "isRequired": True,
            "errorMessage": t(locale, "gathering.evaluation.error.rating"),
            "choices": [
                {"title": t(locale, f"gathering.evaluation.rating_{n}"), "value": str(n)}
                for n in range(5, 0, -1)
            ],
            **({"value": str(rating)} if rating else {}),
        },
        {
            "type": "Input.Text",
            "id": "comment",
            "label": t(locale, "gathering.evaluation.comment"),
            "isMultiline": True,
            "maxLength": COMMENT_MAX,
            **({"value": comment} if comment else {}),
        },
    ]
    actions = [
        {
            "type": "Action.Execute",
            "title": t(locale, "gathering.evaluation.send"),
            "verb": "evaluate_gathering",
            "data": {"registration_id": registration_id},
            "associatedInputs": "auto",
            "style": "positive",
        }
    ]
    return card(body, actions)
