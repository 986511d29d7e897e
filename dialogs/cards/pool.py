"""Cards for participants: the pool's form and list, suggestions on a request,
and what a participant in Teams gets (the consent request, an invitation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogs.cards import card, escape_markdown, text_block
from dialogs.cards.order import choice_label
from dialogs.i18n import CATALOG, t
from dialogs.refusals import refusal_text
from storage.domain.invitations import InvitationStatus
from storage.domain.refusal import Refused
from storage.pool import FORMATS, LANGUAGES, ROLES
from storage.pool.matching import Suggestion


def area_label(locale: str, code: str) -> str:
    """A configured area's label (codes without one are shown readable)."""
    key = f"area.{code}"
    return t(locale, key) if key in CATALOG else code.replace("_", " ").capitalize()


def labels(locale: str, prefix: str, codes: Sequence[str]) -> str:
    if prefix == "area":
        return ", ".join(area_label(locale, c) for c in codes)
    return ", ".join(t(locale, f"{prefix}.{c}") for c in codes)


def _choices(
    locale: str, name: str, codes: Sequence[str], prefix: str, value: Any, required: bool
) -> dict[str, Any]:
    chosen = value if isinstance(value, str) else ",".join(value or ())
    field: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": name,
        "label": t(locale, f"participant.field.{name}"),
        "isMultiSelect": True,
        "style": "expanded" if len(codes) <= 4 else "compact",
        "value": chosen,
        "choices": [
            {
                "title": area_label(locale, c) if prefix == "area" else t(locale, f"{prefix}.{c}"),
                "value": c,
            }
            for c in codes
        ],
    }
    if required:
        field["isRequired"] = True
        field["errorMessage"] = t(locale, "error.field.required")
    return field


def _text_input(
    locale: str, name: str, value: Any, max_length: int, *, required: bool = False, **extra: Any
) -> dict[str, Any]:
    field: dict[str, Any] = {
        "type": "Input.Text",
        "id": name,
        "label": t(locale, f"participant.field.{name}"),
        "maxLength": max_length,
        "value": value if isinstance(value, str) else "",
        **extra,
    }
    if required:
        field["isRequired"] = True
        field["errorMessage"] = t(locale, "error.field.required")
    return field


def participant_form_card(
    locale: str,
    areas: Sequence[str],
    *,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    """The form of `ny brukermedvirker`: input ids are the participant's field names."""
    v = values or {}
    body: list[dict[str, Any]] = []
    if notice:
        body.append(text_block(notice, color="Good", weight="Bolder"))
    if error:
        body.append(text_block(error, color="Attention", weight="Bolder"))
    body += [
        text_block(t(locale, "participant.form.title"), weight="Bolder", size="Medium"),
        text_block(t(locale, "participant.form.intro"), isSubtle=True),
        _text_input(locale, "name", v.get("name"), 120, required=True),
        _text_input(locale, "email", v.get("email"), 320, style="Email"),
        _text_input(locale, "phone", v.get("phone"), 40, style="Tel"),
        _text_input(locale, "aad_object_id", v.get("aad_object_id"), 64),
        _choices(locale, "roles", ROLES, "role", v.get("roles"), True),
        _choices(locale, "areas", areas, "area", v.get("areas"), False),
        _text_input(locale, "organisation", v.get("organisation"), 120),
        _text_input(locale, "municipality", v.get("municipality"), 60),
        _choices(locale, "formats", FORMATS, "format", v.get("formats"), True),
        _choices(locale, "languages", LANGUAGES, "language", v.get("languages") or "nb", False),
        _text_input(locale, "availability", v.get("availability"), 200),
    ]
    return card(
        body,
        [
            {
                "type": "Action.Execute",
                "title": t(locale, "participant.form.add"),
                "verb": "add_participant",
                "data": {},
                "style": "positive",
            }
        ],
    )


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    name: str
    status: str
    roles: tuple[str, ...]
    areas: tuple[str, ...]
    formats: tuple[str, ...]
    onboarded: bool
    asked: int


def participant_list_card(
    locale: str, rows: Sequence[ParticipantRow], *, total: int, filters: Sequence[str]
) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        text_block(t(locale, "participant.list.title", count=total), weight="Bolder", size="Medium")
    ]
    if filters:
        body.append(
            text_block(
                t(locale, "participant.list.filter", filter=", ".join(filters)), isSubtle=True
            )
        )
    if not rows:
        body.append(text_block(t(locale, "participant.list.none"), isSubtle=True))
    for row in rows:
        parts = [
            f"**{escape_markdown(row.name)}** (#{row.id})",
            t(locale, f"pstatus.{row.status}"),
            labels(locale, "role", row.roles),
        ]
        if row.areas:
            parts.append(labels(locale, "area", row.areas))
        parts.append(labels(locale, "format", row.formats))
        parts.append(t(locale, "suggest.reason.asked", count=row.asked))
        body.append(text_block(" · ".join(parts), spacing="Small"))
    if total > len(rows):
        body.append(text_block(t(locale, "participant.list.more", count=total - len(rows))))
    return card(body)


