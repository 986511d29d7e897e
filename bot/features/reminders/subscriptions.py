"""Subscriptions to reminder groups: `abonner`, `avslutt abonnement`, the
groups card, and what installing and uninstalling the app does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.framework.ports import ConversationKind, Event, Turn
from bot.framework.router import Guard, Router
from dialogs.cards.reminders import groups_card
from dialogs.i18n import t
from storage import reminders as store
from storage.db.models import Contact
from storage.reminders.kinds import desk_of, qualified

if TYPE_CHECKING:
    from bot.services import Services

router = Router()


async def save_contact(turn: Turn, services: Services, groups: list[str]) -> Contact:
    async with services.db.transaction() as session:
        return await store.upsert_contact(
            session,
            key=turn.person.key,
            aad_object_id=turn.person.aad_object_id,
            name=turn.person.name,
            locale=turn.locale,
            now=services.clock.now(),
            groups=groups,
        )


async def _desks(services: Services, locale: str) -> list[tuple[str, str]]:
    """Every desk (code, name): each has its own reminder groups."""
    return [(d.code, d.name(locale)) for d in await services.desks.all()]


@router.personal_command("subscribe")
async def subscribe(turn: Turn, services: Services, argument: str) -> None:
    """Every group of the desk `default` (as before desks); the card offers
    the other desks' groups."""
    contact = await save_contact(turn, services, list(store.GROUPS))
    await turn.reply(t(turn.locale, "subscribe.done"))
    await turn.card(groups_card(turn.locale, contact.groups, await _desks(services, turn.locale)))


@router.personal_command("unsubscribe")
async def unsubscribe(turn: Turn, services: Services, argument: str) -> None:
    async with services.db.transaction() as session:
        contact = await store.find_contact(session, turn.person.key)
        if contact is not None:
            contact.groups = []
            contact.updated_at = services.clock.now()
    await turn.reply(t(turn.locale, "unsubscribe.done"))


@router.submit("set_groups", guards=(Guard.PERSONAL,))
async def set_groups(turn: Turn, services: Services, value: dict[str, Any]) -> None:
    raw = value.get("groups")
    desks = await _desks(services, turn.locale)
    names_of = {code: name for code, name in desks}
    allowed = {qualified(g, code) for code, _ in desks for g in store.GROUPS} | set(store.GROUPS)
    chosen = sorted({g for g in (raw.split(",") if isinstance(raw, str) else []) if g in allowed})
    if not chosen:
        await turn.reply(t(turn.locale, "subscribe.none_chosen"))
        return
    await save_contact(turn, services, chosen)

    def named(subscription: str) -> str:
        code, group = desk_of(subscription)
        label = t(turn.locale, f"group.{group}")
        return f"{names_of.get(code, code)}: {label}" if len(desks) > 1 else label

    names = ", ".join(named(g) for g in chosen)
    await turn.reply(t(turn.locale, "subscribe.saved", groups=names))


@router.on(Event.INSTALLED)
async def on_install(turn: Turn, services: Services) -> None:
    """Reminders are opt-in: installing greets and offers them, subscribes nobody
    (a nurse who installs the app to order a participant gets no gathering reminders)."""
    if turn.kind is not ConversationKind.PERSONAL:
        return
    await turn.reply(t(turn.locale, "welcome"))
    await turn.card(groups_card(turn.locale, [], await _desks(services, turn.locale)))


@router.on(Event.UNINSTALLED)
async def on_uninstall(turn: Turn, services: Services) -> None:
    async with services.db.transaction() as session:
        await store.forget_contact(session, turn.person.key)
