"""Cards of the priority channel: the request card, the digest and the year figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dialogs.cards import card, escape_markdown, text_block
from dialogs.cards.order import choice_label
from dialogs.i18n import t
from storage.domain.requests import FINAL_STATUSES, OPEN_STATUSES, Status, next_owner_statuses


@dataclass(frozen=True)
class RequestView:
    """What the channel card shows (built from a stored request)."""

    id: int
    reference: str
    title: str
    unit: str
    assignment_type: str
    level: str
    participant_profile: str
    participant_count: int
    start_date: date
    end_date: date | None
    needed_by: date
    meeting_format: str
    workload: str
    requester_name: str
    status: str
    owner_name: str | None
    decline_reason: str | None
    created_at: datetime
    # Its invitations (storage/invitations/__init__.py: the request's `match_summary`).
    invited: int = 0
    waiting: int = 0
    accepted: tuple[str, ...] = ()
    # Accepted, then left the pool before the work was done (the request is open again).
    left: int = 0
    # Accepted and not yet both documents signed: (participant id, name, missing).
    unsigned: tuple[tuple[int, str, tuple[str, ...]], ...] = ()
    # The other desks it may be sent to (code, name): none, no button.
    transfer_to: tuple[tuple[str, str], ...] = ()
    # Ordered on the web by a commissioner outside the hospital, who pays.
    outside: bool = False


def _d(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "…"


def age_in_days(view: RequestView, now: datetime) -> int:
    """Whole days since the request came in, as its card shows them."""
    return max(0, (now - view.created_at).days)


def _execute(
    title: str, verb: str, data: dict[str, Any], style: str | None = None
) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Execute", "title": title, "verb": verb, "data": data}
    if style:
        action["style"] = style
    return action


def request_card(
    locale: str,
    view: RequestView,
    *,
    now: datetime,
    notice: str | None = None,
    members: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """The card in the channel. `members` (aad id, name) shows the assign picker."""
    status = Status(view.status)
    age_days = age_in_days(view, now)
    facts = [
        (t(locale, "field.unit"), escape_markdown(view.unit)),
        (
            t(locale, "field.assignment_type"),
            choice_label(locale, "assignment_type", view.assignment_type),
        ),
        (t(locale, "field.level"), choice_label(locale, "level", view.level)),
        (
            t(locale, "field.participant_profile"),
            t(
                locale,
                "channel.card.participants",
                profile=choice_label(locale, "participant_profile", view.participant_profile),
                count=view.participant_count,
            ),
        ),
        (t(locale, "channel.card.period"), f"{_d(view.start_date)} – {_d(view.end_date)}"),
        (t(locale, "field.needed_by"), _d(view.needed_by)),
        (
            t(locale, "field.meeting_format"),
            choice_label(locale, "meeting_format", view.meeting_format),
        ),
        (t(locale, "field.workload"), escape_markdown(view.workload or "")),
        (t(locale, "channel.card.requester"), escape_markdown(view.requester_name or "")),
        *(
            [(t(locale, "channel.card.outside"), t(locale, "channel.card.outside_pays"))]
            if view.outside
            else []
        ),
        (t(locale, "channel.card.status"), t(locale, f"status.{status.value}")),
        (
            t(locale, "channel.card.owner"),
            escape_markdown(view.owner_name)
            if view.owner_name
            else t(locale, "channel.card.unowned"),
        ),
        (t(locale, "channel.card.age"), t(locale, "channel.card.days", days=age_days)),
    ]
    if view.decline_reason:
        facts.append((t(locale, "channel.card.reason"), escape_markdown(view.decline_reason)))
    if view.invited:
        facts.append(
            (
                t(locale, "channel.card.invitations"),
                t(
                    locale,
                    "channel.card.invitation_counts",
                    invited=view.invited,
                    accepted=len(view.accepted),
                    waiting=view.waiting,
                ),
            )
        )
    if view.accepted:
        facts.append(
            (
                t(locale, "channel.card.accepted"),
                ", ".join(escape_markdown(n) for n in view.accepted),
            )
        )
    if view.left and status in (Status.CLAIMED, Status.IN_PROGRESS):
        facts.append(
            (t(locale, "channel.card.invitations"), t(locale, "channel.card.left", count=view.left))
        )
    if view.unsigned and status is Status.MATCHED:
        facts.append(
            (
                t(locale, "channel.card.unsigned"),
                "; ".join(
                    f"{escape_markdown(name)} "
                    f"({', '.join(t(locale, f'channel.card.missing.{m}') for m in missing)})"
                    for _, name, missing in view.unsigned
                ),
            )
        )
    body: list[dict[str, Any]] = []
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder"))
    body += [
        text_block(view.reference, isSubtle=True, size="Small"),
        text_block(escape_markdown(view.title), weight="Bolder", size="Medium"),
        {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in facts]},
    ]
    data = {"request_id": view.id}
    actions: list[dict[str, Any]] = []
    if status is Status.SUBMITTED:
        actions.append(_execute(t(locale, "channel.button.claim"), "claim", data, "positive"))
    elif status not in FINAL_STATUSES:
        targets = next_owner_statuses(status)
        if targets:
            actions.append(
                {
                    "type": "Action.ShowCard",
                    "title": t(locale, "channel.button.set_status"),
                    "card": card(
                        [
                            {
                                "type": "Input.ChoiceSet",
                                "id": "status",
                                "label": t(locale, "channel.input.status"),
                                "style": "expanded",
                                "isRequired": True,
                                "errorMessage": t(locale, "channel.error.bad_status"),
                                "choices": [
                                    {"title": t(locale, f"status.{s.value}"), "value": s.value}
                                    for s in targets
                                ],
                            },
                            {
                                "type": "Input.Text",
                                "id": "comment",
                                "label": t(locale, "channel.input.comment"),
                                "isMultiline": True,
                                "maxLength": 1000,
                            },
                        ],
                        [
                            _execute(
                                t(locale, "channel.button.save_status"),
                                "set_status",
                                data,
                                "positive",
                            )
                        ],
                    ),
                }
            )
        if view.unsigned and status is Status.MATCHED:
            actions.append(_paper_copy(locale, view, data))
        if members:
            actions.append(
                {
                    "type": "Action.ShowCard",
                    "title": t(locale, "channel.button.assign"),
                    "card": card(
                        [
                            {
                                "type": "Input.ChoiceSet",
                                "id": "assignee",
                                "label": t(locale, "channel.input.assignee"),
                                "isRequired": True,
                                "errorMessage": t(locale, "channel.error.bad_assignee"),
                                "choices": [
                                    {"title": name, "value": aad} for aad, name in members[:100]
                                ],
                            }
                        ],
                        [_execute(t(locale, "channel.button.assign_to"), "assign", data)],
                    ),
                }
            )
        else:
            actions.append(_execute(t(locale, "channel.button.assign"), "assign", data))
        if status in (Status.CLAIMED, Status.IN_PROGRESS):
            actions.append(_execute(t(locale, "channel.button.suggest"), "suggest", data))
            actions.append(_execute(t(locale, "channel.button.release"), "release", data))
            if view.transfer_to and not view.invited:
                actions.append(_transfer(locale, view, data))
        if view.outside and status in OPEN_STATUSES and status is not Status.SUBMITTED:
            actions.append(_ask(locale, data))
    result = card(body, actions or None)
    # Opened later, the card asks the bot for its current state.
    result["refresh"] = {"action": _execute(t(locale, "channel.button.refresh"), "refresh", data)}
    return result


def _ask(locale: str, data: dict[str, Any]) -> dict[str, Any]:
    """The owner's question to a commissioner outside Teams (it goes by e-mail,
    and their reply comes to the owner's own mailbox)."""
    return {
        "type": "Action.ShowCard",
        "title": t(locale, "channel.button.ask"),
        "card": card(
            [
                {
                    "type": "Input.Text",
                    "id": "question",
                    "label": t(locale, "channel.input.question"),
                    "isRequired": True,
                    "errorMessage": t(locale, "ask.error.empty"),
                    "isMultiline": True,
                    "maxLength": 1000,
                }
            ],
            [_execute(t(locale, "channel.button.ask_send"), "ask_requester", data, "positive")],
        ),
    }