def removed_card(locale: str) -> dict[str, Any]:
    """What a posted list of participants becomes when someone in it leaves
    (or it has been there long enough): no name, no role, no area."""
    return card([text_block(t(locale, "posted.removed"), isSubtle=True)])


@dataclass(frozen=True)
class SuggestionView:
    participant_id: int
    name: str
    roles: tuple[str, ...]
    shared_areas: tuple[str, ...]
    formats: tuple[str, ...]
    asked: int
    onboarded: bool


def suggestion_view(s: Suggestion) -> SuggestionView:
    c = s.candidate
    return SuggestionView(
        participant_id=c.participant_id,
        name=c.name,
        roles=s.roles,
        shared_areas=s.shared_areas,
        formats=s.formats,
        asked=c.asked,
        onboarded=c.onboarded,
    )


def reasons(locale: str, s: SuggestionView) -> list[str]:
    """Why a suggestion fits, as the coordinator reads it."""
    return [
        t(locale, "suggest.reason.roles", roles=labels(locale, "role", s.roles)),
        t(locale, "suggest.reason.areas", areas=labels(locale, "area", s.shared_areas))
        if s.shared_areas
        else t(locale, "suggest.reason.no_areas"),
        t(locale, "suggest.reason.formats", formats=labels(locale, "format", s.formats)),
        t(locale, "suggest.reason.asked", count=s.asked),
        t(locale, "suggest.reason.onboarded" if s.onboarded else "suggest.reason.not_onboarded"),
    ]


def suggestions_card(
    locale: str,
    request_id: int,
    reference: str,
    title: str,
    suggestions: Sequence[SuggestionView],
    *,
    areas: Sequence[str],
    chosen_areas: Sequence[str],
    notice: str | None = None,
) -> dict[str, Any]:
    """Suggestions for one request, as a card of their own (posted under the
    request card, so its updates for everyone never overwrite them)."""
    body: list[dict[str, Any]] = []
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder"))
    body += [
        text_block(t(locale, "suggest.title"), weight="Bolder", size="Medium"),
        text_block(f"{reference} {escape_markdown(title)}", isSubtle=True, spacing="None"),
        *suggestion_items(locale, request_id, suggestions, areas=areas, chosen_areas=chosen_areas),
    ]
    return card(body)


def suggestion_items(
    locale: str,
    request_id: int,
    suggestions: Sequence[SuggestionView],
    *,
    areas: Sequence[str],
    chosen_areas: Sequence[str],
) -> list[dict[str, Any]]:
    """Each suggestion with its reasons and an "Inviter" button, then the areas
    to rank by and "suggest again" (which answers in place)."""
    items: list[dict[str, Any]] = []
    if not suggestions:
        items.append(text_block(t(locale, "suggest.none"), isSubtle=True))
    for s in suggestions:
        items.append(
            {
                "type": "Container",
                "separator": True,
                "items": [
                    text_block(escape_markdown(s.name), weight="Bolder"),
                    text_block(" · ".join(reasons(locale, s)), isSubtle=True, spacing="None"),
                    {
                        "type": "ActionSet",
                        "actions": [
                            {
                                "type": "Action.Execute",
                                "title": t(locale, "channel.button.invite"),
                                "verb": "invite",
                                "data": {
                                    "request_id": request_id,
                                    "participant_id": s.participant_id,
                                },
                            }
                        ],
                    },
                ],
            }
        )
    if areas:
        items.append(
            {
                "type": "Input.ChoiceSet",
                "id": "areas",
                "label": t(locale, "suggest.areas"),
                "isMultiSelect": True,
                "style": "compact",
                "value": ",".join(chosen_areas),
                "choices": [{"title": area_label(locale, a), "value": a} for a in areas],
            }
        )
    items.append(
        {
            "type": "ActionSet",
            "actions": [
                {
                    "type": "Action.Execute",
                    "title": t(locale, "suggest.again"),
                    "verb": "suggest",
                    "data": {"request_id": request_id, "in_place": True},
                }
            ],
        }
    )
    return items


