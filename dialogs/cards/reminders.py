"""Cards for reminders: group choice, gathering and survey reminders, admin forms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.cards import card, escape_markdown, text_block
from dialogs.i18n import t
from storage.domain.reminders import RoundState
from storage.reminders import GROUPS
from storage.reminders.kinds import qualified


def local_time(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def gathering_facts(
    locale: str,
    *,
    starts_at: datetime,
    place: str | None,
    register_by: datetime | None,
    zone: ZoneInfo,
) -> list[tuple[str, str]]:
    """When, where and the registration deadline, as a page or an e-mail lists them."""
    facts = [(t(locale, "gathering.when"), local_time(starts_at, zone))]
    if place:
        facts.append((t(locale, "gathering.place"), place))
    if register_by is not None:
        facts.append((t(locale, "gathering.register_by"), local_time(register_by, zone)))
    return facts


def groups_card(
    locale: str, chosen: list[str], desks: Sequence[tuple[str, str]] = ()
) -> dict[str, Any]:
    """The reminder groups to choose; with more than one desk (code, name),
    each desk's groups under its name."""
    if len(desks) > 1:
        choices = [
            {
                "title": f"{escape_markdown(name)}: {t(locale, f'group.{g}')}",
                "value": qualified(g, code),
            }
            for code, name in desks
            for g in GROUPS
        ]
    else:
        choices = [{"title": t(locale, f"group.{g}"), "value": g} for g in GROUPS]
    return card(
        [
            text_block(t(locale, "subscribe.title"), weight="Bolder", size="Medium"),
            {
                "type": "Input.ChoiceSet",
                "id": "groups",
                "label": t(locale, "subscribe.choose"),
                "isMultiSelect": True,
                "style": "expanded",
                "value": ",".join(chosen),
                "choices": choices,
            },
        ],
        [
            {
                "type": "Action.Submit",
                "title": t(locale, "subscribe.save"),
                "data": {"action": "set_groups"},
            }
        ],
    )


@dataclass(frozen=True)
class Seat:
    """What a registering gathering's card shows of this person's registration."""

    questions: tuple[str, ...]
    registration_id: int | None = None
    status: str | None = None  # None: not registered
    place: int | None = None  # on the waiting list
    door_code: str | None = None
    offered_until: datetime | None = None
    closed: bool = False  # past the deadline
    # The Teams meeting's link: only for one registered to attend digitally.
    meeting_url: str | None = None