def _transfer(locale: str, view: RequestView, data: dict[str, Any]) -> dict[str, Any]:
    """To another desk, with a reason (the audit keeps it; the card does not show it)."""
    return {
        "type": "Action.ShowCard",
        "title": t(locale, "channel.button.transfer"),
        "card": card(
            [
                {
                    "type": "Input.ChoiceSet",
                    "id": "desk",
                    "label": t(locale, "channel.input.desk"),
                    "isRequired": True,
                    "errorMessage": t(locale, "desks.error.choose"),
                    "choices": [{"title": name, "value": code} for code, name in view.transfer_to],
                },
                {
                    "type": "Input.Text",
                    "id": "reason",
                    "label": t(locale, "channel.input.transfer_reason"),
                    "isRequired": True,
                    "errorMessage": t(locale, "desks.error.reason_required"),
                    "isMultiline": True,
                    "maxLength": 1000,
                },
            ],
            [_execute(t(locale, "channel.button.transfer_to"), "transfer", data, "positive")],
        ),
    }


def moved_card(locale: str, reference: str, desk_name: str) -> dict[str, Any]:
    """The card a request leaves behind in the desk it was sent away from."""
    return card(
        [
            text_block(
                t(
                    locale,
                    "channel.card.moved",
                    reference=reference,
                    desk=escape_markdown(desk_name),
                ),
                wrap=True,
            )
        ]
    )