def consent_card(locale: str, name: str, url: str, *, desk: str) -> dict[str, Any]:
    return card(
        [
            text_block(t(locale, "consent.subject"), weight="Bolder", size="Medium"),
            text_block(t(locale, "mail.greeting", name=escape_markdown(name))),
            text_block(t(locale, "consent.card_intro", desk=escape_markdown(desk))),
        ],
        [{"type": "Action.OpenUrl", "title": t(locale, "consent.open"), "url": url}],
    )


@dataclass(frozen=True)
class InvitationView:
    invitation_id: int
    title: str
    facts: tuple[tuple[str, str], ...]
    description: str
    expires: str
    fee_url: str
    status: str


def invitation_facts(
    locale: str,
    *,
    assignment_type: str,
    level: str,
    meeting_format: str,
    start_date: date,
    end_date: date | None,
    workload: str,
    unit: str,
    expires: str,
) -> tuple[tuple[str, str], ...]:
    """What a participant needs to decide (never internal notes or the cost centre)."""
    period = start_date.strftime("%d.%m.%Y") + (
        f" – {end_date.strftime('%d.%m.%Y')}" if end_date else ""
    )
    return (
        (
            t(locale, "field.assignment_type"),
            choice_label(locale, "assignment_type", assignment_type),
        ),
        (t(locale, "field.level"), choice_label(locale, "level", level)),
        (t(locale, "field.meeting_format"), choice_label(locale, "meeting_format", meeting_format)),
        (t(locale, "invitation.field.period"), period),
        (t(locale, "field.workload"), workload),
        (t(locale, "field.unit"), unit),
        (t(locale, "invitation.field.expires"), expires),
    )


def invitation_card(
    locale: str, view: InvitationView, *, notice: str | None = None
) -> dict[str, Any]:
    """The invitation in a participant's Teams chat; the verbs answer it."""
    body: list[dict[str, Any]] = []
    if notice:
        body.append(text_block(notice, color="Good", weight="Bolder"))
    body += [
        text_block(
            t(locale, "invitation.subject", title=escape_markdown(view.title)),
            weight="Bolder",
            size="Medium",
        ),
        text_block(t(locale, "invitation.intro", expires=view.expires)),
        {
            "type": "FactSet",
            "facts": [{"title": k, "value": escape_markdown(v)} for k, v in view.facts],
        },
        text_block(escape_markdown(view.description)),
        text_block(t(locale, "invitation.fee"), isSubtle=True),
    ]
    data = {"invitation_id": view.invitation_id}
    actions: list[dict[str, Any]] = [
        {"type": "Action.OpenUrl", "title": t(locale, "invitation.fee_link"), "url": view.fee_url}
    ]
    if view.status == InvitationStatus.INVITED:
        actions = [
            {
                "type": "Action.Execute",
                "title": t(locale, "invitation.yes"),
                "verb": "accept_invitation",
                "data": data,
                "style": "positive",
            },
            {
                "type": "Action.Execute",
                "title": t(locale, "invitation.no"),
                "verb": "decline_invitation",
                "data": data,
            },
            *actions,
        ]
    return card(body, actions)


def documents_card(
    locale: str,
    *,
    invitation_id: int,
    title: str,
    agreement_url: str,
    confidentiality_url: str,
    signed: bool,
    notice: str | None = None,
) -> dict[str, Any]:
    """After the match, in a participant's Teams chat: the two documents to
    sign, and `documents_signed` to say they have."""
    body: list[dict[str, Any]] = []
    if notice:
        body.append(text_block(notice, color="Good", weight="Bolder"))
    body += [
        text_block(
            t(locale, "documents.subject", title=escape_markdown(title)),
            weight="Bolder",
            size="Medium",
        ),
        text_block(t(locale, "documents.signed" if signed else "documents.intro")),
    ]
    actions: list[dict[str, Any]] = [
        {"type": "Action.OpenUrl", "title": t(locale, "documents.agreement"), "url": agreement_url},
        {
            "type": "Action.OpenUrl",
            "title": t(locale, "documents.confidentiality"),
            "url": confidentiality_url,
        },
    ]
    if not signed:
        actions.insert(
            0,
            {
                "type": "Action.Execute",
                "title": t(locale, "documents.confirm"),
                "verb": "documents_signed",
                "data": {"invitation_id": invitation_id},
                "style": "positive",
            },
        )
    return card(body, actions)


def field_error_text(locale: str, error: Refused) -> str:
    """A refusal of a participant's form: the field it is about, then why."""
    if error.field is None:
        return refusal_text(locale, error)
    return t(
        locale,
        "participant.error.field",
        field=t(locale, f"participant.field.{error.field}"),
        problem=refusal_text(locale, error),
    )