def _seat_part(
    locale: str, gathering_id: int, seat: Seat, zone: ZoneInfo
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The registration's lines and buttons on a registering gathering's card."""
    ids = {"gathering_id": gathering_id, "registration_id": seat.registration_id}
    if seat.status == "registered":
        join = (
            [
                {
                    "type": "Action.OpenUrl",
                    "title": t(locale, "gathering.meeting.join"),
                    "url": seat.meeting_url,
                }
            ]
            if seat.meeting_url
            else []
        )
        return (
            [text_block(t(locale, "gathering.seat.registered", code=seat.door_code or ""))],
            [*join, _execute(t(locale, "gathering.seat.cancel"), "cancel_registration", ids)],
        )
    if seat.status == "waitlisted":
        return (
            [text_block(t(locale, "gathering.seat.waitlisted", place=seat.place or 0))],
            [_execute(t(locale, "gathering.seat.leave"), "cancel_registration", ids)],
        )
    if seat.status == "offered":
        until = local_time(seat.offered_until, zone) if seat.offered_until else ""
        return (
            [text_block(t(locale, "gathering.seat.offered", until=until), weight="Bolder")],
            [
                _execute(t(locale, "gathering.seat.accept"), "accept_seat", ids),
                _execute(t(locale, "gathering.seat.decline"), "decline_seat", ids),
            ],
        )
    if seat.closed:
        return [text_block(t(locale, "gathering.error.closed"))], []
    inputs = [_question_input(locale, q) for q in seat.questions]
    register = _execute(
        t(locale, "gathering.seat.register"), "register", {"gathering_id": gathering_id}
    )
    if not inputs:
        return [], [register]
    return [], [
        {
            "type": "Action.ShowCard",
            "title": t(locale, "gathering.seat.register"),
            "card": card(inputs, [register]),
        }
    ]


def _question_input(locale: str, question: str) -> dict[str, Any]:
    if question == "attend_mode":
        return {
            "type": "Input.ChoiceSet",
            "id": question,
            "label": t(locale, "gathering.q.attend_mode"),
            "isRequired": True,
            "errorMessage": t(locale, "gathering.error.attend_mode"),
            "style": "expanded",
            "choices": [
                {"title": t(locale, f"gathering.attend.{m}"), "value": m}
                for m in ("in_person", "digital")
            ],
        }
    return {
        "type": "Input.Text",
        "id": question,
        "label": t(locale, f"gathering.q.{question}"),
        "maxLength": 200,
    }


def _execute(title: str, verb: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": data}


def gathering_card(
    locale: str,
    *,
    gathering_id: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None,
    place: str | None,
    register_url: str | None,
    register_by: datetime | None,
    calendar_url: str | None,
    zone: ZoneInfo,
    register_reminder: bool = False,
    notice: str | None = None,
    seat: Seat | None = None,
) -> dict[str, Any]:
    """A gathering's reminder; `seat`: it takes registrations in medvirk (the
    person's registration, or how to make one), instead of "coming / not"."""
    when = local_time(starts_at, zone)
    if ends_at is not None:
        when += "–" + ends_at.astimezone(zone).strftime("%H:%M")
    facts = [{"title": t(locale, "gathering.when"), "value": when}]
    if place:
        facts.append({"title": t(locale, "gathering.place"), "value": escape_markdown(place)})
    if register_by is not None:
        facts.append(
            {"title": t(locale, "gathering.register_by"), "value": local_time(register_by, zone)}
        )
    heading = "gathering.register_reminder" if register_reminder else "gathering.reminder"
    body: list[dict[str, Any]] = []
    if notice:
        body.append(text_block(notice, color="Good", weight="Bolder"))
    body += [
        text_block(
            t(locale, heading, title=escape_markdown(title)), weight="Bolder", size="Medium"
        ),
        {"type": "FactSet", "facts": facts},
    ]
    actions: list[dict[str, Any]] = []
    if register_url:
        actions.append(
            {
                "type": "Action.OpenUrl",
                "title": t(locale, "gathering.register"),
                "url": register_url,
            }
        )
    if calendar_url:
        actions.append(
            {
                "type": "Action.OpenUrl",
                "title": t(locale, "gathering.calendar"),
                "url": calendar_url,
            }
        )
    if seat is not None:
        lines, buttons = _seat_part(locale, gathering_id, seat, zone)
        body += lines
        return card(body, buttons + actions)
    for answer, key in (("yes", "gathering.coming"), ("no", "gathering.not_coming")):
        actions.append(
            {
                "type": "Action.Execute",
                "title": t(locale, key),
                "verb": "rsvp",
                "data": {"gathering_id": gathering_id, "answer": answer},
            }
        )
    return card(body, actions)


def survey_card(
    locale: str,
    *,
    survey_id: int,
    title: str,
    url: str,
    closes_at: datetime,
    zone: ZoneInfo,
    notice: str | None = None,
) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if notice:
        body.append(text_block(notice, color="Good", weight="Bolder"))
    body += [
        text_block(
            t(locale, "survey.reminder", title=escape_markdown(title)),
            weight="Bolder",
            size="Medium",
        ),
        {
            "type": "FactSet",
            "facts": [
                {"title": t(locale, "survey.deadline"), "value": local_time(closes_at, zone)}
            ],
        },
    ]
    actions: list[dict[str, Any]] = [
        {"type": "Action.OpenUrl", "title": t(locale, "survey.open"), "url": url}
    ]
    if notice is None:
        actions.append(
            {
                "type": "Action.Execute",
                "title": t(locale, "survey.answered"),
                "verb": "answered",
                "data": {"survey_id": survey_id},
            }
        )
    return card(body, actions)


def _group_input(locale: str) -> dict[str, Any]:
    return {
        "type": "Input.ChoiceSet",
        "id": "groups",
        "label": t(locale, "admin.field.groups"),
        "isMultiSelect": True,
        "style": "expanded",
        "choices": [{"title": t(locale, f"group.{g}"), "value": g} for g in GROUPS],
    }


def gathering_form(locale: str) -> dict[str, Any]:
    def text(id_: str, key: str, required: bool = False, **extra: Any) -> dict[str, Any]:
        element = {"type": "Input.Text", "id": id_, "label": t(locale, key), **extra}
        if required:
            element["isRequired"] = True
        return element

    return card(
        [
            text_block(t(locale, "admin.gathering.title"), weight="Bolder", size="Medium"),
            text("title", "admin.field.title", True, maxLength=200),
            {
                "type": "Input.Date",
                "id": "starts_date",
                "label": t(locale, "admin.field.starts_date"),
                "isRequired": True,
            },
            {
                "type": "Input.Time",
                "id": "starts_time",
                "label": t(locale, "admin.field.starts_time"),
                "isRequired": True,
            },
            {"type": "Input.Time", "id": "ends_time", "label": t(locale, "admin.field.ends_time")},
            text("place", "admin.field.place", maxLength=300),
            text("register_url", "admin.field.register_url", maxLength=1000, style="Url"),
            {
                "type": "Input.Date",
                "id": "register_by",
                "label": t(locale, "admin.field.register_by"),
            },
            _group_input(locale),
            text("remind", "admin.field.remind", value="14d,1d", maxLength=100),
        ],
        [
            {
                "type": "Action.Submit",
                "title": t(locale, "admin.create"),
                "data": {"action": "create_gathering"},
            }
        ],
    )


def survey_form(locale: str) -> dict[str, Any]:
    return card(
        [
            text_block(t(locale, "admin.survey.title"), weight="Bolder", size="Medium"),
            {
                "type": "Input.Text",
                "id": "title",
                "label": t(locale, "admin.field.title"),
                "isRequired": True,
                "maxLength": 200,
            },
            {
                "type": "Input.Text",
                "id": "url",
                "label": t(locale, "admin.field.url"),
                "isRequired": True,
                "style": "Url",
            },
            {
                "type": "Input.Date",
                "id": "closes",
                "label": t(locale, "admin.field.closes"),
                "isRequired": True,
            },
            _group_input(locale),
            {
                "type": "Input.Text",
                "id": "remind",
                "label": t(locale, "admin.field.remind"),
                "value": "7d,2d",
            },
        ],
        [
            {
                "type": "Action.Submit",
                "title": t(locale, "admin.create"),
                "data": {"action": "create_survey"},
            }
        ],
    )


@dataclass(frozen=True)
class RoundLine:
    """One reminder round of a gathering or survey, as its delivery report."""

    due: str
    kind: str  # gathering | register | survey
    state: str  # planned | sent | dropped
    teams: int = 0
    email: int = 0
    pending: int = 0
    unreachable: int = 0
    skipped: int = 0
    given_up: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ReportItem:
    kind: str  # gathering | survey
    id: int
    title: str
    rounds: tuple[RoundLine, ...]


def delivery_report_card(locale: str, items: list[ReportItem]) -> dict[str, Any]:
    """The admin's report: per round, delivered in Teams, by e-mail, pending,
    given up (with reasons), unreachable; and "send again" for each item."""
    body: list[dict[str, Any]] = [
        text_block(t(locale, "report.title"), weight="Bolder", size="Medium")
    ]
    if not items:
        body.append(text_block(t(locale, "report.none"), isSubtle=True))
    for item in items:
        rounds: list[dict[str, Any]] = []
        for r in item.rounds:
            head = f"{r.due} · {t(locale, f'report.kind.{r.kind}')} · {t(locale, f'report.state.{r.state}')}"
            rounds.append(text_block(head, spacing="Small", weight="Bolder", size="Small"))
            if r.state == RoundState.SENT:
                rounds.append(
                    text_block(
                        t(
                            locale,
                            "report.counts",
                            teams=r.teams,
                            email=r.email,
                            pending=r.pending,
                            unreachable=r.unreachable,
                            skipped=r.skipped,
                            given_up=sum(n for _, n in r.given_up),
                        ),
                        spacing="None",
                        size="Small",
                    )
                )
                for reason, count in r.given_up:
                    rounds.append(
                        text_block(
                            t(locale, "report.reason", reason=escape_markdown(reason), count=count),
                            spacing="None",
                            size="Small",
                            isSubtle=True,
                        )
                    )
        body.append(
            {
                "type": "Container",
                "separator": True,
                "items": [
                    text_block(
                        f"{t(locale, f'report.kind.{item.kind}')}: {escape_markdown(item.title)}",
                        weight="Bolder",
                    ),
                    *rounds,
                    {
                        "type": "ActionSet",
                        "actions": [
                            {
                                "type": "Action.Submit",
                                "title": t(locale, "report.resend"),
                                "data": {
                                    "action": "resend_reminders",
                                    "kind": item.kind,
                                    "id": item.id,
                                },
                            }
                        ],
                    },
                ],
            }
        )
    return card(body)