def digest_card(
    locale: str,
    unclaimed: list[RequestView],
    stale: list[RequestView],
    *,
    now: datetime,
    overdue: tuple[int, int, int] | None = None,
    by_unit: Sequence[tuple[str, int]] = (),
) -> dict[str, Any]:
    """Before the distribution meeting; `overdue`: (unclaimed too long, not
    matched in time, the working days allowed); `by_unit`: open requests per unit."""

    def rows(views: list[RequestView]) -> list[dict[str, Any]]:
        if not views:
            return [text_block(t(locale, "digest.none"), isSubtle=True)]
        return [
            text_block(
                f"**{v.reference}** {escape_markdown(v.title)} · {escape_markdown(v.unit)} · "
                f"{t(locale, f'status.{v.status}')} · "
                f"{t(locale, 'channel.card.days', days=max(0, (now - v.created_at).days))}",
                spacing="Small",
            )
            for v in views
        ]

    body = [
        text_block(t(locale, "digest.title"), weight="Bolder", size="Large"),
        text_block(t(locale, "digest.unclaimed", count=len(unclaimed)), weight="Bolder"),
        *rows(unclaimed),
        text_block(t(locale, "digest.stale", count=len(stale)), weight="Bolder"),
        *rows(stale),
    ]
    if by_unit:
        body += [
            text_block(t(locale, "digest.by_unit"), weight="Bolder"),
            {
                "type": "FactSet",
                "facts": [{"title": escape_markdown(unit), "value": str(n)} for unit, n in by_unit],
            },
        ]
    if overdue is not None:
        waiting, late, days = overdue
        body.insert(
            1,
            text_block(
                t(locale, "digest.overdue", unclaimed=waiting, late=late, days=days),
                color="Attention" if waiting or late else "Default",
            ),
        )
    return card(body)


def stats_card(
    locale: str,
    figures: dict[str, Any],
    *,
    headline: Sequence[tuple[str, Any]] = (),
    report_url: str | None = None,
) -> dict[str, Any]:
    """The year's figures in the channel: the report's headline, the counts,
    and a signed link to the annual report's PDF."""

    def section(key: str, counts: dict[str, int], label: Any) -> list[dict[str, Any]]:
        facts = [
            {"title": label(code), "value": str(n)}
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return [text_block(t(locale, key), weight="Bolder"), {"type": "FactSet", "facts": facts}]

    none = t(locale, "order.none")
    body = [
        text_block(t(locale, "stats.title", year=figures["year"]), weight="Bolder", size="Large"),
        text_block(t(locale, "stats.total", count=figures["total"])),
        *(
            [
                text_block(t(locale, "annual.headline"), weight="Bolder"),
                {
                    "type": "FactSet",
                    "facts": [
                        {"title": label, "value": escape_markdown(str(value))}
                        for label, value in headline
                    ],
                },
            ]
            if headline
            else []
        ),
        *section(
            "stats.by_type",
            figures["by_assignment_type"],
            lambda c: choice_label(locale, "assignment_type", c),
        ),
        *section("stats.by_unit", figures["by_unit"], escape_markdown),
        *section("stats.by_level", figures["by_level"], lambda c: choice_label(locale, "level", c)),
        *section("stats.by_outcome", figures["by_outcome"], lambda c: t(locale, f"status.{c}")),
        *(
            section("annual.outside_by_commissioner", figures["by_commissioner"], escape_markdown)
            if figures.get("by_commissioner")
            else []
        ),
        text_block(t(locale, "stats.median_claim", days=figures["median_days_to_claim"] or none)),
        text_block(t(locale, "stats.median_match", days=figures["median_days_to_match"] or none)),
    ]
    if not report_url:
        return card(body)
    body.append(text_block(t(locale, "annual.link_expires"), isSubtle=True))
    actions = [{"type": "Action.OpenUrl", "title": t(locale, "annual.download"), "url": report_url}]
    return card(body, actions)


def _paper_copy(locale: str, view: RequestView, data: dict[str, Any]) -> dict[str, Any]:
    """The owner records signed documents handed in on paper (`documents_received`)."""
    return {
        "type": "Action.ShowCard",
        "title": t(locale, "channel.button.paper_copy"),
        "card": card(
            [
                {
                    "type": "Input.ChoiceSet",
                    "id": "participant_id",
                    "label": t(locale, "channel.input.paper_copy"),
                    "isRequired": True,
                    "errorMessage": t(locale, "documents.error.bad_participant"),
                    "choices": [
                        {"title": name, "value": str(pid)} for pid, name, _ in view.unsigned
                    ],
                }
            ],
            [
                _execute(
                    t(locale, "channel.button.save_paper_copy"),
                    "documents_received",
                    data,
                    "positive",
                )
            ],
        ),
    }
